package dev.baler.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads one column chunk's pages from its stored bytes, decompressed, as parquet-java's reader
 * gives them: the dictionary page, and V1 and V2 data pages with their statistics; index pages are
 * passed over. Checksums of dictionary and data pages are verified where the writer stored them. A
 * merge reads its inputs' chunks this way from the bytes it holds, so that it needs no parquet-java
 * reader, with its parsed footer, for each input while it works on a row group.
 */
final class ChunkPages {
  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  private ChunkPages() {}

  /** A page that runs past the bytes given: the caller may read a little more and try again. */
  static final class Overrun extends ParquetDecodingException {
    Overrun(String message) {
      super(message);
    }
  }

  /**
   * Reads a chunk.
   *
   * @param createdBy the writer of the file, for statistics parquet-java corrects by writer
   * @param stored the bytes holding the chunk, from {@code offset}, {@code length} of them; they
   *     may run a little past the chunk's size in its footer, as old parquet-mr writers left the
   *     dictionary page's header out of it
   * @param values the chunk's values, from its footer: pages are read until they add up to this
   * @param rows the rows of the chunk's row group
   * @param arrays where snappy V1 data pages are decompressed, their pages then valid only until
   *     the next chunk is read with them (see {@link PageArrays}); null for arrays of each page's
   *     own, as a reader that keeps pages needs
   * @throws IOException if a page header cannot be read (caused by Thrift's {@code TException})
   * @throws ParquetDecodingException if a page fails its checksum, cannot be decompressed, runs
   *     past the chunk, or the pages do not add up to the chunk's values
   */
  static PageList read(
      String createdBy,
      ColumnDescriptor descriptor,
      byte[] stored,
      int offset,
      int length,
      long values,
      long rows,
      BytesInputDecompressor decompressor,
      PageArrays arrays)
      throws IOException {
    if (arrays != null) {
      arrays.reset();
    }
    PrimitiveType type = descriptor.getPrimitiveType();
    int end = offset + length;
    int position = offset;
    DictionaryPage dictionary = null;
    List<DataPage> pages = new ArrayList<>();
    long read = 0;
    while (read < values) {
      PageHeader header = new PageHeader();
      int start = PageHeaders.read(stored, position, end, header);
      int size = header.getCompressed_page_size();
      if (size < 0) {
        throw new ParquetDecodingException(
            "a page of column " + CarriedChunk.pathOf(descriptor) + " has a negative size");
      }
      if (size > end - start) {
        throw new Overrun(
            "a page of column " + CarriedChunk.pathOf(descriptor) + " runs past its chunk");
      }
      position = start + size;
      int uncompressed = header.getUncompressed_page_size();
      switch (header.getType()) {
        case DICTIONARY_PAGE -> {
          if (dictionary != null) {
            throw new ParquetDecodingException(
                "more than one dictionary page in column " + CarriedChunk.pathOf(descriptor));
          }
          // parquet-java's messages for the same damage, so that a file is reported alike
          // whichever way its pages were read
          checkCrc(header, stored, start, size, "could not verify dictionary page integrity");
          DictionaryPageHeader page = header.getDictionary_page_header();
          dictionary =
              new DictionaryPage(
                  decompress(decompressor, stored, start, size, uncompressed, descriptor),
                  uncompressed,
                  page.getNum_values(),
                  CONVERTER.getEncoding(page.getEncoding()));
        }
        case DATA_PAGE -> {
          checkCrc(header, stored, start, size, "could not verify page integrity");
          DataPageHeader page = header.getData_page_header();
          pages.add(
              new DataPageV1(
                  arrays != null && decompressor instanceof PageCodecs.SnappyDecompressor
                      ? decompressInto(arrays, stored, start, size, uncompressed, descriptor)
                      : decompress(decompressor, stored, start, size, uncompressed, descriptor),
                  page.getNum_values(),
                  uncompressed,
                  statistics(createdBy, page.getStatistics(), type),
                  CONVERTER.getEncoding(page.getRepetition_level_encoding()),
                  CONVERTER.getEncoding(page.getDefinition_level_encoding()),
                  CONVERTER.getEncoding(page.getEncoding())));
          read += page.getNum_values();
        }
        case DATA_PAGE_V2 -> {
          checkCrc(header, stored, start, size, "could not verify page integrity");
          DataPageHeaderV2 page = header.getData_page_header_v2();
          int repetitionBytes = page.getRepetition_levels_byte_length();
          int definitionBytes = page.getDefinition_levels_byte_length();
          int levels = repetitionBytes + definitionBytes;
          if (levels < 0 || levels > size) {
            throw new ParquetDecodingException(
                "a V2 page of column "
                    + CarriedChunk.pathOf(descriptor)
                    + " has levels longer than itself");
          }
          // Levels are never compressed in V2 pages; the data is, unless the page says not.
          boolean compressed = !page.isSetIs_compressed() || page.isIs_compressed();
          BytesInput data =
              compressed
                  ? decompress(
                      decompressor,
                      stored,
                      start + levels,
                      size - levels,
                      uncompressed - levels,
                      descriptor)
                  : BytesInput.from(stored, start + levels, size - levels);
          pages.add(
              DataPageV2.uncompressed(
                  page.getNum_rows(),
                  page.getNum_nulls(),
                  page.getNum_values(),
                  BytesInput.from(stored, start, repetitionBytes),
                  BytesInput.from(stored, start + repetitionBytes, definitionBytes),
                  CONVERTER.getEncoding(page.getEncoding()),
                  data,
                  statistics(createdBy, page.getStatistics(), type)));
          read += page.getNum_values();
        }
        default -> {} // index pages: nothing a merge needs
      }
    }
    if (read != values) {
      throw valuesMismatch(descriptor, read, values);
    }
    return new PageList(descriptor, dictionary, pages, rows);
  }

