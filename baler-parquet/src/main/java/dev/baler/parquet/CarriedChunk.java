package dev.baler.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Page carry-over (PARQUET-1381): the data pages of one input column chunk, as stored, for copying
 * into an output column chunk without decoding and re-encoding them.
 *
 * <p>A chunk can be carried when its codec is the output's, it has no dictionary (page or
 * dictionary-encoded data pages), all its pages are V1 data pages, each page starts a row, none of
 * its rows is left out (deduplication), and its footer statistics are known, so that the output
 * column chunk's statistics are exact: they are the merge of the input chunks' statistics. Page
 * statistics come from the page headers, or else from the input's column index; when those do not
 * merge into exactly the chunk statistics (a column index may hold truncated bounds), the output
 * chunk keeps the merged chunk statistics and has no column index.
 *
 * <p>Carried pages are still decompressed, one at a time. Those copied as stored (not joined) into
 * an output chunk without a bloom filter, with PLAIN values and RLE levels, are checked: their
 * levels and values decoded far enough to know that a reader can decode them ({@link #check}); and
 * verified by their bytes: the merge digests them ({@link PageDigest}), the read-back digests the
 * output chunk's pages, and no value is hashed on either side. Other carried pages (joined, of a
 * column with a bloom filter, or of other encodings) have their values folded into the merge's row
 * hashes ({@link ChunkPages#hash}), as re-encoded columns do. Carry-over saves encoding,
 * compressing and the writer's dictionary attempt, and for verbatim chunks, hashing every value
 * twice.
 */
final class CarriedChunk {
  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  /** One data page: its compressed bytes as stored, and its header. */
  record Page(
      byte[] stored,
      int offset,
      int length,
      int uncompressedSize,
      int values,
      int rows,
      Optional<Statistics<?>> statistics,
      Encoding repetitionEncoding,
      Encoding definitionEncoding,
      Encoding valuesEncoding,
      boolean checked) {}

  private final ColumnDescriptor descriptor;
  private final byte[] stored;
  private final int start;
  private final int size;
  private final List<Page> pages;
  private final long values;
  private final long rows;

  private CarriedChunk(
      ColumnDescriptor descriptor,
      byte[] stored,
      int start,
      int size,
      List<Page> pages,
      long values,
      long rows) {
    this.descriptor = descriptor;
    this.stored = stored;
    this.start = start;
    this.size = size;
    this.pages = pages;
    this.values = values;
    this.rows = rows;
  }

  /**
   * Whether the chunk's metadata allows carrying it: same codec, and no dictionary and no V2 pages
   * as far as the metadata tells. A chunk may be carried (a carry candidate, {@link
   * InputChunks#carryCandidate}) when this holds and its statistics are {@linkplain #complete
   * complete}: the statistics are asked only then, as a footer read where it lies converts them
   * only for the chunks that pass this. The pages themselves are checked by {@link #read}.
   */
  static boolean metadataAllows(ChunkMetadata chunk, CompressionCodecName outputCodec) {
    return chunk.codec() == outputCodec
        && !chunk.hasDictionaryPage()
        && !chunk.has(ChunkMetadata.DICTIONARY_PAGES)
        && !chunk.has(ChunkMetadata.DICTIONARY_ENCODED_PAGES)
        && !chunk.has(ChunkMetadata.V2_PAGES)
        && !chunk.has(ChunkMetadata.DICTIONARY_ENCODINGS);
  }

  /**
   * Whether statistics say all that merging them needs: a null count, and bounds unless every value
   * is null. Writers may leave the bounds out while values exist (Arrow does for strings over 4
   * KB); merged, such statistics would leave those values outside the merged bounds.
   *
   * @param statistics the statistics, or null
   * @param values the values they cover, nulls included
   */
  static boolean complete(Statistics<?> statistics, long values) {
    return statistics != null
        && statistics.isNumNullsSet()
        && (statistics.hasNonNullValue() || statistics.getNumNulls() == values);
  }

  /**
   * Parses a chunk's stored bytes into pages and checks their checksums. Only the pages of a
   * repeated column are decompressed here, to count the rows that start in them; {@code checker},
   * if not null, then checks each such page as {@link #check} would, while it lies decompressed, so
   * that checking the chunk does not decompress it again. A page that fails that check is only
   * noted as unchecked: {@link #check} checks it again and reports it. Every page is decompressed
   * again when the chunk is hashed ({@link ChunkPages#hash}).
   *
   * @param chunkValues the chunk's values, from its footer
   * @param stored holds the chunk's bytes, as many as its footer says, from {@code start}; the
   *     pages keep referring to them
   * @param size the chunk's size in bytes
   * @param buffer where the pages of a repeated column are decompressed, to count their rows
   * @param checker a checker of the chunk's column (using {@code buffer}), or null to check no page
   *     here
   * @return the pages, or empty if a page cannot be carried (a dictionary page or
   *     dictionary-encoded values, a V2 page, a page that does not start a row)
   * @throws IOException if a page header cannot be read (caused by Thrift's {@code TException})
   * @throws ParquetDecodingException if a page fails its checksum, a repeated column's page cannot
   *     be decompressed, or the pages do not add up to the chunk
   */
  static Optional<CarriedChunk> read(
      String createdBy,
      ColumnDescriptor descriptor,
      long chunkValues,
      byte[] stored,
      int start,
      int size,
      BytesInputDecompressor decompressor,
      PageBuffer buffer,
      ColumnHasher checker)
      throws IOException {
    PrimitiveType type = descriptor.getPrimitiveType();
    int end = start + size;
    int position = start;
    List<Page> pages = new ArrayList<>();
    long values = 0;
    long rows = 0;
    while (values < chunkValues) {
      PageHeader header = new PageHeader();
      int offset = PageHeaders.read(stored, position, end, header);
      int length = header.getCompressed_page_size();
      if (length < 0 || length > end - offset) {
        throw new ParquetDecodingException(
            "a page of column " + pathOf(descriptor) + " runs past its chunk");
      }
      position = offset + length;
      if (header.getType() == PageType.INDEX_PAGE) {
        continue;
      }
      if (header.getType() != PageType.DATA_PAGE) {
        return Optional.empty();
      }
      DataPageHeader data = header.getData_page_header();
      Encoding valuesEncoding = CONVERTER.getEncoding(data.getEncoding());
      if (valuesEncoding.usesDictionary()) {
        return Optional.empty();
      }
      if (header.isSetCrc()) {
        CRC32 crc = new CRC32();
        crc.update(stored, offset, length);
        if ((int) crc.getValue() != header.getCrc()) {
          // parquet-java's message for the same damage, so that a file is reported alike
          // whichever way its pages were read
          throw new ParquetDecodingException(
              "could not verify page integrity, CRC checksum verification failed");
        }
      }
      int uncompressedSize = header.getUncompressed_page_size();
      Encoding repetitionEncoding = CONVERTER.getEncoding(data.getRepetition_level_encoding());
      Encoding definitionEncoding = CONVERTER.getEncoding(data.getDefinition_level_encoding());
      int pageValues = data.getNum_values();
      int pageRows = pageValues;
      boolean checked = false;
      if (descriptor.getMaxRepetitionLevel() > 0) {
        ChunkPages.decompress(
            buffer, decompressor, stored, offset, length, uncompressedSize, descriptor);
        pageRows =
            rowsOf(
                descriptor,
                repetitionEncoding,
                buffer.array(),
                buffer.offset(),
                uncompressedSize,
                pageValues,
                buffer.repetitionLevels(pageValues));
        if (pageRows >= 0
            && checker != null
            && checker.checks(repetitionEncoding, definitionEncoding, valuesEncoding)) {
          checked = checkedAsRead(checker, buffer, uncompressedSize, pageValues, pageRows);
        }
      }
      if (pageRows < 0) {
        return Optional.empty();
      }
      Optional<Statistics<?>> statistics =
          data.isSetStatistics()
              ? Optional.of(CONVERTER.fromParquetStatistics(createdBy, data.getStatistics(), type))
              : Optional.empty();
      pages.add(
          new Page(
              stored,
              offset,
              length,
              uncompressedSize,
              pageValues,
              pageRows,
              statistics,
              repetitionEncoding,
              definitionEncoding,
              valuesEncoding,
              checked));
      values += pageValues;
      rows += pageRows;
    }
    if (values != chunkValues) {
      throw new ParquetDecodingException(
          "column "
              + pathOf(descriptor)
              + " has "
              + values
              + " values in its pages, "
              + chunkValues
              + " in its footer");
    }
    return Optional.of(new CarriedChunk(descriptor, stored, start, size, pages, values, rows));
  }

  /**
   * Whether a page, decompressed in {@code buffer}, passes {@link ColumnHasher#checkPage} with the
   * rows counted as it was read; false, with nothing thrown, if not.
   */
  private static boolean checkedAsRead(
      ColumnHasher checker, PageBuffer buffer, int uncompressedSize, int values, int rows) {
    try {
      return checker.checkPage(
              buffer.array(), buffer.offset(), buffer.offset() + uncompressedSize, values, 0)
          == rows;
    } catch (IllegalStateException e) {
      return false; // checked again by check, which reports it
    }
  }

  /**
   * Rows that start in a page of a repeated column, {@code pageLength} decompressed bytes at {@code
   * offset} in {@code page}; -1 when the page does not start a row, so it cannot be carried.
   *
   * @param levels where the page's repetition levels are decoded, at least {@code values} long
   */
  private static int rowsOf(
      ColumnDescriptor descriptor,
      Encoding encoding,
      byte[] page,
      int offset,
      int pageLength,
      int values,
      int[] levels) {
    if (encoding != Encoding.RLE || pageLength < 4) {
      return -1;
    }
    int length =
        (page[offset] & 0xFF)
            | (page[offset + 1] & 0xFF) << 8
            | (page[offset + 2] & 0xFF) << 16
            | (page[offset + 3] & 0xFF) << 24;
    if (length < 0 || length > pageLength - 4) {
      throw new ParquetDecodingException(
          "the repetition levels of a page of column " + pathOf(descriptor) + " run past it");
    }
    int start = offset + 4;
    try {
      new HybridDecoder(
              page,
              start,
              start + length,
              BytesUtils.getWidthFromMaxInt(descriptor.getMaxRepetitionLevel()))
          .read(levels, values);
    } catch (IllegalStateException e) {
      throw new ParquetDecodingException(
          "cannot decode the repetition levels of a page of column "
              + pathOf(descriptor)
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    if (values > 0 && levels[0] != 0) {
      return -1;
    }
    int rows = 0;
    for (int i = 0; i < values; i++) {
      rows += levels[i] == 0 ? 1 : 0;
    }
    return rows;
  }

  /** Whether a page has no statistics in its header. */
  boolean lacksPageStatistics() {
    return pages.stream().anyMatch(page -> page.statistics().isEmpty());
  }

  /**
   * The chunk with missing page statistics taken from its column index, where the index has one
   * entry per page with null counts; otherwise the chunk as it is.
   *
   * @param index the input's column index of the chunk, or null
   */
  CarriedChunk withIndexStatistics(ColumnIndex index) {
    if (index == null
        || index.getNullPages().size() != pages.size()
        || index.getNullCounts() == null
        || index.getNullCounts().size() != pages.size()) {
      return this;
    }
    PrimitiveType type = descriptor.getPrimitiveType();
    List<Page> filled = new ArrayList<>(pages.size());
    for (int i = 0; i < pages.size(); i++) {
      Page page = pages.get(i);
      if (page.statistics().isPresent()) {
        filled.add(page);
        continue;
      }
      var builder = Statistics.getBuilderForReading(type);
      if (!index.getNullPages().get(i)) {
        builder.withMin(bytesOf(index.getMinValues().get(i)));
        builder.withMax(bytesOf(index.getMaxValues().get(i)));
      }
      builder.withNumNulls(index.getNullCounts().get(i));
      filled.add(
          new Page(
              page.stored(),
              page.offset(),
              page.length(),
              page.uncompressedSize(),
              page.values(),
              page.rows(),
              Optional.of(builder.build()),
              page.repetitionEncoding(),
              page.definitionEncoding(),
              page.valuesEncoding(),
              page.checked()));
    }
    return new CarriedChunk(descriptor, stored, start, size, filled, values, rows);
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** The chunk's data pages, in order. */
  List<Page> pages() {
    return pages;
  }

  /** Values in the chunk, nulls included. */
  long values() {
    return values;
  }

  /** Rows in the chunk. */
  long rows() {
    return rows;
  }

  /** The array holding the chunk's stored bytes, from {@link #start()}, {@link #size()} of them. */
  byte[] stored() {
    return stored;
  }

  /** Where the chunk starts in {@link #stored()}. */
  int start() {
    return start;
  }

  /** The chunk's size in bytes, as stored. */
  int size() {
    return size;
  }

  /** Whether {@code checker} can check every page of the chunk ({@link ColumnHasher#checks}). */
  boolean checkableBy(ColumnHasher checker) {
    for (Page page : pages) {
      if (!checker.checks(
          page.repetitionEncoding(), page.definitionEncoding(), page.valuesEncoding())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks that each page decodes ({@link ColumnHasher#checkPage}), decompressing them one at a
   * time into {@code buffer}, and adds each to {@code digest} as it is stored: for a chunk carried
   * over verbatim, which is verified by its pages' bytes rather than by its values. Pages checked
   * as they were read ({@link #read}) are not decompressed again.
   *
   * @param checker a checker of this chunk's column, which {@linkplain #checkableBy checks} it
   * @param decompressor the chunk's codec
   * @return the rows of the chunk
   * @throws IllegalStateException if a page's levels or values are corrupt, or its rows are not
   *     those its header was read with
   * @throws ParquetDecodingException if a page cannot be decompressed
   */
  int check(
      ColumnHasher checker,
      BytesInputDecompressor decompressor,
      PageBuffer buffer,
      PageDigest digest) {
    int rowsChecked = 0;
    for (Page page : pages) {
      int pageRows = page.rows();
      if (!page.checked()) {
        ChunkPages.decompress(
            buffer,
            decompressor,
            page.stored(),
            page.offset(),
            page.length(),
            page.uncompressedSize(),
            descriptor);
        pageRows =
            checker.checkPage(
                buffer.array(),
                buffer.offset(),
                buffer.offset() + page.uncompressedSize(),
                page.values(),
                0);
      }
      if (pageRows != page.rows()) {
        throw new IllegalStateException(
            "a page of column "
                + pathOf(descriptor)
                + " holds "
                + pageRows
                + " rows, its header was read as "
                + page.rows());
      }
      rowsChecked += pageRows;
      digest.addPage(
          page.stored(),
          page.offset(),
          page.length(),
          page.values(),
          page.uncompressedSize(),
          page.repetitionEncoding(),
          page.definitionEncoding(),
          page.valuesEncoding());
    }
    return rowsChecked;
  }

  /**
   * Writes the pages of {@code chunks}, in order, as the current column of {@code writer}'s row
   * group, and sets the column chunk's statistics to the merge of the input chunks' statistics.
   * Small pages are joined by {@code coalescer} where it {@linkplain PageCoalescer#applies
   * applies}; the others are written as they are stored.
   *
   * @param decompressor the codec of the chunks, which is {@code codec}
   */
  static void write(
      ParquetFileWriter writer,
      ColumnDescriptor descriptor,
      CompressionCodecName codec,
      List<CarriedChunk> chunks,
      List<Statistics<?>> chunkStatistics,
      PageCoalescer coalescer,
      BytesInputDecompressor decompressor)
      throws IOException {
    long values = 0;
    for (CarriedChunk chunk : chunks) {
      values += chunk.values;
    }
    Statistics<?> merged = Statistics.createStats(descriptor.getPrimitiveType());
    for (Statistics<?> statistics : chunkStatistics) {
      merged.mergeStatistics(statistics);
    }
    Statistics<?> fromPages = Statistics.createStats(descriptor.getPrimitiveType());
    boolean pagesHaveStatistics = true;
    writer.startColumn(descriptor, values, codec);
    boolean join = coalescer.applies(descriptor, chunks);
    if (join) {
      coalescer.start(writer, descriptor, decompressor);
    }
    for (CarriedChunk chunk : chunks) {
      for (Page page : chunk.pages) {
        Statistics<?> statistics = page.statistics().orElse(null);
        if (statistics != null && !statistics.isNanCountSet() && merged.getNanCount() == 0) {
          // parquet-java writes a NaN count into FLOAT and DOUBLE chunk statistics but none into
          // page headers: a chunk without NaN has none in its pages either, and so its page
          // bounds merge into exactly its statistics, and it keeps its column index.
          statistics = statistics.copy();
          statistics.incrementNanCount(0);
        }
        if (!complete(statistics, page.values())) {
          // none, no null count (which parquet-java would merge as -1 nulls), or no bounds for
          // values that are there
          pagesHaveStatistics = false;
        } else {
          fromPages.mergeStatistics(statistics);
        }
        if (join) {
          coalescer.add(page, statistics);
          continue;
        }
        writer.writeDataPage(
            page.values(),
            page.uncompressedSize(),
            BytesInput.from(page.stored(), page.offset(), page.length()),
            statistics,
            page.rows(),
            page.repetitionEncoding(),
            page.definitionEncoding(),
            page.valuesEncoding(),
            null,
            null,
            null);
      }
    }
    if (join) {
      coalescer.finish();
    }
    if (!pagesHaveStatistics || !fromPages.equals(merged)) {
      // Page bounds that do not merge into the exact chunk statistics (truncated column index
      // entries, or none): keep the chunk's exact statistics, and no column index.
      writer.invalidateStatistics(merged);
    }
    writer.endColumn();
  }

  static String pathOf(ColumnDescriptor descriptor) {
    return "'" + String.join(".", descriptor.getPath()) + "'";
  }
}
