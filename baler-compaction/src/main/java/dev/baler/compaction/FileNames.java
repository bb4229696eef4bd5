package dev.baler.compaction;

import dev.baler.storage.Location;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file-name conventions of compaction, as the prestige compactor set them:
 *
 * <ul>
 *   <li>original files: {@code {prefix}.{timestamp_millis}.parquet} (also {@code .parq});
 *   <li>compacted files: {@code {prefix}.{timestamp_millis}.c.parquet};
 *   <li>processed markers: {@code {original}.processed}, such as {@code
 *       events.1704067200000.parquet.processed};
 *   <li>Baler's own state: everything under a {@code _baler/} directory.
 * </ul>
 *
 * Files whose names start with {@code .} or {@code _} (temporary files, {@code _SUCCESS}) are never
 * data.
 */
public final class FileNames {
  /** The suffix of processed markers. */
  public static final String MARKER_SUFFIX = ".processed";

  /** The suffix of compacted outputs. */
  public static final String COMPACTED_SUFFIX = ".c.parquet";

  /** The directory of Baler's journal and lease, beside the data it protects. */
  public static final String STATE_DIRECTORY = "_baler/";

  private static final Pattern TIMESTAMPED =
      Pattern.compile("(?<prefix>.+)\\.(?<millis>\\d{1,18})(?<compacted>\\.c)?\\.(parquet|parq)");

  private FileNames() {}

  /** Whether the name is a Parquet data file: {@code .parquet} or {@code .parq}, not hidden. */
  public static boolean isParquet(String name) {
    return (name.endsWith(".parquet") || name.endsWith(".parq")) && !isHidden(name);
  }

  /**
   * Whether the location may be an original: a Parquet data file that is not a compacted output,
   * outside Baler's state directory. Files that it accepts are only ever written by the writers
   * whose output compaction takes, never by compaction itself, so that a copy read once stays valid
   * (see {@link dev.baler.storage.StagingStorage}).
   */
  public static boolean mayBeOriginal(Location location) {
    String name = location.fileName();
    return isParquet(name)
        && !isCompacted(name)
        && !("/" + location.path()).contains("/" + STATE_DIRECTORY);
  }

  /** Whether the name is a compacted output, {@code *.c.parquet}. */
  public static boolean isCompacted(String name) {
    return name.endsWith(COMPACTED_SUFFIX) || name.endsWith(".c.parq");
  }

  /** Whether the name is a processed marker. */
  public static boolean isMarker(String name) {
    return name.endsWith(MARKER_SUFFIX);
  }

  /** Whether the name is hidden: it starts with {@code .} or {@code _}. */
  public static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /**
   * Whether the location lies in Baler's state directory or any hidden directory below {@code
   * root}.
   */
  public static boolean isInHiddenDirectory(Location root, Location location) {
    String relative =
        location.path().substring(Math.min(root.path().length(), location.path().length()));
    String[] segments = relative.split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      if (isHidden(segments[i]) && !segments[i].isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The millisecond time stamp in a name {@code {prefix}.{timestamp_millis}.parquet}, if any. */
  public static OptionalLong timestampMillis(String name) {
    Matcher matcher = TIMESTAMPED.matcher(name);
    return matcher.matches()
        ? OptionalLong.of(Long.parseLong(matcher.group("millis")))
        : OptionalLong.empty();
  }

  /** The prefix in a name {@code {prefix}.{timestamp_millis}.parquet}, if it has one. */
  public static java.util.Optional<String> prefix(String name) {
    Matcher matcher = TIMESTAMPED.matcher(name);
    return matcher.matches()
        ? java.util.Optional.of(matcher.group("prefix"))
        : java.util.Optional.empty();
  }

  /** The name of a compacted output: {@code {prefix}.{timestamp_millis}.c.parquet}. */
  public static String compactedName(String prefix, long timestampMillis) {
    return prefix + "." + timestampMillis + COMPACTED_SUFFIX;
  }

  /** The marker of an original file. */
  public static Location marker(Location original) {
    return original.appendSuffix(MARKER_SUFFIX);
  }
}
