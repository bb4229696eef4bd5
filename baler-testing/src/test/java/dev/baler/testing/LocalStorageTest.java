package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
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
}