  /**
   * Folds a chunk's values into row hashes, decompressing its pages one at a time into {@code
   * buffer}: the chunk costs no memory beyond its stored bytes, one page and the hasher's arrays.
   * Its page headers are read first, since folded hashes cannot be undone: a chunk with pages that
   * {@link ColumnHasher} does not decode (V2 pages, other encodings) is read whole, as {@link
   * #read} reads it, and hashed through parquet-java's column reader.
   *
   * @param createdBy the writer of the file, for that reader
   * @param column the column's index in the schema, folded into hashes
   * @param stored holds the chunk's {@code length} bytes from {@code offset}
   * @param values the chunk's values, from its footer
   * @param rows the rows of the chunk's row group
   * @param bloomFilter where the chunk's values go as well, or null
   * @param firstRow the index in {@code hashes} of the chunk's first row
   * @return the rows of the chunk
   * @throws IOException if a page header cannot be read (caused by Thrift's {@code TException})
   * @throws ParquetDecodingException if a page fails its checksum, cannot be decompressed, runs
   *     past the chunk, or the pages do not add up to the chunk's values
   * @throws IllegalStateException if a page's levels or values are corrupt
   */
  static int hash(
      String createdBy,
      ColumnDescriptor descriptor,
      int column,
      byte[] stored,
      int offset,
      int length,
      long values,
      long rows,
      BytesInputDecompressor decompressor,
      PageBuffer buffer,
      ColumnCopier.RowHashes hashes,
      ColumnBloomFilter bloomFilter,
      int firstRow)
      throws IOException {
    ColumnHasher hasher = ColumnHasher.forChunk(descriptor, column, bloomFilter, buffer);
    int end = offset + length;
    int position = offset;
    List<PageHeader> headers = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    boolean decodable = true;
    long read = 0;
    while (read < values) {
      PageHeader header = new PageHeader();
      int start = readHeader(descriptor, stored, position, end, header);
      int size = header.getCompressed_page_size();
      position = start + size;
      switch (header.getType()) {
        case DICTIONARY_PAGE -> {
          Encoding encoding =
              CONVERTER.getEncoding(header.getDictionary_page_header().getEncoding());
          decodable &= encoding == Encoding.PLAIN || encoding == Encoding.PLAIN_DICTIONARY;
        }
        case DATA_PAGE -> {
          DataPageHeader page = header.getData_page_header();
          decodable &=
              hasher.decodes(
                  CONVERTER.getEncoding(page.getRepetition_level_encoding()),
                  CONVERTER.getEncoding(page.getDefinition_level_encoding()),
                  CONVERTER.getEncoding(page.getEncoding()));
          read += page.getNum_values();
        }
        case DATA_PAGE_V2 -> {
          decodable = false;
          read += header.getData_page_header_v2().getNum_values();
        }
        default -> {
          continue; // index pages
        }
      }
      headers.add(header);
      starts.add(start);
    }
    if (!decodable) {
      PageList pages =
          read(createdBy, descriptor, stored, offset, length, values, rows, decompressor, null);
      return ColumnHasher.hash(pages, createdBy, descriptor, column, hashes, bloomFilter, firstRow);
    }
    if (read != values) {
      throw valuesMismatch(descriptor, read, values);
    }
    int row = firstRow;
    boolean dictionary = false;
    boolean begun = false;
    for (int i = 0; i < headers.size(); i++) {
      PageHeader header = headers.get(i);
      int start = starts.get(i);
      int size = header.getCompressed_page_size();
      int uncompressed = header.getUncompressed_page_size();
      if (header.getType() == PageType.DICTIONARY_PAGE) {
        if (dictionary || begun) {
          throw new ParquetDecodingException(
              "more than one dictionary page, or one after data pages, in column "
                  + CarriedChunk.pathOf(descriptor));
        }
        dictionary = true;
        checkCrc(header, stored, start, size, "could not verify dictionary page integrity");
        decompress(buffer, decompressor, stored, start, size, uncompressed, descriptor);
        DictionaryPageHeader page = header.getDictionary_page_header();
        boolean taken =
            hasher.readDictionary(
                new DictionaryPage(
                    BytesInput.from(buffer.array(), buffer.offset(), uncompressed),
                    uncompressed,
                    page.getNum_values(),
                    CONVERTER.getEncoding(page.getEncoding())));
        if (!taken) {
          // entries the hasher does not take: nothing is folded yet, the dictionary comes first
          PageList pages =
              read(createdBy, descriptor, stored, offset, length, values, rows, decompressor, null);
          return ColumnHasher.hash(
              pages, createdBy, descriptor, column, hashes, bloomFilter, firstRow);
        }
        continue;
      }
      if (!begun) {
        hasher.begin(values);
        begun = true;
      }
      checkCrc(header, stored, start, size, "could not verify page integrity");
      decompress(buffer, decompressor, stored, start, size, uncompressed, descriptor);
      DataPageHeader page = header.getData_page_header();
      row =
          hasher.hashPage(
              buffer.array(),
              buffer.offset(),
              buffer.offset() + uncompressed,
              page.getNum_values(),
              CONVERTER.getEncoding(page.getEncoding()),
              hashes,
              row);
    }
    return row - firstRow;
  }

