package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.util.List;

/**
 * A source file written, normalised, to its destination and verified there.
 *
 * @param source the input file
 * @param destination the output file, at the input's key relative to the destination prefix
 * @param sourceBytes the input's size in bytes
 * @param rows rows written, equal to the input's
 * @param truncatedTimestamps nanosecond time stamps rounded down to the microsecond that were not
 *     whole microseconds (precision lost)
 * @param changes what normalisation changed, such as {@code data pages V2 written as V1}
 */
public record RepackedFile(
    Location source,
    Location destination,
    long sourceBytes,
    long rows,
    long truncatedTimestamps,
    List<String> changes) {
  public RepackedFile {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    changes = List.copyOf(changes);
  }
}
