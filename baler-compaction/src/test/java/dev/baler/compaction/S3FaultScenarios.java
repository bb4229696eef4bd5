package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.s3.S3StorageProvider;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.FaultInjectingProxy.Fault;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compaction on S3 through a proxy that answers a share of requests with {@code 503 SlowDown},
 * {@code 500}, a reset connection (before the server sees the request, or after it carried it out),
 * or a stall. Each run either finishes or stops with an error naming what failed; runs are
 * repeated, as a scheduler would, and the prefix must end up holding exactly the original rows,
 * with nothing left of unfinished work. Run against S3Proxy ({@link S3FaultsIT}) and moto ({@link
 * S3FaultsMotoIT}), each behind the same proxy.
 */
abstract class S3FaultScenarios {
  /**
   * Runs with faults before giving up on reaching success; each is bounded by the SDK's retries.
   */
  private static final int MAX_RUNS = 8;

  /**
   * The lease of these runs: a faulty run may fail to release its lease, which then blocks the next
   * run of this process (whose pid is alive) until it expires.
   */
  private static final Duration LEASE = Duration.ofSeconds(5);

  /** The bucket the scenarios run in, on the server of the subclass. */
  abstract S3Bucket bucket();

  @Test
  void compaction_retriesAbsorbAFewFaults() throws IOException {
    Map<Fault, Double> shares =
        Map.of(
            Fault.SLOW_DOWN, 0.04,
            Fault.INTERNAL_ERROR, 0.04,
            Fault.RESET_BEFORE, 0.03,
            Fault.RESET_AFTER, 0.03,
            Fault.STALL, 0.01);

    List<String> outcomes = compactThroughFaults("light/", shares, 10, 7, true);

    assertThat(outcomes).as("the first run's outcome").first().asString().startsWith("SUCCESS");
  }

  @Test
  void compaction_throughManyFaultsEndsWithExactlyTheOriginalRows() throws IOException {
    Map<Fault, Double> shares =
        Map.of(
            Fault.SLOW_DOWN, 0.08,
            Fault.INTERNAL_ERROR, 0.06,
            Fault.RESET_BEFORE, 0.06,
            Fault.RESET_AFTER, 0.08,
            Fault.STALL, 0.02);

    List<String> outcomes = compactThroughFaults("heavy/", shares, 3, 11, false);

    // With 30% of requests failing and two retries, runs fail part-way: in planning, taking the
    // lease, or in a bin. Each must have stopped cleanly for the checks above to hold.
    assertThat(outcomes).hasSize(MAX_RUNS);
  }

  /**
   * Writes a data set below {@code name}, then compacts it through a faulty proxy, {@link
   * #MAX_RUNS} times or, with {@code untilSuccess}, until a run succeeds (which it must within that
   * many), then once more without faults, and checks that exactly the original rows remain, in
   * outputs only, with no open journal record or marker.
   *
   * @return what each faulty run ended with
   */
  private List<String> compactThroughFaults(
      String name, Map<Fault, Double> shares, int maxAttempts, long seed, boolean untilSuccess)
      throws IOException {
    Location directory = Location.of("s3://" + bucket().name() + "/" + name);
    TelemetryDataset.builder()
        .files(40)
        .rowsPerFile(300)
        .seed(seed)
        .threads(2)
        .build()
        .write(bucket().direct(), directory);
    List<Location> originals = parquetFiles(bucket().direct(), directory);
    RowFingerprint before = fingerprint(bucket().direct(), originals);
    CompactionOptions options =
        CompactionOptions.builder()
            .targetBytes(1 << 20)
            .parallelism(2)
            .leaseDuration(LEASE)
            .build();

    List<String> outcomes = new ArrayList<>();
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(bucket().endpoint(), shares, seed);
        Storage flaky = flakyStorage(proxy, maxAttempts)) {
      boolean succeeded = false;
      for (int run = 0; run < MAX_RUNS && !(untilSuccess && succeeded); run++) {
        try {
          CompactionResult result = runWaitingOutLeases(flaky, options, directory);
          outcomes.add(result.status() + " " + result.failedBins());
          succeeded = result.status() == CompactionResult.Status.SUCCESS;
        } catch (IOException | RuntimeException e) {
          // a clear error: it says what could not be done
          assertThat(e.getMessage()).as("error of run %d", run).isNotBlank();
          outcomes.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      Map<Fault, Long> injected = proxy.injected();
      assertThat(injected.values().stream().mapToLong(Long::longValue).sum())
          .as("faults injected: %s; outcomes %s", injected, outcomes)
          .isGreaterThanOrEqualTo(5);
      if (untilSuccess) {
        assertThat(succeeded).as("a run succeeded within %d runs: %s", MAX_RUNS, outcomes).isTrue();
      }

      // A run without faults finishes whatever the last faulty one may have left open.
      proxy.enabled(false);
      CompactionResult last = runWaitingOutLeases(flaky, options, directory);
      assertThat(last.status())
          .as("%s", last.failedBins())
          .isEqualTo(CompactionResult.Status.SUCCESS);
    }

    List<Location> remaining = parquetFiles(bucket().direct(), directory);
    assertThat(remaining)
        .as("data files left: outputs only")
        .isNotEmpty()
        .allSatisfy(file -> assertThat(FileNames.isCompacted(file.fileName())).isTrue());
    assertThat(fingerprint(bucket().direct(), remaining)).as("rows, once each").isEqualTo(before);
    assertThat(files(directory.resolve("_baler/journal/"))).as("open journal records").isEmpty();
    assertThat(files(directory))
        .as("markers left")
        .noneMatch(location -> location.fileName().endsWith(FileNames.MARKER_SUFFIX));
    return outcomes;
  }

  /** Runs a compaction; when an earlier run's unreleased lease blocks it, waits it out once. */
  private static CompactionResult runWaitingOutLeases(
      Storage storage, CompactionOptions options, Location directory) throws IOException {
    CompactionRunner runner = new CompactionRunner(storage, options, CompactionListener.NONE);
    try {
      return runner.run(directory);
    } catch (LeaseHeldException e) {
      long wait = Duration.between(Instant.now(), e.expiresAt()).toMillis() + 200;
      assertThat(wait).as("wait for %s", e.getMessage()).isLessThan(LEASE.toMillis() + 1000);
      try {
        Thread.sleep(Math.max(0, wait));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(interrupted);
      }
      return runner.run(directory);
    }
  }

  private Storage flakyStorage(FaultInjectingProxy proxy, int maxAttempts) throws IOException {
    return bucket()
        .through(
            proxy,
            Map.of(
                S3StorageProvider.MAX_ATTEMPTS,
                Integer.toString(maxAttempts),
                S3StorageProvider.ATTEMPT_TIMEOUT_MILLIS,
                "2000"));
  }

  private List<Location> files(Location prefix) throws IOException {
    return bucket().direct().list(prefix).toList().stream().map(FileEntry::location).toList();
  }
}