  /**
   * Digests a chunk's data pages by their stored bytes ({@link PageDigest}), without decompressing
   * them; checksums are verified where the writer stored them. Made for the chunks of a merge's
   * output whose pages the merge carried over verbatim.
   *
   * @param stored holds the chunk's {@code length} bytes from {@code offset}
   * @param values the chunk's values, from its footer
   * @param codec the chunk's codec, from its footer
   * @throws IOException if a page header cannot be read (caused by Thrift's {@code TException})
   * @throws ParquetDecodingException if a page fails its checksum or runs past the chunk, the pages
   *     do not add up to the chunk's values, or a page is not a V1 data page
   */
  static PageDigest digest(
      ColumnDescriptor descriptor,
      byte[] stored,
      int offset,
      int length,
      long values,
      CompressionCodecName codec)
      throws IOException {
    PageDigest digest = new PageDigest(descriptor, codec);
    int end = offset + length;
    int position = offset;
    long read = 0;
    while (read < values) {
      PageHeader header = new PageHeader();
      int start = readHeader(descriptor, stored, position, end, header);
      int size = header.getCompressed_page_size();
      position = start + size;
      switch (header.getType()) {
        case DATA_PAGE -> {
          checkCrc(header, stored, start, size, "could not verify page integrity");
          DataPageHeader page = header.getData_page_header();
          digest.addPage(
              stored,
              start,
              size,
              page.getNum_values(),
              header.getUncompressed_page_size(),
              CONVERTER.getEncoding(page.getRepetition_level_encoding()),
              CONVERTER.getEncoding(page.getDefinition_level_encoding()),
              CONVERTER.getEncoding(page.getEncoding()));
          read += page.getNum_values();
        }
        case DICTIONARY_PAGE, DATA_PAGE_V2 ->
            throw new ParquetDecodingException(
                "column "
                    + CarriedChunk.pathOf(descriptor)
                    + " was carried over verbatim but has a "
                    + header.getType()
                    + " page");
        default -> {} // index pages
      }
    }
    if (read != values) {
      throw valuesMismatch(descriptor, read, values);
    }
    return digest;
  }

