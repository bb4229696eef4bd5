package dev.baler.compaction;

import dev.baler.parquet.FileLayout;
import dev.baler.storage.Location;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A bin's input files, packed into arrays: a plan keeps every input of every bin until its bin is
 * done, and with 100,000 small files an {@link InputEntry} apiece (with its location's string and
 * its layout) took about 190 bytes per file. Packed, a file of one row group takes about 40 bytes:
 * its directory is kept once, its length, rows, column data bytes and time stamp in arrays of
 * numbers, the schema key once, and its name as UTF-8 in one shared array unless it is {@code
 * {prefix}.{timestamp_millis}.parquet} with the list's first prefix, as streaming writers name
 * them, when it is made again from the time stamp (which saves 33 bytes a file of the reference
 * data set). A file of more row groups keeps its {@link FileLayout} as it is.
 *
 * <p>{@link #get} makes an entry equal to the one packed, each time it is called; callers that keep
 * entries keep their own. Lists whose entries cannot be packed exactly (a location that is not its
 * parent's child by name, or schema keys that differ) are kept as given.
 *
 * <p>Immutable and thread-safe.
 */
final class InputList extends AbstractList<InputEntry> implements RandomAccess {
  private final Location[] directories;

  /** Each entry's index into {@link #directories}; null when there is one directory. */
  private final int[] directoryOf;

  /** The names not made from a time stamp, one after another. */
  private final byte[] names;

  /**
   * Where each entry's name starts in {@link #names}, and one more: where the last one ends. An
   * entry of no bytes there is named {@link #timestampPrefix}{@code .{timestamp}.parquet}.
   */
  private final int[] nameStarts;

  /** The prefix of the names made from time stamps; null if none is. */
  private final String timestampPrefix;

  private final String schemaKey;
  private final long[] lengths;
  private final long[] rows;
  private final long[] dataBytes;
  private final long[] timestamps;

  /** Which entries have a time stamp in their name; null when all have. */
  private final boolean[] timestamped;

  /** The layouts of files of more than one row group, by entry; null when there are none. */
  private final FileLayout[] multiRowGroup;

  private InputList(
      Location[] directories,
      int[] directoryOf,
      byte[] names,
      int[] nameStarts,
      String timestampPrefix,
      String schemaKey,
      long[] lengths,
      long[] rows,
      long[] dataBytes,
      long[] timestamps,
      boolean[] timestamped,
      FileLayout[] multiRowGroup) {
    this.directories = directories;
    this.directoryOf = directoryOf;
    this.names = names;
    this.nameStarts = nameStarts;
    this.timestampPrefix = timestampPrefix;
    this.schemaKey = schemaKey;
    this.lengths = lengths;
    this.rows = rows;
    this.dataBytes = dataBytes;
    this.timestamps = timestamps;
    this.timestamped = timestamped;
    this.multiRowGroup = multiRowGroup;
  }

  /**
   * The entries, packed where they can be, else an immutable copy.
   *
   * @param entries the entries, none null
   * @return an immutable list whose entries equal {@code entries}, in their order
   * @throws NullPointerException if an entry is null
   */
  static List<InputEntry> copyOf(List<InputEntry> entries) {
    if (entries instanceof InputList packed) {
      return packed;
    }
    List<InputEntry> copy = List.copyOf(entries);
    if (copy.isEmpty()) {
      return copy;
    }
    String schemaKey = copy.get(0).layout().schemaKey();
    int count = copy.size();
    Map<Location, Integer> directoryIndexes = new HashMap<>();
    List<Location> directories = new ArrayList<>();
    int[] directoryOf = new int[count];
    byte[][] names = new byte[count][];
    int nameBytes = 0;
    long[] lengths = new long[count];
    long[] rows = new long[count];
    long[] dataBytes = new long[count];
    long[] timestamps = new long[count];
    boolean[] timestamped = new boolean[count];
    boolean allTimestamped = true;
    String timestampPrefix = null;
    FileLayout[] multiRowGroup = null;
    for (int i = 0; i < count; i++) {
      InputEntry entry = copy.get(i);
      Location location = entry.location();
      FileLayout layout = entry.layout();
      Location directory = location.parent().orElse(null);
      String name = location.fileName();
      if (directory == null
          || name.isEmpty()
          || !directory.resolve(name).equals(location)
          || !layout.schemaKey().equals(schemaKey)) {
        return copy;
      }
      directoryOf[i] =
          directoryIndexes.computeIfAbsent(
              directory,
              key -> {
                directories.add(key);
                return directories.size() - 1;
              });
      if (entry.timestampMillis().isPresent()) {
        String suffix = timestampSuffix(entry.timestampMillis().getAsLong());
        if (timestampPrefix == null && name.endsWith(suffix)) {
          timestampPrefix = name.substring(0, name.length() - suffix.length());
        }
        if (timestampPrefix != null && name.equals(timestampPrefix + suffix)) {
          names[i] = NO_BYTES;
        }
      }
      if (names[i] == null) {
        names[i] = name.getBytes(StandardCharsets.UTF_8);
      }
      nameBytes = Math.addExact(nameBytes, names[i].length);
      lengths[i] = layout.length();
      rows[i] = layout.rows();
      dataBytes[i] = layout.dataBytes();
      if (layout.rowGroupCount() != 1) {
        if (multiRowGroup == null) {
          multiRowGroup = new FileLayout[count];
        }
        multiRowGroup[i] = layout;
      }
      timestamped[i] = entry.timestampMillis().isPresent();
      timestamps[i] = entry.timestampMillis().orElse(0);
      allTimestamped &= timestamped[i];
    }
    byte[] packedNames = new byte[nameBytes];
    int[] nameStarts = new int[count + 1];
    for (int i = 0; i < count; i++) {
      System.arraycopy(names[i], 0, packedNames, nameStarts[i], names[i].length);
      nameStarts[i + 1] = nameStarts[i] + names[i].length;
    }
    return new InputList(
        directories.toArray(Location[]::new),
        directories.size() == 1 ? null : directoryOf,
        packedNames,
        nameStarts,
        timestampPrefix,
        schemaKey,
        lengths,
        rows,
        dataBytes,
        timestamps,
        allTimestamped ? null : timestamped,
        multiRowGroup);
  }

  @Override
  public InputEntry get(int index) {
    Location directory = directories[directoryOf == null ? 0 : directoryOf[index]];
    int nameLength = nameStarts[index + 1] - nameStarts[index];
    String name =
        nameLength == 0
            ? timestampPrefix + timestampSuffix(timestamps[index])
            : new String(names, nameStarts[index], nameLength, StandardCharsets.UTF_8);
    return new InputEntry(
        directory.resolve(name), layout(index), timestamps[index], timestamped(index));
  }

  private static final byte[] NO_BYTES = {};

  /** What follows the prefix in a name made from a time stamp. */
  private static String timestampSuffix(long timestampMillis) {
    return "." + timestampMillis + ".parquet";
  }

  private FileLayout layout(int index) {
    if (multiRowGroup != null && multiRowGroup[index] != null) {
      return multiRowGroup[index];
    }
    return FileLayout.ofOneRowGroup(lengths[index], schemaKey, rows[index], dataBytes[index]);
  }

  private boolean timestamped(int index) {
    return timestamped == null || timestamped[index];
  }

  /** The bytes of names kept as they are: those not made again from a time stamp. */
  int keptNameBytes() {
    return names.length;
  }

  @Override
  public int size() {
    return lengths.length;
  }
}
