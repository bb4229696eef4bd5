package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baler.compaction.InspectionReport.Distribution;
import dev.baler.compaction.InspectionReport.ScanCost;
import dev.baler.compaction.InspectionReport.SizeBucket;
import dev.baler.parquet.Footer;
import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

class InspectionTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");

  private final MemoryStorage storage = new MemoryStorage();
  private final Inspection inspection =
      new Inspection(storage, CompactionOptions.builder().build());

  @Test
  void inspect_countsFilesSizesRowsSchemasAndRequestsBeforeAndAfter() throws IOException {
    TelemetryDataset.builder()
        .files(1000)
        .rowsPerFile(10)
        .threads(4)
        .build()
        .write(storage, DIRECTORY);
    put(storage, DIRECTORY.resolve("bad.parquet"), new byte[0]);
    put(storage, DIRECTORY.resolve("other.1704067200001.parquet"), EventFiles.otherSchema(5));
    // 200 rows of 1,000 incompressible bytes in row groups of 100 rows: a file above 64 KiB
    byte[] events = EventFiles.events(1, 200, 1000, 100);
    put(storage, DIRECTORY.resolve("events.1704067200002.parquet"), events);
    put(storage, DIRECTORY.resolve("_SUCCESS"), new byte[0]);
    put(storage, DIRECTORY.resolve("notes.txt"), new byte[] {1, 2, 3});
    long telemetryBytes = bytes("sensor_data.");
    long otherBytes = bytes("other.");

    InspectionReport report = inspection.inspect(DIRECTORY);

    assertThat(report.keys()).isEqualTo(1005);
    assertThat(report.files()).isEqualTo(1003);
    assertThat(report.bytes()).isEqualTo(telemetryBytes + otherBytes + events.length);
    assertThat(report.rows()).isEqualTo(1000 * 10 + 5 + 200);
    assertThat(events.length).isBetween(64 << 10, 1 << 20);
    assertThat(report.sizes())
        .extracting(SizeBucket::label, SizeBucket::files, SizeBucket::bytes)
        .containsExactly(
            tuple("<64 KiB", 1002L, telemetryBytes + otherBytes),
            tuple("64 KiB-1 MiB", 1L, (long) events.length),
            tuple("1-16 MiB", 0L, 0L),
            tuple("16-128 MiB", 0L, 0L),
            tuple(">=128 MiB", 0L, 0L));
    assertThat(report.rowGroupsPerFile()).isEqualTo(new Distribution(1002, 1, 1, 2, 1003));
    assertThat(report.rowGroupRows())
        .isEqualTo(new Distribution(1003, 5, 10, 100, 1000 * 10 + 5 + 200));
    assertThat(report.rowGroupBytes().count()).isEqualTo(1003);
    assertThat(report.rowGroupBytes().max()).isGreaterThan(100 * 1000);
    assertThat(report.codecs()).isEqualTo(Map.of("snappy", 1001L, "uncompressed", 1L));
    assertThat(report.pageVersions()).isEqualTo(Map.of("v1", 1002L));
    assertThat(report.encodings()).containsKeys("PLAIN", "RLE");

    assertThat(report.schemas()).hasSize(3);
    assertThat(report.schemas().get(0).files()).isEqualTo(1000);
    assertThat(report.schemas().get(0).firstFile())
        .isEqualTo(DIRECTORY.resolve("sensor_data.1704067286400.parquet"));
    assertThat(report.schemas().get(0).schema()).contains("optional binary trace_id (STRING)");
    assertThat(report.schemas().get(1).firstFile())
        .isEqualTo(DIRECTORY.resolve("events.1704067200002.parquet"));
    assertThat(report.schemas().get(2).schema()).contains("required int32 status");

    assertThat(report.unreadableFiles()).isEqualTo(1);
    assertThat(report.unreadable())
        .containsExactly(new SkippedFile(DIRECTORY.resolve("bad.parquet"), "empty file (0 bytes)"));

    // one bin of the 1,000 telemetry files; the other schemas and the empty file are skipped
    assertThat(report.plan())
        .isEqualTo(
            new InspectionReport.PlanSummary(
                1, 1000, telemetryBytes, 10_000, report.plan().estimatedSavedBytes(), 3, 0));
    assertThat(report.savedBytes()).isPositive().isLessThan(telemetryBytes);
    assertThat(report.before()).isEqualTo(new ScanCost(1005, 1003, 2006, 2));
    assertThat(report.after()).isEqualTo(new ScanCost(6, 4, 8, 1));
  }

  @Test
  void inspect_keyPrefixTakesOnlyItsOwnNamesAndSkipsHiddenDirectories() throws IOException {
    put(storage, DIRECTORY.resolve("events.1704067200001.parquet"), EventFiles.events(1, 10));
    put(storage, DIRECTORY.resolve("events.1704067200002.parquet"), EventFiles.events(11, 10));
    put(storage, DIRECTORY.resolve("events_v2.1704067200003.parquet"), EventFiles.events(21, 10));
    put(storage, DIRECTORY.resolve("events/_baler/x.parquet"), EventFiles.events(31, 10));

    InspectionReport report = inspection.inspect(DIRECTORY.resolve("events"));

    assertThat(report.keys()).isEqualTo(4);
    assertThat(report.files()).isEqualTo(2);
    assertThat(report.rows()).isEqualTo(20);
    assertThat(report.plan().bins()).isEqualTo(1);
    assertThat(report.before()).isEqualTo(new ScanCost(4, 2, 4, 1));
    assertThat(report.after()).isEqualTo(new ScanCost(3, 1, 2, 1));
  }

  @Test
  void inspect_emptyPrefixReportsZeros() throws IOException {
    InspectionReport report = inspection.inspect(DIRECTORY);

    assertThat(report.files()).isZero();
    assertThat(report.rowGroupsPerFile()).isEqualTo(new Distribution(0, 0, 0, 0, 0));
    assertThat(report.schemas()).isEmpty();
    assertThat(report.plan().bins()).isZero();
    assertThat(report.before()).isEqualTo(new ScanCost(0, 0, 0, 1));
    assertThat(report.after()).isEqualTo(report.before());
  }

  @Test
  void inspectFile_showsRowGroupsColumnChunksAndMetadata() throws IOException {
    Location file = DIRECTORY.resolve("events.1704067200002.parquet");
    byte[] bytes = EventFiles.events(1, 200, 1000, 100);
    put(storage, file, bytes);

    assertThat(inspection.isFile(file)).isTrue();
    assertThat(inspection.isFile(DIRECTORY)).isFalse();
    assertThat(inspection.isFile(DIRECTORY.resolve("events"))).isFalse();
    InspectionFile inspected = inspection.inspectFile(file);

    assertThat(inspected.location()).isEqualTo(file);
    assertThat(inspected.length()).isEqualTo(bytes.length);
    assertThat(inspected.rows()).isEqualTo(200);
    assertThat(inspected.createdBy()).startsWith("parquet-mr");
    assertThat(inspected.schema()).contains("required int64 id");
    assertThat(inspected.rowGroups())
        .extracting(InspectionFile.RowGroup::rows)
        .containsExactly(100L, 100L);
    InspectionFile.RowGroup first = inspected.rowGroups().get(0);
    assertThat(first.compressedBytes()).isGreaterThan(100 * 1000);
    assertThat(first.columns())
        .extracting(InspectionFile.ColumnChunk::path)
        .containsExactly("id", "name", "tags.list.element", "payload");
    InspectionFile.ColumnChunk id = first.columns().get(0);
    assertThat(id.type()).isEqualTo("INT64");
    assertThat(id.codec()).isEqualTo("uncompressed");
    assertThat(id.pageVersion()).isEqualTo("v1");
    assertThat(id.hasStatistics()).isTrue();
    assertThat(id.values()).isEqualTo(100);
    assertThat(inspected.keyValueMetadata())
        .extracting(InspectionFile.KeyValue::key)
        .contains("writer.model.name");
  }

  /** A key-value pair without a value (Thrift's value is optional) shows none, not "null". */
  @Test
  void inspectionFile_showsAPairWithoutAValueAsNone() {
    Map<String, String> keyValues = new HashMap<>();
    keyValues.put("unset", null);
    keyValues.put("set", "yes");
    Footer footer =
        new Footer(
            DIRECTORY.resolve("f.parquet"),
            100,
            new ParquetMetadata(
                new FileMetaData(
                    MessageTypeParser.parseMessageType("message m { required int32 id; }"),
                    keyValues,
                    "test"),
                List.of()));

    assertThat(InspectionFile.of(footer).keyValueMetadata())
        .containsExactly(
            new InspectionFile.KeyValue("set", 3, "yes"),
            new InspectionFile.KeyValue("unset", 0, null));
  }

  @Test
  void inspectFile_refusesAnEmptyFileWithTheReason() throws IOException {
    Location file = put(storage, DIRECTORY.resolve("bad.parquet"), new byte[0]);

    assertThatThrownBy(() -> inspection.inspectFile(file))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessage("Cannot read memory://test/data/bad.parquet: empty file (0 bytes)");
  }

  private long bytes(String namePrefix) throws IOException {
    List<FileEntry> entries = storage.list(DIRECTORY.resolve(namePrefix)).toList();
    return entries.stream().mapToLong(FileEntry::length).sum();
  }
}
