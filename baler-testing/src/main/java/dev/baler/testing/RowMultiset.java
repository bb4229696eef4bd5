package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;

/**
 * What a set of Parquet files holds, as {@link DuckDbVerifier} sees it: the number of rows and a
 * fingerprint of the multiset of rows.
 *
 * <p>The fingerprint is the sum of DuckDB's 64-bit {@code hash} of every row, so it does not depend
 * on the order of rows or on how they are split into files and row groups, but it does change when
 * a row is lost, repeated or altered (barring a hash collision). Two multisets are equal when both
 * the count and the fingerprint are. Fingerprints are comparable only between readings by the same
 * DuckDB version, and only when DuckDB reads the columns as the same types: a column read as {@code
 * TIMESTAMP WITH TIME ZONE} from one file and as {@code BIGINT} from another hashes differently.
 *
 * @param rows the number of rows, never negative
 * @param fingerprint the sum of the rows' hashes; zero when there are no rows; never negative
 */
public record RowMultiset(long rows, BigInteger fingerprint) {
  /** The multiset of no rows. */
  public static final RowMultiset EMPTY = new RowMultiset(0, BigInteger.ZERO);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a value is negative, or there is a fingerprint without rows
   */
  public RowMultiset {
    requireNonNull(fingerprint, "fingerprint is null");
    if (rows < 0 || fingerprint.signum() < 0 || rows == 0 && fingerprint.signum() != 0) {
      throw new IllegalArgumentException(
          "Invalid row multiset: " + rows + " rows, fingerprint " + fingerprint);
    }
  }
}
