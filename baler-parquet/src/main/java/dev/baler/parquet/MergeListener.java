package dev.baler.parquet;

/**
 * Hears of a merge's progress, for progress bars and metrics. Called from the merging thread;
 * implementations must be quick and, when shared by parallel merges, thread-safe.
 */
public interface MergeListener {
  /** A listener that ignores everything. */
  MergeListener NONE = (rows, inputBytes) -> {};

  /**
   * An output row group was written.
   *
   * @param rows rows in it
   * @param inputBytes bytes of input column chunks it consumed, compressed as stored
   */
  void rowGroupWritten(long rows, long inputBytes);
}
