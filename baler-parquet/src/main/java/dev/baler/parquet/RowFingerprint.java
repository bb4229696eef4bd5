package dev.baler.parquet;

import dev.baler.storage.InputFile;
import java.io.IOException;

/**
 * An order-independent fingerprint of a multiset of rows: the row count and two 64-bit sums of
 * per-row hashes. Two sets of Parquet files with the same schema hold the same rows, in any order
 * and any split into files and row groups, exactly when their fingerprints are equal, up to a hash
 * collision (about 2^-64 for a given pair).
 *
 * <p>Each row's hash folds every leaf value of the row, in column order, with its repetition and
 * definition levels, so nulls, empty lists and nesting count. Values are compared by their physical
 * bits (a float's bits, a string's bytes).
 *
 * <p>A merge's fingerprint ({@link MergeResult#fingerprint}) is of another kind where the merge
 * copied column chunks verbatim ({@link VerbatimChunks}): in their row groups, those chunks count
 * by their pages' bytes and every row by its position, so it is compared only with the same output
 * read back with the same chunks ({@link #of(InputFile, long, VerbatimChunks)}), never with the
 * inputs' fingerprints.
 *
 * @param rows number of rows
 * @param sum1 sum of the rows' first 64-bit hashes, wrapping
 * @param sum2 sum of the rows' second 64-bit hashes, wrapping
 */
public record RowFingerprint(long rows, long sum1, long sum2) {
  /** The fingerprint of no rows. */
  public static final RowFingerprint EMPTY = new RowFingerprint(0, 0, 0);

  /**
   * Reads every row of a Parquet file and fingerprints them. Made for reading Baler's outputs back:
   * a column chunk's pages must lie within the size its footer gives it, which old parquet-mr
   * writers got wrong for dictionary pages; such a file is refused as corrupt.
   *
   * <p>Reads each row group with one read where it takes at most {@link
   * ParquetMerger#DEFAULT_WINDOW_BYTES}; see {@link #of(InputFile, long)}.
   *
   * @throws IOException if the file cannot be read or is not valid Parquet
   */
  public static RowFingerprint of(InputFile file) throws IOException {
    return of(file, ParquetMerger.DEFAULT_WINDOW_BYTES);
  }

  /**
   * Reads every row of a Parquet file and fingerprints them, as {@link #of(InputFile)} does,
   * holding at most about {@code windowBytes} of the file in memory: a row group's column chunks
   * are read in groups of neighbours of at most that many bytes each (a column chunk larger than
   * that alone), into one array allocated once per file. Fewer bytes mean more reads (a request
   * each on S3); {@link ParquetMerger#LOCAL_WINDOW_BYTES} suits local disk.
   *
   * @param windowBytes the most bytes one read takes, unless a single column chunk is larger;
   *     positive
   * @throws IOException if the file cannot be read or is not valid Parquet
   */
  public static RowFingerprint of(InputFile file, long windowBytes) throws IOException {
    return of(file, windowBytes, VerbatimChunks.NONE);
  }

  /**
   * Reads a merge's output back and fingerprints it as the merge did ({@link
   * MergeResult#fingerprint}): as {@link #of(InputFile, long)}, except that the {@code verbatim}
   * column chunks are digested by their pages' stored bytes rather than decoded ({@link
   * PageDigest}), and the rows of a row group with any such chunk are fingerprinted by position:
   * the result equals the merge's exactly when every row is where the merge put it and every
   * verbatim chunk holds the pages the merge copied. With {@link VerbatimChunks#NONE} it is {@link
   * #of(InputFile, long)}.
   *
   * @param verbatim the chunks to digest, as the merge reported them ({@link MergeResult#verbatim})
   * @throws InvalidParquetFileException if the file's data cannot be decoded, or a verbatim chunk
   *     holds other pages than V1 data pages
   * @throws IOException if the file cannot be read or is not valid Parquet
   */
  public static RowFingerprint of(InputFile file, long windowBytes, VerbatimChunks verbatim)
      throws IOException {
    return of(file, windowBytes, verbatim, null);
  }

  /**
   * As {@link #of(InputFile, long, VerbatimChunks)}, handing the later half of the row groups left
   * to a thread waiting in {@code helpers} whenever one waits before a row group (see {@link
   * MergeHelpers}); each such thread reads its row groups with a stream and a window of its own.
   *
   * @param helpers where threads wait to take row groups, or null for none
   */
  public static RowFingerprint of(
      InputFile file, long windowBytes, VerbatimChunks verbatim, MergeHelpers helpers)
      throws IOException {
    if (windowBytes <= 0) {
      throw new IllegalArgumentException("windowBytes must be positive, not " + windowBytes);
    }
    return ColumnCopier.fingerprint(file, windowBytes, verbatim, helpers);
  }

  /** The fingerprint of both multisets together. */
  public RowFingerprint plus(RowFingerprint other) {
    return new RowFingerprint(rows + other.rows, sum1 + other.sum1, sum2 + other.sum2);
  }

  /** Hex form for logs and journals, such as {@code rows=4000 3f2a...:91be...}. */
  @Override
  public String toString() {
    return "rows=" + rows + " " + Long.toHexString(sum1) + ":" + Long.toHexString(sum2);
  }
}
