package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.events;
import static dev.baler.compaction.EventFiles.name;
import static dev.baler.compaction.EventFiles.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");
  private static final long T0 = 1_704_067_200_000L;

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void lastProcessedTimestamp_isTheLatestProcessedWhenNothingIsLeftBehind() throws IOException {
    put(storage, DIRECTORY.resolve("date=2024-01-01/" + name("events", T0 + 10)), events(0, 5));
    put(storage, DIRECTORY.resolve("date=2024-01-01/" + name("events", T0 + 20)), events(5, 5));

    CompactionResult result = run();

    assertThat(result.filesProcessed()).isEqualTo(2);
    assertThat(result.lastProcessedTimestamp()).hasValue(Instant.ofEpochMilli(T0 + 20));
  }

  @Test
  void lastProcessedTimestamp_staysBeforeAFileThatWasLeftAlone() throws IOException {
    // one partition has enough files, another only one, older than the compacted ones
    put(storage, DIRECTORY.resolve("date=2024-01-01/" + name("events", T0 + 5)), events(0, 5));
    put(storage, DIRECTORY.resolve("date=2024-01-02/" + name("events", T0 + 10)), events(5, 5));
    put(storage, DIRECTORY.resolve("date=2024-01-02/" + name("events", T0 + 20)), events(10, 5));

    CompactionResult result = run();

    assertThat(result.filesProcessed()).isEqualTo(2);
    assertThat(result.lastProcessedTimestamp()).hasValue(Instant.ofEpochMilli(T0 + 4));
  }

  private CompactionResult run() throws IOException {
    return new CompactionRunner(
            storage, CompactionOptions.builder().build(), CompactionListener.NONE)
        .run(DIRECTORY);
  }
}
