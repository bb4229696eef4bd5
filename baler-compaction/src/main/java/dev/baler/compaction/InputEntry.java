package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.FileLayout;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import java.util.OptionalLong;

/**
 * An input file chosen for a bin, with the layout its footer gave: where the file is, its layout
 * (which holds its length) and the time stamp in its name. A bin keeps its inputs packed ({@link
 * InputList}) and makes an entry each time one is asked for.
 *
 * <p>Immutable.
 */
public final class InputEntry {
  private final Location location;
  private final FileLayout layout;
  private final long timestampMillis;
  private final boolean timestamped;

  /**
   * @param file the listed file; its length must be the layout's
   * @param layout its schema key and row groups
   * @param timestampMillis the time stamp in its name, if it follows the naming convention
   * @throws IllegalArgumentException if the file's length differs from the layout's
   */
  public InputEntry(FileEntry file, FileLayout layout, OptionalLong timestampMillis) {
    requireNonNull(file, "file is null");
    requireNonNull(timestampMillis, "timestampMillis is null");
    this.location = file.location();
    this.layout = requireNonNull(layout, "layout is null");
    if (file.length() != layout.length()) {
      throw new IllegalArgumentException(
          "Invalid layout of "
              + file.location()
              + ": "
              + layout.length()
              + " bytes, not "
              + file.length());
    }
    this.timestamped = timestampMillis.isPresent();
    this.timestampMillis = timestampMillis.orElse(0);
  }

  /** An entry as {@link InputList} keeps it packed. */
  InputEntry(Location location, FileLayout layout, long timestampMillis, boolean timestamped) {
    this.location = requireNonNull(location, "location is null");
    this.layout = requireNonNull(layout, "layout is null");
    this.timestampMillis = timestamped ? timestampMillis : 0;
    this.timestamped = timestamped;
  }

  /** Where the file is. */
  public Location location() {
    return location;
  }

  /** Its size in bytes. */
  public long length() {
    return layout.length();
  }

  /** Its schema key and row groups, from its footer. */
  public FileLayout layout() {
    return layout;
  }

  /** The time stamp in its name, if it follows the naming convention. */
  public OptionalLong timestampMillis() {
    return timestamped ? OptionalLong.of(timestampMillis) : OptionalLong.empty();
  }

  /** Rows in it, from its footer. */
  public long rows() {
    return layout.rows();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InputEntry that
        && location.equals(that.location)
        && layout.equals(that.layout)
        && timestamped == that.timestamped
        && timestampMillis == that.timestampMillis;
  }

  @Override
  public int hashCode() {
    return location.hashCode() * 31 + Long.hashCode(timestampMillis);
  }

  @Override
  public String toString() {
    return "InputEntry[" + location + ", " + layout + ", " + timestampMillis() + "]";
  }
}
