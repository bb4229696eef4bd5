package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;

/**
 * What a merge wrote.
 *
 * @param location the output file
 * @param rowGroups row groups written
 * @param fingerprint the rows written, as fingerprinted from the input values while copying, and
 *     for the {@code verbatim} chunks from their pages' bytes; a verifier compares it with the
 *     fingerprint read back from the output ({@link RowFingerprint#of(dev.baler.storage.InputFile,
 *     long, VerbatimChunks)} with the same {@code verbatim})
 * @param verbatim the output's column chunks whose pages are the inputs' pages as stored
 * @param handedOverRowGroups of the row groups, how many a helping thread merged ({@link
 *     ParquetMerger#withHelpers}); 0 when the merge had none
 */
public record MergeResult(
    Location location,
    int rowGroups,
    RowFingerprint fingerprint,
    VerbatimChunks verbatim,
    int handedOverRowGroups) {
  /**
   * @throws NullPointerException if {@code location}, {@code fingerprint} or {@code verbatim} is
   *     null
   * @throws IllegalArgumentException if {@code handedOverRowGroups} is negative or more than {@code
   *     rowGroups}
   */
  public MergeResult {
    requireNonNull(location, "location is null");
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(verbatim, "verbatim is null");
    if (handedOverRowGroups < 0 || handedOverRowGroups > rowGroups) {
      throw new IllegalArgumentException(
          "Invalid row groups handed over: " + handedOverRowGroups + " of " + rowGroups);
    }
  }

  /** Rows written. */
  public long rows() {
    return fingerprint.rows();
  }
}
