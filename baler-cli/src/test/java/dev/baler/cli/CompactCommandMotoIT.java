package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code baler compact} against moto's S3 server, run as its own Python process: the whole protocol
 * (lease, journal, multipart upload of outputs of several parts, read-back, batch delete or
 * markers) against a second S3-compatible server beside S3Proxy ({@link CompactCommandS3IT}).
 * pyarrow's multipart uploads failed against moto 5.2.1; issue 4 asks that Baler work against both.
 */
class CompactCommandMotoIT {
  private static final String BUCKET = "lake";

  /** Files of 2,000 rows, about 110 KB each: an output of about 15 MB, three parts of 5 MiB. */
  private static final int FILES = 150;

  private static final int ROWS_PER_FILE = 2_000;

  private static MotoServer server;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = MotoServer.create().start();
    server.createBucket(BUCKET);
    storage = Storages.forLocation(Location.of("s3://" + BUCKET + "/"), server.storageProperties());
  }

  @AfterAll
  static void stop() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void compact_deletesOriginalsOnceTheirRowsAreInAMultipartOutput() throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/deleted/");
    RowFingerprint before = writeEvents(directory);

    CompactCommandTest.Run run = baler(arguments("s3://" + BUCKET + "/deleted/sensor_data"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(FILES);
    assertThat(run.json().get("files_created").asInt()).isEqualTo(1);
    assertThat(run.json().get("records_consolidated").asLong()).isEqualTo(FILES * ROWS_PER_FILE);
    assertThat(DataFiles.fingerprint(storage, directory)).isEqualTo(before);
    assertThat(dataFiles(directory))
        .singleElement()
        .satisfies(
            output -> {
              assertThat(output.location().fileName()).endsWith(".c.parquet");
              assertThat(output.length()).isGreaterThan(2L * 5 * 1024 * 1024);
            });
    // the output went up in parts, which moto put together on CompleteMultipartUpload
    assertThat(Files.readString(server.logFile()))
        .containsPattern(Pattern.compile("POST /" + BUCKET + "/deleted/\\S+\\?uploadId="))
        .containsPattern(Pattern.compile("PUT /" + BUCKET + "/deleted/\\S+partNumber=3&"));
  }

  @Test
  void compact_keepingOriginalsMarksEachAndASecondRunFindsNothingNew() throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/kept/");
    RowFingerprint before = writeEvents(directory);

    CompactCommandTest.Run first =
        baler(arguments("s3://" + BUCKET + "/kept/sensor_data", "--delete-originals=false"));
    CompactCommandTest.Run second =
        baler(arguments("s3://" + BUCKET + "/kept/sensor_data", "--delete-originals=false"));

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.json().get("files_processed").asInt()).isEqualTo(FILES);
    List<FileEntry> files = storage.list(directory).toList();
    assertThat(files.stream().filter(file -> file.location().fileName().endsWith(".processed")))
        .hasSize(FILES);
    // the originals stay beside the output: the output alone holds the rows once
    List<FileEntry> outputs =
        dataFiles(directory).stream()
            .filter(file -> file.location().fileName().endsWith(".c.parquet"))
            .toList();
    assertThat(outputs).hasSize(1);
    assertThat(RowFingerprint.of(storage.newInputFile(outputs.get(0).location())))
        .isEqualTo(before);
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.json().get("files_processed").asInt()).isZero();
  }

  private static RowFingerprint writeEvents(Location directory) throws IOException {
    TelemetryDataset.builder()
        .files(FILES)
        .rowsPerFile(ROWS_PER_FILE)
        .build()
        .write(storage, directory);
    return DataFiles.fingerprint(storage, directory);
  }

  private static List<FileEntry> dataFiles(Location directory) throws IOException {
    return storage.list(directory).toList().stream()
        .filter(file -> file.location().fileName().endsWith(".parquet"))
        .filter(file -> !file.location().path().contains("_baler/"))
        .toList();
  }

  private static String[] arguments(String uri, String... more) {
    return CompactCommandS3IT.compactArguments(server, uri, more);
  }
}
