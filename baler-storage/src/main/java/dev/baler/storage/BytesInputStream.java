package dev.baler.storage;

import java.io.IOException;
import java.util.Objects;

/**
 * A seekable stream over the bytes of a file held in memory. Closing it lets go of the bytes: a
 * reader that keeps a closed stream, as a merge keeps an input it has read whole, does not keep the
 * file's bytes with it. Not thread-safe.
 */
final class BytesInputStream extends SeekableInputStream {
  private final Location location;
  private byte[] bytes;
  private int position;
  private boolean closed;

  /**
   * @param location the file the bytes are of, for messages
   * @param bytes the whole file; not copied, and not to be changed while the stream is open
   */
  BytesInputStream(Location location, byte[] bytes) {
    this.location = Objects.requireNonNull(location, "location is null");
    this.bytes = Objects.requireNonNull(bytes, "bytes is null");
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long newPosition) throws IOException {
    checkOpen();
    if (newPosition < 0 || newPosition > bytes.length) {
      throw new IOException(
          "Cannot seek to "
              + newPosition
              + " in "
              + location
              + ": file has "
              + bytes.length
              + " bytes");
    }
    position = (int) newPosition;
  }

  @Override
  public int read() throws IOException {
    checkOpen();
    return position < bytes.length ? bytes[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (position >= bytes.length) {
      return -1;
    }
    int count = Math.min(length, bytes.length - position);
    System.arraycopy(bytes, position, buffer, offset, count);
    position += count;
    return count;
  }

  @Override
  public long skip(long count) throws IOException {
    checkOpen();
    long skipped = Math.max(0, Math.min(count, bytes.length - position));
    position += (int) skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    checkOpen();
    return bytes.length - position;
  }

  @Override
  public void close() {
    closed = true;
    bytes = null;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("Cannot read " + location + ": stream is closed");
    }
  }
}