  /**
   * Reads the header of the page at {@code position} into {@code header}, and checks that the page
   * ends by {@code end}.
   *
   * @return where the page's stored bytes start
   * @throws IOException if the header cannot be read
   * @throws ParquetDecodingException if the page runs past {@code end}
   */
  private static int readHeader(
      ColumnDescriptor descriptor, byte[] stored, int position, int end, PageHeader header)
      throws IOException {
    int start = PageHeaders.read(stored, position, end, header);
    int size = header.getCompressed_page_size();
    if (size < 0 || size > end - start) {
      throw new ParquetDecodingException(
          "a page of column " + CarriedChunk.pathOf(descriptor) + " runs past its chunk");
    }
    return start;
  }

  private static ParquetDecodingException valuesMismatch(
      ColumnDescriptor descriptor, long read, long values) {
    return new ParquetDecodingException(
        "column "
            + CarriedChunk.pathOf(descriptor)
            + " has "
            + read
            + " values in its pages, "
            + values
            + " in its footer");
  }

  /**
   * Decompresses a page's {@code size} stored bytes at {@code start} into {@code buffer}.
   *
   * @throws ParquetDecodingException naming the column, if the codec fails
   */
  static void decompress(
      PageBuffer buffer,
      BytesInputDecompressor decompressor,
      byte[] stored,
      int start,
      int size,
      int uncompressed,
      ColumnDescriptor descriptor) {
    try {
      buffer.decompress(decompressor, stored, start, size, uncompressed);
    } catch (IOException | RuntimeException e) {
      throw cannotDecompress(descriptor, e);
    }
  }

  private static ParquetDecodingException cannotDecompress(
      ColumnDescriptor descriptor, Exception e) {
    return new ParquetDecodingException(
        "cannot decompress a page of column " + CarriedChunk.pathOf(descriptor) + " (" + e + ")",
        e);
  }

  private static BytesInput decompress(
      BytesInputDecompressor decompressor,
      byte[] stored,
      int start,
      int size,
      int uncompressed,
      ColumnDescriptor descriptor) {
    try {
      return BytesInput.from(
          PageCodecs.decompressToArray(decompressor, stored, start, size, uncompressed));
    } catch (IOException | RuntimeException e) {
      throw cannotDecompress(descriptor, e);
    }
  }

  /** A snappy page's bytes, decompressed into an array of {@code arrays}. */
  private static BytesInput decompressInto(
      PageArrays arrays,
      byte[] stored,
      int start,
      int size,
      int uncompressed,
      ColumnDescriptor descriptor) {
    try {
      // a negative size fails here, as taking the array or snappy's length check refuses it
      byte[] array = arrays.take(uncompressed);
      PageCodecs.SnappyDecompressor.decompress(stored, start, size, array, uncompressed);
      return BytesInput.from(array, 0, uncompressed);
    } catch (IOException | RuntimeException e) {
      throw cannotDecompress(descriptor, e);
    }
  }

  private static Statistics<?> statistics(
      String createdBy, org.apache.parquet.format.Statistics statistics, PrimitiveType type) {
    // as parquet-java's reader: a page without statistics gets empty ones, null count unknown
    return CONVERTER.fromParquetStatistics(createdBy, statistics, type);
  }

  private static void checkCrc(
      PageHeader header, byte[] stored, int start, int size, String failure) {
    if (!header.isSetCrc()) {
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(stored, start, size);
    if ((int) crc.getValue() != header.getCrc()) {
      throw new ParquetDecodingException(failure + ", CRC checksum verification failed");
    }
  }
}
