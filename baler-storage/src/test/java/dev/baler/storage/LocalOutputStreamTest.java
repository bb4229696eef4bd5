package dev.baler.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background syncs of a file {@link LocalStorage} writes, through its seam for them. */
class LocalOutputStreamTest {
  private static final int MIB = 1 << 20;

  @TempDir Path directory;

  @Test
  void write_ofMoreThanTheSyncAheadBytes_syncsInTheBackgroundWhileWriting() throws IOException {
    AtomicInteger syncs = new AtomicInteger();
    LocalStorage storage =
        new LocalStorage(
            channel -> {
              syncs.incrementAndGet();
              channel.force(false);
            });
    Location location = Location.local(directory.resolve("big.bin"));

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      for (int i = 0; i < 40; i++) {
        stream.write(new byte[MIB]);
      }
      assertThat(syncs.get()).as("syncs started before the close").isPositive();
    }

    assertThat(Files.size(location.toLocalPath())).isEqualTo(40L * MIB);
  }

  @Test
  void close_afterABackgroundSyncFailed_failsAndPublishesNothing() throws IOException {
    // a write-back error is reported to one sync only: the close's own sync of the same file
    // would succeed, so the failure seen in the background must fail the file
    StorageOutputStream stream = syncAheadFailing("Input/output error");

    assertThatThrownBy(stream::close)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot sync")
        .hasMessageContaining("Input/output error");
    assertThat(entries()).isEmpty();
  }

  @Test
  void write_afterABackgroundSyncFailed_fails() throws Exception {
    StorageOutputStream stream = syncAheadFailing("No space left on device");

    // once the failed sync has ended, the write that would start the next one reports it
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                stream.write(new byte[(int) LocalStorage.SYNC_AHEAD_BYTES]);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");
    stream.abort();
    assertThat(entries()).isEmpty();
  }

  /**
   * A stream of a file whose background syncs fail with {@code message}, written as far as the
   * first of them.
   */
  private StorageOutputStream syncAheadFailing(String message) throws IOException {
    LocalStorage storage =
        new LocalStorage(
            channel -> {
              throw new IOException(message);
            });
    StorageOutputStream stream =
        storage.newOutputFile(Location.local(directory.resolve("failing.bin"))).create();
    stream.write(new byte[(int) LocalStorage.SYNC_AHEAD_BYTES]);
    return stream;
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
