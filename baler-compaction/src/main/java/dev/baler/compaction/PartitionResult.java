package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.time.Duration;

/**
 * What a run did in one partition (the directory its files are in), for reports per partition such
 * as {@code baler consolidate}'s.
 *
 * @param partition the partition's directory
 * @param filesProcessed input files of committed bins
 * @param filesCreated outputs committed
 * @param recordsConsolidated rows in committed outputs
 * @param inputBytes bytes of the committed bins' inputs
 * @param outputBytes bytes of the committed outputs
 * @param failedBins bins not committed, or committed but not finished
 * @param duration the time its bins took, added up (bins of one partition may run at once, so this
 *     can exceed the wall time)
 */
public record PartitionResult(
    Location partition,
    int filesProcessed,
    int filesCreated,
    long recordsConsolidated,
    long inputBytes,
    long outputBytes,
    int failedBins,
    Duration duration) {
  public PartitionResult {
    requireNonNull(partition, "partition is null");
    requireNonNull(duration, "duration is null");
  }

  /** Input files processed per second of {@link #duration()}; 0 when nothing took time. */
  public double filesPerSecond() {
    long nanos = duration.toNanos();
    return nanos == 0 ? 0 : filesProcessed * 1e9 / nanos;
  }

  /** This result with a bin's outcome added. */
  PartitionResult plus(BinOutcome outcome) {
    boolean committed = outcome.committed();
    return new PartitionResult(
        partition,
        filesProcessed + (committed ? outcome.bin().inputs().size() : 0),
        filesCreated + (committed ? 1 : 0),
        recordsConsolidated + (committed ? outcome.rows() : 0),
        inputBytes + (committed ? outcome.bin().inputBytes() : 0),
        outputBytes + (committed ? outcome.outputBytes() : 0),
        failedBins + (outcome.failure().isPresent() ? 1 : 0),
        duration.plus(outcome.duration()));
  }

  /** A partition where nothing was done yet. */
  static PartitionResult empty(Location partition) {
    return new PartitionResult(partition, 0, 0, 0, 0, 0, 0, Duration.ZERO);
  }
}
