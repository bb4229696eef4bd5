package dev.baler.parquet;

import java.io.IOException;
import org.apache.parquet.format.PageHeader;
import shaded.parquet.org.apache.thrift.TConfiguration;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.transport.TEndpointTransport;
import shaded.parquet.org.apache.thrift.transport.TTransportException;

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
      return transport.position;
    } catch (TException e) {
      throw new IOException("can not read class " + PageHeader.class.getName() + ": " + e, e);
    }
  }

  /**
   * A read-only Thrift transport over part of an array, whose bytes the protocol reads directly.
   */
  private static final class ArrayTransport extends TEndpointTransport {
    private final byte[] bytes;
    private final int end;
    private int position;

    ArrayTransport(byte[] bytes, int position, int end) throws TTransportException {
      super(new TConfiguration());
      this.bytes = bytes;
      this.position = position;
      this.end = end;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void open() {}

    @Override
    public void close() {}

    @Override
    public int read(byte[] buffer, int offset, int length) throws TTransportException {
      int read = Math.min(length, end - position);
      if (read <= 0) {
        throw new TTransportException(TTransportException.END_OF_FILE, "page header cut short");
      }
      System.arraycopy(bytes, position, buffer, offset, read);
      position += read;
      return read;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws TTransportException {
      throw new TTransportException("read-only");
    }

    @Override
    public byte[] getBuffer() {
      return bytes;
    }

    @Override
    public int getBufferPosition() {
      return position;
    }

    @Override
    public int getBytesRemainingInBuffer() {
      return end - position;
    }

    @Override
    public void consumeBuffer(int length) {
      position += length;
    }
  }
}
