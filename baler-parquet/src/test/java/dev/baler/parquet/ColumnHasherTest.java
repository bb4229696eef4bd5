package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch decoder hashes every row exactly as the value-at-a-time walk does. */
class ColumnHasherTest {
  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message wide {
            required int32 small;
            optional int64 big;
            optional float ratio;
            required double measure;
            optional boolean flag;
            optional binary label (STRING);
            optional fixed_len_byte_array(5) code;
            optional int96 legacy_time;
            optional group numbers (LIST) {
              repeated group list {
                optional int32 element;
              }
            }
            repeated group pairs {
              required binary key (STRING);
              optional group values (LIST) {
                repeated group list {
                  required double element;
                }
              }
            }
          }
          """);

  @ParameterizedTest
  @CsvSource({
    "false, PARQUET_1_0, 1048576",
    "true, PARQUET_1_0, 1048576",
    "true, PARQUET_1_0, 512",
    "false, PARQUET_2_0, 1048576",
    "true, PARQUET_2_0, 512"
  })
  void hash_matchesTheWalkOfParquetJavasColumnReader(
      boolean dictionary, WriterVersion version, int pageBytes) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://test/wide.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(SCHEMA)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withPageSize(pageBytes)
            .withRowGroupSize(64L * 1024)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
      for (int i = 0; i < 3000; i++) {
        writer.write(row(groups, i));
      }
    }

    Footer footer = Footer.read(storage.newInputFile(location));
    List<ColumnDescriptor> columns = footer.schema().getColumns();
    int rowGroups = 0;
    for (int column = 0; column < columns.size(); column++) {
      try (ParquetFileReader reader =
              ParquetFileReader.open(
                  new ParquetInputFile(storage.newInputFile(location)),
                  ParquetRuntime.readOptions());
          ParquetFileReader walked =
              ParquetFileReader.open(
                  new ParquetInputFile(storage.newInputFile(location)),
                  ParquetRuntime.readOptions())) {
        ColumnDescriptor descriptor = columns.get(column);
        rowGroups = 0;
        for (PageReadStore rowGroup = reader.readNextRowGroup();
            rowGroup != null;
            rowGroup = reader.readNextRowGroup()) {
          PageReadStore same = walked.readNextRowGroup();
          int rows = Math.toIntExact(rowGroup.getRowCount());
          ColumnCopier.RowHashes fast = new ColumnCopier.RowHashes(rows);
          ColumnCopier.RowHashes slow = new ColumnCopier.RowHashes(rows);

          int hashed = ColumnHasher.hash(rowGroup, footer.createdBy(), descriptor, column, fast, 0);
          int walkedRows =
              ColumnCopier.walk(
                  ColumnCopier.columnReader(same, footer.createdBy(), descriptor),
                  descriptor,
                  column,
                  null,
                  0,
                  null,
                  slow,
                  null,
                  0,
                  rows);

          assertThat(hashed).isEqualTo(rows).isEqualTo(walkedRows);
          assertThat(fast.lane1).as("column %s", descriptor).isEqualTo(slow.lane1);
          assertThat(fast.lane2).as("column %s", descriptor).isEqualTo(slow.lane2);
          rowGroups++;
        }
      }
    }
    assertThat(rowGroups).isGreaterThan(1);
  }

  /** Row {@code i} of the wide schema: every type, nulls, empty and nested lists. */
  static Group row(SimpleGroupFactory groups, int i) {
    Group row = groups.newGroup().append("small", i % 1000 - 500).append("measure", i * 1.5);
    if (i % 9 != 0) {
      row.append("big", (long) i * 1_000_003L);
    }
    if (i % 4 != 0) {
      row.append("ratio", i / 7.0f);
    }
    if (i % 6 != 0) {
      row.append("flag", i % 3 == 0);
    }
    if (i % 10 != 0) {
      row.append("label", "label-" + (i % 37) + (i % 2 == 0 ? "-with-a-longer-tail" : ""));
    }
    if (i % 8 != 0) {
      row.append("code", Binary.fromString(String.format("c%04d", i % 50)));
    }
    if (i % 5 != 0) {
      row.append("legacy_time", new NanoTime(2_460_000 + i % 30, i * 1_000L));
    }
    if (i % 3 != 0) {
      Group numbers = row.addGroup("numbers");
      for (int n = 0; n < i % 4; n++) {
        Group element = numbers.addGroup("list");
        if (n != 2) {
          element.append("element", i + n);
        }
      }
    }
    for (int p = 0; p < i % 3; p++) {
      Group pair = row.addGroup("pairs").append("key", "k" + p);
      if (p != 1) {
        Group values = pair.addGroup("values");
        for (int v = 0; v < (i + p) % 3; v++) {
          values.addGroup("list").append("element", v * 0.5 + i);
        }
      }
    }
    return row;
  }
}
