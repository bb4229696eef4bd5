package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionary merge: dictionary-encoded inputs come out dictionary-encoded, with the values,
 * statistics and row fingerprints that re-encoding value by value gives.
 */
class DictionaryMergeTest {
  private static final int FILES = 5;
  private static final int ROWS = 9_000;

  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  @Test
  void merge_mergesDictionariesWithTheValuesAndStatisticsOfReencoding() throws IOException {
    List<MergeInput> inputs = writeInputs();

    Path merged = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "merged");
    Path reencoded = MergeChecks.merge(inputs, WriteOptions.Pages.REENCODE, directory, "reencoded");

    List<ColumnChunkMetaData> mergedChunks = MergeChecks.onlyRowGroup(merged).getColumns();
    List<ColumnChunkMetaData> reencodedChunks = MergeChecks.onlyRowGroup(reencoded).getColumns();
    List<ColumnChunkMetaData> inputChunks =
        MergeChecks.onlyRowGroup(MergeChecks.pathOf(inputs.get(0))).getColumns();
    List<String> dictionaryMerges = new ArrayList<>();
    for (int column = 0; column < mergedChunks.size(); column++) {
      ColumnChunkMetaData chunk = mergedChunks.get(column);
      assertThat(chunk.getStatistics())
          .as("statistics of %s", chunk.getPath())
          .isEqualTo(reencodedChunks.get(column).getStatistics());
      assertThat(chunk.getValueCount()).isEqualTo(reencodedChunks.get(column).getValueCount());
      ColumnChunkMetaData input = inputChunks.get(column);
      if (DictionaryMerge.isCandidate(
          ChunkMetadata.of(input), input.getPrimitiveType().getPrimitiveTypeName())) {
        dictionaryMerges.add(chunk.getPath().toDotString());
        assertThat(chunk.hasDictionaryPage()).isTrue();
        assertThat(chunk.getEncodingStats().hasNonDictionaryEncodedPages()).isFalse();
        // pages of at most 20,000 rows, as parquet-java cuts them
        assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(Encoding.PLAIN_DICTIONARY))
            .isEqualTo((FILES * ROWS + DictionaryMerge.PAGE_ROWS - 1) / DictionaryMerge.PAGE_ROWS);
      }
    }
    // numbers, strings, and a repeated column among them
    assertThat(dictionaryMerges).contains("small", "label", "pairs.key");
    MergeChecks.assertSameRows(inputs, merged);
  }

  /** Files of the wide schema, each with a different part of the rows, so dictionaries differ. */
  private List<MergeInput> writeInputs() throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.local(directory.resolve("in-" + file + ".parquet"));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(ColumnHasherTest.SCHEMA)
              .withDictionaryEncoding(true)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
        for (int i = 0; i < ROWS; i++) {
          writer.write(ColumnHasherTest.row(groups, i * FILES + file));
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }

  @Test
  void encodePlain_readsAPageUpToItsSizeInAnArrayThatGoesOn() {
    byte[] page = plainStringsPage(9, 2);
    byte[] array = Arrays.copyOf(page, page.length + 64);
    Arrays.fill(array, page.length, array.length, (byte) 'x');

    Optional<DictionaryMerge> encoded = encodePlainOf(array, page.length, 9);

    assertThat(encoded).isPresent();
  }

  @Test
  void encodePlain_refusesAValueThatRunsPastItsPageThoughNotPastTheArray() {
    // the last value's length says 3 where the page holds 2 bytes of it: the third byte would be
    // the 'x' after the page, in an array reused from a larger page (PageArrays)
    byte[] page = plainStringsPage(9, 2);
    page[page.length - 6] = 3;
    byte[] array = Arrays.copyOf(page, page.length + 64);
    Arrays.fill(array, page.length, array.length, (byte) 'x');

    assertThatThrownBy(() -> encodePlainOf(array, page.length, 9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run past its end");
  }

  @Test
  void encodePlain_refusesNumbersThatRunPastTheirPageThoughNotPastTheArray() {
    // nine present INT64 values, the page cut 4 bytes into the last: the array goes on past it
    int count = 9;
    int[] definitions = new int[count];
    Arrays.fill(definitions, 1);
    HybridEncoder encoder = new HybridEncoder().encode(definitions, count, 1);
    ByteBuffer whole = ByteBuffer.allocate(4 + encoder.size() + count * 8 + 64);
    whole.order(ByteOrder.LITTLE_ENDIAN);
    whole.putInt(encoder.size()).put(encoder.bytes(), 0, encoder.size());
    for (int i = 0; i < count + 8; i++) {
      whole.putLong(7);
    }
    int size = 4 + encoder.size() + count * 8 - 4;
    ColumnDescriptor descriptor =
        new ColumnDescriptor(
            new String[] {"n"}, Types.optional(PrimitiveTypeName.INT64).named("n"), 0, 1);
    DataPageV1 page =
        new DataPageV1(
            BytesInput.from(whole.array(), 0, size),
            count,
            size,
            Statistics.createStats(descriptor.getPrimitiveType()),
            Encoding.RLE,
            Encoding.RLE,
            Encoding.PLAIN);

    assertThatThrownBy(
            () ->
                DictionaryMerge.encodePlain(
                    descriptor,
                    List.of(new PageList(descriptor, null, List.of(page), count)),
                    count,
                    1 << 20,
                    new DictionaryMerge.Buffers()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run past its end");
  }

  @Test
  void read_refusesIndexesThatRunPastTheirPageThoughNotPastTheArray() {
    // a dictionary of two numbers; a page of four present values that ends after the indexes'
    // bit width, followed in its array by a stale run of four index 1s
    ColumnDescriptor descriptor =
        new ColumnDescriptor(
            new String[] {"n"}, Types.optional(PrimitiveTypeName.INT64).named("n"), 0, 1);
    ByteBuffer entries = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    entries.putLong(10).putLong(20);
    DictionaryPage dictionary =
        new DictionaryPage(BytesInput.from(entries.array()), 2, Encoding.PLAIN_DICTIONARY);
    int[] definitions = {1, 1, 1, 1};
    HybridEncoder encoder = new HybridEncoder().encode(definitions, 4, 1);
    int levels = 4 + encoder.size();
    int size = levels + 1;
    ByteBuffer array = ByteBuffer.allocate(size + 64).order(ByteOrder.LITTLE_ENDIAN);
    array.putInt(encoder.size()).put(encoder.bytes(), 0, encoder.size());
    array.put((byte) 1); // the bit width, the page's last byte
    array.put((byte) (4 << 1)).put((byte) 1); // past the page: an RLE run of four 1s
    DataPageV1 page =
        new DataPageV1(
            BytesInput.from(array.array(), 0, size),
            4,
            size,
            Statistics.createStats(descriptor.getPrimitiveType()),
            Encoding.RLE,
            Encoding.RLE,
            Encoding.RLE_DICTIONARY);

    assertThatThrownBy(
            () ->
                DictionaryMerge.read(
                    descriptor,
                    List.of(new PageList(descriptor, dictionary, List.of(page), 4)),
                    1 << 20,
                    new DictionaryMerge.Buffers()))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * A V1 page of an optional string column: {@code count} present values "ab" (the last with a
   * length of {@code lastLength} before its two bytes), after their definition levels.
   */
  private static byte[] plainStringsPage(int count, int lastLength) {
    int[] definitions = new int[count];
    Arrays.fill(definitions, 1);
    HybridEncoder encoder = new HybridEncoder().encode(definitions, count, 1);
    ByteBuffer page = ByteBuffer.allocate(4 + encoder.size() + count * 6);
    page.order(ByteOrder.LITTLE_ENDIAN);
    page.putInt(encoder.size()).put(encoder.bytes(), 0, encoder.size());
    for (int i = 0; i < count; i++) {
      page.putInt(i == count - 1 ? lastLength : 2).put((byte) 'a').put((byte) 'b');
    }
    return page.array();
  }

  /**
   * {@link DictionaryMerge#encodePlain} of one page, the first {@code size} bytes of {@code array}.
   */
  private static Optional<DictionaryMerge> encodePlainOf(byte[] array, int size, int values) {
    ColumnDescriptor descriptor =
        new ColumnDescriptor(
            new String[] {"s"}, Types.optional(PrimitiveTypeName.BINARY).named("s"), 0, 1);
    DataPageV1 page =
        new DataPageV1(
            BytesInput.from(array, 0, size),
            values,
            size,
            Statistics.createStats(descriptor.getPrimitiveType()),
            Encoding.RLE,
            Encoding.RLE,
            Encoding.PLAIN);
    return DictionaryMerge.encodePlain(
        descriptor,
        List.of(new PageList(descriptor, null, List.of(page), values)),
        values,
        1 << 20,
        new DictionaryMerge.Buffers());
  }
}
