package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;

/**
 * What a merge wrote.
 *
 * @param location the output file
 * @param rowGroups row groups written
 * @param fingerprint the rows written, as fingerprinted from the input values while copying; a
 *     verifier compares it with the fingerprint read back from the output
 */
public record MergeResult(Location location, int rowGroups, RowFingerprint fingerprint) {
  public MergeResult {
    requireNonNull(location, "location is null");
    requireNonNull(fingerprint, "fingerprint is null");
  }

  /** Rows written. */
  public long rows() {
    return fingerprint.rows();
  }
}
