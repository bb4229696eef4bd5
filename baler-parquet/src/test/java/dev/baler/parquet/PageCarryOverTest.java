package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Page carry-over: which output column chunks take their inputs' pages as stored, and that the
 * values, statistics and row fingerprints come out as re-encoding gives them.
 */
class PageCarryOverTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message events {
            required int64 id;
            optional binary name (STRING);
            optional double score;
            optional group tags (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
          }
          """);

  /** Numbers that repeat, among unique ids: what dictionaries for plain numbers are for. */
  private static final MessageType READINGS =
      MessageTypeParser.parseMessageType(
          """
          message readings {
            required int64 id;
            optional double reading;
            optional int32 level;
          }
          """);

  private static final int FILES = 6;
  private static final int ROWS = 150;

  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  /** How the test inputs are written. */
  private record Writing(boolean dictionary, CompressionCodecName codec, WriterVersion version) {
    static Writing plain() {
      return new Writing(false, CompressionCodecName.SNAPPY, WriterVersion.PARQUET_1_0);
    }
  }

  @Test
  void merge_carriesPlainChunksOfTheOutputCodecAsStored() throws IOException {
    List<MergeInput> inputs = writeInputs(Writing.plain());

    Path carried = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "carried");
    Path reencoded = MergeChecks.merge(inputs, WriteOptions.Pages.REENCODE, directory, "reencoded");

    // Each input chunk holds one page; a carried output chunk holds all of them, a re-encoded one
    // fits every value in one page.
    assertThat(pageCounts(carried)).containsExactly(FILES, FILES, FILES, FILES);
    assertThat(pageCounts(reencoded)).containsExactly(1, 1, 1, 1);
    MergeChecks.assertSameRows(inputs, carried);
    assertThat(MergeChecks.fingerprint(carried)).isEqualTo(MergeChecks.fingerprint(reencoded));
  }

  @Test
  void merge_givesCarriedChunksTheMergedStatisticsOfTheirInputs() throws IOException {
    List<MergeInput> inputs = writeInputs(Writing.plain());

    Path carried = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "carried");
    Path reencoded = MergeChecks.merge(inputs, WriteOptions.Pages.REENCODE, directory, "reencoded");

    List<ColumnChunkMetaData> carriedChunks = MergeChecks.onlyRowGroup(carried).getColumns();
    List<ColumnChunkMetaData> reencodedChunks = MergeChecks.onlyRowGroup(reencoded).getColumns();
    for (int column = 0; column < SCHEMA.getColumns().size(); column++) {
      Statistics<?> merged = null;
      for (MergeInput input : inputs) {
        Statistics<?> statistics =
            MergeChecks.onlyRowGroup(MergeChecks.pathOf(input))
                .getColumns()
                .get(column)
                .getStatistics();
        if (merged == null) {
          merged = statistics.copy();
        } else {
          merged.mergeStatistics(statistics);
        }
      }
      assertThat(carriedChunks.get(column).getStatistics()).isEqualTo(merged);
      assertThat(carriedChunks.get(column).getStatistics())
          .isEqualTo(reencodedChunks.get(column).getStatistics());
      assertThat(carriedChunks.get(column).getValueCount())
          .isEqualTo(reencodedChunks.get(column).getValueCount());
    }
    // Page statistics come from the inputs' column indexes, whose bounds for numbers are exact:
    // the carried chunk of 'id' keeps a column index, one entry per carried page.
    try (ParquetFileReader reader = MergeChecks.open(carried)) {
      var index = reader.readColumnIndex(reader.getRowGroups().get(0).getColumns().get(0));
      assertThat(index).isNotNull();
      assertThat(index.getNullPages()).hasSize(FILES);
      // So does 'score', a double: its page headers have no NaN count, its chunks a count of 0.
      var scores = reader.readColumnIndex(reader.getRowGroups().get(0).getColumns().get(2));
      assertThat(scores).isNotNull();
      assertThat(scores.getNullPages()).hasSize(FILES);
    }
  }

  @Test
  void merge_reencodesDictionaryInputs() throws IOException {
    List<MergeInput> inputs =
        writeInputs(new Writing(true, CompressionCodecName.SNAPPY, WriterVersion.PARQUET_1_0));

    Path output = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "out");

    // The writer keeps a dictionary only where it pays (not for the unique ids and scores, which
    // it falls back to plain encoding for): exactly those chunks are re-encoded.
    List<Integer> expected = new ArrayList<>();
    for (ColumnChunkMetaData chunk :
        MergeChecks.onlyRowGroup(MergeChecks.pathOf(inputs.get(0))).getColumns()) {
      expected.add(chunk.hasDictionaryPage() ? 1 : FILES);
    }
    assertThat(expected).contains(1);
    assertThat(pageCounts(output)).isEqualTo(expected);
    MergeChecks.assertSameRows(inputs, output);
  }

  @ParameterizedTest
  @CsvSource({"GZIP, PARQUET_1_0", "SNAPPY, PARQUET_2_0"})
  void merge_reencodesInputsOfAnotherCodecOrWithV2Pages(
      CompressionCodecName codec, WriterVersion version) throws IOException {
    List<MergeInput> inputs = writeInputs(new Writing(false, codec, version));

    Path output = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "out");

    assertThat(pageCounts(output)).containsExactly(1, 1, 1, 1);
    assertThat(MergeChecks.onlyRowGroup(output).getColumns())
        .allSatisfy(
            chunk -> {
              assertThat(chunk.getCodec()).isEqualTo(CompressionCodecName.SNAPPY);
              assertThat(chunk.getEncodingStats().usesV2Pages()).isFalse();
            });
    MergeChecks.assertSameRows(inputs, output);
  }

  @Test
  void merge_reencodesRowGroupsWithRowsLeftOut() throws IOException {
    List<MergeInput> inputs = new ArrayList<>(writeInputs(Writing.plain()));
    BitSet skip = new BitSet();
    skip.set(3, 9);
    MergeInput first = inputs.get(0);
    inputs.set(0, new MergeInput(first.file(), first.layout(), Optional.of(skip)));

    Path output = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "out");

    assertThat(pageCounts(output)).containsExactly(1, 1, 1, 1);
    assertThat(Footer.read(storage.newInputFile(Location.local(output))).rows())
        .isEqualTo(FILES * ROWS - 6);
  }

  @Test
  void merge_decidesPerColumnChunk() throws IOException {
    // Dictionary encoding for 'name' only: its chunks are re-encoded, the others carried.
    List<MergeInput> inputs = writeInputs(Writing.plain(), "name");

    Path output = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "out");

    assertThat(pageCounts(output)).containsExactly(FILES, 1, FILES, FILES);
    MergeChecks.assertSameRows(inputs, output);
  }

  @Test
  void merge_joinsSmallCarriedPagesIntoOnePage() throws IOException {
    List<MergeInput> inputs = writeInputs(Writing.plain());

    Path joined = MergeChecks.merge(inputs, WriteOptions.builder().build(), directory, "joined");
    Path stored = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "stored");

    // Every input page is well under 8 KiB: the six of each chunk become one, nested and
    // optional columns alike, with the statistics and column index of the pages carried as stored.
    assertThat(pageCounts(stored)).containsExactly(FILES, FILES, FILES, FILES);
    assertThat(pageCounts(joined)).containsExactly(1, 1, 1, 1);
    MergeChecks.assertSameRows(inputs, joined);
    assertThat(MergeChecks.fingerprint(joined)).isEqualTo(MergeChecks.fingerprint(stored));
    List<ColumnChunkMetaData> joinedChunks = MergeChecks.onlyRowGroup(joined).getColumns();
    List<ColumnChunkMetaData> storedChunks = MergeChecks.onlyRowGroup(stored).getColumns();
    try (ParquetFileReader reader = MergeChecks.open(joined)) {
      for (int column = 0; column < SCHEMA.getColumns().size(); column++) {
        assertThat(joinedChunks.get(column).getStatistics())
            .isEqualTo(storedChunks.get(column).getStatistics());
        assertThat(joinedChunks.get(column).getTotalSize())
            .isLessThan(storedChunks.get(column).getTotalSize());
      }
      var ids = reader.readColumnIndex(reader.getRowGroups().get(0).getColumns().get(0));
      assertThat(ids.getMinValues()).hasSize(1);
      assertThat(ids.getMinValues().get(0).getLong(0)).isZero();
      assertThat(ids.getMaxValues().get(0).getLong(0)).isEqualTo((FILES - 1) * 1000L + ROWS - 1);
    }
  }

  @Test
  void merge_joinsSmallPagesUpToThePageSizeWithEachPageStartingARow() throws IOException {
    List<MergeInput> inputs = writeInputs(Writing.plain());

    // A 4 KiB page takes three of the inputs' pages of ids (1,200 bytes each); the pages of the
    // other columns are smaller, and all six of the tags' fit in one.
    Path joined =
        MergeChecks.merge(
            inputs, WriteOptions.builder().pageBytes(4096).build(), directory, "joined");

    List<Integer> pages = pageCounts(joined);
    assertThat(pages.get(0)).isEqualTo(2);
    assertThat(pages).allSatisfy(count -> assertThat(count).isBetween(1, FILES - 1));
    MergeChecks.assertSameRows(inputs, joined);
    try (ParquetFileReader reader = MergeChecks.open(joined)) {
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        var offsets = reader.readOffsetIndex(chunk);
        for (int page = 0; page < offsets.getPageCount(); page++) {
          // input pages are never split: each joined page starts at an input file's first row
          assertThat(offsets.getFirstRowIndex(page) % ROWS).isZero();
        }
      }
    }
  }

  @Test
  void merge_dictionaryEncodesPlainNumbersThatRepeat() throws IOException {
    MessageType schema = READINGS;
    List<MergeInput> inputs =
        writePlainInputs(
            "readings",
            schema,
            (row, file, i, random) -> {
              row.append("id", (long) file * 1000 + i);
              if (i % 9 != 0) {
                row.append("reading", random.nextInt(40) * 0.5);
              }
              row.append("level", random.nextInt(7) - 3);
            });

    // 900 unique ids stay plain (carried); 40 readings and 7 levels get a dictionary each.
    assertDictionariesWhere(inputs, false, true, true);
  }

  @Test
  void merge_dictionaryEncodesPlainStringsThatRepeat() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            """
            message events {
              required binary trace (STRING);
              optional binary service (STRING);
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
              optional binary payload;
            }
            """);
    List<MergeInput> inputs =
        writePlainInputs(
            "events",
            schema,
            (row, file, i, random) -> {
              row.append("trace", "trace-" + file + "-" + i);
              if (i % 9 != 0) {
                row.append("service", "service-" + random.nextInt(6));
              }
              if (i % 4 != 0) {
                Group tags = row.addGroup("tags");
                for (int tag = 0; tag < i % 3; tag++) {
                  Group element = tags.addGroup("list");
                  if (tag != 1) {
                    element.append("element", tag == 0 ? "" : "tag-" + random.nextInt(4));
                  }
                }
              }
              // bytes, not text, from 0 to 255: a dictionary's entries are compared as bytes, as
              // its statistics are
              byte first = (byte) (i % 16 * 17);
              row.append(
                  "payload", Binary.fromConstantByteArray(new byte[] {first, -1, 0, 7, 7, first}));
            });

    // 900 unique traces stay plain (carried); services, tags and payloads get a dictionary each.
    assertDictionariesWhere(inputs, false, true, true, true);

    // Without string dictionaries every string chunk is carried, as stored.
    Path carried =
        MergeChecks.merge(
            inputs, WriteOptions.builder().stringDictionaries(false).build(), directory, "carried");
    assertThat(MergeChecks.onlyRowGroup(carried).getColumns())
        .extracting(ColumnChunkMetaData::hasDictionaryPage)
        .containsOnly(false);
    MergeChecks.assertSameRows(inputs, carried);
  }

  /** 600 distinct strings, more than the table of them starts with, some alike in their start. */
  @Test
  void merge_dictionaryEncodesStringsOfHundredsOfDistinctValues() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType("message m { optional binary path (STRING); }");
    List<MergeInput> inputs =
        writePlainInputs(
            "paths",
            schema,
            700,
            (row, file, i, random) -> {
              int path = random.nextInt(600);
              if (path % 50 != 0) {
                row.append("path", path % 3 == 0 ? "/api/v1/items/" + path : "p" + path);
              }
            });

    BothWays merged = mergeBothWays(inputs);

    ColumnChunkMetaData chunk = merged.encodedChunks().get(0);
    assertThat(chunk.hasDictionaryPage()).isTrue();
    assertThat(chunk.getStatistics()).isEqualTo(merged.plainChunks().get(0).getStatistics());
    MergeChecks.assertSameRows(inputs, merged.encoded());
    assertThat(MergeChecks.fingerprint(merged.encoded()))
        .isEqualTo(MergeChecks.fingerprint(merged.plain()));
  }

  /**
   * Strings that repeat in the first output row group only: it gets a dictionary; the second is
   * carried, and so is the third, not tried again.
   */
  @Test
  void merge_carriesStringsOnceARowGroupFindsThemRepeatingTooLittle() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType("message m { required binary name (STRING); }");
    List<MergeInput> inputs =
        writePlainInputs(
            "names",
            schema,
            (row, file, i, random) ->
                row.append("name", file < 2 ? "name-" + i % 5 : "name-" + file + "-" + i));

    Path output =
        MergeChecks.merge(
            inputs, WriteOptions.builder().rowGroupRows(2 * ROWS).build(), directory, "out");

    try (ParquetFileReader reader = MergeChecks.open(output)) {
      assertThat(reader.getRowGroups())
          .extracting(rowGroup -> rowGroup.getColumns().get(0).hasDictionaryPage())
          .containsExactly(true, false, false);
    }
    MergeChecks.assertSameRows(inputs, output);
  }

  /**
   * Two number columns whose values overlap, each dictionary-encoded with entries of its own in row
   * group after row group: the distinct values found for one column must not be taken for the
   * next's (the table of them is emptied and reused).
   */
  @Test
  @Timeout(60)
  void merge_dictionaryEncodesEachNumberColumnWithItsOwnEntries() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required int64 wide; required int64 narrow; }");
    List<MergeInput> inputs =
        writePlainInputs(
            "overlapping",
            schema,
            (row, file, i, random) ->
                row.append("wide", (long) random.nextInt(40))
                    .append("narrow", (long) (39 - random.nextInt(7))));

    Path encoded =
        MergeChecks.merge(
            inputs, WriteOptions.builder().rowGroupRows(ROWS * 2).build(), directory, "encoded");

    try (ParquetFileReader reader = MergeChecks.open(encoded)) {
      assertThat(reader.getRowGroups()).hasSize(FILES / 2);
      for (var rowGroup : reader.getRowGroups()) {
        assertThat(rowGroup.getColumns())
            .extracting(ColumnChunkMetaData::hasDictionaryPage)
            .containsExactly(true, true);
      }
    }
    MergeChecks.assertSameRows(inputs, encoded);
  }

  @Test
  void merge_dictionaryEncodesNumbersSomeOfWhoseChunksHaveADictionary() throws IOException {
    MessageType schema = READINGS;
    // File 0 dictionary-encoded, 1 to 4 plain, and 5 with pages of 20 rows and a dictionary page
    // so limited that it falls back to plain part of the way through its chunk. Most values are in
    // plain chunks: re-encoded value by value, the column would get no dictionary.
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.local(directory.resolve("mixed-" + file + ".parquet"));
      var builder =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(schema)
              .withDictionaryEncoding(file == 0 || file == 5)
              .withCompressionCodec(CompressionCodecName.GZIP);
      if (file == 5) {
        builder.withPageRowCountLimit(20).withDictionaryPageSize(96);
      }
      try (ParquetWriter<Group> writer = builder.build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Random random = new Random(file);
        for (int i = 0; i < ROWS; i++) {
          Group row = groups.newGroup().append("id", (long) file * 1000 + i);
          if (i % 9 != 0) {
            // file 5: three values in its first pages, then 40, more than its dictionary takes
            int values = file == 5 && i < 100 ? 3 : 40;
            row.append("reading", random.nextInt(values) * 0.5);
          }
          row.append("level", random.nextInt(7) - 3);
          writer.write(row);
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    EncodingStats fallBack =
        Footer.read(inputs.get(5).file()).rowGroups().get(0).getColumns().get(1).getEncodingStats();
    assertThat(fallBack.hasDictionaryEncodedPages()).isTrue();
    assertThat(fallBack.hasNonDictionaryEncodedPages()).isTrue();

    Path merged = MergeChecks.merge(inputs, WriteOptions.builder().build(), directory, "merged");
    Path reencoded = MergeChecks.merge(inputs, WriteOptions.Pages.REENCODE, directory, "reencoded");

    List<ColumnChunkMetaData> chunks = MergeChecks.onlyRowGroup(merged).getColumns();
    List<ColumnChunkMetaData> expected = MergeChecks.onlyRowGroup(reencoded).getColumns();
    assertThat(chunks.get(1).hasDictionaryPage()).isTrue();
    assertThat(chunks.get(2).hasDictionaryPage()).isTrue();
    assertThat(expected.get(1).hasDictionaryPage()).isFalse();
    assertThat(expected.get(2).hasDictionaryPage()).isFalse();
    assertThat(chunks.get(1).getTotalSize()).isLessThan(expected.get(1).getTotalSize());
    for (int column = 0; column < 3; column++) {
      assertThat(chunks.get(column).getStatistics())
          .isEqualTo(expected.get(column).getStatistics());
    }
    MergeChecks.assertSameRows(inputs, merged);
    assertThat(MergeChecks.fingerprint(merged)).isEqualTo(MergeChecks.fingerprint(reencoded));
  }

  @Test
  void merge_countsEveryNaNOfADictionaryEncodedColumn() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required int64 id; optional double reading; optional float level; }");
    List<MergeInput> inputs =
        writePlainInputs(
            "nan",
            schema,
            (row, file, i, random) -> {
              row.append("id", (long) file * 1000 + i);
              if (i % 7 != 0) {
                row.append("reading", i % 3 == 0 ? Double.NaN : (i % 10) * 0.5);
                row.append("level", i % 3 == 0 ? Float.NaN : (i % 5) * 0.5f);
              }
            });

    BothWays merged = mergeBothWays(inputs);

    // One NaN entry in each dictionary, used by 252 values: the count is of values, not entries.
    List<ColumnChunkMetaData> encodedChunks = merged.encodedChunks();
    List<ColumnChunkMetaData> plainChunks = merged.plainChunks();
    for (int column = 1; column < 3; column++) {
      assertThat(encodedChunks.get(column).hasDictionaryPage()).isTrue();
      assertThat(encodedChunks.get(column).getStatistics().getNanCount())
          .isEqualTo(plainChunks.get(column).getStatistics().getNanCount())
          .isEqualTo(FILES * 42L);
    }
    MergeChecks.assertSameRows(inputs, merged.encoded());
  }

  @Test
  void merge_reencodesChunksWhoseStatisticsHaveNoBounds() throws IOException {
    List<MergeInput> written = writeInputs(Writing.plain());
    // The footers of the ids' chunks keep their null counts but lose their bounds, as writers
    // leave out bounds they find too long.
    List<MergeInput> inputs = new ArrayList<>();
    for (MergeInput input : written) {
      Location location = input.file().location();
      byte[] bytes = java.nio.file.Files.readAllBytes(location.toLocalPath());
      byte[] rewritten =
          TestFiles.withFooter(
              bytes,
              metadata -> {
                for (var rowGroup : metadata.getRow_groups()) {
                  var statistics = rowGroup.getColumns().get(0).getMeta_data().getStatistics();
                  statistics.unsetMin_value();
                  statistics.unsetMax_value();
                  statistics.unsetMin();
                  statistics.unsetMax();
                }
              });
      java.nio.file.Files.write(location.toLocalPath(), rewritten);
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }

    Path merged = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "merged");

    // Carried, the ids' chunk would have merged statistics without bounds for values that exist;
    // re-encoded, it has bounds over every id.
    var ids = MergeChecks.onlyRowGroup(merged).getColumns().get(0).getStatistics();
    assertThat(ids.hasNonNullValue()).isTrue();
    assertThat(ids.genericGetMin()).isEqualTo(0L);
    assertThat(ids.genericGetMax()).isEqualTo((FILES - 1) * 1000L + ROWS - 1);
    assertThat(pageCounts(merged).get(0)).isEqualTo(1);
    MergeChecks.assertSameRows(inputs, merged);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void merge_namesTheInputWhoseLevelsAreDamagedWhicheverPathTheColumnTakes(boolean dictionary)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required int64 id; optional int32 level; }");
    List<Path> paths = new ArrayList<>();
    for (int file = 0; file < 3; file++) {
      Path path = directory.resolve("levels-" + file + ".parquet");
      paths.add(path);
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(
                  new ParquetOutputFile(storage.newOutputFile(Location.local(path))))
              .withType(schema)
              .withDictionaryEncoding(false)
              .withPageWriteChecksumEnabled(false)
              .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        for (int i = 0; i < 100; i++) {
          Group row = groups.newGroup().append("id", (long) file * 1000 + i);
          if (i % 3 != 0) {
            row.append("level", i % 5);
          }
          writer.write(row);
        }
      }
    }
    // The second file's 'level' page says its definition levels are 2 GB long; nothing (no
    // checksum, no codec) catches it before the levels are read.
    long offset;
    try (ParquetFileReader reader = MergeChecks.open(paths.get(1))) {
      offset = reader.getRowGroups().get(0).getColumns().get(1).getFirstDataPageOffset();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(paths.get(1));
    var header = new java.io.ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    org.apache.parquet.format.Util.readPageHeader(header);
    int levels = bytes.length - header.available();
    bytes[levels] = (byte) 0xFF;
    bytes[levels + 1] = (byte) 0xFF;
    bytes[levels + 2] = (byte) 0xFF;
    bytes[levels + 3] = (byte) 0x7F;
    java.nio.file.Files.write(paths.get(1), bytes);
    List<MergeInput> inputs = new ArrayList<>();
    for (Path path : paths) {
      Location location = Location.local(path);
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    ParquetMerger merger =
        new ParquetMerger(
            WriteOptions.builder()
                .codec(Codec.UNCOMPRESSED)
                .dictionaryEncoding(dictionary)
                .build());

    // An InvalidParquetFileException naming the file is what lets a bin leave it out and go on.
    assertThatThrownBy(
            () ->
                merger.merge(
                    inputs,
                    storage.newOutputFile(Location.local(directory.resolve("out.parquet"))),
                    MergeListener.NONE))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(paths.get(1).toString());
  }

  /** The same inputs merged as by default and without dictionaries, each into one row group. */
  private record BothWays(Path encoded, Path plain) {
    List<ColumnChunkMetaData> encodedChunks() throws IOException {
      return MergeChecks.onlyRowGroup(encoded).getColumns();
    }

    List<ColumnChunkMetaData> plainChunks() throws IOException {
      return MergeChecks.onlyRowGroup(plain).getColumns();
    }
  }

  private BothWays mergeBothWays(List<MergeInput> inputs) throws IOException {
    return new BothWays(
        MergeChecks.merge(inputs, WriteOptions.builder().build(), directory, "encoded"),
        MergeChecks.merge(
            inputs, WriteOptions.builder().dictionaryEncoding(false).build(), directory, "plain"));
  }

  /**
   * Merges {@code inputs} both ways and checks that exactly the columns {@code dictionary} says get
   * a dictionary, each smaller than without, every column with the same statistics, and the same
   * rows and fingerprint.
   */
  private void assertDictionariesWhere(List<MergeInput> inputs, Boolean... dictionary)
      throws IOException {
    BothWays merged = mergeBothWays(inputs);
    List<ColumnChunkMetaData> encodedChunks = merged.encodedChunks();
    List<ColumnChunkMetaData> plainChunks = merged.plainChunks();
    assertThat(encodedChunks)
        .extracting(ColumnChunkMetaData::hasDictionaryPage)
        .containsExactly(dictionary);
    for (int column = 0; column < dictionary.length; column++) {
      assertThat(encodedChunks.get(column).getStatistics())
          .as("column %d", column)
          .isEqualTo(plainChunks.get(column).getStatistics());
      if (dictionary[column]) {
        assertThat(encodedChunks.get(column).getTotalSize())
            .as("column %d", column)
            .isLessThan(plainChunks.get(column).getTotalSize());
      }
    }
    MergeChecks.assertSameRows(inputs, merged.encoded());
    assertThat(MergeChecks.fingerprint(merged.encoded()))
        .isEqualTo(MergeChecks.fingerprint(merged.plain()));
  }

  /** Fills one row of a test file: its {@code i}th row of file {@code file}. */
  private interface RowFiller {
    void fill(Group row, int file, int i, Random random);
  }

  /**
   * Writes {@value #FILES} plain (no dictionary), snappy files of {@value #ROWS} rows, filled by
   * {@code filler} with a random source seeded by the file's number.
   */
  private List<MergeInput> writePlainInputs(String name, MessageType schema, RowFiller filler)
      throws IOException {
    return writePlainInputs(name, schema, ROWS, filler);
  }

  private List<MergeInput> writePlainInputs(
      String name, MessageType schema, int rows, RowFiller filler) throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.local(directory.resolve(name + "-" + file + ".parquet"));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(schema)
              .withDictionaryEncoding(false)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Random random = new Random(file);
        for (int i = 0; i < rows; i++) {
          Group row = groups.newGroup();
          filler.fill(row, file, i, random);
          writer.write(row);
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }

  private List<MergeInput> writeInputs(Writing writing, String... dictionaryColumns)
      throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Path path = directory.resolve("in-" + file + ".parquet");
      Location location = Location.local(path);
      var builder =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(SCHEMA)
              .withDictionaryEncoding(writing.dictionary())
              .withCompressionCodec(writing.codec())
              .withWriterVersion(writing.version());
      for (String column : dictionaryColumns) {
        builder.withDictionaryEncoding(column, true);
      }
      boolean nameDictionary = writing.dictionary() || List.of(dictionaryColumns).contains("name");
      try (ParquetWriter<Group> writer = builder.build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        for (int i = 0; i < ROWS; i++) {
          Group row = groups.newGroup().append("id", (long) file * 1000 + i);
          // Values distinct in every row, so that no dictionary pays and they are carried, as the
          // tests expect (strings and numbers that repeat get one); names repeat where the writer
          // is to give them a dictionary, which it keeps only where it pays.
          if (i % 7 != 0) {
            row.append("name", "name-" + (nameDictionary ? i % 11 : file * 1000 + i));
          }
          if (i % 5 != 0) {
            row.append("score", file * 1000 + i * 0.25);
          }
          if (i % 4 != 0) {
            Group tags = row.addGroup("tags");
            for (int tag = 0; tag < i % 3; tag++) {
              Group element = tags.addGroup("list");
              if (tag != 1) {
                element.append("element", "t" + (file * 1000 + i) + "-" + tag);
              }
            }
          }
          writer.write(row);
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }

  /** The data pages of each column chunk of the file's only row group, from its offset index. */
  private static List<Integer> pageCounts(Path file) throws IOException {
    try (ParquetFileReader reader = MergeChecks.open(file)) {
      assertThat(reader.getRowGroups()).hasSize(1);
      List<Integer> counts = new ArrayList<>();
      for (ColumnChunkMetaData chunk : reader.getRowGroups().get(0).getColumns()) {
        counts.add(reader.readOffsetIndex(chunk).getPageCount());
      }
      return counts;
    }
  }
}
