package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  @Test
  void list_givesALinkToAFileAsThatFileAndLeavesOutALinkToNothing(@TempDir Path elsewhere)
      throws IOException {
    Path target = Files.write(elsewhere.resolve("target.parquet"), new byte[] {1, 2, 3});
    Path dir = Files.createDirectories(directory.resolve("linked"));
    Files.createSymbolicLink(dir.resolve("link.parquet"), target);
    Files.createSymbolicLink(dir.resolve("dangling.parquet"), elsewhere.resolve("gone.parquet"));

    List<FileEntry> listed = storage.list(Location.local(dir).asDirectory()).toList();

    assertThat(listed)
        .extracting(FileEntry::location, FileEntry::length)
        .containsExactly(tuple(Location.local(dir.resolve("link.parquet")), 3L));
  }

  @Test
  void list_ofAKeyPrefixGoesIntoDirectoriesThatStartWithIt() throws IOException {
    Files.createDirectories(directory.resolve("events-2024/deep"));
    Files.createDirectories(directory.resolve("other"));
    Files.createDirectories(directory.resolve("ev"));
    Files.write(directory.resolve("events-2024/deep/a.parquet"), new byte[] {1});
    Files.write(directory.resolve("events.parquet"), new byte[] {1});
    Files.write(directory.resolve("other/events.parquet"), new byte[] {1});
    Files.write(directory.resolve("ev/x.parquet"), new byte[] {1});

    List<FileEntry> listed = storage.list(Location.local(directory.resolve("events"))).toList();

    assertThat(listed)
        .extracting(FileEntry::location)
        .containsExactlyInAnyOrder(
            Location.local(directory.resolve("events-2024/deep/a.parquet")),
            Location.local(directory.resolve("events.parquet")));
  }

  @Test
  void deleteFiles_withALocationOfAnotherStoreDeletesNothing() throws IOException {
    Location first = Location.local(directory.resolve("first.parquet"));
    storage.newOutputFile(first).write(new byte[] {1});

    assertThatThrownBy(
            () -> storage.deleteFiles(List.of(first, Location.of("s3://bucket/x.parquet"))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(storage.newInputFile(first).exists()).isTrue();
  }

  @Test
  void deleteFiles_saysWhyAFileCouldNotBeDeletedAndGoesOn() throws IOException {
    // a directory with a file in it, named as a file: neither unlink nor rmdir removes it
    Path full = Files.createDirectories(directory.resolve("full.parquet"));
    Files.write(full.resolve("inside"), new byte[] {1});
    Location after = Location.local(directory.resolve("after.parquet"));
    storage.newOutputFile(after).write(new byte[] {1});

    List<DeleteFailure> failures = storage.deleteFiles(List.of(Location.local(full), after));

    assertThat(failures)
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.location()).isEqualTo(Location.local(full));
              assertThat(failure.reason()).contains("DirectoryNotEmptyException");
            });
    assertThat(full).exists();
    assertThat(storage.newInputFile(after).exists()).isFalse();
  }

  @Test
  void newStream_seekPastTheSizeFirstSeenFindsTheFileGrown() throws IOException {
    Path path = Files.write(directory.resolve("growing.bin"), new byte[] {1, 2, 3});
    try (SeekableInputStream stream = storage.newInputFile(Location.local(path)).newStream()) {
      stream.seek(3);
      Files.write(path, new byte[] {4, 5}, StandardOpenOption.APPEND);

      stream.seek(4);

      assertThat(stream.read()).isEqualTo(5);
      assertThat(stream.position()).isEqualTo(5);
      assertThatThrownBy(() -> stream.seek(6))
          .isInstanceOf(IOException.class)
          .hasMessage("Cannot seek to 6: file has 5 bytes");
    }
  }

  @Test
  void newStream_oneReadGivesAllItIsAskedForUpToTheEnd() throws IOException {
    // the channel is read in pieces (LocalStorage.MAX_CHANNEL_BYTES), one read still fills the
    // array
    byte[] content = new byte[1024 * 1024 + 5];
    new Random(5).nextBytes(content);
    Location location = Location.local(directory.resolve("one-read.bin"));
    storage.newOutputFile(location).write(content);

    try (SeekableInputStream stream = storage.newInputFile(location).newStream()) {
      byte[] read = new byte[content.length + 10];
      assertThat(stream.read(read, 0, read.length)).isEqualTo(content.length);
      assertThat(Arrays.copyOf(read, content.length)).isEqualTo(content);
      assertThat(stream.read(read, 0, read.length)).isEqualTo(-1);
    }
  }

  @Test
  void create_fileSyncedInTheBackgroundAsItIsWritten_holdsEveryByteInOrder() throws IOException {
    // 40 MiB and a little, in pieces of odd sizes and single bytes: the background syncs start
    // every 16 MiB (LocalStorage.SYNC_AHEAD_BYTES) while the writes go on
    byte[] content = new byte[40 * 1024 * 1024 + 13];
    new Random(7).nextBytes(content);
    Location location = Location.local(directory.resolve("synced-ahead.bin"));

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      int offset = 0;
      while (offset < content.length) {
        int piece = Math.min(content.length - offset, 3_000_017);
        stream.write(content, offset, piece);
        offset += piece;
        if (offset < content.length) {
          stream.write(content[offset++]);
        }
      }
      assertThat(stream.position()).isEqualTo(content.length);
    }

    assertThat(Files.readAllBytes(location.toLocalPath())).isEqualTo(content);
    assertThat(directoryEntries()).containsExactly(location.toLocalPath());
  }

  @Test
  void abort_ofAFileSyncedInTheBackground_leavesNothing() throws IOException {
    byte[] content = new byte[20 * 1024 * 1024];
    Location location = Location.local(directory.resolve("aborted.bin"));

    StorageOutputStream stream = storage.newOutputFile(location).create();
    stream.write(content);
    stream.abort();

    assertThat(directoryEntries()).isEmpty();
  }

  private List<Path> directoryEntries() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
