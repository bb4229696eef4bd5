package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.events;
import static dev.baler.compaction.EventFiles.name;
import static dev.baler.compaction.EventFiles.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OverlappingRunsTest {
  private static final Location DATA = Location.of("memory://test/data/");
  private static final Location PARTITION = DATA.resolve("date=2024-01-01/");
  private static final long T0 = 1_704_067_200_000L;

  private final MemoryStorage storage = new MemoryStorage();

  @BeforeEach
  void files() throws IOException {
    put(storage, PARTITION.resolve(name("events", T0 + 1)), events(0, 5));
    put(storage, PARTITION.resolve(name("events", T0 + 2)), events(5, 5));
  }

  @Test
  void run_refusesWhileARunHoldsALeaseOnADirectoryAbove() throws IOException {
    try (Lease above = Lease.acquire(storage, DATA, Duration.ofMinutes(1))) {
      assertThatThrownBy(() -> run(PARTITION))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageStartingWith("Cannot take the lease " + above.location() + ": held by ")
          .hasMessageContaining("(a run on an overlapping directory)");
    }
    assertThat(EventFiles.dataFiles(storage, DATA)).hasSize(2);
  }

  @Test
  void run_refusesWhileARunHoldsALeaseOnADirectoryBelow() throws IOException {
    try (Lease below = Lease.acquire(storage, PARTITION, Duration.ofMinutes(1))) {
      assertThatThrownBy(() -> run(DATA))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageStartingWith("Cannot take the lease " + below.location() + ": held by ");
    }
    assertThat(EventFiles.dataFiles(storage, DATA)).hasSize(2);
  }

  @Test
  void run_goesAheadOnceTheOtherLeaseIsReleased() throws IOException {
    Lease.acquire(storage, DATA, Duration.ofMinutes(1)).close();

    CompactionResult result = run(PARTITION);

    assertThat(result.filesProcessed()).isEqualTo(2);
    assertThat(EventFiles.dataFiles(storage, DATA))
        .extracting(Location::fileName)
        .isEqualTo(List.of("events." + (T0 + 2) + ".c.parquet"));
  }

  private CompactionResult run(Location source) throws IOException {
    return new CompactionRunner(
            storage, CompactionOptions.builder().build(), CompactionListener.NONE)
        .run(source);
  }
}
