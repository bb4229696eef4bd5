package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.SeekableInputStream;
import java.io.IOException;

/**
 * A stream over an input file that serves reads within one span of the file, its window, from
 * memory. The merge loads the span of the row groups it is about to read, once, so that
 * parquet-java's reads of some of their column chunks and the merge's reads of the others are
 * served from one read: one request on S3, one system call on disk, however the chunks are split.
 * Reads outside the window go to the file, unless the window holds the whole file ({@link
 * #loadWhole}), which is closed then: reads past its end find the end. Not thread-safe.
 */
final class WindowedStream extends SeekableInputStream {
  private final SeekableInputStream file;
  private long position;
  private byte[] window;
  private long windowStart;
  private boolean whole;

  WindowedStream(SeekableInputStream file) {
    this.file = requireNonNull(file, "file is null");
  }

  /**
   * Makes the window cover {@code start} to {@code end} (exclusive), together with what it covers
   * already when that is adjacent or overlapping; reads the new span from the file.
   */
  void include(long start, long end) throws IOException {
    if (covers(start, end)) {
      return;
    }
    if (window != null && start <= windowStart + window.length && end >= windowStart) {
      start = Math.min(start, windowStart);
      end = Math.max(end, windowStart + window.length);
    }
    byte[] bytes = new byte[Math.toIntExact(end - start)];
    file.seek(start);
    file.readFully(bytes, 0, bytes.length);
    window = bytes;
    windowStart = start;
  }

  /**
   * Reads the whole file, {@code length} bytes, into the window, which then stays until the stream
   * closes, and closes the file: every later read is served from memory. On S3 that also frees the
   * copy of a small object that its stream keeps.
   *
   * @throws java.io.EOFException if the file is shorter
   */
  void loadWhole(long length) throws IOException {
    include(0, length);
    whole = true;
    file.close();
  }

  /** Whether the window holds {@code start} to {@code end} (exclusive) already. */
  boolean covers(long start, long end) {
    return window != null && start >= windowStart && end <= windowStart + window.length;
  }

  /** The bytes the window holds. */
  long windowBytes() {
    return window == null ? 0 : window.length;
  }

  /** Frees the window, unless it holds the whole file; later reads go to the file. */
  void dropWindow() {
    if (!whole) {
      window = null;
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long newPosition) {
    position = newPosition;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int read;
    if (window != null && position >= windowStart && position < windowStart + window.length) {
      read = (int) Math.min(length, windowStart + window.length - position);
      System.arraycopy(window, (int) (position - windowStart), buffer, offset, read);
    } else if (whole) {
      return -1;
    } else {
      file.seek(position);
      read = file.read(buffer, offset, length);
      if (read < 0) {
        return -1;
      }
    }
    position += read;
    return read;
  }

  @Override
  public void close() throws IOException {
    window = null;
    if (!whole) {
      file.close();
    }
  }
}
