package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;

/**
 * An input file left out of compaction, and why. A skipped file is never deleted.
 *
 * @param location the file
 * @param reason one line, such as {@code empty file (0 bytes)} or {@code schema differs from the
 *     partition's (column 'status' is INT64, expected INT32)}
 */
public record SkippedFile(Location location, String reason) {
  public SkippedFile {
    requireNonNull(location, "location is null");
    requireNonNull(reason, "reason is null");
  }
}
