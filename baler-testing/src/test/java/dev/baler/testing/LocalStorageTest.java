package dev.baler.testing;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends AbstractStorageTest {
  private final Storage storage = new LocalStorage();

  @TempDir Path directory;

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.local(directory).asDirectory();
  }
}
