package dev.baler.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream over a file that can move to any position. Not thread-safe: one reader at a time.
 */
public abstract class SeekableInputStream extends InputStream {
  /** The position of the next byte to read, in bytes from the start of the file. */
  public abstract long position() throws IOException;

  /**
   * Moves to {@code position}.
   *
   * @param position bytes from the start of the file, between 0 and the file's length
   * @throws IOException if the position is outside the file or the store cannot be read
   */
  public abstract void seek(long position) throws IOException;

  /**
   * Reads exactly {@code length} bytes into {@code buffer}.
   *
   * @throws EOFException if the file ends first
   */
  public void readFully(byte[] buffer, int offset, int length) throws IOException {
    int done = 0;
    while (done < length) {
      int read = read(buffer, offset + done, length - done);
      if (read < 0) {
        throw new EOFException("Unexpected end of file after " + done + " of " + length + " bytes");
      }
      done += read;
    }
  }
}
