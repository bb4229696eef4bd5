package dev.baler.compaction;

import dev.baler.storage.Location;

/**
 * Hears of a repack's progress: for progress bars, metrics and tests. Files are rewritten in
 * parallel, so implementations must be thread-safe and quick. A listener that throws is logged and
 * otherwise ignored. Every method does nothing by default.
 */
public interface RepackListener {
  /** A listener that ignores everything. */
  RepackListener NONE = new RepackListener() {};

  /**
   * The source is listed.
   *
   * @param files data files found
   * @param bytes their total size in bytes
   */
  default void listed(int files, long bytes) {}

  /** A batch of rows of some file was written. */
  default void rowsWritten(long rows) {}

  /** A source file is done: {@code outcome} says how. */
  default void fileFinished(Location source, RepackResult.Outcome outcome) {}
}
