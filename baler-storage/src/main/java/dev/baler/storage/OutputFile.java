package dev.baler.storage;

import java.io.IOException;

/** A file to write. */
public interface OutputFile {
  /** Where the file will be. */
  Location location();

  /**
   * Opens a stream that writes the file; see {@link StorageOutputStream} for when it becomes
   * visible. An existing file at the location is replaced on close.
   */
  StorageOutputStream create() throws IOException;

  /** Writes {@code bytes} as the whole file, replacing any file there, atomically. */
  default void write(byte[] bytes) throws IOException {
    StorageOutputStream stream = create();
    try {
      stream.write(bytes);
    } catch (IOException | RuntimeException e) {
      stream.abort();
      throw e;
    }
    stream.close();
  }
}
