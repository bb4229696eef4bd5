package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The little of a footer that planning keeps per file: schema key, row groups' rows and sizes.
 * Planning many thousands of files keeps only these, not whole footers, so its memory stays small
 * (a few hundred bytes per file).
 *
 * @param length the file's size in bytes
 * @param schemaKey the {@link Footer#schemaKey()}; equal keys may share one string instance
 * @param rowGroups the row groups, in file order
 */
public record FileLayout(long length, String schemaKey, List<RowGroupSize> rowGroups) {
  /**
   * One row group's size.
   *
   * @param rows rows in it
   * @param compressedBytes its column chunks' bytes as stored
   */
  public record RowGroupSize(long rows, long compressedBytes) {}

  public FileLayout {
    requireNonNull(schemaKey, "schemaKey is null");
    rowGroups = List.copyOf(rowGroups);
  }

  /** Rows in the file. */
  public long rows() {
    return rowGroups.stream().mapToLong(RowGroupSize::rows).sum();
  }

  /** Bytes of column data, the sum of the row groups' compressed sizes. */
  public long dataBytes() {
    return rowGroups.stream().mapToLong(RowGroupSize::compressedBytes).sum();
  }
}
