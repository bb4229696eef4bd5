package dev.baler.testing;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.Storage;
import java.util.UUID;

class MemoryStorageTest extends AbstractStorageTest {
  private final Storage storage = new MemoryStorage();

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("memory://test/" + UUID.randomUUID() + "/");
  }
}
