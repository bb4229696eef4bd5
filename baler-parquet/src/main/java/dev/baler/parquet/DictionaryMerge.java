package dev.baler.parquet;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Merges dictionary-encoded input chunks into one dictionary-encoded output chunk without decoding
 * their values: the output dictionary holds every distinct entry of the input dictionaries once, in
 * order of first appearance; each input's dictionary indexes are mapped onto it; levels and indexes
 * are encoded again into V1 pages of at most {@value #PAGE_ROWS} rows, as parquet-java's writer
 * cuts them. Values are hashed through their dictionary entries, once per entry, and page
 * statistics are computed from the entries each page uses, so they are exact.
 *
 * <p>Applies when every input chunk is dictionary-encoded throughout (no page fell back to plain
 * encoding), with V1 pages and RLE levels, and the merged dictionary fits {@code
 * maxDictionaryBytes}; otherwise {@link #read} says no and the column is re-encoded value by value.
 */
final class DictionaryMerge {
  /** Rows per output page, parquet-java's default page row limit. */
  static final int PAGE_ROWS = 20_000;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * The highest repetition or definition level a merge takes: it keeps a column chunk's levels in a
   * byte each. Levels are as deep as the schema's nesting, a handful in any schema met in practice;
   * a column nested deeper takes the merge's other paths (its pages carried over where they can be,
   * else its values re-encoded one by one).
   */
  static final int MAX_LEVEL = 255;

  /** Values hashed at a time, their levels widened into arrays of this many ints. */
  private static final int HASH_STRETCH = 8192;

  /**
   * The column's values, all inputs' pages one after another, decoded down to levels (each an
   * unsigned byte) and indexes of the output dictionary: {@code values} levels of each kind and as
   * many indexes as values are present, at the start of arrays that may be longer.
   */
  private record Page(int values, byte[] repetitions, byte[] definitions, int[] indexes) {}

  /**
   * The arrays a merge decodes its columns into, reused from column to column and row group to row
   * group of one output file: they live as long as a column's merge, long enough to outlive young
   * collections, so that arrays made anew for every input page (47 MB in a compaction of the
   * reference set) were promoted and freed only by full collections. Each {@link #read} takes them
   * over; a merge must be done with before the next read. Not thread-safe.
   */
  static final class Buffers {
    // A column chunk's levels take a byte each, not an int: with maps of a few entries per row,
    // an output row group of 131,072 rows has about 330,000 values, and two bins held 8 to 11 MiB
    // in these arrays as ints, the largest item of a compaction's heap.
    private byte[] repetitions = new byte[0];
    private byte[] definitions = new byte[0];
    private int[] indexes = new int[0];
    private int[] pageLevels = new int[0];
    private final int[] stretchRepetitions = new int[HASH_STRETCH];
    private final int[] stretchDefinitions = new int[HASH_STRETCH];
    private final int[] stretchIndexes = new int[HASH_STRETCH];
    // an output page's levels and indexes as PageWriter gathers them: made anew for every column
    // chunk written, and grown by doubling, they were a twelfth of what a run of the plain set
    // allocated
    private int[] writtenRepetitions = new int[0];
    private int[] writtenDefinitions = new int[0];
    private int[] writtenIndexes = new int[0];
    // an output page's bytes, uncompressed: its levels and indexes, as PageWriter lays them out
    private byte[] writtenPage = new byte[0];
    // the distinct numbers of encodePlain and encodeMixed, emptied for each (made anew and grown
    // from 1,024 slots each time, its tables were 55 of the 1,036 MB a run of the plain set
    // allocated)
    private final EntryIndexes entries = new EntryIndexes();
    // the distinct strings of encodePlain, emptied for each
    private final StringIndexes stringIndexes = new StringIndexes();

    /** {@code array}, or a copy of it that holds at least {@code length} ints. */
    private static int[] atLeast(int[] array, int length) {
      if (array.length >= length) {
        return array;
      }
      return Arrays.copyOf(array, Math.max(length, 2 * array.length));
    }

    /** {@code array}, or a copy of it that holds at least {@code length} bytes. */
    private static byte[] atLeast(byte[] array, int length) {
      if (array.length >= length) {
        return array;
      }
      return Arrays.copyOf(array, Math.max(length, 2 * array.length));
    }

    /**
     * Levels {@code from} to {@code from + count} of {@code levels}, as ints at the start of {@code
     * into}; null if {@code levels} is (the column has none of that kind).
     */
    private static int[] widened(byte[] levels, int from, int count, int[] into) {
      if (levels == null) {
        return null;
      }
      widen(levels, from, count, into, 0);
      return into;
    }

    /**
     * Copies {@code count} levels from {@code from} in {@code levels} to {@code at} in {@code
     * into}.
     */
    private static void widen(byte[] levels, int from, int count, int[] into, int at) {
      for (int i = 0; i < count; i++) {
        into[at + i] = levels[from + i] & 0xFF;
      }
    }
  }

  /** Whether a merge can keep the column's levels: both at most {@value #MAX_LEVEL}. */
  private static boolean levelsFit(ColumnDescriptor descriptor) {
    return descriptor.getMaxRepetitionLevel() <= MAX_LEVEL
        && descriptor.getMaxDefinitionLevel() <= MAX_LEVEL;
  }

  private final ColumnDescriptor descriptor;
  private final PrimitiveTypeName type;
  private final LongList bits = new LongList();
  private final List<byte[]> strings = new ArrayList<>();
  private final Buffers buffers;
  private int values;
  private int present;
  private long dictionaryBytes;

  private DictionaryMerge(ColumnDescriptor descriptor, Buffers buffers) {
    this.descriptor = descriptor;
    this.type = descriptor.getPrimitiveType().getPrimitiveTypeName();
    this.buffers = buffers;
  }

  /** The column this encodes. */
  ColumnDescriptor descriptor() {
    return descriptor;
  }

  /**
   * Whether a chunk's metadata allows merging its dictionary: dictionary pages only, V1.
   *
   * @param type the column's physical type
   */
  static boolean isCandidate(ChunkMetadata chunk, PrimitiveTypeName type) {
    return chunk.hasDictionaryPage()
        && chunk.has(ChunkMetadata.ENCODING_STATS | ChunkMetadata.DICTIONARY_PAGES)
        && !chunk.has(ChunkMetadata.OTHER_ENCODED_PAGES)
        && !chunk.has(ChunkMetadata.V2_PAGES)
        && type != PrimitiveTypeName.BOOLEAN
        && type != PrimitiveTypeName.INT96;
  }

  /**
   * Reads one column of every store, mapping each input's dictionary onto the merged one.
   *
   * @return the merge, or empty if the column's levels go above {@value #MAX_LEVEL} (its pages are
   *     then not read), or a page or dictionary does not allow it or the merged dictionary would
   *     exceed {@code maxDictionaryBytes}; the stores' pages of the column are then consumed, and
   *     the column must be read again to be re-encoded
   */
  static Optional<DictionaryMerge> read(
      ColumnDescriptor descriptor,
      List<PageReadStore> stores,
      int maxDictionaryBytes,
      Buffers buffers) {
    if (!levelsFit(descriptor)) {
      return Optional.empty();
    }
    DictionaryMerge merge = new DictionaryMerge(descriptor, buffers);
    Map<Object, Integer> merged = new HashMap<>();
    for (PageReadStore store : stores) {
      PageReader reader = store.getPageReader(descriptor);
      DictionaryPage dictionary = reader.readDictionaryPage();
      if (dictionary == null) {
        return Optional.empty();
      }
      Optional<DictionaryEntries> entries = DictionaryEntries.read(dictionary, descriptor);
      if (entries.isEmpty()) {
        return Optional.empty();
      }
      int[] remap = merge.remap(entries.get(), merged);
      if (merge.dictionaryBytes > maxDictionaryBytes) {
        return Optional.empty();
      }
      int firstValue = merge.values;
      for (DataPage page = reader.readPage(); page != null; page = reader.readPage()) {
        if (!(page instanceof DataPageV1 v1) || !merge.decode(v1, remap)) {
          return Optional.empty();
        }
      }
      if (merge.rowsSince(firstValue) != store.getRowCount()) {
        return Optional.empty(); // re-encoded, which names the input
      }
    }
    return Optional.of(merge);
  }

  /**
   * Dictionary-encodes one column of plain input chunks of numbers (INT32, INT64, FLOAT, DOUBLE) or
   * byte strings (BINARY), when its values repeat enough: streaming writers give up on a dictionary
   * in files of a few thousand rows where the values of a whole output row group repeat
   * (measurements rounded to a tenth: 19,655 distinct values in 130,000 rows of the reference data
   * set, carried as plain pages at twice the bytes DuckDB writes them in; service names and map
   * keys of a handful of values each, carried at 2.7 to 24 times). The distinct values become the
   * dictionary in order of first appearance, and levels and indexes are written as a merge writes
   * them.
   *
   * @param values the column's values in all stores, nulls included
   * @return the encoding, or empty if the type is neither or its levels go above {@value
   *     #MAX_LEVEL} (its pages are then not read), or a page is not a plain V1 page with RLE
   *     levels, or the distinct values pass a quarter of {@code values} or {@code
   *     maxDictionaryBytes}; the stores' pages of the column are then consumed
   */
  static Optional<DictionaryMerge> encodePlain(
      ColumnDescriptor descriptor,
      List<PageReadStore> stores,
      long values,
      int maxDictionaryBytes,
      Buffers buffers) {
    if (descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
      return encodeStrings(descriptor, stores, values, maxDictionaryBytes, buffers);
    }
    return encodeNumbers(descriptor, stores, values, maxDictionaryBytes, buffers, false);
  }

  /** {@link #encodePlain} for a column of byte strings. */
  private static Optional<DictionaryMerge> encodeStrings(
      ColumnDescriptor descriptor,
      List<PageReadStore> stores,
      long values,
      int maxDictionaryBytes,
      Buffers buffers) {
    if (!levelsFit(descriptor)) {
      return Optional.empty();
    }
    long mostEntries = values / 4;
    DictionaryMerge merge = new DictionaryMerge(descriptor, buffers);
    StringIndexes entries = buffers.stringIndexes.clear();
    for (PageReadStore store : stores) {
      PageReader reader = store.getPageReader(descriptor);
      if (reader.readDictionaryPage() != null) {
        return Optional.empty();
      }
      int firstValue = merge.values;
      for (DataPage page = reader.readPage(); page != null; page = reader.readPage()) {
        if (!(page instanceof DataPageV1 v1)
            || v1.getValueEncoding() != Encoding.PLAIN
            || !merge.decodePlainStrings(v1, entries, mostEntries, maxDictionaryBytes)) {
          return Optional.empty();
        }
      }
      if (merge.rowsSince(firstValue) != store.getRowCount()) {
        return Optional.empty(); // re-encoded, which names the input
      }
    }
    return merge.present == 0 ? Optional.empty() : Optional.of(merge);
  }

  /**
   * Appends a plain page's levels, and the indexes of its byte strings among the distinct ones so
   * far, to the column's; new strings become entries.
   *
   * @return false if its level encodings do not allow it, or the entries would pass {@code
   *     mostEntries} or the dictionary {@code maxDictionaryBytes}
   * @throws IllegalStateException if a string's length runs past the page
   */
  private boolean decodePlainStrings(
      DataPageV1 page, StringIndexes entries, long mostEntries, int maxDictionaryBytes) {
    PageBody body = readLevels(page);
    if (body == null) {
      return false;
    }
    int pagePresent = body.present();
    byte[] bytes = body.bytes();
    int position = body.valuesStart();
    int end = body.end();
    buffers.indexes = Buffers.atLeast(buffers.indexes, present + pagePresent);
    int[] indexes = buffers.indexes;
    for (int i = 0; i < pagePresent; i++) {
      int length = position <= end - 4 ? (int) INT.get(bytes, position) : -1;
      if (length < 0 || length > end - position - 4) {
        throw new IllegalStateException(
            "The values of a page of column "
                + CarriedChunk.pathOf(descriptor)
                + " run past its end");
      }
      int start = position + 4;
      position = start + length;
      int index = entries.indexOf(bytes, start, length);
      if (index < 0) {
        if (entries.size() >= mostEntries || dictionaryBytes + 4 + length > maxDictionaryBytes) {
          return false;
        }
        byte[] string = Arrays.copyOfRange(bytes, start, position);
        strings.add(string);
        dictionaryBytes += 4 + length;
        index = entries.add(string);
      }
      indexes[present + i] = index;
    }
    values += page.getValueCount();
    present += pagePresent;
    return true;
  }

  /**
   * Dictionary-encodes one column of number chunks (INT32, INT64, FLOAT, DOUBLE) of which some are
   * dictionary-encoded and some plain, or that fell back from their dictionary to plain pages part
   * of the way, as {@link #encodePlain} does for plain ones alone: a dictionary-encoded page's
   * indexes are mapped onto the merged entries, a plain page's values looked up among them. Such a
   * column could be neither carried nor merged through its dictionaries, and was re-encoded value
   * by value through parquet-java's writer (in the reference data set, {@code duration_ms}: a third
   * of the files plain, two thirds dictionary-encoded, a tenth of a run's CPU samples).
   *
   * @param values the column's values in all stores, nulls included
   * @return the encoding, or empty if the type is not a number or its levels go above {@value
   *     #MAX_LEVEL} (its pages are then not read), or a page is not a V1 page with RLE levels and
   *     PLAIN or dictionary-encoded values, or the distinct values pass a quarter of {@code values}
   *     or {@code maxDictionaryBytes}; the stores' pages of the column are then consumed
   */
  static Optional<DictionaryMerge> encodeMixed(
      ColumnDescriptor descriptor,
      List<PageReadStore> stores,
      long values,
      int maxDictionaryBytes,
      Buffers buffers) {
    return encodeNumbers(descriptor, stores, values, maxDictionaryBytes, buffers, true);
  }

  /**
   * {@link #encodePlain}, and with {@code dictionaries} {@link #encodeMixed}: chunks with a
   * dictionary page are refused without, taken with.
   */
  private static Optional<DictionaryMerge> encodeNumbers(
      ColumnDescriptor descriptor,
      List<PageReadStore> stores,
      long values,
      int maxDictionaryBytes,
      Buffers buffers,
      boolean dictionaries) {
    int width = plainWidth(descriptor);
    if (width == 0 || !levelsFit(descriptor)) {
      return Optional.empty();
    }
    long mostEntries = Math.min(values / 4, maxDictionaryBytes / width);
    DictionaryMerge merge = new DictionaryMerge(descriptor, buffers);
    EntryIndexes entries = buffers.entries.clear();
    for (PageReadStore store : stores) {
      PageReader reader = store.getPageReader(descriptor);
      DictionaryPage dictionary = reader.readDictionaryPage();
      int[] remap = null;
      if (dictionary != null) {
        if (!dictionaries) {
          return Optional.empty();
        }
        Optional<DictionaryEntries> read = DictionaryEntries.read(dictionary, descriptor);
        if (read.isEmpty()) {
          return Optional.empty();
        }
        remap = merge.remapNumbers(read.get().bits(), width, entries, mostEntries);
        if (remap == null) {
          return Optional.empty();
        }
      }
      int firstValue = merge.values;
      for (DataPage page = reader.readPage(); page != null; page = reader.readPage()) {
        if (!(page instanceof DataPageV1 v1)) {
          return Optional.empty();
        }
        boolean read =
            v1.getValueEncoding().usesDictionary()
                ? remap != null && merge.decode(v1, remap)
                : v1.getValueEncoding() == Encoding.PLAIN
                    && merge.decodePlain(v1, width, entries, mostEntries);
        if (!read) {
          return Optional.empty();
        }
      }
      if (merge.rowsSince(firstValue) != store.getRowCount()) {
        return Optional.empty(); // re-encoded, which names the input
      }
    }
    // no values at all, only nulls: an empty dictionary would be of no use, and no writer makes one
    return merge.present == 0 ? Optional.empty() : Optional.of(merge);
  }

  /**
   * The rows that start among the values appended since the {@code firstValue}th, or -1 if the
   * first of them repeats a row before: an input chunk must hold its row group's rows, which the
   * merge's total alone does not show (one row too many in one input and one too few in the next
   * would shift every row between them), and start a row.
   */
  private long rowsSince(int firstValue) {
    if (descriptor.getMaxRepetitionLevel() == 0) {
      return values - firstValue;
    }
    if (values > firstValue && buffers.repetitions[firstValue] != 0) {
      return -1; // the chunk starts within a row
    }
    long rows = 0;
    for (int value = firstValue; value < values; value++) {
      rows += buffers.repetitions[value] == 0 ? 1 : 0;
    }
    return rows;
  }

  /**
   * Maps a chunk's dictionary of numbers onto the distinct values so far, adding those not among
   * them, as {@link #decodePlain} adds a plain page's values.
   *
   * @return each entry's index among the distinct values, or null if they would pass {@code
   *     mostEntries}
   */
  private int[] remapNumbers(long[] dictionary, int width, EntryIndexes entries, long mostEntries) {
    int[] remap = new int[dictionary.length];
    for (int entry = 0; entry < dictionary.length; entry++) {
      long value = dictionary[entry];
      int index = entries.indexOf(value);
      if (index < 0 && (index = addEntry(value, width, entries, mostEntries)) < 0) {
        return null;
      }
      remap[entry] = index;
    }
    return remap;
  }

  /**
   * Makes {@code value}, a number not among the distinct values yet, their next entry, of {@code
   * width} bytes in the dictionary; off the hot path, which looks a value up first.
   *
   * @return its index, or -1 if the entries are {@code mostEntries} already
   */
  private int addEntry(long value, int width, EntryIndexes entries, long mostEntries) {
    if (entries.size() >= mostEntries) {
      return -1;
    }
    bits.add(value);
    dictionaryBytes += width;
    return entries.add(value);
  }

  /**
   * Whether {@link #encodePlain} takes the column as strings: BINARY other than geometries and
   * geographies (whose chunks carry statistics of their own, which a dictionary's pages would not).
   * It takes numbers as {@link #encodeMixed} does.
   */
  static boolean mayEncodeStrings(ColumnDescriptor descriptor) {
    PrimitiveType type = descriptor.getPrimitiveType();
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    return type.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
        && !(logical instanceof LogicalTypeAnnotation.GeometryLogicalTypeAnnotation)
        && !(logical instanceof LogicalTypeAnnotation.GeographyLogicalTypeAnnotation);
  }

  /**
   * Whether {@link #encodeMixed}, and {@link #encodePlain} as numbers, take the column: INT32,
   * INT64, FLOAT or DOUBLE.
   */
  static boolean mayEncodeNumbers(ColumnDescriptor descriptor) {
    return plainWidth(descriptor) > 0;
  }

  /**
   * The bytes of a number of the column, PLAIN-encoded; 0 if it is not a number encodePlain takes.
   */
  private static int plainWidth(ColumnDescriptor descriptor) {
    return switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      case BOOLEAN, INT96, BINARY, FIXED_LEN_BYTE_ARRAY -> 0;
    };
  }

  /**
   * Appends a plain page's levels, and the indexes of its values among the distinct values so far,
   * to the column's; new values become entries.
   *
   * @return false if its level encodings do not allow it or the entries would pass {@code
   *     mostEntries}
   */
  private boolean decodePlain(DataPageV1 page, int width, EntryIndexes entries, long mostEntries) {
    PageBody body = readLevels(page);
    if (body == null) {
      return false;
    }
    int pagePresent = body.present();
    byte[] bytes = body.bytes();
    int position = body.valuesStart();
    if ((long) pagePresent * width > body.end() - position) {
      throw new IllegalStateException(
          "The values of a page of column "
              + CarriedChunk.pathOf(descriptor)
              + " run past its end");
    }
    buffers.indexes = Buffers.atLeast(buffers.indexes, present + pagePresent);
    int[] indexes = buffers.indexes;
    for (int i = 0; i < pagePresent; i++) {
      long value = width == 8 ? (long) LONG.get(bytes, position) : (int) INT.get(bytes, position);
      position += width;
      int index = entries.indexOf(value);
      if (index < 0 && (index = addEntry(value, width, entries, mostEntries)) < 0) {
        return false;
      }
      indexes[present + i] = index;
    }
    values += page.getValueCount();
    present += pagePresent;
    return true;
  }

  /** The merged dictionary's numbers, as their bits: a growable array, without boxing. */
  private static final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long get(int index) {
      return values[index];
    }

    int size() {
      return size;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /**
   * The index of each distinct number among a column's values: open addressing over a power-of-two
   * table of longs, so that a lookup per value costs no boxing. A slot is in use when its stamp is
   * the table's generation, so that emptying the table for the next column ({@link #clear}) costs
   * nothing whatever its size. Not thread-safe.
   */
  private static final class EntryIndexes {
    private long[] keys = new long[1024];
    private int[] indexes = new int[1024];
    private int[] stamps = new int[1024];
    private int generation = 1;
    private int size;

    /** Empties the table, keeping its size. */
    EntryIndexes clear() {
      size = 0;
      if (++generation == 0) {
        // after 2^32 clears every stamp could be taken for in use: start them all again
        Arrays.fill(stamps, 0);
        generation = 1;
      }
      return this;
    }

    int size() {
      return size;
    }

    /** The value's index, or -1 if it has none yet. */
    int indexOf(long value) {
      int mask = keys.length - 1;
      int current = generation;
      for (int slot = (int) Hashing.mix(value) & mask;
          stamps[slot] == current;
          slot = (slot + 1) & mask) {
        if (keys[slot] == value) {
          return indexes[slot];
        }
      }
      return -1;
    }

    /** Gives a value that has no index the next one. */
    int add(long value) {
      if ((size + 1) * 2 > keys.length) {
        grow();
      }
      put(value, size);
      return size++;
    }

    private void put(long value, int index) {
      int mask = keys.length - 1;
      int slot = (int) Hashing.mix(value) & mask;
      while (stamps[slot] == generation) {
        slot = (slot + 1) & mask;
      }
      stamps[slot] = generation;
      keys[slot] = value;
      indexes[slot] = index;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldIndexes = indexes;
      int[] oldStamps = stamps;
      int oldGeneration = generation;
      keys = new long[oldKeys.length * 2];
      indexes = new int[oldKeys.length * 2];
      stamps = new int[oldKeys.length * 2];
      generation = 1;
      for (int slot = 0; slot < oldKeys.length; slot++) {
        if (oldStamps[slot] == oldGeneration) {
          put(oldKeys[slot], oldIndexes[slot]);
        }
      }
    }
  }

  /**
   * The indexes of the distinct byte strings of a column, looked up by a range of a page's bytes,
   * so that a lookup per value makes no object: an open-addressing table of entry numbers, the
   * strings and their hashes kept beside it. Emptied for each column ({@link #clear}), keeping its
   * arrays. Package-private for its test. Not thread-safe.
   */
  static final class StringIndexes {
    private int[] slots = new int[1024]; // entry number + 1, 0 for a free slot
    private byte[][] keys = new byte[512][];
    private int[] hashes = new int[512];
    // each string's first eight bytes (all of a shorter one) as a number: most strings of a
    // column that repeats are that short, and are then told apart by one comparison
    private long[] firsts = new long[512];
    private int size;

    /** Empties the table, keeping its arrays. */
    StringIndexes clear() {
      if (size > 0) {
        Arrays.fill(slots, 0);
        Arrays.fill(keys, 0, size, null);
        size = 0;
      }
      return this;
    }

    int size() {
      return size;
    }

    /** The index of the string {@code bytes[start, start + length)}, or -1 if it has none yet. */
    int indexOf(byte[] bytes, int start, int length) {
      long first = first(bytes, start, length);
      int hash = hash(first, bytes, start, length);
      int mask = slots.length - 1;
      for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
        int entry = slots[slot] - 1;
        if (hashes[entry] == hash && firsts[entry] == first) {
          byte[] key = keys[entry];
          if (key.length == length
              && (length <= 8 || Arrays.equals(key, 8, length, bytes, start + 8, start + length))) {
            return entry;
          }
        }
      }
      return -1;
    }

    /** Gives a string that has no index the next one. */
    int add(byte[] string) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2);
        firsts = Arrays.copyOf(firsts, size * 2);
      }
      if ((size + 1) * 2 > slots.length) {
        slots = new int[slots.length * 2];
        for (int entry = 0; entry < size; entry++) {
          put(hashes[entry], entry);
        }
      }
      long first = first(string, 0, string.length);
      int hash = hash(first, string, 0, string.length);
      keys[size] = string;
      hashes[size] = hash;
      firsts[size] = first;
      put(hash, size);
      return size++;
    }

    private void put(int hash, int entry) {
      int mask = slots.length - 1;
      int slot = hash & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }

    /**
     * A hash of the range, whose first eight bytes (or fewer) are {@code first}, then eight bytes
     * at a time (the last one to seven as one number), mixed so that its low bits pick slots well.
     */
    private static int hash(long first, byte[] bytes, int start, int length) {
      long hash = (length ^ first) * 0x9E3779B97F4A7C15L;
      int position = start + 8;
      int end = start + length;
      for (; position <= end - 8; position += 8) {
        hash = (hash ^ (long) LONG.get(bytes, position)) * 0x9E3779B97F4A7C15L;
      }
      if (position < end) {
        hash = (hash ^ word(bytes, position, end - position)) * 0x9E3779B97F4A7C15L;
      }
      return (int) Hashing.mix(hash);
    }

    /** The range's first eight bytes, or all of a shorter one, as a little-endian number. */
    private static long first(byte[] bytes, int start, int length) {
      return length >= 8
          ? (long) LONG.get(bytes, start)
          : length == 0 ? 0 : word(bytes, start, length);
    }

    /**
     * The {@code count} bytes (1 to 7) at {@code position}, as a little-endian number: read as
     * eight and masked where the array goes on that far, as a page's values mostly do, else byte by
     * byte (the same number, so that a string hashes alike in a page and as an entry).
     */
    private static long word(byte[] bytes, int position, int count) {
      if (position <= bytes.length - 8) {
        return (long) LONG.get(bytes, position) & (-1L >>> (64 - 8 * count));
      }
      long word = 0;
      for (int i = count - 1; i >= 0; i--) {
        word = (word << 8) | (bytes[position + i] & 0xFF);
      }
      return word;
    }
  }

  /**
   * A byte string entry as a key of the merged dictionary, its hash computed once. A merge of small
   * files looks up every entry of every input's dictionary; keyed by {@code ByteBuffer}, whose hash
   * reads the buffer a byte at a time through its accessors, those lookups were a third of the
   * dictionary merge's reading in a compaction of 20,000 files of 200 rows.
   */
  private record StringKey(byte[] bytes, int hash) {
    StringKey(byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof StringKey key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Adds an input dictionary's new entries; returns its indexes in the merged dictionary. */
  private int[] remap(DictionaryEntries entries, Map<Object, Integer> merged) {
    int[] remap = new int[entries.size()];
    boolean byteString = ColumnHasher.isByteString(type);
    for (int entry = 0; entry < entries.size(); entry++) {
      Object key =
          byteString
              ? new StringKey(entries.strings()[entry])
              : Long.valueOf(entries.bits()[entry]);
      Integer index = merged.get(key);
      if (index == null) {
        index = merged.size();
        merged.put(key, index);
        if (byteString) {
          byte[] string = entries.strings()[entry];
          strings.add(string);
          dictionaryBytes += string.length + (type == PrimitiveTypeName.BINARY ? 4 : 0);
        } else {
          bits.add(entries.bits()[entry]);
          dictionaryBytes +=
              type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.FLOAT ? 4 : 8;
        }
      }
      remap[entry] = index;
    }
    return remap;
  }

  /**
   * Appends a page's levels and indexes, mapped onto the merged dictionary, to the column's.
   *
   * @return whether the page could be: false if its encodings do not allow it
   */
  private boolean decode(DataPageV1 page, int[] remap) {
    if (!page.getValueEncoding().usesDictionary()) {
      return false;
    }
    PageBody body = readLevels(page);
    if (body == null) {
      return false;
    }
    int pagePresent = body.present();
    if (pagePresent > 0) {
      Buffers into = buffers;
      if (into.pageLevels.length < pagePresent) {
        into.pageLevels = new int[pagePresent];
      }
      byte[] bytes = body.bytes();
      int position = body.valuesStart();
      if (position >= body.end()) {
        throw new IllegalStateException(
            "A page of column " + CarriedChunk.pathOf(descriptor) + " ends before its values");
      }
      int bitWidth = bytes[position] & 0xFF;
      new HybridDecoder(bytes, position + 1, body.end(), bitWidth)
          .read(into.pageLevels, pagePresent);
      into.indexes = Buffers.atLeast(into.indexes, present + pagePresent);
      int[] indexes = into.indexes;
      int[] pageIndexes = into.pageLevels;
      for (int i = 0; i < pagePresent; i++) {
        indexes[present + i] = remap[pageIndexes[i]];
      }
    }
    values += page.getValueCount();
    present += pagePresent;
    return true;
  }

  /**
   * A page's bytes, decompressed, as they lie in {@code bytes} up to {@code end} (the array may go
   * on past it, with another page's bytes: see {@link PageArrays}); where its values start, after
   * its levels; and how many are present.
   */
  private record PageBody(byte[] bytes, int valuesStart, int end, int present) {}

  /**
   * Appends a V1 page's levels to the column's.
   *
   * @return the page's bytes and present values, or null if its level encodings are not RLE
   */
  private PageBody readLevels(DataPageV1 page) {
    int maxRepetition = descriptor.getMaxRepetitionLevel();
    int maxDefinition = descriptor.getMaxDefinitionLevel();
    if ((maxRepetition > 0 && page.getRlEncoding() != Encoding.RLE)
        || (maxDefinition > 0 && page.getDlEncoding() != Encoding.RLE)) {
      return null;
    }
    ByteBuffer buffer;
    try {
      buffer = page.getBytes().toByteBuffer();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read a page: " + e.getMessage(), e);
    }
    // the page where it lies, in an array that may be longer (PageArrays), or a copy
    byte[] bytes = buffer.hasArray() ? buffer.array() : DictionaryEntries.bytesOf(page.getBytes());
    int position = buffer.hasArray() ? buffer.arrayOffset() + buffer.position() : 0;
    int end = position + buffer.remaining();
    int count = page.getValueCount();
    Buffers into = buffers;
    if (into.pageLevels.length < count) {
      into.pageLevels = new int[count];
    }
    if (maxRepetition > 0) {
      position =
          ColumnHasher.readLevels(bytes, position, end, maxRepetition, into.pageLevels, count);
      into.repetitions = Buffers.atLeast(into.repetitions, values + count);
      byte[] repetitions = into.repetitions;
      int[] pageLevels = into.pageLevels;
      for (int i = 0; i < count; i++) {
        repetitions[values + i] = (byte) pageLevels[i];
      }
    }
    int pagePresent = count;
    if (maxDefinition > 0) {
      position =
          ColumnHasher.readLevels(bytes, position, end, maxDefinition, into.pageLevels, count);
      into.definitions = Buffers.atLeast(into.definitions, values + count);
      byte[] definitions = into.definitions;
      int[] pageLevels = into.pageLevels;
      pagePresent = 0;
      for (int i = 0; i < count; i++) {
        int level = pageLevels[i];
        pagePresent += level == maxDefinition ? 1 : 0;
        definitions[values + i] = (byte) level;
      }
    }
    return new PageBody(bytes, position, end, pagePresent);
  }

  /** The column's values as read: the buffers' arrays, valid until the next read. */
  private Page column() {
    int maxRepetition = descriptor.getMaxRepetitionLevel();
    int maxDefinition = descriptor.getMaxDefinitionLevel();
    return new Page(
        values,
        maxRepetition > 0 ? buffers.repetitions : null,
        maxDefinition > 0 ? buffers.definitions : null,
        buffers.indexes);
  }

  /**
   * Folds every value into {@code hashes}, the inputs' rows following each other from row 0.
   *
   * @return the number of rows
   */
  int hash(ColumnCopier.RowHashes hashes, int column) {
    boolean byteString = ColumnHasher.isByteString(type);
    int entries = byteString ? strings.size() : bits.size();
    long[] entry1 = new long[entries];
    long[] entry2 = byteString ? new long[entries] : null;
    Hashing.Bytes bytesHash = new Hashing.Bytes();
    for (int entry = 0; entry < entries; entry++) {
      if (byteString) {
        byte[] string = strings.get(entry);
        bytesHash.hash(string, 0, string.length);
        entry1[entry] = bytesHash.lane1;
        entry2[entry] = bytesHash.lane2;
      } else {
        entry1[entry] = bits.get(entry);
      }
    }
    int maxDefinition = descriptor.getMaxDefinitionLevel();
    ColumnElements elements =
        new ColumnElements(
            column, descriptor.getMaxRepetitionLevel(), maxDefinition, entry1, entry2, values);
    Page page = column();
    // a stretch at a time, its levels widened into ints, which ColumnElements folds
    Buffers stretch = buffers;
    int row = -1;
    int value = 0;
    for (int start = 0; start < page.values(); start += HASH_STRETCH) {
      int count = Math.min(HASH_STRETCH, page.values() - start);
      int[] definitions =
          Buffers.widened(page.definitions(), start, count, stretch.stretchDefinitions);
      int present = count;
      if (definitions != null) {
        present = 0;
        for (int i = 0; i < count; i++) {
          present += definitions[i] == maxDefinition ? 1 : 0;
        }
      }
      System.arraycopy(page.indexes(), value, stretch.stretchIndexes, 0, present);
      value += present;
      row =
          elements.foldEntries(
              hashes,
              Buffers.widened(page.repetitions(), start, count, stretch.stretchRepetitions),
              definitions,
              stretch.stretchIndexes,
              count,
              row);
    }
    return row + 1;
  }

  /**
   * Adds the merged dictionary's entries to {@code bloomFilter}, each once: every value of the
   * chunk is one of them (an entry no page uses only adds to the filter's false positives).
   */
  void addEntriesTo(ColumnBloomFilter bloomFilter) {
    new DictionaryEntries(bits.toArray(), strings.toArray(new byte[0][])).addTo(bloomFilter, type);
  }

  /** Writes the merged chunk as the current column of {@code writer}'s row group. */
  void write(ParquetFileWriter writer, BytesInputCompressor compressor) throws IOException {
    writer.startColumn(descriptor, values, compressor.getCodecName());
    BytesInput dictionary = dictionaryPage();
    int entries = ColumnHasher.isByteString(type) ? strings.size() : bits.size();
    writer.writeDictionaryPage(
        new DictionaryPage(
            BytesInput.copy(compressor.compress(dictionary)),
            Math.toIntExact(dictionary.size()),
            entries,
            Encoding.PLAIN_DICTIONARY));
    new PageWriter(writer, compressor, BytesUtils.getWidthFromMaxInt(Math.max(0, entries - 1)))
        .writeAll();
    writer.endColumn();
  }

  /** The merged dictionary, PLAIN-encoded. */
  private BytesInput dictionaryPage() {
    ByteBuffer page = ByteBuffer.allocate(Math.toIntExact(dictionaryBytes));
    page.order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case INT32, FLOAT -> {
        for (int entry = 0; entry < bits.size(); entry++) {
          page.putInt((int) bits.get(entry));
        }
      }
      case INT64, DOUBLE -> {
        for (int entry = 0; entry < bits.size(); entry++) {
          page.putLong(bits.get(entry));
        }
      }
      case BINARY ->
          strings.forEach(
              string -> {
                page.putInt(string.length);
                page.put(string);
              });
      case FIXED_LEN_BYTE_ARRAY -> strings.forEach(page::put);
      case INT96, BOOLEAN -> throw new IllegalStateException("No dictionary merge for " + type);
    }
    return BytesInput.from(page.array());
  }

  /** Cuts the merged values into pages on row boundaries and writes them. */
  private final class PageWriter {
    private final ParquetFileWriter writer;
    private final BytesInputCompressor compressor;
    private final int maxRepetition = descriptor.getMaxRepetitionLevel();
    private final int maxDefinition = descriptor.getMaxDefinitionLevel();
    private final HybridEncoder encoder = new HybridEncoder();
    private final int indexWidth;
    // the output page's levels and indexes, encoded when it is flushed; the merge's buffers,
    // taken for the chunk's writing and given back grown
    private int[] repetitions = buffers.writtenRepetitions;
    private int[] definitions = buffers.writtenDefinitions;
    private int[] indexes = buffers.writtenIndexes;
    private byte[] page = buffers.writtenPage;
    private int indexCount;
    private final boolean[] used;

    /** Which entries are NaN, for FLOAT and DOUBLE dictionaries that hold one; else null. */
    private final boolean[] nanEntries;

    private long nanValues;
    private int[] usedIndexes = new int[64];
    private int usedCount;
    private int rows;
    private int values;
    private int nulls;

    PageWriter(ParquetFileWriter writer, BytesInputCompressor compressor, int indexWidth) {
      this.writer = writer;
      this.compressor = compressor;
      this.indexWidth = indexWidth;
      this.used = new boolean[ColumnHasher.isByteString(type) ? strings.size() : bits.size()];
      this.nanEntries = nanEntries();
    }

    void writeAll() throws IOException {
      write(column());
      if (values > 0) {
        flush();
      }
      buffers.writtenRepetitions = repetitions;
      buffers.writtenDefinitions = definitions;
      buffers.writtenIndexes = indexes;
      buffers.writtenPage = page;
    }

    /**
     * Adds one input page's values, flushing an output page whenever it holds {@link #PAGE_ROWS}
     * rows and another row starts. The values are copied a stretch at a time into the output page's
     * arrays, which {@link HybridEncoder} encodes in one pass when the page is flushed.
     */
    private void write(Page page) throws IOException {
      byte[] pageRepetitions = page.repetitions();
      byte[] pageDefinitions = page.definitions();
      int[] pageIndexes = page.indexes();
      int count = page.values();
      int start = 0;
      int index = 0;
      while (start < count) {
        // the stretch of values up to the row that would not fit in the output page
        int end;
        int pageRows = rows;
        if (pageRepetitions == null) {
          // a value per row
          end = Math.min(count, start + (PAGE_ROWS - pageRows));
          pageRows += end - start;
        } else {
          end = start;
          for (; end < count; end++) {
            if (pageRepetitions[end] == 0) {
              if (pageRows == PAGE_ROWS) {
                break;
              }
              pageRows++;
            }
          }
        }
        rows = pageRows;
        int stretch = end - start;
        if (pageRepetitions != null) {
          repetitions = Buffers.atLeast(repetitions, values + stretch);
          Buffers.widen(pageRepetitions, start, stretch, repetitions, values);
        }
        int present = stretch;
        if (pageDefinitions != null) {
          definitions = Buffers.atLeast(definitions, values + stretch);
          Buffers.widen(pageDefinitions, start, stretch, definitions, values);
          int stretchNulls = 0;
          for (int i = values; i < values + stretch; i++) {
            stretchNulls += definitions[i] == maxDefinition ? 0 : 1;
          }
          present -= stretchNulls;
          nulls += stretchNulls;
        }
        indexes = Buffers.atLeast(indexes, indexCount + present);
        System.arraycopy(pageIndexes, index, indexes, indexCount, present);
        indexCount += present;
        if (nanEntries != null) {
          // a page's statistics count each NaN value, not each NaN entry
          for (int i = index; i < index + present; i++) {
            nanValues += nanEntries[pageIndexes[i]] ? 1 : 0;
          }
        }
        boolean[] seen = used;
        for (int stop = index + present; index < stop; index++) {
          int entry = pageIndexes[index];
          if (!seen[entry]) {
            seen[entry] = true;
            if (usedCount == usedIndexes.length) {
              usedIndexes = Arrays.copyOf(usedIndexes, usedCount * 2);
            }
            usedIndexes[usedCount++] = entry;
          }
        }
        values += stretch;
        if (end < count) {
          flush();
        }
        start = end;
      }
    }

    /**
     * Writes the page gathered so far: its levels, each after its length as a 4-byte little-endian
     * number, then the indexes' bit width and the indexes, laid out one after another in {@link
     * #page}, which the compressor reads before this returns (the writer writes what the compressor
     * gives it at once), so that the array serves every page.
     */
    private void flush() throws IOException {
      int length = 0;
      if (maxRepetition > 0) {
        encoder.encode(repetitions, values, BytesUtils.getWidthFromMaxInt(maxRepetition));
        length = appendWithLength(length);
      }
      if (maxDefinition > 0) {
        encoder.encode(definitions, values, BytesUtils.getWidthFromMaxInt(maxDefinition));
        length = appendWithLength(length);
      }
      encoder.encode(indexes, indexCount, indexWidth);
      page = Buffers.atLeast(page, length + 1 + encoder.size());
      page[length++] = (byte) indexWidth;
      System.arraycopy(encoder.bytes(), 0, page, length, encoder.size());
      length += encoder.size();
      writer.writeDataPage(
          values,
          length,
          compressor.compress(BytesInput.from(page, 0, length)),
          statistics(),
          rows,
          Encoding.RLE,
          Encoding.RLE,
          Encoding.PLAIN_DICTIONARY,
          null,
          null,
          null);
      indexCount = 0;
      for (int i = 0; i < usedCount; i++) {
        used[usedIndexes[i]] = false;
      }
      usedCount = 0;
      rows = 0;
      values = 0;
      nulls = 0;
      nanValues = 0;
    }

    /**
     * Appends the encoder's bytes to {@link #page} at {@code at}, after their length as a 4-byte
     * little-endian number, and returns where the page goes on.
     */
    private int appendWithLength(int at) {
      int size = encoder.size();
      page = Buffers.atLeast(page, at + 4 + size);
      INT.set(page, at, size);
      System.arraycopy(encoder.bytes(), 0, page, at + 4, size);
      return at + 4 + size;
    }

    private boolean[] nanEntries() {
      if (type != PrimitiveTypeName.FLOAT && type != PrimitiveTypeName.DOUBLE) {
        return null;
      }
      boolean[] nan = new boolean[bits.size()];
      boolean any = false;
      for (int entry = 0; entry < nan.length; entry++) {
        long value = bits.get(entry);
        nan[entry] =
            type == PrimitiveTypeName.FLOAT
                ? Float.isNaN(Float.intBitsToFloat((int) value))
                : Double.isNaN(Double.longBitsToDouble(value));
        any |= nan[entry];
      }
      return any ? nan : null;
    }

    /** The page's statistics: the entries it uses, its nulls and its NaN values. */
    private Statistics<?> statistics() {
      Statistics<?> statistics = Statistics.createStats(descriptor.getPrimitiveType());
      for (int i = 0; i < usedCount; i++) {
        int index = usedIndexes[i];
        switch (type) {
          case INT32 -> statistics.updateStats((int) bits.get(index));
          case INT64 -> statistics.updateStats(bits.get(index));
          case FLOAT -> {
            float value = Float.intBitsToFloat((int) bits.get(index));
            if (!Float.isNaN(value)) {
              statistics.updateStats(value);
            }
          }
          case DOUBLE -> {
            double value = Double.longBitsToDouble(bits.get(index));
            if (!Double.isNaN(value)) {
              statistics.updateStats(value);
            }
          }
          case BINARY, FIXED_LEN_BYTE_ARRAY ->
              statistics.updateStats(Binary.fromConstantByteArray(strings.get(index)));
          case INT96, BOOLEAN -> throw new IllegalStateException("No dictionary merge for " + type);
        }
      }
      statistics.incrementNumNulls(nulls);
      if (nanValues > 0) {
        statistics.incrementNanCount(nanValues);
      }
      return statistics;
    }
  }
}
