package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.S3Server;
import dev.baler.testing.S3TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class CompactCommandS3IT {
  private static S3Server server;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.inMemory().start();
    server.createBucket("lake");
    storage = Storages.forLocation(Location.of("s3://lake/"), server.storageProperties());
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    server.close();
  }

  @Test
  void compact_onS3WithFlagsKeepsRowsAndNeverPrintsTheSecret() throws IOException {
    Location directory = Location.of("s3://lake/events/");
    RowFingerprint before = writeEvents(directory, 12);

    CompactCommandTest.Run run =
        baler(
            "compact",
            "--bucket",
            "lake",
            "--prefix",
            "events/sensor_data",
            "--endpoint",
            server.endpoint().toString(),
            "--region",
            server.region(),
            "--access-key-id",
            server.accessKeyId(),
            "--secret-access-key",
            server.secretAccessKey(),
            "--verbose");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(12);
    assertThat(run.json().get("outputs").get(0).asText())
        .isEqualTo("s3://lake/events/sensor_data.1704153600000.c.parquet");
    assertThat(DataFiles.fingerprint(storage, directory)).isEqualTo(before);
    assertThat(run.stdout() + run.stderr()).doesNotContain(server.secretAccessKey());
  }

  @Test
  void compact_stagesInputsBelowTheStagingDirectoryAndLeavesNothingThere(@TempDir Path staging)
      throws IOException {
    Location directory = Location.of("s3://lake/staged/");
    RowFingerprint before = writeEvents(directory, 6);

    // originals kept: their copies stay until the run ends
    CompactCommandTest.Run run =
        baler(
            s3Arguments(
                "s3://lake/staged/",
                "--delete-originals=false",
                "--staging-dir",
                staging.toString()));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(6);
    Location output = Location.of(run.json().get("outputs").get(0).asText());
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(before);
    try (var left = Files.list(staging)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void compact_withMissingStagingDirectoryIsAUsageError(@TempDir Path parent) {
    Path missing = parent.resolve("missing");

    CompactCommandTest.Run run =
        baler(s3Arguments("s3://lake/nothing/", "--staging-dir", missing.toString()));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains(
            "Invalid --staging-dir " + missing + ": not a directory; make it or name another");
  }

  @Test
  void compact_withServerSideEncryptionWritesItsOutputsAndMarkersWithIt() throws IOException {
    Location directory = Location.of("s3://lake/encrypted/");
    RowFingerprint before = writeEvents(directory, 4);
    String key = "arn:aws:kms:us-east-1:111122223333:key/lake";

    CompactCommandTest.Run run =
        baler(
            s3Arguments(
                "s3://lake/encrypted/",
                "--delete-originals=false",
                "--sse",
                "aws:kms",
                "--sse-kms-key-id",
                key));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Location output = Location.of(run.json().get("outputs").get(0).asText());
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(before);
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(Region.of(server.region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(server.accessKeyId(), server.secretAccessKey())))
            .build()) {
      List<String> written = new ArrayList<>();
      written.add(output.path());
      client
          .listObjectsV2Paginator(request -> request.bucket("lake").prefix("encrypted/"))
          .contents()
          .forEach(
              object -> {
                if (object.key().endsWith(".processed")) {
                  written.add(object.key());
                }
              });
      assertThat(written).hasSize(5);
      for (String object : written) {
        HeadObjectResponse head = client.headObject(request -> request.bucket("lake").key(object));
        assertThat(head.serverSideEncryption()).as(object).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as(object).isEqualTo(key);
      }
    }
  }

  @Test
  void compact_withInvalidServerSideEncryptionIsAUsageError() {
    CompactCommandTest.Run run = baler(s3Arguments("s3://lake/nothing/", "--sse", "kms"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("Invalid server-side encryption 'kms': expected AES256, aws:kms or aws:kms:dsse");
  }

  /**
   * Writes {@code files} files of 100 rows below {@code directory}; returns their rows'
   * fingerprint.
   */
  private static RowFingerprint writeEvents(Location directory, int files) throws IOException {
    DataFiles.writeTelemetry(storage, directory, files);
    return DataFiles.fingerprint(storage, directory);
  }

  private static String[] s3Arguments(String uri, String... more) {
    return compactArguments(server, uri, more);
  }

  /**
   * {@code compact URI} against {@code server}, with its endpoint, region and credentials as flags,
   * then {@code more}.
   */
  static String[] compactArguments(S3TestServer server, String uri, String... more) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "compact",
                uri,
                "--endpoint",
                server.endpoint().toString(),
                "--region",
                server.region(),
                "--access-key-id",
                server.accessKeyId(),
                "--secret-access-key",
                server.secretAccessKey()));
    arguments.addAll(List.of(more));
    return arguments.toArray(String[]::new);
  }

  @Test
  void profile_takesCredentialsFromTheSharedCredentialsFile(@TempDir Path home) throws IOException {
    Location directory = Location.of("s3://lake/profiled/");
    TelemetryDataset.builder()
        .files(3)
        .rowsPerFile(10)
        .threads(1)
        .build()
        .write(storage, directory);
    Path credentials = home.resolve("credentials");
    Files.writeString(
        credentials,
        "[lake-tests]\naws_access_key_id = "
            + server.accessKeyId()
            + "\naws_secret_access_key = "
            + server.secretAccessKey()
            + "\n");
    String previous = System.getProperty("aws.sharedCredentialsFile");
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    try {
      CompactCommandTest.Run run =
          baler(
              "compact",
              "s3://lake/profiled/",
              "--endpoint",
              server.endpoint().toString(),
              "--region",
              server.region(),
              "--profile",
              "lake-tests");

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.json().get("files_processed").asInt()).isEqualTo(3);
      assertThat(run.stdout() + run.stderr()).doesNotContain(server.secretAccessKey());
    } finally {
      if (previous == null) {
        System.clearProperty("aws.sharedCredentialsFile");
      } else {
        System.setProperty("aws.sharedCredentialsFile", previous);
      }
    }
  }

  @Test
  void wrongSecret_failsWithoutPrintingIt() {
    String wrongSecret = "not-the-secret-" + System.nanoTime();

    CompactCommandTest.Run run =
        baler(
            "compact",
            "s3://lake/other/x",
            "--endpoint",
            server.endpoint().toString(),
            "--access-key-id",
            server.accessKeyId(),
            "--secret-access-key",
            wrongSecret,
            "--verbose");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).startsWith("baler: ");
    assertThat(run.stdout() + run.stderr()).doesNotContain(wrongSecret);
  }

  @Test
  void leaseHeldByAnotherHost_exitsWithFour() throws IOException {
    Location directory = Location.of("s3://lake/leased/");
    TelemetryDataset.builder()
        .files(3)
        .rowsPerFile(10)
        .threads(1)
        .build()
        .write(storage, directory);
    long inAMinute = System.currentTimeMillis() + 60_000;
    String lease =
        "{\"owner\":\"x\",\"host\":\"elsewhere\",\"pid\":1,\"acquired_at_millis\":0,"
            + "\"expires_at_millis\":"
            + inAMinute
            + ",\"released\":false}";
    storage
        .newOutputFile(directory.resolve("_baler/lease/0000000001.json"))
        .write(lease.getBytes(StandardCharsets.UTF_8));

    CompactCommandTest.Run run =
        baler(
            "compact",
            "s3://lake/leased/",
            "--endpoint",
            server.endpoint().toString(),
            "--access-key-id",
            server.accessKeyId(),
            "--secret-access-key",
            server.secretAccessKey());

    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.stderr())
        .startsWith(
            "baler: Cannot take the lease s3://lake/leased/_baler/lease/0000000001.json:"
                + " held by elsewhere pid 1 until ");
    assertThat(run.stdout()).isEmpty();
  }
}
