package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.testing.ForwardingInputFile;
import dev.baler.testing.ForwardingSeekableInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class WindowedStreamTest {
  private static final Location FILE = Location.of("memory://test/file.bin");

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void read_servesTheWindowAndTheFileAroundIt() throws IOException {
    byte[] content = pattern(1000, 7, 0);
    storage.newOutputFile(FILE).write(content);
    try (WindowedStream stream = new WindowedStream(storage.newInputFile(FILE).newStream())) {
      stream.include(100, 200);
      stream.include(200, 300); // adjacent: one window of 100 to 300

      assertThat(readAt(stream, 150, 100)).isEqualTo(slice(content, 150, 100));
      assertThat(readAt(stream, 50, 100)).isEqualTo(slice(content, 50, 100));
      assertThat(readAt(stream, 280, 100)).isEqualTo(slice(content, 280, 100));
      stream.dropWindow();
      assertThat(readAt(stream, 150, 20)).isEqualTo(slice(content, 150, 20));
      assertThat(stream.position()).isEqualTo(170);
    }
  }

  @Test
  void closeFile_keepsTheWindowAndOpensTheFileAgainForTheNextReadOutsideIt() throws IOException {
    byte[] content = pattern(1000, 11, 0);
    storage.newOutputFile(FILE).write(content);
    int[] streams = new int[1];
    var file =
        new ForwardingInputFile(storage.newInputFile(FILE)) {
          @Override
          public dev.baler.storage.SeekableInputStream newStream() throws IOException {
            streams[0]++;
            return super.newStream();
          }
        };
    try (WindowedStream stream = new WindowedStream(file, null)) {
      stream.include(100, 300);
      stream.closeFile();
      stream.closeFile(); // closed already: nothing to do

      assertThat(stream.fileOpen()).isFalse();
      assertThat(readAt(stream, 120, 100)).isEqualTo(slice(content, 120, 100));
      assertThat(streams[0]).as("streams opened, the window serving the read").isEqualTo(1);
      assertThat(readAt(stream, 500, 50)).isEqualTo(slice(content, 500, 50));
      assertThat(streams[0]).as("streams opened, the file read past the window").isEqualTo(2);
      assertThat(stream.fileOpen()).isTrue();
      stream.closeFile();
      stream.dropWindow();
      stream.include(600, 700);
      assertThat(streams[0]).as("streams opened, a new window read").isEqualTo(3);
      assertThat(readAt(stream, 650, 50)).isEqualTo(slice(content, 650, 50));
    }
    try (WindowedStream notReopenable = new WindowedStream(file.newStream())) {
      assertThatThrownBy(notReopenable::closeFile).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void loadWhole_servesEveryReadFromMemoryAfterClosingTheFile() throws IOException {
    byte[] content = pattern(1000, 3, 0);
    storage.newOutputFile(FILE).write(content);
    boolean[] closed = new boolean[1];
    var file =
        new ForwardingSeekableInputStream(storage.newInputFile(FILE).newStream()) {
          @Override
          public void seek(long position) throws IOException {
            if (closed[0]) {
              throw new IOException("closed");
            }
            super.seek(position);
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            if (closed[0]) {
              throw new IOException("closed");
            }
            return super.read(buffer, offset, length);
          }

          @Override
          public void close() throws IOException {
            closed[0] = true;
            super.close();
          }
        };
    try (WindowedStream stream = new WindowedStream(file)) {
      stream.loadWhole(content.length);

      assertThat(closed[0]).as("file closed once read whole").isTrue();
      assertThat(stream.windowBytes()).isEqualTo(content.length);
      stream.dropWindow(); // kept: it is the whole file
      assertThat(readAt(stream, 990, 10)).isEqualTo(slice(content, 990, 10));
      assertThat(readAt(stream, 0, 1000)).isEqualTo(content);
      stream.seek(1000);
      assertThat(stream.read()).isEqualTo(-1);
    }
  }

  @Test
  void keepOnly_movesThePartOfAWholeFileStillNeededIntoTheArena() throws IOException {
    byte[] content = pattern(1000, 11, 3);
    storage.newOutputFile(FILE).write(content);
    WindowArena arena = new WindowArena(500, MergeMemory.take());
    try (WindowedStream stream = new WindowedStream(storage.newInputFile(FILE).newStream(), arena);
        WindowedStream full = new WindowedStream(storage.newInputFile(FILE).newStream(), arena)) {
      stream.loadWhole(content.length);
      assertThat(arena.memory()).as("a whole file is read outside the arena").isNull();

      stream.keepOnly(4, 404);

      assertThat(stream.windowBytes()).isEqualTo(400);
      assertThat(stream.windowArray(4, 400)).isSameAs(arena.memory());
      assertThat(readAt(stream, 100, 300)).isEqualTo(slice(content, 100, 300));
      stream.seek(404);
      assertThat(stream.read()).as("what was let go reads as the end").isEqualTo(-1);

      full.loadWhole(content.length);
      full.keepOnly(500, 1000); // 100 bytes left in the arena: an array of its own
      assertThat(full.windowArray(500, 500)).isNotNull().isNotSameAs(arena.memory());
      assertThat(readAt(full, 900, 100)).isEqualTo(slice(content, 900, 100));
    }
  }

  @Test
  void loadWhole_keepingTheFileOpenReadsWhatTheWindowLetGoFromTheFile() throws IOException {
    byte[] content = pattern(1000, 13, 2);
    storage.newOutputFile(FILE).write(content);
    WindowArena arena = new WindowArena(600, MergeMemory.take());
    try (WindowedStream stream =
        new WindowedStream(storage.newInputFile(FILE).newStream(), arena)) {
      stream.loadWhole(content.length, true);
      assertThat(stream.wholeFile()).isEqualTo(content);
      stream.keepOnly(0, 300);
      assertThat(stream.windowArray(0, 300)).isSameAs(arena.memory());

      assertThat(readAt(stream, 250, 100))
          .as("past the window: from the file, which is open")
          .isEqualTo(slice(content, 250, 100));

      stream.releaseArena(); // dropped, as the file can give it again
      arena.reset();
      stream.include(300, 900);
      assertThat(stream.windowBytes()).isEqualTo(600);
      assertThat(stream.windowArray(300, 600)).isSameAs(arena.memory());
      assertThat(readAt(stream, 0, 1000)).isEqualTo(content);
    }
  }

  @Test
  void releaseArena_keepsTheWindowOfAFileClosedOnceReadWhole() throws IOException {
    byte[] content = pattern(1000, 17, 5);
    storage.newOutputFile(FILE).write(content);
    WindowArena arena = new WindowArena(600, MergeMemory.take());
    try (WindowedStream stream = new WindowedStream(storage.newInputFile(FILE).newStream(), arena);
        WindowedStream other = new WindowedStream(storage.newInputFile(FILE).newStream(), arena)) {
      stream.loadWhole(content.length);
      stream.keepOnly(100, 600);

      stream.releaseArena(); // moved into an array of its own: nothing could read it again
      arena.reset();
      other.include(0, 500); // overwrites the arena

      assertThat(stream.windowArray(100, 500)).isNotNull().isNotSameAs(arena.memory());
      assertThat(readAt(stream, 100, 500)).isEqualTo(slice(content, 100, 500));
    }
  }

  @Test
  void loadWhole_intoAScratchArrayKeepsWhatIsNarrowedOnceTheNextFileIsReadThere()
      throws IOException {
    Location otherFile = Location.of("memory://test/other.bin");
    byte[] content = pattern(1000, 13, 2);
    byte[] other = pattern(800, 19, 4);
    storage.newOutputFile(FILE).write(content);
    storage.newOutputFile(otherFile).write(other);
    WindowedStream.Scratch scratch = new WindowedStream.Scratch();
    WindowArena arena = new WindowArena(300, MergeMemory.take());
    try (WindowedStream first = new WindowedStream(storage.newInputFile(FILE).newStream(), arena);
        WindowedStream second =
            new WindowedStream(storage.newInputFile(otherFile).newStream(), arena)) {
      first.loadWhole(content.length, false, scratch);
      byte[] array = first.wholeFile();
      assertThat(first.windowBytes()).isEqualTo(content.length);
      assertThat(slice(array, 0, content.length)).isEqualTo(content);
      first.keepOnly(200, 600); // 400 bytes: more than the arena holds, an array of its own

      second.loadWhole(other.length, false, scratch); // shorter, into the same array
      assertThat(second.wholeFile()).isSameAs(array);
      assertThat(second.windowBytes()).isEqualTo(other.length);
      assertThat(readAt(second, 700, 100)).isEqualTo(slice(other, 700, 100));
      byte[] end = new byte[20];
      second.seek(790);
      assertThat(second.read(end, 0, 20)).as("the file's end, not the array's").isEqualTo(10);
      second.keepOnly(0, 250); // into the arena

      assertThat(readAt(first, 200, 400)).isEqualTo(slice(content, 200, 400));
      assertThat(readAt(second, 0, 250)).isEqualTo(slice(other, 0, 250));
    }
  }

  @Test
  void loadWhole_refusesAScratchArrayAnotherFilesWindowIsStillIn() throws IOException {
    Location otherFile = Location.of("memory://test/other.bin");
    storage.newOutputFile(FILE).write(pattern(1000, 3, 1));
    storage.newOutputFile(otherFile).write(pattern(500, 7, 2));
    WindowedStream.Scratch scratch = new WindowedStream.Scratch();
    try (WindowedStream first = new WindowedStream(storage.newInputFile(FILE).newStream());
        WindowedStream second = new WindowedStream(storage.newInputFile(otherFile).newStream());
        WindowedStream third = new WindowedStream(storage.newInputFile(otherFile).newStream())) {
      first.loadWhole(1000, false, scratch);

      assertThatThrownBy(() -> second.loadWhole(500, false, scratch))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("still in this thread's scratch array");
      first.close();
      third.loadWhole(500, false, scratch); // a closed stream's window is gone
      assertThat(readAt(third, 0, 500)).isEqualTo(pattern(500, 7, 2));
    }
  }

  @Test
  void keepOnly_refusesASpanTheWindowDoesNotHold() throws IOException {
    storage.newOutputFile(FILE).write(new byte[100]);
    try (WindowedStream stream = new WindowedStream(storage.newInputFile(FILE).newStream())) {
      assertThatThrownBy(() -> stream.keepOnly(0, 10)).isInstanceOf(IllegalStateException.class);
      stream.loadWhole(100);
      assertThatThrownBy(() -> stream.keepOnly(50, 101))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void arena_holdsTheWindowsThatFitAndDetachKeepsOneAcrossAReset() throws IOException {
    byte[] content = pattern(1000, 5, 1);
    storage.newOutputFile(FILE).write(content);
    WindowArena arena = new WindowArena(300, MergeMemory.take());
    try (WindowedStream first = new WindowedStream(storage.newInputFile(FILE).newStream(), arena);
        WindowedStream second = new WindowedStream(storage.newInputFile(FILE).newStream(), arena)) {
      first.include(0, 200);
      second.include(500, 700); // 100 bytes left in the arena: an array of its own

      assertThat(first.windowArray(50, 100)).isSameAs(arena.memory());
      assertThat(first.windowOffset(50)).isEqualTo(50);
      assertThat(second.windowArray(500, 200)).isNotNull().isNotSameAs(arena.memory());
      assertThat(second.windowArray(650, 100)).as("past the window").isNull();

      first.detach();
      arena.reset();
      second.dropWindow();
      second.include(800, 1000); // overwrites the arena's first 200 bytes

      assertThat(second.windowArray(800, 200)).isSameAs(arena.memory());
      assertThat(readAt(first, 0, 200)).isEqualTo(slice(content, 0, 200));
      assertThat(readAt(second, 900, 100)).isEqualTo(slice(content, 900, 100));
    }
  }

  private static byte[] readAt(WindowedStream stream, long position, int length)
      throws IOException {
    byte[] bytes = new byte[length];
    stream.seek(position);
    stream.readFully(bytes, 0, length);
    return bytes;
  }

  /** {@code length} bytes, byte {@code i} being {@code i * step + offset}. */
  private static byte[] pattern(int length, int step, int offset) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * step + offset);
    }
    return bytes;
  }

  private static byte[] slice(byte[] content, int from, int length) {
    byte[] bytes = new byte[length];
    System.arraycopy(content, from, bytes, 0, length);
    return bytes;
  }
}
