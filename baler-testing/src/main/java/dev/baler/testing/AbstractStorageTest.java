package dev.baler.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Storage} keeps, as one JUnit 5 suite that each implementation runs by
 * extending this class.
 *
 * <p>A subclass supplies the storage ({@link #storage()}) and, before each test, a fresh and empty
 * directory-like location ({@link #newRoot()}) under which the test writes its files. The suite
 * checks listing with key-prefix semantics, reads (length, seeks, end of file, missing files),
 * writes that become visible only on close, atomic create-if-absent under contention, and batch
 * deletes. It uses only the {@link Storage} interface, so it runs unchanged against memory, local
 * disk, S3 and HDFS.
 *
 * <p>Files are small (at most a few hundred KiB) so that the whole suite runs in seconds against a
 * remote-like store. Implementation-specific behaviour, such as S3 multipart uploads, belongs in
 * the subclass.
 */
public abstract class AbstractStorageTest {
  private static final int RACERS = 8;
  private static final long LAST_MODIFIED_TOLERANCE_SECONDS = 5;

  private Location root;

  /**
   * The storage under test. Called for every test; may return the same instance each time. The
   * subclass owns it and closes it.
   */
  protected abstract Storage storage();

  /**
   * A new, empty, directory-like location (its path ends with {@code /}) in {@link #storage()},
   * such as a fresh temporary directory or a random prefix in a bucket. Called once before each
   * test.
   *
   * @throws IOException if it cannot be made
   */
  protected abstract Location newRoot() throws IOException;

  /** The location the current test writes below, as returned by {@link #newRoot()}. */
  protected final Location root() {
    return root;
  }

  /** Asks the subclass for this test's root; JUnit calls it before each test. */
  @BeforeEach
  protected final void setUpRoot() throws IOException {
    Location location = newRoot();
    assertThat(location.isDirectory())
        .as("root %s is a directory-like location", location)
        .isTrue();
    root = location;
  }

  // ---- list

  @Test
  void list_directoryPrefixListsTreeRecursively() throws IOException {
    write("a.parquet", bytes(10, 1));
    write("dir/b.parquet", bytes(20, 2));
    write("dir/sub/c.parquet", bytes(30, 3));

    assertThat(list(root))
        .containsExactlyInAnyOrder(
            root.resolve("a.parquet"),
            root.resolve("dir/b.parquet"),
            root.resolve("dir/sub/c.parquet"));
    assertThat(list(root.resolve("dir/")))
        .containsExactlyInAnyOrder(
            root.resolve("dir/b.parquet"), root.resolve("dir/sub/c.parquet"));
  }

  @Test
  void list_directoryPrefixExcludesSiblingsSharingItsName() throws IOException {
    write("dir/b.parquet", bytes(10, 1));
    write("dir-other/c.parquet", bytes(10, 2));
    write("dir.parquet", bytes(10, 3));

    assertThat(list(root.resolve("dir/"))).containsExactly(root.resolve("dir/b.parquet"));
  }

  @Test
  void list_namePrefixMatchesKeysStartingWithIt() throws IOException {
    write("events.1.parquet", bytes(10, 1));
    write("events.2.parquet", bytes(10, 2));
    write("events/nested.parquet", bytes(10, 3));
    write("other.parquet", bytes(10, 4));
    write("dir/events.3.parquet", bytes(10, 5));

    assertThat(list(root.resolve("events")))
        .containsExactlyInAnyOrder(
            root.resolve("events.1.parquet"),
            root.resolve("events.2.parquet"),
            root.resolve("events/nested.parquet"));
    assertThat(list(root.resolve("events.1"))).containsExactly(root.resolve("events.1.parquet"));
  }

  @Test
  void list_missingPrefixIsEmpty() throws IOException {
    write("present.parquet", bytes(10, 1));

    assertThat(storage().list(root.resolve("missing/")).toList()).isEmpty();
    assertThat(storage().list(root.resolve("missing")).toList()).isEmpty();
    assertThat(storage().list(root.resolve("missing/deeper/")).toList()).isEmpty();
  }

  @Test
  void list_emptyRootIsEmpty() throws IOException {
    assertThat(storage().list(root).toList()).isEmpty();
  }

  @Test
  void list_entriesCarryLengthAndLastModified() throws IOException {
    Instant before = Instant.now().minusSeconds(LAST_MODIFIED_TOLERANCE_SECONDS);
    write("small.parquet", bytes(123, 1));
    write("empty.parquet", new byte[0]);
    write("dir/larger.parquet", bytes(70_000, 2));
    Instant after = Instant.now().plusSeconds(LAST_MODIFIED_TOLERANCE_SECONDS);

    List<FileEntry> entries = storage().list(root).toList();

    assertThat(entries)
        .extracting(FileEntry::location, FileEntry::length)
        .containsExactlyInAnyOrder(
            tuple(root.resolve("small.parquet"), 123L),
            tuple(root.resolve("empty.parquet"), 0L),
            tuple(root.resolve("dir/larger.parquet"), 70_000L));
    assertThat(entries)
        .allSatisfy(entry -> assertThat(entry.lastModified()).isBetween(before, after));
  }

  @Test
  void list_iteratorThrowsNoSuchElementWhenExhausted() throws IOException {
    write("only.parquet", bytes(5, 1));

    var iterator = storage().list(root);
    assertThat(iterator.hasNext()).isTrue();
    assertThat(iterator.next().location()).isEqualTo(root.resolve("only.parquet"));
    assertThat(iterator.hasNext()).isFalse();
    assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
  }

  // ---- read

  @Test
  void newInputFile_reportsLengthExistsAndContent() throws IOException {
    byte[] content = bytes(4_321, 7);
    Location location = write("data.parquet", content);

    InputFile file = storage().newInputFile(location);

    assertThat(file.location()).isEqualTo(location);
    assertThat(file.exists()).isTrue();
    assertThat(file.length()).isEqualTo(content.length);
    assertThat(file.readAllBytes()).isEqualTo(content);
  }

  @Test
  void newInputFile_withKnownLengthReadsContent() throws IOException {
    byte[] content = bytes(4_321, 8);
    Location location = write("data.parquet", content);

    InputFile file = storage().newInputFile(location, content.length);

    assertThat(file.length()).isEqualTo(content.length);
    assertThat(file.readAllBytes()).isEqualTo(content);
  }

  @Test
  void newInputFile_readsEmptyFile() throws IOException {
    Location location = write("empty.parquet", new byte[0]);

    InputFile file = storage().newInputFile(location);

    assertThat(file.exists()).isTrue();
    assertThat(file.length()).isZero();
    assertThat(file.readAllBytes()).isEmpty();
    try (SeekableInputStream stream = file.newStream()) {
      assertThat(stream.read()).isEqualTo(-1);
      assertThat(stream.read(new byte[8], 0, 8)).isEqualTo(-1);
    }
  }

  @Test
  void newStream_seeksAndReadsAtPositions() throws IOException {
    byte[] content = bytes(200_000, 9);
    Location location = write("seek.parquet", content);

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      assertThat(stream.position()).isZero();
      assertThat(readFully(stream, 100)).isEqualTo(slice(content, 0, 100));
      assertThat(stream.position()).isEqualTo(100);

      // the tail first, as a Parquet reader reads the footer
      stream.seek(content.length - 8);
      assertThat(readFully(stream, 8)).isEqualTo(slice(content, content.length - 8, 8));
      assertThat(stream.position()).isEqualTo(content.length);

      // backwards
      stream.seek(5_000);
      assertThat(stream.position()).isEqualTo(5_000);
      assertThat(stream.read()).isEqualTo(content[5_000] & 0xff);
      assertThat(readFully(stream, 1_000)).isEqualTo(slice(content, 5_001, 1_000));

      // a short forward seek, then a far one
      stream.seek(6_500);
      assertThat(readFully(stream, 500)).isEqualTo(slice(content, 6_500, 500));
      stream.seek(150_000);
      assertThat(readFully(stream, 50_000)).isEqualTo(slice(content, 150_000, 50_000));

      // seeking to the same position twice is harmless
      stream.seek(42);
      stream.seek(42);
      assertThat(stream.read()).isEqualTo(content[42] & 0xff);
    }
  }

  @Test
  void newStream_readsSequentiallyToTheEnd() throws IOException {
    byte[] content = bytes(300_000, 10);
    Location location = write("sequential.parquet", content);

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      assertThat(stream.readAllBytes()).isEqualTo(content);
      assertThat(stream.position()).isEqualTo(content.length);
      assertThat(stream.read()).isEqualTo(-1);
    }
  }

  @Test
  void newStream_readsAndWritesMegabytesInOneCall() throws IOException {
    // a merge reads windows of megabytes, and a writer hands over pages as large, in one call each
    byte[] content = bytes(3 * 1024 * 1024 + 5, 13);
    Location location = root().resolve("large.parquet");
    try (var out = storage().newOutputFile(location).create()) {
      out.write(content, 0, content.length);
    }

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      stream.seek(3);
      byte[] read = new byte[content.length - 3];
      stream.readFully(read, 0, read.length);
      assertThat(read).isEqualTo(Arrays.copyOfRange(content, 3, content.length));
      assertThat(stream.read()).isEqualTo(-1);
    }
  }

  @Test
  void newStream_readingPastTheEndReturnsMinusOne() throws IOException {
    byte[] content = bytes(1_000, 11);
    Location location = write("end.parquet", content);

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      stream.seek(990);
      byte[] buffer = new byte[100];
      int read = stream.read(buffer, 0, 100);
      assertThat(read).isBetween(1, 10);
      assertThat(stream.readNBytes(100)).hasSize(10 - read);
      assertThat(stream.read(buffer, 0, 100)).isEqualTo(-1);
      assertThat(stream.read()).isEqualTo(-1);

      stream.seek(content.length);
      assertThat(stream.position()).isEqualTo(content.length);
      assertThat(stream.read()).isEqualTo(-1);
    }
  }

  @Test
  void newStream_readFullyPastTheEndThrowsEofException() throws IOException {
    byte[] content = bytes(1_000, 12);
    Location location = write("eof.parquet", content);

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      stream.seek(995);
      assertThatThrownBy(() -> stream.readFully(new byte[10], 0, 10))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("after 5 of 10 bytes");
    }
  }

  @Test
  void newStream_seekOutsideTheFileThrows() throws IOException {
    byte[] content = bytes(1_000, 13);
    Location location = write("outside.parquet", content);

    try (SeekableInputStream stream = storage().newInputFile(location).newStream()) {
      assertThatThrownBy(() -> stream.seek(1_001))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot seek to 1001");
      assertThatThrownBy(() -> stream.seek(-1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot seek to -1");
    }
  }

  @Test
  void newInputFile_missingFileDoesNotExist() throws IOException {
    assertThat(storage().newInputFile(root.resolve("missing.parquet")).exists()).isFalse();
  }

  @Test
  void newInputFile_missingFileThrowsFileNotFound() {
    Location missing = root.resolve("missing.parquet");
    InputFile file = storage().newInputFile(missing);

    assertThatThrownBy(file::length)
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(file::newStream)
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(file::readAllBytes)
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void newInputFile_missingFileWithKnownLengthThrowsFileNotFoundOnRead() {
    Location missing = root.resolve("missing.parquet");
    InputFile file = storage().newInputFile(missing, 100);

    assertThatThrownBy(
            () -> {
              try (SeekableInputStream stream = file.newStream()) {
                stream.read();
              }
            })
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  // ---- write

  @Test
  void newOutputFile_fileIsVisibleOnlyAfterClose() throws IOException {
    Location location = root.resolve("dir/out.parquet");
    byte[] content = bytes(50_000, 14);

    StorageOutputStream stream = storage().newOutputFile(location).create();
    stream.write(content, 0, 20_000);
    stream.write(content[20_000]);
    stream.write(content, 20_001, content.length - 20_001);
    assertThat(stream.position()).isEqualTo(content.length);

    assertThat(storage().newInputFile(location).exists()).isFalse();
    assertThat(storage().list(location).toList()).isEmpty();

    stream.close();

    assertThat(storage().newInputFile(location).exists()).isTrue();
    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(content);
    assertThat(list(location)).containsExactly(location);
  }

  @Test
  void newOutputFile_abortLeavesNothing() throws IOException {
    Location location = root.resolve("aborted.parquet");

    StorageOutputStream stream = storage().newOutputFile(location).create();
    stream.write(bytes(10_000, 15));
    stream.abort();
    stream.abort();

    assertThat(storage().newInputFile(location).exists()).isFalse();
    assertThat(storage().list(root).toList()).isEmpty();
  }

  @Test
  void newOutputFile_abortAfterCloseKeepsTheFile() throws IOException {
    Location location = root.resolve("kept.parquet");
    byte[] content = bytes(1_000, 16);

    StorageOutputStream stream = storage().newOutputFile(location).create();
    stream.write(content);
    stream.close();
    stream.abort();
    stream.close();

    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(content);
  }

  @Test
  void newOutputFile_abortKeepsAnExistingFile() throws IOException {
    byte[] original = bytes(1_000, 17);
    Location location = write("existing.parquet", original);

    StorageOutputStream stream = storage().newOutputFile(location).create();
    stream.write(bytes(2_000, 18));
    stream.abort();

    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(original);
  }

  @Test
  void newOutputFile_closeReplacesAnExistingFile() throws IOException {
    Location location = write("replaced.parquet", bytes(5_000, 19));
    byte[] replacement = bytes(3_000, 20);

    storage().newOutputFile(location).write(replacement);

    assertThat(storage().newInputFile(location).length()).isEqualTo(replacement.length);
    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(replacement);
    assertThat(storage().list(root).toList())
        .singleElement()
        .satisfies(entry -> assertThat(entry.length()).isEqualTo(replacement.length));
  }

  @Test
  void newOutputFile_writesEmptyFile() throws IOException {
    Location location = root.resolve("empty.parquet");

    storage().newOutputFile(location).create().close();

    assertThat(storage().newInputFile(location).exists()).isTrue();
    assertThat(storage().newInputFile(location).length()).isZero();
  }

  // ---- createExclusive

  @Test
  void createExclusive_succeedsOnceThenReportsExisting() throws IOException {
    Location location = root.resolve("_baler/lease");
    byte[] first = "first owner".getBytes(UTF_8);

    assertThat(storage().createExclusive(location, first)).isTrue();
    assertThat(storage().createExclusive(location, "second owner".getBytes(UTF_8))).isFalse();

    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(first);
  }

  @Test
  void createExclusive_doesNotReplaceAWrittenFile() throws IOException {
    byte[] original = bytes(100, 21);
    Location location = write("written", original);

    assertThat(storage().createExclusive(location, "intruder".getBytes(UTF_8))).isFalse();

    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo(original);
  }

  @Test
  void createExclusive_succeedsAgainAfterDelete() throws IOException {
    Location location = root.resolve("lease");

    assertThat(storage().createExclusive(location, "one".getBytes(UTF_8))).isTrue();
    assertThat(storage().deleteFiles(List.of(location))).isEmpty();
    assertThat(storage().createExclusive(location, "two".getBytes(UTF_8))).isTrue();

    assertThat(storage().newInputFile(location).readAllBytes()).isEqualTo("two".getBytes(UTF_8));
  }

  @Test
  void createExclusive_exactlyOneOfManyRacersWins() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(RACERS);
    try {
      for (int round = 0; round < 3; round++) {
        Location location = root.resolve("race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int racer = 0; racer < RACERS; racer++) {
          byte[] content = ("racer " + racer).getBytes(UTF_8);
          Callable<Boolean> create =
              () -> {
                start.await();
                return storage().createExclusive(location, content);
              };
          results.add(executor.submit(create));
        }
        start.countDown();

        List<Integer> winners = new ArrayList<>();
        for (int racer = 0; racer < RACERS; racer++) {
          if (results.get(racer).get(30, TimeUnit.SECONDS)) {
            winners.add(racer);
          }
        }

        assertThat(winners).as("winners of round %s", round).hasSize(1);
        assertThat(new String(storage().newInputFile(location).readAllBytes(), UTF_8))
            .isEqualTo("racer " + winners.get(0));
      }
    } finally {
      executor.shutdownNow();
    }
  }

  // ---- deleteFiles

  @Test
  void deleteFiles_deletesTheGivenFilesOnly() throws IOException {
    Location first = write("a.parquet", bytes(10, 1));
    Location second = write("dir/b.parquet", bytes(10, 2));
    Location kept = write("c.parquet", bytes(10, 3));

    List<DeleteFailure> failures = storage().deleteFiles(List.of(first, second));

    assertThat(failures).isEmpty();
    assertThat(list(root)).containsExactly(kept);
    assertThat(storage().newInputFile(first).exists()).isFalse();
    assertThat(storage().newInputFile(second).exists()).isFalse();
  }

  @Test
  void deleteFiles_missingFileCountsAsDeleted() throws IOException {
    Location present = write("present.parquet", bytes(10, 1));

    List<DeleteFailure> failures =
        storage().deleteFiles(List.of(root.resolve("missing.parquet"), present));

    assertThat(failures).isEmpty();
    assertThat(storage().list(root).toList()).isEmpty();
  }

  @Test
  void deleteFiles_nothingToDelete() throws IOException {
    assertThat(storage().deleteFiles(List.of())).isEmpty();
  }

  @Test
  void deleteFiles_deletesManyFiles() throws IOException {
    List<Location> locations = new ArrayList<>();
    for (int index = 0; index < 50; index++) {
      locations.add(write("many/file-" + index + ".parquet", bytes(10, index)));
    }

    assertThat(storage().deleteFiles(locations)).isEmpty();

    assertThat(storage().list(root).toList()).isEmpty();
  }

  // ---- moveFile

  @Test
  void moveFile_movesContentAndRemovesSource() throws IOException {
    byte[] content = bytes(300, 7);
    Location source = write("date=2024-01-01/a.parquet", content);
    Location target = root.resolve("backup/date=2024-01-01/a.parquet");

    storage().moveFile(source, target);

    assertThat(storage().newInputFile(source).exists()).isFalse();
    assertThat(storage().newInputFile(target).readAllBytes()).isEqualTo(content);
  }

  @Test
  void moveFile_replacesAnExistingTarget() throws IOException {
    Location source = write("a.parquet", bytes(20, 1));
    Location target = write("b.parquet", bytes(30, 2));

    storage().moveFile(source, target);

    assertThat(storage().newInputFile(target).readAllBytes()).isEqualTo(bytes(20, 1));
    assertThat(list(root)).containsExactly(target);
  }

  @Test
  void moveFile_repeatedAfterItWasDoneIsANoOp() throws IOException {
    Location source = write("a.parquet", bytes(20, 1));
    Location target = root.resolve("moved/a.parquet");
    storage().moveFile(source, target);

    storage().moveFile(source, target);

    assertThat(storage().newInputFile(target).readAllBytes()).isEqualTo(bytes(20, 1));
  }

  @Test
  void moveFile_missingSourceAndTargetThrowsFileNotFound() {
    Location source = root.resolve("missing.parquet");

    assertThatThrownBy(() -> storage().moveFile(source, root.resolve("elsewhere.parquet")))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("missing.parquet");
  }

  @Test
  void moveFile_ontoItselfIsRefused() throws IOException {
    Location source = write("a.parquet", bytes(20, 1));

    assertThatThrownBy(() -> storage().moveFile(source, source))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("onto itself");
    assertThat(storage().newInputFile(source).exists()).isTrue();
  }

  // ---- helpers for subclasses and tests

  /**
   * Writes {@code content} as the file {@code name} below {@link #root()}, through {@link
   * Storage#newOutputFile}.
   *
   * @return the file's location
   */
  protected final Location write(String name, byte[] content) throws IOException {
    Location location = root.resolve(name);
    storage().newOutputFile(location).write(content);
    return location;
  }

  /** The locations listed under {@code prefix}, in the order the storage returned them. */
  protected final List<Location> list(Location prefix) throws IOException {
    return storage().list(prefix).toList().stream().map(FileEntry::location).toList();
  }

  /**
   * {@code length} pseudo-random bytes, the same for the same seed.
   *
   * @param length how many bytes, not negative
   */
  protected static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] content, int offset, int length) {
    return Arrays.copyOfRange(content, offset, offset + length);
  }

  private static byte[] readFully(SeekableInputStream stream, int length) throws IOException {
    byte[] buffer = new byte[length];
    stream.readFully(buffer, 0, length);
    return buffer;
  }
}
