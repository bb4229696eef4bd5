package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.Storage;
import dev.baler.testing.ForwardingStorage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final Location DATA = Location.of("memory://test/data/");

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void acquire_takesTheFirstGenerationOnceAndReleasesIt() throws IOException {
    try (Lease lease = Lease.acquire(storage, DATA, Duration.ofMinutes(1))) {
      assertThat(lease.location()).isEqualTo(DATA.resolve("_baler/lease/0000000001.json"));
      lease.check();
      assertThatThrownBy(() -> Lease.acquire(storage, DATA, Duration.ofMinutes(1)))
          .isInstanceOf(LeaseHeldException.class);
    }
    try (Lease next = Lease.acquire(storage, DATA, Duration.ofMinutes(1))) {
      assertThat(next.location()).isEqualTo(DATA.resolve("_baler/lease/0000000002.json"));
    }
  }

  @Test
  void acquire_deletesTheTemporaryFilesOfLeaseFilesOlderThanALeaseLasts() throws IOException {
    Location leases = DATA.resolve("_baler/lease/");
    // as a run killed while it wrote a lease file leaves one on local disk or HDFS
    Location abandoned =
        leases.resolve(".0000000001.json.5f0c6a1e-1c2b-4d6e-9f3a-0b1c2d3e4f50.tmp");
    Location other = leases.resolve(".notes.txt");
    storage.newOutputFile(abandoned).write(new byte[] {'{'});
    storage.newOutputFile(other).write(new byte[] {'x'});

    // one written just now may be another run's, taking the lease this moment: it stays
    Lease.acquire(storage, DATA, Duration.ofMinutes(1)).close();
    assertThat(storage.newInputFile(abandoned).exists()).isTrue();

    // an hour later it is left over
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    Lease.acquire(storage, DATA, Duration.ofMinutes(1), later).close();
    assertThat(storage.newInputFile(abandoned).exists()).isFalse();
    assertThat(storage.newInputFile(other).exists()).as("not a temporary file").isTrue();
  }

  @Test
  void acquire_onAStoreThatIgnoresCreateIfAbsent_isRefused() throws IOException {
    Storage ignoring =
        new ForwardingStorage(storage) {
          @Override
          public boolean createExclusive(Location location, byte[] bytes) throws IOException {
            // as a store that drops If-None-Match: the write happens whether or not the file exists
            newOutputFile(location).write(bytes);
            return true;
          }
        };

    assertThatThrownBy(() -> Lease.acquire(ignoring, DATA, Duration.ofMinutes(1)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(LeaseHeldException.class)
        .hasMessage(
            "Cannot take the lease "
                + DATA.resolve("_baler/lease/0000000001.json")
                + ": the store let it be created a second time, so it ignores create-if-absent"
                + " (on S3, a PutObject with If-None-Match: *), which keeps two runs from"
                + " compacting the same files; Baler does not run on such a store");
    // released, so that a run on a store that honours the condition need not wait for it
    try (Lease next = Lease.acquire(storage, DATA, Duration.ofMinutes(1))) {
      assertThat(next.location()).isEqualTo(DATA.resolve("_baler/lease/0000000002.json"));
    }
  }
}
