package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.util.List;

/** What {@link ParquetNormalizer#normalize} wrote. Immutable and thread-safe. */
public final class NormalizationResult {
  private final Location source;
  private final Location destination;
  private final long rows;
  private final long truncatedTimestamps;
  private final List<String> changes;
  private final RowFingerprint written;

  NormalizationResult(
      Location source,
      Location destination,
      long truncatedTimestamps,
      List<String> changes,
      RowFingerprint written) {
    this.source = requireNonNull(source, "source is null");
    this.destination = requireNonNull(destination, "destination is null");
    this.rows = written.rows();
    this.truncatedTimestamps = truncatedTimestamps;
    this.changes = List.copyOf(changes);
    this.written = requireNonNull(written, "written is null");
  }

  /** The input file. */
  public Location source() {
    return source;
  }

  /** The output file. */
  public Location destination() {
    return destination;
  }

  /** Rows written, equal to the input's. */
  public long rows() {
    return rows;
  }

  /**
   * Time stamp values that lost precision: nanosecond values (INT64 or INT96) that were not a
   * multiple of 1,000 ns, rounded down to the microsecond.
   */
  public long truncatedTimestamps() {
    return truncatedTimestamps;
  }

  /**
   * What normalisation changed, one phrase each, such as {@code data pages V2 written as V1} or
   * {@code column 'tags': two-level list made three-level}; empty when only the encoding was
   * redone.
   */
  public List<String> changes() {
    return changes;
  }

  /**
   * The records as they were handed to the writer: their count and hash sums (a hash of each
   * record's stream of writer calls, not comparable with {@link RowFingerprint#of}).
   */
  RowFingerprint written() {
    return written;
  }

  @Override
  public String toString() {
    return "NormalizationResult{" + source + " -> " + destination + ", rows=" + rows + "}";
  }
}
