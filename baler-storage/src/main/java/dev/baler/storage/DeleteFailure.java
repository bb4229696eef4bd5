package dev.baler.storage;

import static java.util.Objects.requireNonNull;

/**
 * A file that {@link Storage#deleteFiles} could not delete.
 *
 * @param location the file
 * @param reason what the store said, in one line, never containing credentials
 */
public record DeleteFailure(Location location, String reason) {
  public DeleteFailure {
    requireNonNull(location, "location is null");
    requireNonNull(reason, "reason is null");
  }
}
