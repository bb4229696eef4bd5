package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A file found by {@link Storage#list(Location)}.
 *
 * @param location where the file is
 * @param length its size in bytes, never negative
 * @param lastModified when it was last written, as the store reports it (S3: the object's
 *     Last-Modified, second precision)
 */
public record FileEntry(Location location, long length, Instant lastModified) {
  public FileEntry {
    requireNonNull(location, "location is null");
    requireNonNull(lastModified, "lastModified is null");
    if (length < 0) {
      throw new IllegalArgumentException("Invalid length " + length + " for " + location);
    }
  }
}
