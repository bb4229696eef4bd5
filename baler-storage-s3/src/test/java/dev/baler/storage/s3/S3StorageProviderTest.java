package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class S3StorageProviderTest {
  private static final String SECRET = "provider/secret/NEVER-IN-MESSAGES";
  private final S3StorageProvider provider = new S3StorageProvider();

  @Test
  void schemes_isS3() {
    assertThat(provider.schemes()).containsExactly("s3");
  }

  @Test
  void create_withEndpointUsesPathStyleAndTheGivenRegion() {
    try (S3Storage storage =
        provider.create(
            Map.of(
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.region", "eu-west-1",
                "s3.access-key-id", "key",
                "s3.secret-access-key", SECRET))) {
      assertThat(storage.toString())
          .isEqualTo(
              "S3Storage[endpoint=http://127.0.0.1:9000, region=eu-west-1, addressing=PATH]");
    }
  }

  @Test
  void create_pathStyleFalseUsesVirtualHosts() {
    try (S3Storage storage =
        provider.create(
            Map.of(
                "s3.endpoint", "https://storage.example.com",
                "s3.region", "eu-west-1",
                "s3.path-style", "FALSE"))) {
      assertThat(storage.toString()).endsWith("addressing=VIRTUAL_HOST]");
    }
  }

  @Test
  void create_ignoresBlankAndUnknownProperties() {
    try (S3Storage storage =
        provider.create(
            Map.of(
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.region", "ap-south-1",
                "s3.profile", " ",
                "s3.session-token", "",
                "hdfs.something", "x"))) {
      assertThat(storage.toString()).contains("region=ap-south-1");
    }
  }

  @Test
  void create_rejectsInvalidPathStyle() {
    assertThatThrownBy(() -> provider.create(Map.of("s3.path-style", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid s3.path-style 'yes': expected true or false");
  }

  @Test
  void create_rejectsInvalidRequestChecksumCalculation() {
    assertThatThrownBy(
            () -> provider.create(Map.of("s3.request-checksum-calculation", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid s3.request-checksum-calculation 'sometimes':"
                + " expected when_supported or when_required");
  }

  @Test
  void create_withServerSideEncryptionDescribesIt() {
    try (S3Storage kms =
            provider.create(
                Map.of(
                    "s3.region", "eu-west-1",
                    "s3.server-side-encryption", "AWS:KMS",
                    "s3.sse-kms-key-id", "alias/lake"));
        S3Storage s3 =
            provider.create(
                Map.of("s3.region", "eu-west-1", "s3.server-side-encryption", "AES256"))) {
      assertThat(kms.toString()).endsWith(", encryption=aws:kms]").doesNotContain("alias/lake");
      assertThat(s3.toString()).endsWith(", encryption=AES256]");
    }
  }

  @Test
  void create_rejectsInvalidServerSideEncryption() {
    assertThatThrownBy(() -> provider.create(Map.of("s3.server-side-encryption", "aws:kms:x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid server-side encryption 'aws:kms:x': expected AES256, aws:kms or aws:kms:dsse");
    assertThatThrownBy(() -> provider.create(Map.of("s3.sse-kms-key-id", "alias/lake")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid s3.sse-kms-key-id: it needs s3.server-side-encryption aws:kms");
    assertThatThrownBy(
            () ->
                provider.create(
                    Map.of(
                        "s3.server-side-encryption", "AES256", "s3.sse-kms-key-id", "alias/lake")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A KMS key id needs server-side encryption aws:kms or aws:kms:dsse, not AES256");
  }

  @Test
  void create_rejectsInvalidEndpoint() {
    assertThatThrownBy(() -> provider.create(Map.of("s3.endpoint", "ftp://127.0.0.1:9000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid S3 endpoint 'ftp://127.0.0.1:9000': expected http://host[:port] or"
                + " https://...");
    assertThatThrownBy(() -> provider.create(Map.of("s3.endpoint", "127.0.0.1:9000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid s3.endpoint '127.0.0.1:9000': Illegal character in scheme name");
    assertThatThrownBy(() -> provider.create(Map.of("s3.endpoint", "http://bad host")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid s3.endpoint 'http://bad host': ");
  }

  @Test
  void create_rejectsSecretWithoutAccessKeyWithoutShowingIt() {
    assertThatThrownBy(() -> provider.create(Map.of("s3.secret-access-key", SECRET)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid S3 credentials: s3.access-key-id and s3.secret-access-key must be given"
                + " together")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @Test
  void create_rejectsSessionTokenWithoutCredentials() {
    assertThatThrownBy(() -> provider.create(Map.of("s3.session-token", SECRET)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid S3 credentials: s3.session-token needs s3.access-key-id");
  }

  @Test
  void builder_rejectsInvalidSettings() {
    assertThatThrownBy(() -> S3Storage.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maximum attempts 0: expected 1 to 20");
    assertThatThrownBy(() -> S3Storage.builder().credentials("key", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid secret access key: blank");
    assertThatThrownBy(
            () -> S3Storage.builder().serverSideEncryption(ServerSideEncryption.AWS_KMS, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid KMS key id: blank");
    assertThatThrownBy(() -> S3Storage.builder().sessionToken("token").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot use a session token without credentials");
  }
}
