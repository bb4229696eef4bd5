package dev.baler.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Folds one column chunk into row hashes, decoding its pages itself: a batch decoder for the pages
 * Baler writes and most writers write (data pages V1 with RLE levels, and PLAIN or dictionary
 * values), which gives exactly the hashes of {@link ColumnCopier#walk} at a fraction of the cost of
 * parquet-java's value-at-a-time column reader. Chunks with other pages or encodings (V2 pages,
 * delta or byte-stream-split values, bit-packed levels) go through {@link ColumnCopier#walk}.
 *
 * <p>Only hashes: it cannot write values or leave rows out, so it serves verification, duplicate
 * detection and carried-over chunks. Not thread-safe; one instance per thread and column.
 */
final class ColumnHasher {
  private static final VarHandle INT = view(int[].class);
  private static final VarHandle LONG = view(long[].class);

  private final ColumnDescriptor descriptor;
  private final int column;
  private final PrimitiveTypeName type;
  private final int maxRepetition;
  private final int maxDefinition;
  private final ColumnBloomFilter bloomFilter;
  private final Hashing.Bytes bytesHash = new Hashing.Bytes();
  private final PageBuffer buffers;
  // A dictionary's entries, hashed once: bits for numbers, two lanes for byte strings.
  private long[] dictionary1;
  private long[] dictionary2;
  private ColumnElements elements;

  private ColumnHasher(
      ColumnDescriptor descriptor, int column, ColumnBloomFilter bloomFilter, PageBuffer buffers) {
    this.buffers = buffers;
    this.descriptor = descriptor;
    this.column = column;
    this.bloomFilter = bloomFilter;
    this.type = descriptor.getPrimitiveType().getPrimitiveTypeName();
    this.maxRepetition = descriptor.getMaxRepetitionLevel();
    this.maxDefinition = descriptor.getMaxDefinitionLevel();
  }

  /**
   * Folds every value of one column chunk into {@code hashes}.
   *
   * @param rowGroup the row group holding the chunk, from which the chunk's pages are read
   * @param createdBy the file's writer, for the fallback reader
   * @param column the column's index in the schema, folded into hashes
   * @param firstRow the index in {@code hashes} of the chunk's first row
   * @return the number of rows in the chunk
   */
  static int hash(
      PageReadStore rowGroup,
      String createdBy,
      ColumnDescriptor descriptor,
      int column,
      ColumnCopier.RowHashes hashes,
      int firstRow) {
    return hash(rowGroup, createdBy, descriptor, column, hashes, null, firstRow);
  }

  /**
   * Folds every value of one column chunk into {@code hashes}, as {@link #hash(PageReadStore,
   * String, ColumnDescriptor, int, ColumnCopier.RowHashes, int)}, and adds each value to {@code
   * bloomFilter} if it is not null: PLAIN values from their bytes in the page, a dictionary's
   * entries once each (all of them, used or not).
   */
  static int hash(
      PageReadStore rowGroup,
      String createdBy,
      ColumnDescriptor descriptor,
      int column,
      ColumnCopier.RowHashes hashes,
      ColumnBloomFilter bloomFilter,
      int firstRow) {
    PageReader reader = rowGroup.getPageReader(descriptor);
    DictionaryPage dictionary = reader.readDictionaryPage();
    if (dictionary != null) {
      dictionary = copy(dictionary);
    }
    ColumnHasher hasher = new ColumnHasher(descriptor, column, bloomFilter, new PageBuffer());
    List<DataPage> pages = new ArrayList<>();
    boolean decodable = true;
    for (DataPage page = reader.readPage(); page != null; page = reader.readPage()) {
      DataPage copied = copy(page);
      pages.add(copied);
      decodable &=
          copied instanceof DataPageV1 v1
              && hasher.decodes(v1.getRlEncoding(), v1.getDlEncoding(), v1.getValueEncoding());
    }
    if (decodable && (dictionary == null || hasher.readDictionary(dictionary))) {
      long values = 0;
      for (DataPage page : pages) {
        values += page.getValueCount();
      }
      hasher.begin(values);
      int row = firstRow;
      for (DataPage page : pages) {
        DataPageV1 v1 = (DataPageV1) page;
        byte[] bytes = DictionaryEntries.bytesOf(v1.getBytes());
        row =
            hasher.hashPage(
                bytes, 0, bytes.length, v1.getValueCount(), v1.getValueEncoding(), hashes, row);
      }
      return row - firstRow;
    }
    // The pages already read, again, for parquet-java's column reader.
    PageReadStore replay = new PageList(descriptor, dictionary, pages, rowGroup.getRowCount());
    return ColumnCopier.walk(
        ColumnCopier.columnReader(replay, createdBy, descriptor),
        descriptor,
        column,
        null,
        0,
        null,
        hashes,
        bloomFilter,
        firstRow,
        rowGroup.getRowCount());
  }

  /**
   * A hasher of one column chunk, fed its dictionary and pages one at a time: {@link
   * #readDictionary}, then {@link #begin}, then {@link #hashPage} for each data page, after
   * checking with {@link #decodes} that it decodes them all. For chunks it cannot decode, use
   * {@link #hash(PageReadStore, String, ColumnDescriptor, int, ColumnCopier.RowHashes,
   * ColumnBloomFilter, int)}.
   *
   * @param bloomFilter the bloom filter to add the values to, or null
   * @param buffers where pages' levels and dictionary indexes are decoded
   */
  static ColumnHasher forChunk(
      ColumnDescriptor descriptor, int column, ColumnBloomFilter bloomFilter, PageBuffer buffers) {
    return new ColumnHasher(descriptor, column, bloomFilter, buffers);
  }

  /** Whether {@link #hashPage} decodes a V1 data page with these encodings. */
  boolean decodes(
      Encoding repetitionEncoding, Encoding definitionEncoding, Encoding valueEncoding) {
    return (maxRepetition == 0 || repetitionEncoding == Encoding.RLE)
        && (maxDefinition == 0 || definitionEncoding == Encoding.RLE)
        && switch (valueEncoding) {
          case PLAIN -> true;
          case PLAIN_DICTIONARY, RLE_DICTIONARY -> type != PrimitiveTypeName.BOOLEAN;
          default -> false;
        };
  }

  /** Whether {@link #checkPage} checks a V1 data page with these encodings. */
  boolean checks(Encoding repetitionEncoding, Encoding definitionEncoding, Encoding valueEncoding) {
    return valueEncoding == Encoding.PLAIN
        && decodes(repetitionEncoding, definitionEncoding, valueEncoding);
  }

  /**
   * Checks one V1 data page of PLAIN values, whose encodings {@link #checks}, as {@link #hashPage}
   * reads it, without hashing anything: its levels decode and stay within the column's maximum
   * levels, and its values lie within the page. A merge checks this way the pages it carries over
   * verbatim and verifies by their bytes ({@link PageDigest}), so that a page no reader could
   * decode is never carried into an output.
   *
   * @param bytes holds the decompressed page from {@code start} to {@code end} (exclusive)
   * @param count the page's values, nulls included
   * @param nextRow the row of the page's first value, unless it repeats the row before
   * @return the row after the page's last value, as {@link #hashPage} returns it
   * @throws IllegalStateException if the page's levels or values are corrupt or run past its end
   */
  int checkPage(byte[] bytes, int start, int end, int count, int nextRow) {
    int position = readPageLevels(bytes, start, end, count);
    int[] pageRepetitions = maxRepetition > 0 ? buffers.repetitionLevels(count) : null;
    int[] pageDefinitions = maxDefinition > 0 ? buffers.definitionLevels(count) : null;
    int row = nextRow - 1;
    int present = 0;
    for (int i = 0; i < count; i++) {
      int repetition = pageRepetitions == null ? 0 : pageRepetitions[i];
      int definition = pageDefinitions == null ? maxDefinition : pageDefinitions[i];
      if (repetition < 0
          || repetition > maxRepetition
          || definition < 0
          || definition > maxDefinition) {
        throw ColumnElements.invalidLevels(repetition, definition, maxRepetition, maxDefinition);
      }
      row += repetition == 0 ? 1 : 0;
      present += definition == maxDefinition ? 1 : 0;
    }
    long bytesNeeded =
        switch (type) {
          case BOOLEAN -> (present + 7L) / 8;
          case INT32, FLOAT -> 4L * present;
          case INT64, DOUBLE -> 8L * present;
          case INT96 -> 12L * present;
          case FIXED_LEN_BYTE_ARRAY ->
              (long) descriptor.getPrimitiveType().getTypeLength() * present;
          case BINARY -> {
            for (int value = 0; value < present; value++) {
              if (position > end - 4) {
                throw valuesPastEnd();
              }
              int length = (int) INT.get(bytes, position);
              position += 4;
              if (length < 0 || length > end - position) {
                throw valuesPastEnd();
              }
              position += length;
            }
            yield 0;
          }
        };
    if (bytesNeeded > end - position) {
      throw valuesPastEnd();
    }
    return row + 1;
  }

  /**
   * Readies the hasher for a chunk of {@code values} values, once its dictionary, if it has one, is
   * read.
   */
  void begin(long values) {
    elements =
        new ColumnElements(column, maxRepetition, maxDefinition, dictionary1, dictionary2, values);
  }

  /**
   * Hashes a PLAIN dictionary's entries, which the dictionary-encoded pages then refer to; false if
   * its encoding is another. The page's bytes may be reused once this returns.
   */
  boolean readDictionary(DictionaryPage page) {
    var read = DictionaryEntries.read(page, descriptor);
    if (read.isEmpty()) {
      return false;
    }
    DictionaryEntries entries = read.get();
    if (bloomFilter != null) {
      entries.addTo(bloomFilter, type);
    }
    if (!isByteString(type)) {
      dictionary1 = entries.bits();
      return true;
    }
    dictionary1 = new long[entries.size()];
    dictionary2 = new long[entries.size()];
    for (int entry = 0; entry < entries.size(); entry++) {
      byte[] string = entries.strings()[entry];
      bytesHash.hash(string, 0, string.length);
      dictionary1[entry] = bytesHash.lane1;
      dictionary2[entry] = bytesHash.lane2;
    }
    return true;
  }

  /**
   * Folds the values of one V1 data page, whose encodings {@link #decodes}, into their rows.
   *
   * @param bytes holds the decompressed page from {@code start} to {@code end} (exclusive)
   * @param count the page's values, nulls included
   * @param nextRow the row of the page's first value, unless it repeats the row before
   * @return the row after the page's last value
   * @throws IllegalStateException if the page's levels or values are corrupt or run past its end
   */
  int hashPage(
      byte[] bytes,
      int start,
      int end,
      int count,
      Encoding valueEncoding,
      ColumnCopier.RowHashes hashes,
      int nextRow) {
    int position = readPageLevels(bytes, start, end, count);
    int[] pageRepetitions = maxRepetition > 0 ? buffers.repetitionLevels(count) : null;
    int[] pageDefinitions = maxDefinition > 0 ? buffers.definitionLevels(count) : null;
    if (valueEncoding == Encoding.PLAIN) {
      return hashPlain(
              bytes, position, end, pageRepetitions, pageDefinitions, count, hashes, nextRow)
          + 1;
    }
    if (dictionary1 == null) {
      throw new IllegalStateException(
          "Column " + CarriedChunk.pathOf(descriptor) + " has dictionary pages but no dictionary");
    }
    int present = count;
    if (maxDefinition > 0) {
      present = 0;
      for (int i = 0; i < count; i++) {
        present += pageDefinitions[i] == maxDefinition ? 1 : 0;
      }
    }
    if (position >= end) {
      throw valuesPastEnd();
    }
    int bitWidth = bytes[position++] & 0xFF;
    int[] indexes = buffers.indexes(present);
    new HybridDecoder(bytes, position, end, bitWidth).read(indexes, present);
    return elements.foldEntries(
            hashes, pageRepetitions, pageDefinitions, indexes, count, nextRow - 1)
        + 1;
  }

  /**
   * Folds a page of PLAIN values, from {@code position} to {@code end} in {@code bytes}, into their
   * rows, as {@link ColumnCopier.RowHashes#foldNumber}, {@link ColumnCopier.RowHashes#foldBytes}
   * and {@link ColumnElements#foldNull} do for each value in turn. One loop with the folds written
   * out: see {@link ColumnElements#foldEntries}.
   *
   * @param pageRepetitions the values' repetition levels; null if the column has none
   * @param pageDefinitions the values' definition levels; null if the column has none
   * @param nextRow the row of the page's first value, unless it repeats the row before
   * @return the row of the page's last value
   */
  private int hashPlain(
      byte[] bytes,
      int position,
      int end,
      int[] pageRepetitions,
      int[] pageDefinitions,
      int count,
      ColumnCopier.RowHashes hashes,
      int nextRow) {
    long[] lane1 = hashes.lane1;
    long[] lane2 = hashes.lane2;
    long[] nulls1 = elements.nullElements1();
    long[] nulls2 = elements.nullElements2();
    int levels = maxDefinition + 1;
    long presentTag = ColumnCopier.RowHashes.tag(column, 0, maxDefinition);
    int width =
        switch (type) {
          case INT32, FLOAT -> 4;
          case INT64, DOUBLE -> 8;
          case BOOLEAN -> 1;
          case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> 0;
        };
    if (pageRepetitions == null && bloomFilter == null && (width == 8 || width == 4)) {
      return hashNumbers(bytes, position, end, pageDefinitions, count, hashes, nextRow, width);
    }
    boolean lengthPrefixed = type == PrimitiveTypeName.BINARY;
    int fixedLength =
        switch (type) {
          case FIXED_LEN_BYTE_ARRAY -> descriptor.getPrimitiveType().getTypeLength();
          case INT96 -> 12;
          default -> 0;
        };
    int row = nextRow - 1;
    int value = 0;
    for (int i = 0; i < count; i++) {
      int repetition = pageRepetitions == null ? 0 : pageRepetitions[i];
      int definition = pageDefinitions == null ? maxDefinition : pageDefinitions[i];
      if (repetition > maxRepetition || definition > maxDefinition) {
        throw ColumnElements.invalidLevels(repetition, definition, maxRepetition, maxDefinition);
      }
      if (repetition == 0) {
        row++;
      }
      long element1;
      long element2;
      if (definition != maxDefinition) {
        int at = repetition * levels + definition;
        element1 = nulls1[at];
        element2 = nulls2[at];
      } else {
        long tag = presentTag | ((long) repetition << 10);
        if (width == 0) {
          int length = fixedLength;
          if (lengthPrefixed) {
            length = (int) INT.get(bytes, position);
            position += 4;
          }
          if (length < 0 || length > end - position) {
            throw valuesPastEnd();
          }
          if (bloomFilter != null) {
            bloomFilter.addBytes(bytes, position, length);
          }
          bytesHash.hash(bytes, position, length);
          position += length;
          element1 = ColumnCopier.RowHashes.bytesElement1(bytesHash.lane1, tag);
          element2 = ColumnCopier.RowHashes.bytesElement2(bytesHash.lane2, tag);
        } else {
          long bits;
          if (width == 8) {
            if (bloomFilter != null) {
              bloomFilter.addBytes(bytes, position, 8);
            }
            bits = (long) LONG.get(bytes, position);
            position += 8;
          } else if (width == 4) {
            if (bloomFilter != null) {
              bloomFilter.addBytes(bytes, position, 4);
            }
            bits = (int) INT.get(bytes, position);
            position += 4;
          } else {
            bits = (bytes[position + (value >>> 3)] >>> (value & 7)) & 1;
          }
          element1 = ColumnCopier.RowHashes.numberElement1(bits, tag);
          element2 = ColumnCopier.RowHashes.numberElement2(bits, tag);
        }
        value++;
      }
      lane1[row] = (lane1[row] ^ element1) * Hashing.LANE1;
      lane2[row] = (lane2[row] + element2) * Hashing.LANE2;
    }
    if ((width == 1 ? position + (value + 7) / 8 : position) > end) {
      throw valuesPastEnd();
    }
    return row;
  }

  /**
   * {@link #hashPlain} for its most common case, without the branches the general loop takes for
   * every value: a column without repetition, of numbers 4 or 8 bytes wide, without a bloom filter.
   * The hashes are the same.
   */
  private int hashNumbers(
      byte[] bytes,
      int position,
      int end,
      int[] pageDefinitions,
      int count,
      ColumnCopier.RowHashes hashes,
      int nextRow,
      int width) {
    long[] lane1 = hashes.lane1;
    long[] lane2 = hashes.lane2;
    long[] nulls1 = elements.nullElements1();
    long[] nulls2 = elements.nullElements2();
    long tag = ColumnCopier.RowHashes.tag(column, 0, maxDefinition);
    boolean wide = width == 8;
    int row = nextRow - 1;
    for (int i = 0; i < count; i++) {
      row++;
      int definition = pageDefinitions == null ? maxDefinition : pageDefinitions[i];
      long element1;
      long element2;
      if (definition == maxDefinition) {
        long bits = wide ? (long) LONG.get(bytes, position) : (int) INT.get(bytes, position);
        position += width;
        element1 = ColumnCopier.RowHashes.numberElement1(bits, tag);
        element2 = ColumnCopier.RowHashes.numberElement2(bits, tag);
      } else if (definition >= 0 && definition < maxDefinition) {
        element1 = nulls1[definition];
        element2 = nulls2[definition];
      } else {
        throw ColumnElements.invalidLevels(0, definition, maxRepetition, maxDefinition);
      }
      lane1[row] = (lane1[row] ^ element1) * Hashing.LANE1;
      lane2[row] = (lane2[row] + element2) * Hashing.LANE2;
    }
    if (position > end) {
      throw valuesPastEnd();
    }
    return row;
  }

  /**
   * Decodes a V1 page's levels, those the column has, into {@link #buffers}' arrays, where {@link
   * PageBuffer#repetitionLevels} and {@link PageBuffer#definitionLevels} then give them.
   *
   * @return where the page's values start
   * @throws IllegalStateException if the levels run past the page's end
   */
  private int readPageLevels(byte[] bytes, int start, int end, int count) {
    int position = start;
    if (maxRepetition > 0) {
      position =
          readLevels(bytes, position, end, maxRepetition, buffers.repetitionLevels(count), count);
    }
    if (maxDefinition > 0) {
      position =
          readLevels(bytes, position, end, maxDefinition, buffers.definitionLevels(count), count);
    }
    if (position > end) {
      throw valuesPastEnd();
    }
    return position;
  }

  private IllegalStateException valuesPastEnd() {
    return new IllegalStateException(
        "The values of a page of column " + CarriedChunk.pathOf(descriptor) + " run past its end");
  }

  static boolean isByteString(PrimitiveTypeName type) {
    return switch (type) {
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> true;
      case INT32, INT64, FLOAT, DOUBLE, BOOLEAN -> false;
    };
  }

  /**
   * Reads RLE-encoded levels with their 4-byte length, from a page that ends at {@code end};
   * returns the position after them.
   *
   * @throws IllegalStateException if the levels run past the page's end
   */
  static int readLevels(byte[] bytes, int position, int end, int maxLevel, int[] into, int count) {
    if (position > end - 4) {
      throw new IllegalStateException("A page ends within the length of its levels");
    }
    int length = (int) INT.get(bytes, position);
    int start = position + 4;
    if (length < 0 || length > end - start) {
      throw new IllegalStateException("A page's levels run past its end");
    }
    new HybridDecoder(bytes, start, start + length, BytesUtils.getWidthFromMaxInt(maxLevel))
        .read(into, count);
    return start + length;
  }

  /** A page whose bytes stay readable after the reader moves on (decompressors reuse buffers). */
  private static DataPage copy(DataPage page) {
    if (page instanceof DataPageV1 v1) {
      return new DataPageV1(
          BytesInput.from(DictionaryEntries.bytesOf(v1.getBytes())),
          v1.getValueCount(),
          v1.getUncompressedSize(),
          v1.getStatistics(),
          v1.getRlEncoding(),
          v1.getDlEncoding(),
          v1.getValueEncoding());
    }
    DataPageV2 v2 = (DataPageV2) page;
    return new DataPageV2(
        v2.getRowCount(),
        v2.getNullCount(),
        v2.getValueCount(),
        BytesInput.from(DictionaryEntries.bytesOf(v2.getRepetitionLevels())),
        BytesInput.from(DictionaryEntries.bytesOf(v2.getDefinitionLevels())),
        v2.getDataEncoding(),
        BytesInput.from(DictionaryEntries.bytesOf(v2.getData())),
        v2.getUncompressedSize(),
        v2.getStatistics(),
        false);
  }

  private static DictionaryPage copy(DictionaryPage page) {
    try {
      return page.copy();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read a dictionary page: " + e.getMessage(), e);
    }
  }

  private static VarHandle view(Class<?> arrayType) {
    return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
  }
}
