package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileIterator;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * A storage that passes every call to another, for tests that override a call or two to make a
 * store misbehave in one precise way (a failed delete, a lying read). Thread-safe when the delegate
 * is; {@link #close()} does not close the delegate.
 */
public class ForwardingStorage implements Storage {
  private final Storage delegate;

  /**
   * @param delegate the storage that answers every call not overridden
   */
  public ForwardingStorage(Storage delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public FileIterator list(Location prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public InputFile newInputFile(Location location) {
    return delegate.newInputFile(location);
  }

  /** Forwards to {@link #newInputFile(Location)}, so that overriding that one covers both. */
  @Override
  public InputFile newInputFile(Location location, long length) {
    return newInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(Location location) {
    return delegate.newOutputFile(location);
  }

  @Override
  public boolean createExclusive(Location location, byte[] bytes) throws IOException {
    return delegate.createExclusive(location, bytes);
  }

  @Override
  public List<DeleteFailure> deleteFiles(Collection<Location> locations) throws IOException {
    return delegate.deleteFiles(locations);
  }

  @Override
  public void moveFile(Location source, Location target) throws IOException {
    delegate.moveFile(source, target);
  }

  @Override
  public boolean hasTrash(Location location) throws IOException {
    return delegate.hasTrash(location);
  }

  @Override
  public List<DeleteFailure> moveToTrash(Collection<Location> locations) throws IOException {
    return delegate.moveToTrash(locations);
  }
}
