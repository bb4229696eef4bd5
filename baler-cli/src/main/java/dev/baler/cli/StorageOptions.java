package dev.baler.cli;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that say how to reach S3 (endpoint, region, credentials, profile) and how it encrypts
 * what is written (server-side encryption). Credentials come, in order, from these flags, the
 * {@code AWS_*} environment variables, the shared credentials file ({@code ~/.aws/credentials},
 * profile {@code --profile} or {@code AWS_PROFILE}), then the rest of the AWS default chain.
 * Secrets are never printed.
 */
final class StorageOptions {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "S3-compatible endpoint, such as http://127.0.0.1:9000 (MinIO, LocalStack);"
              + " turns on path-style access")
  String endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description =
          "AWS region (default: AWS_REGION, the profile's region, or us-east-1 with --endpoint)")
  String region;

  @Option(names = "--access-key-id", paramLabel = "ID", description = "AWS access key id")
  String accessKeyId;

  @Option(
      names = "--secret-access-key",
      paramLabel = "SECRET",
      description =
          "AWS secret access key (prefer AWS_SECRET_ACCESS_KEY or a profile: flags show in process lists)")
  String secretAccessKey;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "profile of ~/.aws/credentials and ~/.aws/config")
  String profile;

  @Option(
      names = "--sse",
      paramLabel = "ALGORITHM",
      description =
          "server-side encryption of the objects written to S3: AES256, aws:kms or aws:kms:dsse"
              + " (default: none asked, the bucket's default applies)")
  String serverSideEncryption;

  @Option(
      names = "--sse-kms-key-id",
      paramLabel = "KEY",
      description = "KMS key of --sse aws:kms, as an id, alias or ARN (default: aws/s3)")
  String sseKmsKeyId;

  Storage open(Location location) throws IOException {
    return open(location, Map.of());
  }

  /**
   * The storage of {@code location}, with these options and {@code extra} provider properties (such
   * as {@code hdfs.user}) on top. For S3, first makes ACCP the preferred security provider ({@link
   * CryptoProvider}).
   */
  Storage open(Location location, Map<String, String> extra) throws IOException {
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "Invalid credentials: give both --access-key-id and --secret-access-key, or neither");
    }
    if (endpoint != null && endpoint.contains("@")) {
      // never echo it: the part before @ would be credentials
      throw new IllegalArgumentException(
          "Invalid --endpoint: credentials in the URL are not accepted; use --access-key-id and"
              + " --secret-access-key, AWS_* variables or --profile");
    }
    Map<String, String> properties = new HashMap<>(extra);
    put(properties, "s3.endpoint", endpoint);
    put(properties, "s3.region", region);
    put(properties, "s3.access-key-id", accessKeyId);
    put(properties, "s3.secret-access-key", secretAccessKey);
    put(properties, "s3.profile", profile);
    put(properties, "s3.server-side-encryption", serverSideEncryption);
    put(properties, "s3.sse-kms-key-id", sseKmsKeyId);
    if (location.scheme().equals("s3")) {
      CryptoProvider.install();
    }
    return Storages.forLocation(location, properties);
  }

  private static void put(Map<String, String> properties, String key, String value) {
    if (value != null && !value.isBlank()) {
      properties.put(key, value);
    }
  }
}
