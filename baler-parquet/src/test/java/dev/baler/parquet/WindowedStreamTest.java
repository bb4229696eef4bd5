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
