package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;

/**
 * An input file that passes every call to another, for tests that override a call to count or
 * change what a reader sees (streams opened, reads made). Thread-safe when the delegate is.
 */
public class ForwardingInputFile implements InputFile {
  private final InputFile delegate;

  /**
   * @param delegate the file that answers every call not overridden
   */
  public ForwardingInputFile(InputFile delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public Location location() {
    return delegate.location();
  }

  @Override
  public long length() throws IOException {
    return delegate.length();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    return delegate.newStream();
  }

  @Override
  public boolean exists() throws IOException {
    return delegate.exists();
  }
}
