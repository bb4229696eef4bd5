package dev.baler.testing;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.StagingStorage;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract holds for a staging storage that stages every file it may. */
class StagingStorageContractTest extends AbstractStorageTest {
  @TempDir Path directory;

  private Storage storage;

  /**
   * Made at the first call, after the temporary directory is there; synchronized, as the racing
   * tests make their first call from many threads at once, and each racer that made a storage of
   * its own, with a memory storage of its own, won its race.
   */
  @Override
  protected synchronized Storage storage() {
    if (storage == null) {
      storage = new StagingStorage(new MemoryStorage(), directory, 1L << 30, location -> true);
    }
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("memory://test/" + UUID.randomUUID() + "/");
  }

  @AfterEach
  void close() throws IOException {
    storage.close();
  }
}
