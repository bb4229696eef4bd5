package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of a run of the compaction engine that {@code compact} and {@code consolidate} share:
 * how many bins at once, and how long the lease lasts.
 */
final class RunOptions {
  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "bins compacted at once (default: the number of CPUs, at most 4)")
  Integer parallelism;

  @Option(
      names = "--lease-seconds",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "how long a run's lease lasts without renewal; a killed run on another host blocks"
              + " others this long (default: ${DEFAULT-VALUE})")
  long leaseSeconds;

  /** Sets these options on {@code builder}. */
  CompactionOptions.Builder applyTo(CompactionOptions.Builder builder) {
    builder.leaseDuration(Duration.ofSeconds(leaseSeconds));
    if (parallelism != null) {
      builder.parallelism(parallelism);
    }
    return builder;
  }
}
