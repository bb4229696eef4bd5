package dev.baler.storage.hdfs;

import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A stream over a file on HDFS: sequential reads stream from a datanode, a seek moves the reader,
 * which reconnects only when the new position lies outside the block it reads. Not thread-safe.
 */
final class HdfsInputStream extends SeekableInputStream {
  /** Fetches the file's length when it was not given. */
  interface LengthSource {
    long length() throws IOException;
  }

  private final Location location;
  private final FSDataInputStream in;
  private final LengthSource lengthSource;
  private long length;
  private boolean closed;

  /**
   * @param length the file's length in bytes, or -1 to fetch it on the first seek
   */
  HdfsInputStream(Location location, FSDataInputStream in, long length, LengthSource lengthSource) {
    this.location = location;
    this.in = in;
    this.length = length;
    this.lengthSource = lengthSource;
  }

  @Override
  public long position() throws IOException {
    checkOpen();
    return in.getPos();
  }

  @Override
  public void seek(long position) throws IOException {
    checkOpen();
    if (length < 0) {
      length = lengthSource.length();
    }
    if (position < 0 || position > length) {
      throw new IOException(
          "Cannot seek to " + position + " in " + location + ": file has " + length + " bytes");
    }
    try {
      in.seek(position);
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
  }

  @Override
  public int read() throws IOException {
    checkOpen();
    try {
      return in.read();
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkOpen();
    if (length == 0) {
      return 0;
    }
    try {
      return in.read(buffer, offset, length);
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
  }

  @Override
  public long skip(long count) throws IOException {
    if (count <= 0) {
      return 0;
    }
    long position = position();
    if (length < 0) {
      length = lengthSource.length();
    }
    long target = Math.min(length, position + count);
    seek(target);
    return target - position;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    in.close();
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("Cannot read " + location + ": stream is closed");
    }
  }
}
