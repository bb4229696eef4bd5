package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.S3Server;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A small object read from its end first (a footer read) and then from its start. */
class S3TailReadIT {
  private static S3Server server;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.inMemory().start();
    server.createBucket("tail");
    storage = Storages.forLocation(Location.of("s3://tail/"), server.storageProperties());
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    server.close();
  }

  @Test
  void readsTheTailFirstThenAnywhere() throws Exception {
    byte[] content = new byte[S3InputStream.TAIL_BYTES * 3 + 17];
    new Random(7).nextBytes(content);
    Location location = Location.of("s3://tail/x.parquet");
    storage.newOutputFile(location).write(content);

    try (SeekableInputStream stream = storage.newInputFile(location, content.length).newStream()) {
      byte[] end = new byte[8];
      stream.seek(content.length - 8);
      stream.readFully(end, 0, end.length);
      assertThat(end).isEqualTo(Arrays.copyOfRange(content, content.length - 8, content.length));

      byte[] footer = new byte[1000];
      stream.seek(content.length - 1008);
      stream.readFully(footer, 0, footer.length);
      assertThat(footer)
          .isEqualTo(Arrays.copyOfRange(content, content.length - 1008, content.length - 8));

      byte[] start = new byte[100];
      stream.seek(0);
      stream.readFully(start, 0, start.length);
      assertThat(start).isEqualTo(Arrays.copyOf(content, 100));

      byte[] across = new byte[S3InputStream.TAIL_BYTES];
      stream.seek(content.length - S3InputStream.TAIL_BYTES - 50);
      stream.readFully(across, 0, across.length);
      assertThat(across)
          .isEqualTo(
              Arrays.copyOfRange(
                  content, content.length - S3InputStream.TAIL_BYTES - 50, content.length - 50));
    }
  }
}
