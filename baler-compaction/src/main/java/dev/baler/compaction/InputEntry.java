package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.FileLayout;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import java.util.OptionalLong;

/**
 * An input file chosen for a bin, with the layout its footer gave.
 *
 * @param file the listed file
 * @param layout its schema key and row groups
 * @param timestampMillis the time stamp in its name, if it follows the naming convention
 */
public record InputEntry(FileEntry file, FileLayout layout, OptionalLong timestampMillis) {
  public InputEntry {
    requireNonNull(file, "file is null");
    requireNonNull(layout, "layout is null");
    requireNonNull(timestampMillis, "timestampMillis is null");
  }

  /** Where the file is. */
  public Location location() {
    return file.location();
  }

  /** Its size in bytes. */
  public long length() {
    return file.length();
  }

  /** Rows in it, from its footer. */
  public long rows() {
    return layout.rows();
  }
}
