package dev.baler.parquet;

import org.apache.parquet.format.Statistics;
import shaded.parquet.org.apache.thrift.TConfiguration;
import shaded.parquet.org.apache.thrift.transport.TEndpointTransport;
import shaded.parquet.org.apache.thrift.transport.TTransportException;

/**
 * A read-only Thrift transport over part of an array, whose bytes Thrift's compact protocol reads
 * directly (its transport's buffer) rather than through a call chain per byte, as it does over an
 * {@code InputStream}: page headers ({@link PageHeaders}) and footers ({@link FooterLayouts}). Not
 * thread-safe: one per structure read.
 */
final class ArrayTransport extends TEndpointTransport {
  /**
   * Gives the bounds of {@code statistics} arrays of their own. Read over this transport, a binary
   * field is a view of the transport's array, and parquet-java's {@code
   * ParquetMetadataConverter.fromParquetStatistics} takes a bound's backing array whole ({@code
   * ByteBuffer.array()}): it would take the whole page or footer for the bound.
   *
   * @param statistics the statistics of a page header or column chunk just read; null for none
   */
  static void ownBounds(Statistics statistics) {
    if (statistics == null) {
      return;
    }
    // each setter copies the view it is given into an array of its own (TBaseHelper.copyBinary)
    if (statistics.isSetMin_value()) {
      statistics.setMin_value(statistics.min_value);
    }
    if (statistics.isSetMax_value()) {
      statistics.setMax_value(statistics.max_value);
    }
    if (statistics.isSetMin()) {
      statistics.setMin(statistics.min);
    }
    if (statistics.isSetMax()) {
      statistics.setMax(statistics.max);
    }
  }

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
      throw new TTransportException(TTransportException.END_OF_FILE, "Thrift structure cut short");
    }
    System.arraycopy(bytes, position, buffer, offset, read);
    position += read;
    return read;
  }

  /**
   * Refuses a length beyond the bytes left, which Thrift asks about before it allocates a string or
   * a collection: a corrupt length fails here rather than after allocating up to Thrift's message
   * size limit (100 MB).
   */
  @Override
  public void checkReadBytesAvailable(long numBytes) throws TTransportException {
    if (numBytes > end - position) {
      throw new TTransportException(
          TTransportException.END_OF_FILE,
          numBytes + " bytes asked for, " + (end - position) + " left");
    }
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
