package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bloom filters of the merge's output, on each of its three ways of writing a column chunk: they
 * hold every value of the column and rule out most others, for parquet-java's reader and DuckDB,
 * and the chunks keep their page indexes.
 */
class BloomFilterTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message events {
            required int64 id;
            optional binary name (STRING);
            optional int32 code;
            optional group location {
              optional double lat;
            }
            optional group tags (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
          }
          """);
  private static final Set<String> COLUMNS =
      Set.of("id", "name", "code", "location.lat", "tags.list.element");
  private static final int FILES = 6;
  private static final int ROWS = 400;

  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  @Test
  void merge_writesBloomFiltersOfCarriedAndDictionaryEncodedChunks() throws IOException {
    List<MergeInput> inputs = writeInputs(false);

    Path output = merge(inputs, WriteOptions.Pages.CARRY_OVER, 1 << 17);

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        String path = chunk.getPath().toDotString();
        if (!path.equals("id")) {
          // plain numbers of 13 and 97 values, and strings of 11 and 5: dictionary-encoded rather
          // than carried
          assertThat(chunk.hasDictionaryPage()).as(path).isTrue();
        } else {
          assertThat(reader.readOffsetIndex(chunk).getPageCount()).as(path).isEqualTo(FILES);
        }
      }
    }
    assertFiltersHoldEveryValue(output);
    MergeChecks.assertSameRows(inputs, output);
  }

  @Test
  void merge_writesBloomFiltersOfMergedDictionaries() throws IOException {
    List<MergeInput> inputs = writeInputs(true);

    Path output = merge(inputs, WriteOptions.Pages.CARRY_OVER, 1 << 17);

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        boolean fewValues = !chunk.getPath().toDotString().equals("id");
        assertThat(chunk.hasDictionaryPage())
            .as(chunk.getPath().toDotString())
            .isEqualTo(fewValues);
      }
    }
    assertFiltersHoldEveryValue(output);
    MergeChecks.assertSameRows(inputs, output);
  }

  @Test
  void merge_writesBloomFiltersOfReencodedChunks() throws IOException {
    List<MergeInput> inputs = writeInputs(true);

    // Two files per row group: three row groups, each with filters of its own values.
    Path output = merge(inputs, WriteOptions.Pages.REENCODE, 2 * ROWS);

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      assertThat(reader.getRowGroups()).hasSize(FILES / 2);
    }
    assertFiltersHoldEveryValue(output);
    MergeChecks.assertSameRows(inputs, output);
  }

  @Test
  void merge_sizesFiltersByTheDistinctValues() throws IOException {
    Path output = merge(writeInputs(false), WriteOptions.Pages.CARRY_OVER, 1 << 17);

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      BlockMetaData rowGroup = reader.getRowGroups().get(0);
      // 2,400 distinct ids at 1% take 4 KiB (rounded up to a power of two); 11 names the least.
      assertThat(reader.readBloomFilter(chunk(rowGroup, "id")).getBitsetSize()).isEqualTo(4096);
      assertThat(reader.readBloomFilter(chunk(rowGroup, "name")).getBitsetSize()).isEqualTo(32);
    }
  }

  @Test
  void merge_writesNoBloomFiltersUnlessAsked() throws IOException {
    Path output =
        MergeChecks.merge(writeInputs(false), WriteOptions.Pages.CARRY_OVER, directory, "plain");

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        assertThat(reader.readBloomFilter(chunk)).isNull();
      }
    }
  }

  @Test
  void builder_refusesInvalidColumnsAndProbabilities() {
    assertThatThrownBy(() -> WriteOptions.builder().bloomFilterColumns(List.of("location.")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid bloom filter column 'location.': expected a dotted leaf path such as location.lat");
    assertThatThrownBy(() -> WriteOptions.builder().bloomFilterFpp(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid bloom filter false positive probability 1.0: must be above 0 and below 1");
  }

  private Path merge(List<MergeInput> inputs, WriteOptions.Pages pages, long rowGroupRows)
      throws IOException {
    Path output = directory.resolve(pages + "-" + rowGroupRows + ".c.parquet");
    WriteOptions options =
        WriteOptions.builder()
            .pages(pages)
            .smallPageBytes(0) // carried pages as stored, one per input, as the tests count them
            .rowGroupRows(rowGroupRows)
            .bloomFilterColumns(COLUMNS)
            .build();
    new ParquetMerger(options)
        .merge(inputs, storage.newOutputFile(Location.local(output)), MergeListener.NONE);
    return output;
  }

  /**
   * Each row group's filters hold every value of its files, for parquet-java and DuckDB, and rule
   * out most absent values.
   */
  private static void assertFiltersHoldEveryValue(Path output) throws IOException {
    DuckDbVerifier duckDb = new DuckDbVerifier();
    try (ParquetFileReader reader = MergeChecks.open(output)) {
      List<BlockMetaData> rowGroups = reader.getRowGroups();
      int filesPerRowGroup = FILES / rowGroups.size();
      for (int index = 0; index < rowGroups.size(); index++) {
        BlockMetaData rowGroup = rowGroups.get(index);
        // The filters come beside the page indexes, not instead of them.
        for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
          assertThat(reader.readOffsetIndex(chunk)).as(chunk.getPath().toDotString()).isNotNull();
          assertThat(reader.readColumnIndex(chunk)).as(chunk.getPath().toDotString()).isNotNull();
        }
        BloomFilter ids = reader.readBloomFilter(chunk(rowGroup, "id"));
        BloomFilter names = reader.readBloomFilter(chunk(rowGroup, "name"));
        BloomFilter codes = reader.readBloomFilter(chunk(rowGroup, "code"));
        BloomFilter lats = reader.readBloomFilter(chunk(rowGroup, "location.lat"));
        BloomFilter tags = reader.readBloomFilter(chunk(rowGroup, "tags.list.element"));
        for (int file = index * filesPerRowGroup; file < (index + 1) * filesPerRowGroup; file++) {
          for (int i = 0; i < ROWS; i++) {
            assertThat(ids.findHash(ids.hash(id(file, i)))).isTrue();
            assertThat(names.findHash(names.hash(Binary.fromString(name(i))))).isTrue();
            assertThat(codes.findHash(codes.hash(code(i)))).isTrue();
            assertThat(lats.findHash(lats.hash(lat(file, i)))).isTrue();
            assertThat(tags.findHash(tags.hash(Binary.fromString(tag(i))))).isTrue();
          }
        }
        int falsePositives = 0;
        for (long absent = 0; absent < 1000; absent++) {
          falsePositives += ids.findHash(ids.hash(-1 - absent)) ? 1 : 0;
          falsePositives += names.findHash(names.hash(Binary.fromString("x" + absent))) ? 1 : 0;
          falsePositives += lats.findHash(lats.hash(1000.5 + absent)) ? 1 : 0;
        }
        assertThat(falsePositives).isLessThan(3000 / 20);
      }
      List<Boolean> none = new ArrayList<>();
      for (int index = 0; index < rowGroups.size(); index++) {
        none.add(false);
      }
      assertThat(duckDb.bloomFilterExcludes(output, "id", id(0, 3))).contains(false);
      assertThat(duckDb.bloomFilterExcludes(output, "name", name(5))).isEqualTo(none);
      assertThat(duckDb.bloomFilterExcludes(output, "code", code(7))).isEqualTo(none);
      assertThat(duckDb.bloomFilterExcludes(output, "name", "absent")).contains(true);
      assertThat(duckDb.bloomFilterExcludes(output, "id", -42L)).contains(true);
    }
  }

  private static ColumnChunkMetaData chunk(BlockMetaData rowGroup, String path) {
    return rowGroup.getColumns().stream()
        .filter(chunk -> chunk.getPath().toDotString().equals(path))
        .findFirst()
        .orElseThrow();
  }

  private static long id(int file, int i) {
    return file * 100_000L + i;
  }

  private static String name(int i) {
    return "name-" + i % 11;
  }

  private static int code(int i) {
    return i % 13 - 6;
  }

  private static double lat(int file, int i) {
    return (file * ROWS + i) % 97 * 0.5;
  }

  private static String tag(int i) {
    return "t" + i % 5;
  }

  /**
   * Writes the inputs, every column dictionary-encoded or none. Every row has every value, so that
   * the checks above find each of them.
   */
  private List<MergeInput> writeInputs(boolean dictionary) throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.local(directory.resolve("in-" + file + ".parquet"));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(SCHEMA)
              .withDictionaryEncoding(dictionary)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        for (int i = 0; i < ROWS; i++) {
          Group row = groups.newGroup().append("id", id(file, i)).append("name", name(i));
          row.append("code", code(i));
          row.addGroup("location").append("lat", lat(file, i));
          row.addGroup("tags").addGroup("list").append("element", tag(i));
          writer.write(row);
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }
}
