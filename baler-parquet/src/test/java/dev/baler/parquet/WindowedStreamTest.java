package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class WindowedStreamTest {
  private static final Location FILE = Location.of("memory://test/file.bin");

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void read_servesTheWindowAndTheFileAroundIt() throws IOException {
    byte[] content = new byte[1000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7);
    }
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
  void loadWhole_servesEveryReadFromMemoryAfterClosingTheFile() throws IOException {
    byte[] content = new byte[1000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 3);
    }
    storage.newOutputFile(FILE).write(content);
    boolean[] closed = new boolean[1];
    var file =
        new dev.baler.storage.SeekableInputStream() {
          private final dev.baler.storage.SeekableInputStream delegate =
              storage.newInputFile(FILE).newStream();

          @Override
          public long position() throws IOException {
            return delegate.position();
          }

          @Override
          public void seek(long position) throws IOException {
            if (closed[0]) {
              throw new IOException("closed");
            }
            delegate.seek(position);
          }

          @Override
          public int read() throws IOException {
            return delegate.read();
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            if (closed[0]) {
              throw new IOException("closed");
            }
            return delegate.read(buffer, offset, length);
          }

          @Override
          public void close() throws IOException {
            closed[0] = true;
            delegate.close();
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

  private static byte[] readAt(WindowedStream stream, long position, int length)
      throws IOException {
    byte[] bytes = new byte[length];
    stream.seek(position);
    stream.readFully(bytes, 0, length);
    return bytes;
  }

  private static byte[] slice(byte[] content, int from, int length) {
    byte[] bytes = new byte[length];
    System.arraycopy(content, from, bytes, 0, length);
    return bytes;
  }
}
