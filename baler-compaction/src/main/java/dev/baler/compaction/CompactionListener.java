package dev.baler.compaction;

import dev.baler.storage.Location;

/**
 * Hears of a compaction's progress: for progress bars, metrics and tests. Bins run in parallel, so
 * implementations must be thread-safe and quick. Every method does nothing by default.
 */
public interface CompactionListener {
  /** A listener that ignores everything. */
  CompactionListener NONE = new CompactionListener() {};

  /**
   * Planning has read one more footer, {@code read} in all. How many there are to read is known
   * only once the listing ends, as it is read along with them. Called from the planning thread,
   * once per footer, before {@link #planned}.
   */
  default void footersRead(int read) {}

  /** The plan is made; {@code plan} says how many files, bytes and bins will follow. */
  default void planned(CompactionPlan plan) {}

  /**
   * A protocol step is done.
   *
   * @param subject the lease file for {@link ProtocolStep#LEASE_TAKEN}, otherwise the bin's output
   */
  default void step(ProtocolStep step, Location subject) {}

  /**
   * An output row group was written. Each is told once, though a bin may write it twice: when a bin
   * leaves out an input it could not decode and merges the rest again, its new attempt is told only
   * as it gets past what the attempt before it wrote, so that over a bin the rows and bytes told
   * add up to about the bin's (a little less where an input was left out).
   *
   * @param rows rows in it, or in the part of it not told before
   * @param inputBytes input bytes it consumed, compressed as stored, or the part not told before
   */
  default void rowGroupWritten(long rows, long inputBytes) {}

  /** A bin is finished, committed or not; {@code files} inputs were in it. */
  default void binFinished(Bin bin, boolean committed) {}

  /** An interrupted bin of an earlier run was finished or rolled back. */
  default void recovered(Location journalRecord, String action) {}
}
