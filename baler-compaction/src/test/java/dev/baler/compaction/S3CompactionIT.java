package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.Fixtures;
import dev.baler.testing.RowMultiset;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction through {@code S3Storage} against an in-process S3 server: listing by key prefix,
 * conditional creates for the lease and journal, multipart or single uploads of outputs, markers as
 * objects and batch deletes.
 */
class S3CompactionIT {
  private static final String BUCKET = "baler-compaction";

  private static S3Server server;
  private static Storage storage;

  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path temporary;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(BUCKET);
    storage = Storages.forLocation(Location.of("s3://" + BUCKET + "/"), server.storageProperties());
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void compaction_ofAKeyPrefixKeepsEveryRowAndDeletesOriginalsAndMarkers() throws IOException {
    Location directory = location("flat/");
    TelemetryDataset.Summary written =
        TelemetryDataset.builder()
            .files(12)
            .rowsPerFile(200)
            .seed(11)
            .build()
            .write(storage, directory);
    // Another data set beside it, which a key prefix of sensor_data must not take.
    TelemetryDataset.builder()
        .files(2)
        .rowsPerFile(10)
        .prefix("other")
        .build()
        .write(storage, directory);
    List<Location> inputs = parquetFiles(storage, location("flat/sensor_data"));
    List<Location> others = parquetFiles(storage, location("flat/other"));
    assertThat(inputs).hasSize(12);
    RowFingerprint before = fingerprint(storage, inputs);
    List<Path> downloaded = download(inputs);
    RowMultiset rows = duckDb.rows(downloaded);
    String schema = duckDb.schema(downloaded.get(0));

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(location("flat/sensor_data"));

    Location output = location("flat/sensor_data.1704153600000.c.parquet");
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(12);
    assertThat(result.filesCreated()).isEqualTo(1);
    assertThat(result.recordsConsolidated()).isEqualTo(written.rows()).isEqualTo(2_400);
    assertThat(result.outputs()).containsExactly(output);
    assertThat(result.lastProcessedTimestamp()).hasValue(Instant.parse("2024-01-02T00:00:00Z"));
    assertThat(result.bytesSaved())
        .isEqualTo(written.bytes() - storage.newInputFile(output).length());
    assertThat(EventFiles.dataFiles(storage, directory))
        .containsExactlyInAnyOrderElementsOf(concat(others, output));
    assertThat(fingerprint(storage, List.of(output))).isEqualTo(before);
    Path local = download(List.of(output)).get(0);
    assertThat(duckDb.rows(List.of(local))).isEqualTo(rows);
    assertThat(duckDb.schema(local)).isEqualTo(schema);
    assertThat(storage.list(location("flat/_baler/journal/")).toList()).isEmpty();
  }

  @Test
  void compaction_keepingOriginalsWritesMarkerObjectsAndASecondRunDoesNothing() throws IOException {
    Location directory = location("keep/");
    TelemetryDataset.builder().files(6).rowsPerFile(100).seed(12).build().write(storage, directory);
    List<Location> inputs = parquetFiles(storage, directory);
    RowFingerprint before = fingerprint(storage, inputs);
    CompactionOptions keep =
        CompactionOptions.builder().originals(CompactionOptions.Originals.KEEP).build();

    CompactionResult first =
        new CompactionRunner(storage, keep, CompactionListener.NONE).run(directory);

    Location output = location("keep/sensor_data.1704153600000.c.parquet");
    assertThat(first.outputs()).containsExactly(output);
    List<Location> expected = new ArrayList<>(inputs);
    inputs.forEach(input -> expected.add(FileNames.marker(input)));
    expected.add(output);
    assertThat(EventFiles.dataFiles(storage, directory))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fingerprint(storage, List.of(output))).isEqualTo(before);
    assertThat(fingerprint(storage, inputs)).isEqualTo(before);
    List<FileEntry> listing = storage.list(directory).toList();

    CompactionResult second =
        new CompactionRunner(storage, keep, CompactionListener.NONE).run(directory);

