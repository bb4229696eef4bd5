package dev.baler.parquet;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Joins small carried pages into pages of the output's page size. Files of a few hundred rows have
 * pages of a few hundred rows, and carried as they are they stay that small in the output: the
 * codec compresses each alone, each has its header and statistics, and each takes an entry in the
 * output's column and offset indexes, which the writer holds until the file ends (with 20,000 files
 * of 200 rows, about 33,000 pages per output file). Joined, those costs are paid per output page.
 *
 * <p>A page is joined with the next ones of its column chunk while the join stays within the page
 * size in bytes (uncompressed) and {@value #MAX_PAGE_ROWS} rows; an input page is never split, so
 * every output page starts a row, as every carried page does. Its values are PLAIN: their bytes are
 * appended as they are, only BOOLEAN's bit-packed values are not (such chunks are carried as they
 * are). Its repetition and definition levels are decoded and encoded again ({@link HybridEncoder}):
 * the runs of two pages cannot be appended, as the last bit-packed run of a page may be padded with
 * values that are not there. The joined page's statistics are the merge of its pages' statistics,
 * or none if one of them has none or incomplete ones ({@link CarriedChunk#complete}). The merge's
 * fingerprint is still taken from the input pages, and the read-back of the output is compared with
 * it, so a join that changed a value would fail verification rather than go unnoticed.
 *
 * <p>Not thread-safe: one per merge, reused for every column it joins.
 */
final class PageCoalescer {
  /** The most rows in a joined page: parquet-java's default page row count limit. */
  static final int MAX_PAGE_ROWS = 20_000;

  private final BytesInputCompressor compressor;
  private final int pageBytes;
  private final int smallPageBytes;
  private final PageBuffer buffer = new PageBuffer();
  private final HybridEncoder levelEncoder = new HybridEncoder();

  private ParquetFileWriter writer;
  private ColumnDescriptor descriptor;
  private BytesInputDecompressor decompressor;
  private Encoding repetitionEncoding;
  private Encoding definitionEncoding;

  // the page being joined
  private byte[] values = new byte[0];
  private int valueBytes;
  private int[] repetitionLevels = new int[0];
  private int[] definitionLevels = new int[0];
  private int levels;
  private int rows;
  private int pages;
  private Statistics<?> statistics;
  private boolean statisticsKnown;

  /**
   * @param compressor the output codec's compressor
   * @param pageBytes the most uncompressed bytes of a joined page, unless one input page has more
   * @param smallPageBytes pages are joined when they average fewer uncompressed bytes than this
   *     ({@link WriteOptions#smallPageBytes()}); 0 joins none
   */
  PageCoalescer(BytesInputCompressor compressor, int pageBytes, int smallPageBytes) {
    this.compressor = compressor;
    this.pageBytes = pageBytes;
    this.smallPageBytes = smallPageBytes;
  }

  /**
   * Whether the pages of these chunks, one output column chunk, are worth joining and can be: their
   * uncompressed bytes average under the small page size, their values are PLAIN and not BOOLEAN,
   * and their levels, where the column has them, are RLE and all encoded alike.
   */
  boolean applies(ColumnDescriptor descriptor, List<CarriedChunk> chunks) {
    if (smallPageBytes == 0
        || descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BOOLEAN) {
      return false;
    }
    long bytes = 0;
    long count = 0;
    Encoding repetition = null;
    Encoding definition = null;
    for (CarriedChunk chunk : chunks) {
      for (CarriedChunk.Page page : chunk.pages()) {
        if (page.valuesEncoding() != Encoding.PLAIN
            || (descriptor.getMaxRepetitionLevel() > 0 && page.repetitionEncoding() != Encoding.RLE)
            || (descriptor.getMaxDefinitionLevel() > 0
                && page.definitionEncoding() != Encoding.RLE)) {
          return false;
        }
        if (repetition == null) {
          repetition = page.repetitionEncoding();
          definition = page.definitionEncoding();
        } else if (repetition != page.repetitionEncoding()
            || definition != page.definitionEncoding()) {
          return false;
        }
        bytes += page.uncompressedSize();
        count++;
      }
    }
    return count > 1 && bytes / count < smallPageBytes;
  }

  /**
   * Starts joining the pages of a column chunk that {@link #applies} to; the writer's column must
   * have been started.
   *
   * @param decompressor the codec of the input pages, which is the output's
   */
  void start(
      ParquetFileWriter writer, ColumnDescriptor descriptor, BytesInputDecompressor decompressor) {
    this.writer = writer;
    this.descriptor = descriptor;
    this.decompressor = decompressor;
    this.repetitionEncoding = null;
    this.definitionEncoding = null;
    clear();
  }

  /**
   * Adds a page, writing the page joined so far first when this one would take it past the page
   * size or {@value #MAX_PAGE_ROWS} rows.
   *
   * @param pageStatistics the page's statistics, or null if it has none
   * @throws IOException if writing fails
   * @throws ParquetDecodingException if the page cannot be decompressed or its levels decoded
   */
  void add(CarriedChunk.Page page, Statistics<?> pageStatistics) throws IOException {
    if (pages > 0
        && ((long) valueBytes + page.uncompressedSize() > pageBytes
            || (long) rows + page.rows() > MAX_PAGE_ROWS)) {
      flush();
    }
    repetitionEncoding = page.repetitionEncoding();
    definitionEncoding = page.definitionEncoding();
    try {
      buffer.decompress(
          decompressor, page.stored(), page.offset(), page.length(), page.uncompressedSize());
    } catch (IOException | RuntimeException e) {
      throw new ParquetDecodingException(
          "cannot decompress a page of column " + CarriedChunk.pathOf(descriptor) + " (" + e + ")",
          e);
    }
    byte[] bytes = buffer.array();
    int position = buffer.offset();
    int end = position + page.uncompressedSize();
    int count = page.values();
    ensureLevels(levels + count);
    if (descriptor.getMaxRepetitionLevel() > 0) {
      position =
          decodeLevels(
              bytes, position, end, descriptor.getMaxRepetitionLevel(), repetitionLevels, count);
    }
    if (descriptor.getMaxDefinitionLevel() > 0) {
      position =
          decodeLevels(
              bytes, position, end, descriptor.getMaxDefinitionLevel(), definitionLevels, count);
    }
    int length = end - position;
    if (values.length < valueBytes + length) {
      values = Arrays.copyOf(values, Math.max(valueBytes + length, values.length * 2));
    }
    System.arraycopy(bytes, position, values, valueBytes, length);
    valueBytes += length;
    levels += count;
    rows += page.rows();
    if (!CarriedChunk.complete(pageStatistics, page.values())) {
      statisticsKnown = false;
    } else if (statisticsKnown) {
      statistics.mergeStatistics(pageStatistics);
    }
    pages++;
  }

  /**
   * Decodes one page's levels, a 4-byte length and then RLE runs, into {@code into} after the
   * levels already there.
   *
   * @return where the bytes after the levels start
   */
  private int decodeLevels(byte[] bytes, int position, int end, int maxLevel, int[] into, int count)
      throws IOException {
    if (end - position < 4) {
      throw invalidLevels();
    }
    int length = BytesUtils.readIntLittleEndian(bytes, position);
    if (length < 0 || length > end - position - 4) {
      throw invalidLevels();
    }
    int start = position + 4;
    int[] decoded = buffer.indexes(count);
    try {
      new HybridDecoder(bytes, start, start + length, BytesUtils.getWidthFromMaxInt(maxLevel))
          .read(decoded, count);
    } catch (IllegalStateException e) {
      throw invalidLevels();
    }
    System.arraycopy(decoded, 0, into, levels, count);
    return start + length;
  }

  private ParquetDecodingException invalidLevels() {
    return new ParquetDecodingException(
        "the levels of a page of column " + CarriedChunk.pathOf(descriptor) + " run past it");
  }

  /** Writes the page joined so far, if any. */
  void finish() throws IOException {
    if (pages > 0) {
      flush();
    }
  }

  private void flush() throws IOException {
    BytesInput repetition = encodeLevels(descriptor.getMaxRepetitionLevel(), repetitionLevels);
    BytesInput definition = encodeLevels(descriptor.getMaxDefinitionLevel(), definitionLevels);
    BytesInput page =
        BytesInput.concat(repetition, definition, BytesInput.from(values, 0, valueBytes));
    int uncompressedSize = Math.toIntExact(page.size());
    BytesInput compressed = compressor.compress(page);
    writer.writeDataPage(
        levels,
        uncompressedSize,
        compressed,
        statisticsKnown ? statistics : null,
        rows,
        repetitionEncoding,
        definitionEncoding,
        Encoding.PLAIN,
        null,
        null,
        null);
    clear();
  }

  /** The levels as a V1 page stores them: a 4-byte length and RLE runs; none if the max is 0. */
  private BytesInput encodeLevels(int maxLevel, int[] from) throws IOException {
    if (maxLevel == 0) {
      return BytesInput.empty();
    }
    levelEncoder.encode(from, levels, BytesUtils.getWidthFromMaxInt(maxLevel));
    return BytesInput.concat(
        BytesInput.fromInt(levelEncoder.size()), BytesInput.copy(levelEncoder.toBytesInput()));
  }

  private void ensureLevels(int count) {
    if (descriptor.getMaxRepetitionLevel() > 0 && repetitionLevels.length < count) {
      repetitionLevels = Arrays.copyOf(repetitionLevels, Math.max(count, levels * 2));
    }
    if (descriptor.getMaxDefinitionLevel() > 0 && definitionLevels.length < count) {
      definitionLevels = Arrays.copyOf(definitionLevels, Math.max(count, levels * 2));
    }
  }

  private void clear() {
    valueBytes = 0;
    levels = 0;
    rows = 0;
    pages = 0;
    statistics = Statistics.createStats(descriptor.getPrimitiveType());
    statisticsKnown = true;
  }
}
