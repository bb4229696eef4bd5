package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.StagingStorage;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingStorageTest {
  private static final Location DATA = Location.of("memory://bucket/events.1.parquet");

  @TempDir Path directory;

  private final MemoryStorage memory = new MemoryStorage();
  private final CountingStorage remote = new CountingStorage(memory);

  @Test
  void newInputFile_footerThenWholeFileCostOneRemoteRead() throws IOException {
    byte[] content = write(DATA, 100_000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      byte[] tail = new byte[1000];
      try (SeekableInputStream stream = staging.newInputFile(DATA, content.length).newStream()) {
        stream.seek(content.length - tail.length);
        stream.readFully(tail, 0, tail.length);
      }
      byte[] whole = staging.newInputFile(DATA, content.length).readAllBytes();

      assertThat(tail)
          .isEqualTo(Arrays.copyOfRange(content, content.length - 1000, content.length));
      assertThat(whole).isEqualTo(content);
      assertThat(remote.streams.get()).isEqualTo(1);
      assertThat(staging.stagedBytes()).isEqualTo(content.length);
    }
  }

  @Test
  void newInputFile_copySeeksAndEndsLikeTheFile() throws IOException {
    byte[] content = write(DATA, 5000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, content.length).readAllBytes();
      try (SeekableInputStream stream = staging.newInputFile(DATA, content.length).newStream()) {
        stream.seek(4990);
        byte[] buffer = new byte[20];
        assertThat(stream.read(buffer, 0, 20)).isEqualTo(10);
        assertThat(stream.read()).isEqualTo(-1);
        assertThatThrownBy(() -> stream.seek(5001)).isInstanceOf(IOException.class);
      }
      assertThat(remote.streams.get()).isEqualTo(1);
    }
  }

  @Test
  void newInputFile_copyChangedOnDiskIsDroppedAndTheFileReadAgain() throws IOException {
    byte[] content = write(DATA, 5000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, content.length).readAllBytes();
      // one bit of the copy, in place: the staging file's length stays
      try (RandomAccessFile copy = new RandomAccessFile(stagedFiles().get(0).toFile(), "rw")) {
        copy.seek(4321);
        copy.write(content[4321] ^ 1);
      }

      assertThat(staging.newInputFile(DATA, content.length).readAllBytes()).isEqualTo(content);
      assertThat(remote.streams.get()).isEqualTo(2);
      // staged again, as fetched: the next read is served by the new copy
      assertThat(staging.newInputFile(DATA, content.length).readAllBytes()).isEqualTo(content);
      assertThat(remote.streams.get()).isEqualTo(2);
      assertThat(staging.stagedBytes()).isEqualTo(content.length);
    }
  }

  @Test
  void newInputFile_copyCutShortOnDiskIsDroppedAndTheFileReadAgain() throws IOException {
    byte[] content = write(DATA, 5000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, content.length).readAllBytes();
      try (RandomAccessFile copy = new RandomAccessFile(stagedFiles().get(0).toFile(), "rw")) {
        copy.setLength(4000);
      }

      assertThat(staging.newInputFile(DATA, content.length).readAllBytes()).isEqualTo(content);
      assertThat(remote.streams.get()).isEqualTo(2);
    }
  }

  @Test
  void newInputFile_afterAnInterruptClosedAStagingFileReadsRemotelyAndStagesAnew()
      throws IOException {
    Location other = Location.of("memory://bucket/events.2.parquet");
    byte[] first = write(DATA, 3000);
    byte[] second = write(other, 4000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, 3000).readAllBytes();
      staging.newInputFile(other, 4000).readAllBytes();

      // an interrupted thread's read closes the staging file's channel, for every copy in it
      Thread.currentThread().interrupt();
      byte[] read;
      try {
        read = staging.newInputFile(DATA, 3000).readAllBytes();
      } finally {
        Thread.interrupted();
      }
      assertThat(read).isEqualTo(first);
      assertThat(staging.newInputFile(other, 4000).readAllBytes()).isEqualTo(second);
      assertThat(remote.streams.get()).isEqualTo(4);

      // the second was staged again, in a new staging file
      assertThat(staging.newInputFile(other, 4000).readAllBytes()).isEqualTo(second);
      assertThat(remote.streams.get()).isEqualTo(4);
      assertThat(stagedFiles()).hasSize(1);
    }
  }

  @Test
  void newInputFile_copiesShareStagingFiles() throws IOException {
    int files = 200;
    List<byte[]> contents = new ArrayList<>();
    try (StagingStorage staging = staging(1L << 30, location -> true)) {
      for (int i = 0; i < files; i++) {
        contents.add(write(numbered(i), 1000 + i));
        staging.newInputFile(numbered(i), 1000 + i).readAllBytes();
      }

      for (int i = 0; i < files; i++) {
        assertThat(staging.newInputFile(numbered(i), 1000 + i).readAllBytes())
            .isEqualTo(contents.get(i));
      }
      assertThat(remote.streams.get()).isEqualTo(files);
      assertThat(stagedFiles()).hasSize(1);
      assertThat(staging.stagedBytes()).isEqualTo(files * 1000L + files * (files - 1) / 2);
    }
  }

  @Test
  void deleteFiles_removesAStagingFileWithItsLastCopy() throws IOException {
    // 1 MiB copies, 64 to a staging file: the 65th starts a second
    int length = (int) StagingStorage.MAX_FILE_BYTES;
    int files = 65;
    try (StagingStorage staging = staging(1L << 30, location -> true)) {
      for (int i = 0; i < files; i++) {
        write(numbered(i), length);
        staging.newInputFile(numbered(i), length).readAllBytes();
      }
      assertThat(stagedFiles()).hasSize(2);
      List<Location> first = new ArrayList<>();
      for (int i = 0; i < files - 1; i++) {
        first.add(numbered(i));
      }

      // all but one of the first staging file's copies: it stays, with all its bytes
      staging.deleteFiles(first.subList(1, first.size()));
      assertThat(stagedFiles()).hasSize(2);
      assertThat(staging.stagedBytes()).isEqualTo((long) files * length);
      staging.deleteFiles(first.subList(0, 1));

      assertThat(stagedFiles()).hasSize(1);
      assertThat(staging.stagedBytes()).isEqualTo(length);
      // the copy in the second staging file still serves its reads
      staging.newInputFile(numbered(files - 1), length).readAllBytes();
      assertThat(remote.streams.get()).isEqualTo(files);
    }
  }

  @Test
  void newOutputFile_dropsTheCopy() throws IOException {
    write(DATA, 1000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, 1000).readAllBytes();
      byte[] rewritten = new byte[1000];
      Arrays.fill(rewritten, (byte) 7);
      try (StorageOutputStream out = staging.newOutputFile(DATA).create()) {
        out.write(rewritten);
      }

      assertThat(staging.newInputFile(DATA, 1000).readAllBytes()).isEqualTo(rewritten);
      assertThat(staging.stagedBytes()).isEqualTo(1000);
    }
  }

  @Test
  void deleteFiles_dropsTheCopies() throws IOException {
    write(DATA, 1000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, 1000).readAllBytes();
      assertThat(staging.deleteFiles(List.of(DATA))).isEmpty();

      assertThat(staging.stagedBytes()).isZero();
      assertThat(stagedFiles()).isEmpty();
      assertThatThrownBy(() -> staging.newInputFile(DATA, 1000).readAllBytes())
          .isInstanceOf(java.io.FileNotFoundException.class)
          .hasMessageContaining(DATA.toString());
    }
  }

  @Test
  void newInputFile_pastTheBudgetReadsTheRemoteStorageEachTime() throws IOException {
    Location other = Location.of("memory://bucket/events.2.parquet");
    write(DATA, 600);
    write(other, 600);
    try (StagingStorage staging = staging(1000, location -> true)) {
      for (int i = 0; i < 2; i++) {
        staging.newInputFile(DATA, 600).readAllBytes();
        staging.newInputFile(other, 600).readAllBytes();
      }

      assertThat(remote.streams.get()).isEqualTo(3); // one for the first, two for the second
      assertThat(staging.stagedBytes()).isEqualTo(600);
    }
  }

  @Test
  void newInputFile_stagesOnlyWhatThePredicateAccepts() throws IOException {
    Location lease = Location.of("memory://bucket/_baler/lease/lease.json");
    write(lease, 100);
    try (StagingStorage staging =
        staging(1L << 20, location -> !location.path().startsWith("_baler/"))) {
      staging.newInputFile(lease, 100).readAllBytes();
      staging.newInputFile(lease, 100).readAllBytes();

      assertThat(remote.streams.get()).isEqualTo(2);
      assertThat(staging.stagedBytes()).isZero();
    }
  }

  @Test
  void newInputFile_largerThanTheLimitIsNotStaged() throws IOException {
    long length = StagingStorage.MAX_FILE_BYTES + 1;
    write(DATA, (int) length);
    try (StagingStorage staging = staging(1L << 30, location -> true)) {
      staging.newInputFile(DATA, length).readAllBytes();
      staging.newInputFile(DATA, length).readAllBytes();

      assertThat(remote.streams.get()).isEqualTo(2);
    }
  }

  @Test
  void newInputFile_lengthOtherThanListedKeepsNoCopy() throws IOException {
    byte[] content = write(DATA, 1200);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      // as listed before the file was rewritten longer: the copy would be of another version
      InputFile stale = staging.newInputFile(DATA, 1000);
      try (SeekableInputStream stream = stale.newStream()) {
        byte[] head = new byte[1000];
        stream.readFully(head, 0, 1000);
        assertThat(head).isEqualTo(Arrays.copyOf(content, 1000));
      }

      assertThat(staging.stagedBytes()).isZero();
    }
  }

  @Test
  void newInputFile_whereNoCopyCanBeWrittenReadsTheRemoteStorage() throws IOException {
    byte[] content = write(DATA, 1000);
    Path missing = directory.resolve("missing");
    try (StagingStorage staging = new StagingStorage(remote, missing, 1L << 20, location -> true)) {
      assertThat(staging.newInputFile(DATA, 1000).readAllBytes()).isEqualTo(content);
      assertThat(staging.newInputFile(DATA, 1000).readAllBytes()).isEqualTo(content);

      assertThat(remote.streams.get()).isEqualTo(2);
      assertThat(staging.stagedBytes()).isZero();
    }
  }

  @Test
  void newInputFile_firstCopyRemovesStagingDirectoriesOfProcessesThatNoLongerRun()
      throws IOException {
    // above Linux's largest process id: no such process runs
    Path abandoned = Files.createDirectory(directory.resolve("baler-staging-999999999-1"));
    Files.write(abandoned.resolve("copy-1.bin"), new byte[10]);
    Path live =
        Files.createDirectory(
            directory.resolve("baler-staging-" + ProcessHandle.current().pid() + "-2"));
    Path other = Files.createDirectory(directory.resolve("baler-staging-notes"));
    write(DATA, 1000);
    try (StagingStorage staging = staging(1L << 20, location -> true)) {
      staging.newInputFile(DATA, 1000).readAllBytes();

      assertThat(abandoned).doesNotExist();
      assertThat(live).isDirectory();
      assertThat(other).isDirectory();
    }
  }

  @Test
  void close_deletesTheStagingDirectory() throws IOException {
    write(DATA, 1000);
    StagingStorage staging = staging(1L << 20, location -> true);
    staging.newInputFile(DATA, 1000).readAllBytes();
    assertThat(stagedFiles()).hasSize(1);
    try (Stream<Path> made = Files.list(directory)) {
      assertThat(made)
          .singleElement()
          .satisfies(
              path ->
                  assertThat(path.getFileName().toString())
                      .startsWith("baler-staging-" + ProcessHandle.current().pid() + "-"));
    }

    staging.close();
    staging.close(); // again: nothing to do

    try (Stream<Path> left = Files.list(directory)) {
      assertThat(left).isEmpty();
    }
  }

  private StagingStorage staging(long budget, java.util.function.Predicate<Location> stageable) {
    return new StagingStorage(remote, directory, budget, stageable);
  }

  private static Location numbered(int file) {
    return Location.of("memory://bucket/events." + file + ".parquet");
  }

  private List<Path> stagedFiles() throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile).toList();
    }
  }

  private byte[] write(Location location, int length) throws IOException {
    byte[] content = new byte[length];
    new Random(length).nextBytes(content);
    try (StorageOutputStream out = memory.newOutputFile(location).create()) {
      out.write(content);
    }
    return content;
  }

  /** A storage that counts the streams opened on it. */
  private static final class CountingStorage extends ForwardingStorage {
    private final AtomicInteger streams = new AtomicInteger();

    CountingStorage(Storage delegate) {
      super(delegate);
    }

    @Override
    public InputFile newInputFile(Location location) {
      return new ForwardingInputFile(super.newInputFile(location)) {
        @Override
        public SeekableInputStream newStream() throws IOException {
          streams.incrementAndGet();
          return super.newStream();
        }
      };
    }
  }
}
