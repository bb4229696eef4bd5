package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output column chunks carried over verbatim are verified by their pages' bytes: which chunks are,
 * that the read-back finds a changed byte, and that the inputs' pages are still checked.
 */
class VerbatimVerificationTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message events {
            required int64 id;
            optional binary name (STRING);
            optional group tags (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
          }
          """);

  /** Carried over, not joined, numbers not tried with a dictionary. */
  private static final WriteOptions CARRY =
      WriteOptions.builder().smallPageBytes(0).dictionaryEncoding(false).build();

  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  @Test
  void merge_reportsTheChunksItCarriedOverVerbatimAndVerifiesThemByTheirBytes() throws IOException {
    List<MergeInput> inputs = writeInputs(CompressionCodecName.SNAPPY);

    MergeResult verbatim = merge(inputs, CARRY, "verbatim");
    MergeResult filtered =
        merge(
            inputs,
            WriteOptions.builder()
                .smallPageBytes(0)
                .dictionaryEncoding(false)
                .bloomFilterColumns(List.of("name"))
                .build(),
            "filtered");
    MergeResult joined =
        merge(inputs, WriteOptions.builder().dictionaryEncoding(false).build(), "joined");

    assertThat(verbatim.verbatim().toString()).isEqualTo("0:0,1,2");
    assertThat(filtered.verbatim().toString())
        .as("a bloom filter takes the values")
        .isEqualTo("0:0,2");
    assertThat(joined.verbatim()).as("joined pages are new").isEqualTo(VerbatimChunks.NONE);
    RowFingerprint rows = inputRows(inputs);
    for (MergeResult result : List.of(verbatim, filtered, joined)) {
      assertThat(readBack(result.location(), result.verbatim())).isEqualTo(result.fingerprint());
      assertThat(RowFingerprint.of(storage.newInputFile(result.location()))).isEqualTo(rows);
    }
    assertThat(verbatim.fingerprint()).as("positional").isNotEqualTo(rows);
    assertThat(joined.fingerprint()).isEqualTo(rows);
  }

  @Test
  void readBack_findsAByteChangedInAVerbatimChunk() throws IOException {
    List<MergeInput> inputs = writeInputs(CompressionCodecName.UNCOMPRESSED);
    MergeResult result =
        merge(
            inputs,
            WriteOptions.builder()
                .codec(Codec.UNCOMPRESSED)
                .smallPageBytes(0)
                .dictionaryEncoding(false)
                .build(),
            "changed");
    assertThat(result.verbatim().contains(0, 1)).isTrue();
    assertThat(readBack(result.location(), result.verbatim())).isEqualTo(result.fingerprint());
    Path output = result.location().toLocalPath();
    byte[] bytes = Files.readAllBytes(output);
    int body = firstPageBody(output, bytes, 1);
    int size = pageHeader(bytes, output, 1).getCompressed_page_size();
    // bits of the page's last 8 bytes (values), flipped so that its checksum still holds
    CRC32 before = new CRC32();
    before.update(bytes, body, size);
    flipKeepingCrc(bytes, body + size - 8);
    CRC32 after = new CRC32();
    after.update(bytes, body, size);
    assertThat(after.getValue()).isEqualTo(before.getValue());
    Files.write(output, bytes);

    assertThat(readBack(result.location(), result.verbatim())).isNotEqualTo(result.fingerprint());
  }

  /**
   * A page of {@code name}, and one of the repeated {@code tags}, whose pages are decompressed as
   * they are read, to count their rows, and checked then: in a row group of its own, the second,
   * after one whose {@code tags} went verbatim.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void merge_namesACarriedInputWhoseValuesRunPastTheirPage(int column) throws IOException {
    List<MergeInput> inputs = writeInputs(CompressionCodecName.UNCOMPRESSED);
    Path damaged = inputs.get(1).file().location().toLocalPath();
    byte[] bytes = Files.readAllBytes(damaged);
    // the first value says it is 268 MB long
    int firstLength = firstValue(bytes, firstPageBody(damaged, bytes, column), column);
    bytes[firstLength] = (byte) 0xFF;
    bytes[firstLength + 1] = (byte) 0xFF;
    bytes[firstLength + 2] = (byte) 0xFF;
    bytes[firstLength + 3] = (byte) 0x0F;
    Files.write(damaged, bytes);

    assertThatThrownBy(
            () ->
                merge(
                    reopened(inputs),
                    WriteOptions.builder()
                        .codec(Codec.UNCOMPRESSED)
                        .smallPageBytes(0)
                        .dictionaryEncoding(false)
                        .rowGroupRows(50)
                        .build(),
                    "damaged"))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(damaged.toString())
        .hasMessageContaining("run past");
  }

  @ParameterizedTest
  @ValueSource(strings = {"verbatim", "joined", "reencoded", "dictionary", "merged"})
  void merge_namesAnInputWhoseColumnChunkHoldsOtherRowsThanItsRowGroup(String way)
      throws IOException {
    // Each row group says 100 rows, meant as (a=i, b=i); the first input's column a has one
    // value too many, the second's one too few: the totals agree, the rows would be shifted.
    // "dictionary": plain numbers that repeat, tried with a dictionary; "merged": dictionary
    // pages, whose dictionaries are merged.
    boolean repeat = way.equals("dictionary") || way.equals("merged");
    boolean dictionaryPages = way.equals("merged");
    Location first =
        writeColumns("first", values(0, 101, repeat), values(0, 100, repeat), dictionaryPages);
    Location second =
        writeColumns(
            "second", values(1001, 99, repeat), values(1000, 100, repeat), dictionaryPages);
    WriteOptions.Builder options =
        WriteOptions.builder().codec(Codec.UNCOMPRESSED).dictionaryEncoding(repeat);
    switch (way) {
      case "verbatim" -> options.smallPageBytes(0);
      case "reencoded" -> options.pages(WriteOptions.Pages.REENCODE);
      default -> {}
    }
    List<MergeInput> inputs = new ArrayList<>();
    for (Location input : List.of(first, second)) {
      Footer footer = Footer.read(storage.newInputFile(input));
      inputs.add(new MergeInput(storage.newInputFile(input), footer.layout(), Optional.empty()));
    }

    assertThatThrownBy(() -> merge(inputs, options.build(), way))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("101 rows");
  }

  @Test
  void merge_namesAnInputWhoseChunkHoldsAnExtraRowThatRowsLeftOutWouldHide() throws IOException {
    // 101 values of a in a row group of 100 rows; the row past the end is "left out", so that
    // the rows kept add up (100) while the chunk holds one row too many
    Location first = writeColumns("first", values(0, 101, false), values(0, 100, false), false);
    Location second =
        writeColumns("second", values(1000, 100, false), values(1000, 100, false), false);
    BitSet skip = new BitSet();
    skip.set(100);
    List<MergeInput> inputs = new ArrayList<>();
    for (Location input : List.of(first, second)) {
      Footer footer = Footer.read(storage.newInputFile(input));
      inputs.add(
          new MergeInput(
              storage.newInputFile(input),
              footer.layout(),
              input == first ? Optional.of(skip) : Optional.empty()));
    }

    assertThatThrownBy(() -> merge(inputs, WriteOptions.defaults(), "skipped"))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("101 rows");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void merge_namesAnInputWhoseChunkStartsWithinARow(boolean dictionary) throws IOException {
    // the second file's first xs value says it continues a row before: it would join the first
    // file's last row, while every chunk holds its row group's 3 rows
    Location first =
        writeRepeated("first", new long[] {0, 1, 2}, new long[] {10, 11, 12}, new int[] {0, 0, 0});
    Location second =
        writeRepeated(
            "second",
            new long[] {1000, 1001, 1002},
            new long[] {99, 20, 21, 22},
            new int[] {1, 0, 0, 0});
    List<MergeInput> inputs = new ArrayList<>();
    for (Location input : List.of(first, second)) {
      Footer footer = Footer.read(storage.newInputFile(input));
      inputs.add(new MergeInput(storage.newInputFile(input), footer.layout(), Optional.empty()));
    }
    WriteOptions options =
        WriteOptions.builder().codec(Codec.UNCOMPRESSED).dictionaryEncoding(dictionary).build();

    assertThatThrownBy(() -> merge(inputs, options, "within"))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(second.toString())
        .hasMessageContaining("starts within a row");
  }

  /**
   * A file of one row group of {@code ids.length} rows: a required INT64 id, and a repeated INT64
   * xs of the values and repetition levels given, each in one uncompressed PLAIN page.
   */
  private Location writeRepeated(String name, long[] ids, long[] xs, int[] repetitions)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType("message m { required int64 id; repeated int64 xs; }");
    Location location = Location.local(directory.resolve(name + ".parquet"));
    ParquetFileWriter writer = startFile(location, schema);
    writer.startBlock(ids.length);
    LongStatistics idStatistics = new LongStatistics();
    for (long id : ids) {
      idStatistics.updateStats(id);
    }
    writer.startColumn(schema.getColumns().get(0), ids.length, CompressionCodecName.UNCOMPRESSED);
    byte[] idPage = plain(ids);
    writer.writeDataPage(
        ids.length,
        idPage.length,
        BytesInput.from(idPage),
        idStatistics,
        ids.length,
        Encoding.BIT_PACKED,
        Encoding.BIT_PACKED,
        Encoding.PLAIN);
    writer.endColumn();
    LongStatistics xsStatistics = new LongStatistics();
    int[] definitions = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      xsStatistics.updateStats(xs[i]);
      definitions[i] = 1;
    }
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    page.writeBytes(rleLevels(repetitions));
    page.writeBytes(rleLevels(definitions));
    page.writeBytes(plain(xs));
    writer.startColumn(schema.getColumns().get(1), xs.length, CompressionCodecName.UNCOMPRESSED);
    writer.writeDataPage(
        xs.length,
        page.size(),
        BytesInput.from(page.toByteArray()),
        xsStatistics,
        ids.length,
        Encoding.RLE,
        Encoding.RLE,
        Encoding.PLAIN);
    writer.endColumn();
    writer.endBlock();
    writer.end(new HashMap<>());
    return location;
  }

  /** A file writer of {@code schema} to {@code location}, started. */
  private ParquetFileWriter startFile(Location location, MessageType schema) throws IOException {
    ParquetFileWriter writer =
        new ParquetFileWriter(
            new ParquetOutputFile(storage.newOutputFile(location)),
            schema,
            ParquetFileWriter.Mode.CREATE,
            128 << 20,
            0);
    writer.start();
    return writer;
  }

  /** Levels of bit width 1 as a V1 page holds them: their length, then a run of one per level. */
  private static byte[] rleLevels(int[] levels) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    for (int level : levels) {
      runs.write(1 << 1);
      runs.write(level);
    }
    ByteBuffer bytes = ByteBuffer.allocate(4 + runs.size()).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putInt(runs.size());
    bytes.put(runs.toByteArray());
    return bytes.array();
  }

  /** {@code count} numbers from {@code from}, each one more, or four that repeat. */
  private static long[] values(long from, int count, boolean repeat) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = from + (repeat ? i % 4 : i);
    }
    return values;
  }

  /**
   * A file of one row group that says 100 rows, of two required INT64 columns written as given,
   * each in one uncompressed page: PLAIN, or dictionary-encoded, the dictionary of the column's
   * distinct values in the order they come.
   */
  private Location writeColumns(String name, long[] a, long[] b, boolean dictionaryPages)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType("message m { required int64 a; required int64 b; }");
    Location location = Location.local(directory.resolve(name + ".parquet"));
    ParquetFileWriter writer = startFile(location, schema);
    writer.startBlock(100);
    for (int column = 0; column < 2; column++) {
      long[] values = column == 0 ? a : b;
      LongStatistics statistics = new LongStatistics();
      for (long value : values) {
        statistics.updateStats(value);
      }
      writer.startColumn(
          schema.getColumns().get(column), values.length, CompressionCodecName.UNCOMPRESSED);
      byte[] page;
      Encoding encoding;
      if (dictionaryPages) {
        List<Long> entries = new ArrayList<>();
        ByteArrayOutputStream indexes = new ByteArrayOutputStream();
        indexes.write(2); // bit width
        for (long value : values) {
          if (!entries.contains(value)) {
            entries.add(value);
          }
          indexes.write(1 << 1); // a run of one index, in one byte
          indexes.write(entries.indexOf(value));
        }
        writer.writeDictionaryPage(
            new DictionaryPage(
                BytesInput.from(plain(entries.stream().mapToLong(Long::longValue).toArray())),
                entries.size(),
                Encoding.PLAIN_DICTIONARY));
        page = indexes.toByteArray();
        encoding = Encoding.PLAIN_DICTIONARY;
      } else {
        page = plain(values);
        encoding = Encoding.PLAIN;
      }
      writer.writeDataPage(
          values.length,
          page.length,
          BytesInput.from(page),
          statistics,
          values.length,
          Encoding.BIT_PACKED,
          Encoding.BIT_PACKED,
          encoding);
      writer.endColumn();
    }
    writer.endBlock();
    writer.end(new HashMap<>());
    return location;
  }

  private static byte[] plain(long[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      bytes.putLong(value);
    }
    return bytes.array();
  }

  private MergeResult merge(List<MergeInput> inputs, WriteOptions options, String name)
      throws IOException {
    Location output = Location.local(directory.resolve(name + ".c.parquet"));
    return new ParquetMerger(options)
        .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);
  }

  private RowFingerprint readBack(Location output, VerbatimChunks verbatim) throws IOException {
    return RowFingerprint.of(
        storage.newInputFile(output), ParquetMerger.DEFAULT_WINDOW_BYTES, verbatim);
  }

  private RowFingerprint inputRows(List<MergeInput> inputs) throws IOException {
    RowFingerprint rows = RowFingerprint.EMPTY;
    for (MergeInput input : inputs) {
      rows = rows.plus(RowFingerprint.of(input.file()));
    }
    return rows;
  }

  /** Where the body of the first data page of {@code column} starts in the file's bytes. */
  private static int firstPageBody(Path file, byte[] bytes, int column) throws IOException {
    long offset;
    try (ParquetFileReader reader = MergeChecks.open(file)) {
      offset = reader.getRowGroups().get(0).getColumns().get(column).getFirstDataPageOffset();
    }
    var header = new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    Util.readPageHeader(header);
    return bytes.length - header.available();
  }

  /**
   * Flips some of the 64 bits of {@code bytes[from, from + 8)}, at least one, such that the CRC-32
   * of any span holding them is unchanged: each bit's flip changes a span's CRC by a fixed 32-bit
   * vector (CRC is linear), and of 64 such vectors some XOR to zero, found by elimination.
   */
  private static void flipKeepingCrc(byte[] bytes, int from) {
    long[] deltas = new long[64];
    long[] sets = new long[64];
    CRC32 zeros = new CRC32();
    zeros.update(new byte[8]);
    for (int bit = 0; bit < 64; bit++) {
      byte[] single = new byte[8];
      single[bit / 8] = (byte) (1 << (bit % 8));
      CRC32 withBit = new CRC32();
      withBit.update(single);
      deltas[bit] = withBit.getValue() ^ zeros.getValue();
      sets[bit] = 1L << bit;
    }
    // Gaussian elimination over GF(2): each row keeps the set of flips that makes its delta
    int row = 0;
    for (int pivot = 0; pivot < 32; pivot++) {
      int found = -1;
      for (int candidate = row; candidate < 64 && found < 0; candidate++) {
        if ((deltas[candidate] >>> pivot & 1) != 0) {
          found = candidate;
        }
      }
      if (found < 0) {
        continue;
      }
      long delta = deltas[found];
      long set = sets[found];
      deltas[found] = deltas[row];
      sets[found] = sets[row];
      deltas[row] = delta;
      sets[row] = set;
      for (int other = 0; other < 64; other++) {
        if (other != row && (deltas[other] >>> pivot & 1) != 0) {
          deltas[other] ^= delta;
          sets[other] ^= set;
        }
      }
      row++;
    }
    // at most 32 pivots: the rows below them have a zero delta and a non-empty set
    for (int bit = 0; bit < 64; bit++) {
      if ((sets[63] >>> bit & 1) != 0) {
        bytes[from + bit / 8] ^= (byte) (1 << (bit % 8));
      }
    }
    assertThat(deltas[63]).isZero();
    assertThat(sets[63]).isNotZero();
  }

  private static PageHeader pageHeader(byte[] bytes, Path file, int column) throws IOException {
    long offset;
    try (ParquetFileReader reader = MergeChecks.open(file)) {
      offset = reader.getRowGroups().get(0).getColumns().get(column).getFirstDataPageOffset();
    }
    return Util.readPageHeader(
        new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset));
  }

  /**
   * Where the first value starts in a V1 page of {@link #SCHEMA}'s {@code column}: after its
   * definition levels, and for {@code tags} (2) its repetition levels before them.
   */
  private static int firstValue(byte[] bytes, int body, int column) {
    int position = body;
    for (int levels = 0; levels < (column == 2 ? 2 : 1); levels++) {
      position += 4 + ByteBuffer.wrap(bytes, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
    return position;
  }

  private List<MergeInput> reopened(List<MergeInput> inputs) throws IOException {
    List<MergeInput> reopened = new ArrayList<>();
    for (MergeInput input : inputs) {
      Location location = input.file().location();
      Footer footer = Footer.read(storage.newInputFile(location));
      reopened.add(
          new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return reopened;
  }

  /** Three plain files (no dictionaries, no checksums) of 50 rows each. */
  private List<MergeInput> writeInputs(CompressionCodecName codec) throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < 3; file++) {
      Location location = Location.local(directory.resolve("in-" + file + ".parquet"));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(SCHEMA)
              .withDictionaryEncoding(false)
              .withPageWriteChecksumEnabled(false)
              .withCompressionCodec(codec)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        for (int i = 0; i < 50; i++) {
          Group row = groups.newGroup().append("id", (long) file * 1000 + i);
          if (i % 7 != 0) {
            row.append("name", "n" + file + "-" + i);
          }
          Group tags = row.addGroup("tags");
          for (int tag = 0; tag < i % 3; tag++) {
            tags.addGroup("list").append("element", "t" + (i + tag) % 5);
          }
          writer.write(row);
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }
}
