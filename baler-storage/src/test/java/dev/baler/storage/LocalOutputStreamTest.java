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
    LocalStorage storage =
        new LocalStorage(
            channel -> {
              throw new IOException("Input/output error");
            });
    Location location = Location.local(directory.resolve("failed.bin"));
    StorageOutputStream stream = storage.newOutputFile(location).create();
    stream.write(new byte[(int) LocalStorage.SYNC_AHEAD_BYTES]);

    assertThatThrownBy(stream::close)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot sync")
        .hasMessageContaining("Input/output error");
    assertThat(entries()).isEmpty();
  }

  @Test
  void write_afterABackgroundSyncFailed_fails() throws Exception {
    LocalStorage storage =
        new LocalStorage(
            channel -> {
              throw new IOException("No space left on device");
            });
    Location location = Location.local(directory.resolve("full.bin"));
    StorageOutputStream stream = storage.newOutputFile(location).create();
    stream.write(new byte[(int) LocalStorage.SYNC_AHEAD_BYTES]);

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

  private List<Path> entries() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
