package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.parquet.TelemetryDataset.Layout;
import dev.baler.parquet.TelemetryDataset.Summary;
import dev.baler.storage.FileEntry;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryDatasetTest {
  @TempDir Path directory;

  @Test
  void write_flatLayoutNamesFilesByTheEndOfTheirSlice() throws IOException {
    TelemetryDataset dataset = TelemetryDataset.builder().files(4).rowsPerFile(300).build();

    Summary summary = dataset.write(new LocalStorage(), Location.local(directory));

    assertThat(fileNames(directory))
        .containsExactly(
            "sensor_data.1704088800000.parquet",
            "sensor_data.1704110400000.parquet",
            "sensor_data.1704132000000.parquet",
            "sensor_data.1704153600000.parquet");
    assertThat(summary).isEqualTo(new Summary(4, 1_200, totalBytes(directory)));
  }

  @Test
  void write_plainEncodingWritesTheSameRowsWithoutDictionaries() throws IOException {
    Path mixed = directory.resolve("mixed");
    Path plain = directory.resolve("plain");
    TelemetryDataset.builder()
        .files(2)
        .rowsPerFile(500)
        .build()
        .write(new LocalStorage(), Location.local(mixed));
    TelemetryDataset.builder()
        .files(2)
        .rowsPerFile(500)
        .encoding(TelemetryDataset.Encoding.PLAIN)
        .build()
        .write(new LocalStorage(), Location.local(plain));

    for (Path file : files(plain)) {
      Footer footer = Footer.read(new LocalStorage().newInputFile(Location.local(file)));
      assertThat(footer.rowGroups().get(0).getColumns())
          .allSatisfy(chunk -> assertThat(chunk.hasDictionaryPage()).isFalse());
      RowFingerprint rows =
          RowFingerprint.of(
              new LocalStorage().newInputFile(Location.local(mixed.resolve(file.getFileName()))));
      assertThat(RowFingerprint.of(new LocalStorage().newInputFile(Location.local(file))))
          .isEqualTo(rows);
    }
  }

  @Test
  void write_eachFileHoldsItsRowsInOneSnappyRowGroupWithTheSchema() throws IOException {
    TelemetryDataset dataset = TelemetryDataset.builder().files(3).rowsPerFile(2_000).build();
    dataset.write(new LocalStorage(), Location.local(directory));

    for (Path file : files(directory)) {
      ParquetMetadata footer = footer(file);
      assertThat(footer.getFileMetaData().getSchema()).isEqualTo(TelemetryDataset.SCHEMA);
      assertThat(footer.getBlocks()).hasSize(1);
      BlockMetaData rowGroup = footer.getBlocks().get(0);
      assertThat(rowGroup.getRowCount()).isEqualTo(2_000);
      assertThat(rowGroup.getColumns())
          .extracting(ColumnChunkMetaData::getCodec)
          .containsOnly(CompressionCodecName.SNAPPY);
    }
  }

  @Test
  void write_valuesFollowTheReferenceDistributions() throws IOException {
    TelemetryDataset dataset = TelemetryDataset.builder().files(2).rowsPerFile(5_000).build();
    dataset.write(new LocalStorage(), Location.local(directory));

    List<Group> rows = new ArrayList<>();
    for (Path file : files(directory)) {
      rows.addAll(read(file));
    }
    assertThat(rows).hasSize(10_000);
    long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    long nulls = 0;
    long errors = 0;
    Map<Integer, Integer> tagCounts = new HashMap<>();
    long previous = Long.MIN_VALUE;
    for (Group row : rows) {
      long timestamp = row.getLong("timestamp", 0);
      assertThat(timestamp)
          .isBetween(start, start + 86_400_000L - 1)
          .isGreaterThanOrEqualTo(previous);
      previous = timestamp;
      assertThat(row.getString("service_name", 0)).matches("svc-[0-9]{3}");
      assertThat(row.getString("trace_id", 0)).matches("[0-9a-f]{32}");
      assertThat(row.getLong("duration_ms", 0)).isBetween(1L, 4_999L);
      assertThat(row.getInteger("status_code", 0)).isIn(200, 500);
      errors += row.getInteger("status_code", 0) == 500 ? 1 : 0;
      assertThat(row.getDouble("temperature", 0)).isBetween(-20.0, 60.0);
      nulls += row.getFieldRepetitionCount("user_id") == 0 ? 1 : 0;
      Group tags = row.getGroup("tags", 0);
      int tagCount = tags.getFieldRepetitionCount("list");
      tagCounts.merge(tagCount, 1, Integer::sum);
      for (int tag = 0; tag < tagCount; tag++) {
        assertThat(tags.getGroup("list", tag).getString("element", 0))
            .isIn("us-east-1", "us-west-2", "eu-west-1", "ap-south-1");
      }
      Group attributes = row.getGroup("attributes", 0);
      assertThat(attributes.getFieldRepetitionCount("key_value")).isEqualTo(2);
      assertThat(attributes.getGroup("key_value", 0).getString("key", 0)).isEqualTo("region");
      assertThat(attributes.getGroup("key_value", 1).getString("key", 0)).isEqualTo("host");
      assertThat(attributes.getGroup("key_value", 1).getString("value", 0)).matches("h[0-9]{1,2}");
    }
    assertThat(nulls).isBetween(2_700L, 3_300L);
    assertThat(errors).isBetween(350L, 650L);
    assertThat(tagCounts).containsOnlyKeys(0, 1, 2);
  }

  @Test
  void write_dateLayoutPutsFilesInTheDayTheirSliceStarts() throws IOException {
    TelemetryDataset dataset =
        TelemetryDataset.builder()
            .files(6)
            .rowsPerFile(10)
            .days(3)
            .prefix("events")
            .layout(Layout.DATE)
            .start(Instant.parse("2025-08-14T00:00:00Z"))
            .build();

    dataset.write(new LocalStorage(), Location.local(directory));

    assertThat(files(directory))
        .extracting(file -> directory.relativize(file).toString())
        .containsExactly(
            "date=2025-08-14/events.1755172800000.parquet",
            "date=2025-08-14/events.1755216000000.parquet",
            "date=2025-08-15/events.1755259200000.parquet",
            "date=2025-08-15/events.1755302400000.parquet",
            "date=2025-08-16/events.1755345600000.parquet",
            "date=2025-08-16/events.1755388800000.parquet");
  }

  @Test
  void write_sameSeedGivesSameBytesWhateverTheThreads() throws IOException {
    Map<String, byte[]> oneThread =
        contents(TelemetryDataset.builder().files(5).rowsPerFile(100).seed(7).threads(1).build());
    Map<String, byte[]> fourThreads =
        contents(TelemetryDataset.builder().files(5).rowsPerFile(100).seed(7).threads(4).build());
    Map<String, byte[]> otherSeed =
        contents(TelemetryDataset.builder().files(5).rowsPerFile(100).seed(8).threads(1).build());

    assertThat(fourThreads).hasSize(5).containsOnlyKeys(oneThread.keySet());
    oneThread.forEach((name, bytes) -> assertThat(fourThreads.get(name)).isEqualTo(bytes));
    oneThread.forEach((name, bytes) -> assertThat(otherSeed.get(name)).isNotEqualTo(bytes));
  }

  @Test
  void builder_rejectsInvalidSettings() {
    assertThatThrownBy(() -> TelemetryDataset.builder().files(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid number of files: 0");
    assertThatThrownBy(() -> TelemetryDataset.builder().rowsPerFile(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid number of rows per file: -1");
    assertThatThrownBy(() -> TelemetryDataset.builder().prefix("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid file name prefix: 'a/b'");
    assertThatThrownBy(() -> TelemetryDataset.builder().days(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid number of days: 0");
    assertThatThrownBy(() -> TelemetryDataset.builder().files(100_000_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid data set: 100000000 files do not fit in 1 days");
  }

  private static Map<String, byte[]> contents(TelemetryDataset dataset) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location root = Location.of("memory://bench/telemetry/");
    Summary summary = dataset.write(storage, root);
    Map<String, byte[]> contents = new HashMap<>();
    long bytes = 0;
    for (FileEntry entry : storage.list(root).toList()) {
      contents.put(entry.location().fileName(), storage.bytes(entry.location()));
      bytes += entry.length();
    }
    assertThat(summary).isEqualTo(new Summary(dataset.files(), dataset.rows(), bytes));
    return contents;
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
    }
  }

  private static List<String> fileNames(Path directory) throws IOException {
    return files(directory).stream().map(file -> file.getFileName().toString()).toList();
  }

  private static long totalBytes(Path directory) throws IOException {
    long total = 0;
    for (Path file : files(directory)) {
      total += Files.size(file);
    }
    return total;
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getFooter();
    }
  }

  private static List<Group> read(Path file) throws IOException {
    List<Group> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      var schema = reader.getFooter().getFileMetaData().getSchema();
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
        for (long row = 0; row < rowGroup.getRowCount(); row++) {
          rows.add(records.read());
        }
      }
    }
    return rows;
  }
}
