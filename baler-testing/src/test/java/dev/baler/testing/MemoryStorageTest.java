package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemoryStorageTest extends AbstractStorageTest {
  private final Storage storage = new MemoryStorage();

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("memory://test/" + UUID.randomUUID() + "/");
  }

  /** A closed stream lets go of the file's bytes, so that it cannot read them any more. */
  @Test
  void newStream_readAfterCloseThrows() throws IOException {
    Location location = root().resolve("closed.bin");
    storage.newOutputFile(location).write(new byte[] {1, 2, 3});
    SeekableInputStream stream = storage.newInputFile(location).newStream();
    assertThat(stream.read()).isEqualTo(1);

    stream.close();

    assertThatThrownBy(stream::read)
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot read " + location + ": stream is closed");
  }
}
