package dev.baler.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream that writes a new file. The file becomes visible at its location only when {@link
 * #close()} returns normally, and then whole: readers never see part of it. {@link #abort()}
 * discards what was written. Not thread-safe.
 */
public abstract class StorageOutputStream extends OutputStream {
  /** Bytes written so far. */
  public abstract long position() throws IOException;

  /**
   * Publishes the file at its location, replacing any file that was there.
   *
   * @throws IOException if the file could not be published; then nothing new is visible
   */
  @Override
  public abstract void close() throws IOException;

  /**
   * Discards what was written; nothing becomes visible. Does nothing after {@link #close()} or a
   * first {@code abort()}.
   */
  public abstract void abort() throws IOException;
}
