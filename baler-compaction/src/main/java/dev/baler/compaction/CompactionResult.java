package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a compaction run did. Field names follow the prestige report where it has one.
 *
 * @param status {@link Status#SUCCESS} when every bin was committed, {@link Status#PARTIAL} when
 *     some failed (rerun to retry them), {@link Status#FAILED} when none could be
 * @param filesProcessed input files of committed bins
 * @param filesCreated outputs committed
 * @param recordsConsolidated rows in committed outputs
 * @param bytesSaved input bytes less output bytes of committed bins; negative if outputs grew
 * @param duplicateRecordsEliminated duplicate rows left out, when deduplicating
 * @param lastProcessedTimestamp the latest time stamp in a processed input's name, usable as the
 *     next run's {@code --start}; held back to just before the earliest readable file that was
 *     selected but not compacted, so that a run started from it still takes that file
 * @param deletionFailures originals that could not be deleted; their markers keep them from being
 *     compacted again
 * @param outputs the committed outputs
 * @param skipped input files left out, with reasons
 * @param failedBins bins not committed, with reasons; their inputs are untouched
 * @param recovered what recovery did with bins left open by an earlier run
 * @param partitions what was done per partition with bins, in partition order
 * @param duration how long the run took
 */
public record CompactionResult(
    Status status,
    int filesProcessed,
    int filesCreated,
    long recordsConsolidated,
    long bytesSaved,
    long duplicateRecordsEliminated,
    Optional<Instant> lastProcessedTimestamp,
    List<DeleteFailure> deletionFailures,
    List<Location> outputs,
    List<SkippedFile> skipped,
    List<FailedBin> failedBins,
    List<Recovery> recovered,
    List<PartitionResult> partitions,
    Duration duration) {

  /** How a run ended. */
  public enum Status {
    SUCCESS,
    PARTIAL,
    FAILED
  }

  /**
   * A bin that was not committed.
   *
   * @param output the output it would have made
   * @param reason why not
   */
  public record FailedBin(Location output, String reason) {}

  /**
   * A bin of an earlier run that recovery finished or rolled back.
   *
   * @param journalRecord the journal record
   * @param action what was done, such as {@code rolled back: output deleted}
   */
  public record Recovery(Location journalRecord, String action) {}

  public CompactionResult {
    requireNonNull(status, "status is null");
    requireNonNull(lastProcessedTimestamp, "lastProcessedTimestamp is null");
    deletionFailures = List.copyOf(deletionFailures);
    outputs = List.copyOf(outputs);
    skipped = List.copyOf(skipped);
    failedBins = List.copyOf(failedBins);
    recovered = List.copyOf(recovered);
    partitions = List.copyOf(partitions);
    requireNonNull(duration, "duration is null");
  }
}
