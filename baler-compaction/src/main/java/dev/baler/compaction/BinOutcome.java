package dev.baler.compaction;

import dev.baler.storage.DeleteFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one bin ended.
 *
 * @param bin the bin, less any inputs found unreadable while merging
 * @param committed whether its output is verified (its journal record says so)
 * @param rows rows written
 * @param outputBytes bytes of the output
 * @param duplicates duplicate rows left out
 * @param deletionFailures originals that could not be deleted
 * @param skipped inputs found unreadable while merging
 * @param failure why the bin was not committed, or was committed but not finished
 * @param duration how long the bin took, from its journal record to its end
 */
record BinOutcome(
    Bin bin,
    boolean committed,
    long rows,
    long outputBytes,
    long duplicates,
    List<DeleteFailure> deletionFailures,
    List<SkippedFile> skipped,
    Optional<String> failure,
    Duration duration) {

  /** This outcome with {@code duration}. */
  BinOutcome withDuration(Duration duration) {
    return new BinOutcome(
        bin,
        committed,
        rows,
        outputBytes,
        duplicates,
        deletionFailures,
        skipped,
        failure,
        duration);
  }
}
