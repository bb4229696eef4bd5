package dev.baler.parquet;

import java.io.IOException;
import org.apache.parquet.format.PageHeader;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;

/**
 * Reads page headers from bytes in memory, with parquet-java's Thrift classes. parquet-java reads
 * them through an {@code InputStream}, which Thrift's compact protocol asks for one byte at a time
 * with a call chain per byte; over an array that it can read directly (its transport's buffer), it
 * decodes a header several times faster. A merge of 20,000 small files spent a tenth of its CPU
 * time reading page headers the stream way.
 *
 * <p>The Thrift classes are the ones parquet-java shades into {@code parquet-format-structures}; an
 * upgrade of parquet-java that changes them breaks the build here, not at run time.
 */
final class PageHeaders {
  private PageHeaders() {}

  /**
   * Reads the page header at {@code position} in {@code bytes}, which end at {@code end}.
   *
   * @param header receives the header's fields
   * @return the position after the header
   * @throws IOException caused by Thrift's {@code TException}, as parquet-java's reader throws it,
   *     if the bytes are not a page header (corrupt data: see {@link ParquetRuntime#isCorruptData})
   */
  static int read(byte[] bytes, int position, int end, PageHeader header) throws IOException {
    try {
      ArrayTransport transport = new ArrayTransport(bytes, position, end);
      header.read(new TCompactProtocol(transport));
      if (header.isSetData_page_header()) {
        ArrayTransport.ownBounds(header.getData_page_header().getStatistics());
      }
      if (header.isSetData_page_header_v2()) {
        ArrayTransport.ownBounds(header.getData_page_header_v2().getStatistics());
      }
      return transport.getBufferPosition();
    } catch (TException e) {
      throw new IOException("can not read class " + PageHeader.class.getName() + ": " + e, e);
    }
  }
}
