package dev.baler.parquet;

/**
 * Hears of a merge's progress, for progress bars and metrics. Called from the thread that wrote the
 * row group: the merging thread, or a thread helping it ({@link ParquetMerger#withHelpers}), so
 * implementations must be quick and thread-safe even for one merge.
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