    assertThat(second.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(second.filesProcessed()).isZero();
    assertThat(second.filesCreated()).isZero();
    assertThat(second.outputs()).isEmpty();
    assertThat(dataEntries(storage.list(directory).toList()))
        .containsExactlyInAnyOrderElementsOf(dataEntries(listing));
  }

  @Test
  void compaction_ofADirectoryCompactsEachDatePartitionOnItsOwn() throws IOException {
    Location directory = location("dated/");
    TelemetryDataset.builder()
        .files(8)
        .rowsPerFile(100)
        .seed(13)
        .days(2)
        .layout(TelemetryDataset.Layout.DATE)
        .build()
        .write(storage, directory);
    List<Location> first = parquetFiles(storage, location("dated/date=2024-01-01/"));
    List<Location> second = parquetFiles(storage, location("dated/date=2024-01-02/"));
    assertThat(first).hasSize(4);
    assertThat(second).hasSize(4);
    RowFingerprint firstRows = fingerprint(storage, first);
    RowFingerprint secondRows = fingerprint(storage, second);

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(directory);

    Location firstOutput = location("dated/date=2024-01-01/sensor_data.1704153600000.c.parquet");
    Location secondOutput = location("dated/date=2024-01-02/sensor_data.1704240000000.c.parquet");
    assertThat(result.outputs()).containsExactlyInAnyOrder(firstOutput, secondOutput);
    assertThat(result.filesProcessed()).isEqualTo(8);
    assertThat(EventFiles.dataFiles(storage, directory)).containsExactly(firstOutput, secondOutput);
    assertThat(fingerprint(storage, List.of(firstOutput))).isEqualTo(firstRows);
    assertThat(fingerprint(storage, List.of(secondOutput))).isEqualTo(secondRows);
  }

  @Test
  void deduplication_removesTheFixturesDuplicateRowsOnS3() throws IOException {
    Fixtures fixtures = Fixtures.of(Fixtures.Writer.PYARROW);
    List<Path> local = fixtures.copyTo(temporary.resolve("fixtures"));
    Location directory = location("dedup/");
    for (Path file : local) {
      storage
          .newOutputFile(directory.resolve(file.getFileName().toString()))
          .write(Files.readAllBytes(file));
    }
    RowMultiset distinct = duckDb.distinctRows(local);

    CompactionResult result =
        new CompactionRunner(
                storage, CompactionOptions.builder().deduplicate().build(), CompactionListener.NONE)
            .run(location("dedup/events"));

    Location output = location("dedup/events.1704067320000.c.parquet");
    assertThat(result.outputs()).containsExactly(output);
    assertThat(result.duplicateRecordsEliminated()).isEqualTo(fixtures.duplicateRows());
    assertThat(result.recordsConsolidated()).isEqualTo(fixtures.distinctRows());
    assertThat(duckDb.rows(download(List.of(output)))).isEqualTo(distinct);
    assertThat(EventFiles.dataFiles(storage, directory)).containsExactly(output);
  }

  private static Location location(String path) {
    return Location.of("s3://" + BUCKET + "/" + path);
  }

  /** Copies objects into the temporary directory, under their own names, for DuckDB. */
  private List<Path> download(List<Location> objects) throws IOException {
    Path directory = Files.createTempDirectory(temporary, "download");
    List<Path> files = new ArrayList<>();
    for (Location object : objects) {
      Path file = directory.resolve(object.fileName());
      Files.write(file, storage.newInputFile(object).readAllBytes());
      files.add(file);
    }
    return files;
  }

  private static List<Location> concat(List<Location> locations, Location more) {
    List<Location> all = new ArrayList<>(locations);
    all.add(more);
    return all;
  }

  /** Entries outside Baler's state directory, by location, length and modification time. */
  private static List<FileEntry> dataEntries(List<FileEntry> entries) {
    return entries.stream()
        .filter(entry -> !entry.location().toString().contains("/" + FileNames.STATE_DIRECTORY))
        .toList();
  }
}
