package dev.baler.storage.s3;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.testing.AbstractStorageTest;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract with every read a ranged GET, as for files above 8 MiB, so the suite's small
 * files exercise the ranged-read path too.
 */
class S3StorageRangedReadIT extends AbstractStorageTest {
  private static final String BUCKET = "baler-ranged";

  private static S3Server server;
  private static S3Storage storage;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(BUCKET);
    storage =
        S3Storage.builder()
            .endpoint(server.endpoint())
            .region(server.region())
            .credentials(server.accessKeyId(), server.secretAccessKey())
            .wholeObjectReadLimit(-1)
            .build();
  }

  @AfterAll
  static void stopServer() {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("s3://" + BUCKET + "/" + UUID.randomUUID() + "/");
  }
}
