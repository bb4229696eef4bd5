package dev.baler.parquet;

/**
 * Hears of a normalisation's progress, for progress bars. Called from the writing thread;
 * implementations must be quick and, when shared by parallel rewrites, thread-safe.
 */
public interface NormalizationListener {
  /** A listener that ignores everything. */
  NormalizationListener NONE = rows -> {};

  /**
   * A batch of rows was converted and handed to the writer.
   *
   * @param rows rows in the batch, at most {@link NormalizationOptions#batchRows()}
   */
  void rowsWritten(long rows);
}
