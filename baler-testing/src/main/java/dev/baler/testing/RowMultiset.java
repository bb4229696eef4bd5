package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;

/**
 * What a set of Parquet files holds, as {@link DuckDbVerifier} sees it: the number of rows and a
 * fingerprint of the multiset of rows.
 *
 * <p>The fingerprint is the sum, as an unbounded integer, of DuckDB's 64-bit {@code hash} of each
 * row's text ({@code row::VARCHAR}, time stamps printed in UTC). It does not depend on the order of
 * rows or on how they are spread over files and row groups, but it changes, barring a hash
 * collision, when a row is lost, repeated or altered, including a null list becoming an empty one,
 * a list of one null becoming empty, or a null struct becoming a struct of nulls (which DuckDB's
 * {@code hash} of the row itself does not see). The text names every column and struct field and
 * shows a map differently from a list of key/value structs, so files of different schemas seldom
 * share a fingerprint even with the same values; physical layout (time stamp unit, decimal
 * encoding, required or optional, codec) does not matter. Two multisets are equal when both the
 * count and the fingerprint are; fingerprints are comparable only between readings by the same
 * DuckDB version.
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
