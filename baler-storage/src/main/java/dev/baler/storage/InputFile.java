package dev.baler.storage;

import java.io.IOException;

/** A file to read. Implementations are thread-safe; each stream they open is not. */
public interface InputFile {
  /** Where the file is. */
  Location location();

  /**
   * The file's length in bytes; known without a request when it was given to {@link
   * Storage#newInputFile(Location, long)}.
   *
   * @throws java.io.FileNotFoundException if the file does not exist
   */
  long length() throws IOException;

  /**
   * Opens a stream positioned at the start of the file.
   *
   * @throws java.io.FileNotFoundException if the file does not exist
   */
  SeekableInputStream newStream() throws IOException;

  /** Whether the file exists now. */
  boolean exists() throws IOException;

  /**
   * Reads the whole file; for small files such as journal records and leases.
   *
   * @throws java.io.FileNotFoundException if the file does not exist
   * @throws IOException if the file is larger than 2 GiB or cannot be read
   */
  default byte[] readAllBytes() throws IOException {
    long length = length();
    if (length > Integer.MAX_VALUE - 16) {
      throw new IOException("Cannot read " + location() + " into memory: " + length + " bytes");
    }
    byte[] bytes = new byte[(int) length];
    try (SeekableInputStream stream = newStream()) {
      stream.readFully(bytes, 0, bytes.length);
    }
    return bytes;
  }
}
