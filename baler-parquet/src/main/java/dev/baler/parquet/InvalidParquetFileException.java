package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.io.IOException;

/**
 * A file that cannot be used as Parquet input: empty, truncated, not Parquet at all, with a corrupt
 * footer, or needing a codec Baler cannot decode. Compaction skips such files with {@link
 * #reason()} and never deletes them.
 */
public final class InvalidParquetFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Location location;
  private final String reason;

  /**
   * @param location the file
   * @param reason a short reason such as {@code "empty file (0 bytes)"}
   * @param cause what parquet-java or the store threw, or null
   */
  public InvalidParquetFileException(Location location, String reason, Throwable cause) {
    super("Cannot read " + location + ": " + reason, cause);
    this.location = requireNonNull(location, "location is null");
    this.reason = requireNonNull(reason, "reason is null");
  }

  /** The file. */
  public Location location() {
    return location;
  }

  /** Why the file cannot be used, without the location. */
  public String reason() {
    return reason;
  }
}
