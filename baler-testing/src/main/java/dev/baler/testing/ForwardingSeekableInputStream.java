package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.SeekableInputStream;
import java.io.IOException;

/**
 * A stream that passes every call to another, for tests that override a call to count or change
 * what a reader sees (reads made, streams closed, a closed stream refusing reads). Not thread-safe,
 * as no {@link SeekableInputStream} is.
 */
public class ForwardingSeekableInputStream extends SeekableInputStream {
  private final SeekableInputStream delegate;

  /**
   * @param delegate the stream that answers every call not overridden
   */
  public ForwardingSeekableInputStream(SeekableInputStream delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public void seek(long position) throws IOException {
    delegate.seek(position);
  }

  @Override
  public int read() throws IOException {
    return delegate.read();
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    return delegate.read(buffer, offset, length);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
