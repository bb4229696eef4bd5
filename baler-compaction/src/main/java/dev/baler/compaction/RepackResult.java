package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.time.Duration;
import java.util.List;

/**
 * What a repack run did.
 *
 * @param found data files found under the source
 * @param completed files written and verified, in source order
 * @param skipped sources whose destination already existed, left alone
 * @param failed files not written, with reasons; nothing of theirs is left at the destination
 * @param duration how long the run took
 */
public record RepackResult(
    int found,
    List<RepackedFile> completed,
    List<Location> skipped,
    List<Failure> failed,
    Duration duration) {

  public RepackResult {
    completed = List.copyOf(completed);
    skipped = List.copyOf(skipped);
    failed = List.copyOf(failed);
    requireNonNull(duration, "duration is null");
  }

  /** How one source file ended. */
  public enum Outcome {
    COMPLETED,
    SKIPPED,
    FAILED
  }

  /** How a run ended. */
  public enum Status {
    /** Nothing failed. */
    SUCCESS,
    /** Some files failed, some were written or skipped: run again to retry the failed ones. */
    PARTIAL,
    /** Every file that was tried failed. */
    FAILED
  }

  /**
   * A source file that could not be repacked.
   *
   * @param source the file
   * @param reason one line, such as {@code empty file (0 bytes)}
   */
  public record Failure(Location source, String reason) {
    public Failure {
      requireNonNull(source, "source is null");
      requireNonNull(reason, "reason is null");
    }
  }

  /** How the run ended. */
  public Status status() {
    if (failed.isEmpty()) {
      return Status.SUCCESS;
    }
    return completed.isEmpty() && skipped.isEmpty() ? Status.FAILED : Status.PARTIAL;
  }

  /** Rows written, over every completed file. */
  public long rows() {
    return completed.stream().mapToLong(RepackedFile::rows).sum();
  }

  /** Time stamp values that lost digits below the microsecond, over every completed file. */
  public long truncatedTimestamps() {
    return completed.stream().mapToLong(RepackedFile::truncatedTimestamps).sum();
  }
}
