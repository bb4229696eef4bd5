package dev.baler.parquet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.StringJoiner;

/**
 * The column chunks of a merge's output whose data pages are its inputs' pages byte for byte
 * (carried over as stored, not joined), by row group and column index: the read-back verification
 * compares their pages' bytes rather than decoding their values ({@link RowFingerprint#of(
 * dev.baler.storage.InputFile, long, VerbatimChunks)}), and its fingerprint depends on this set.
 *
 * <p>Its text form ({@link #toString}, {@link #parse}) lists the row groups that have any, each
 * with its columns: {@code 0:2,3,7;1:2,3,7}; none is the empty string. Immutable and thread-safe.
 */
public final class VerbatimChunks {
  /** No chunk verbatim: the read-back decodes and hashes every value. */
  public static final VerbatimChunks NONE = new VerbatimChunks(List.of());

  /**
   * The largest row group and column index {@link #parse} takes, far past any file Baler writes, so
   * that damaged text cannot make it allocate without bound.
   */
  static final int MAX_INDEX = 1 << 20;

  private final List<BitSet> byRowGroup;

  private VerbatimChunks(List<BitSet> byRowGroup) {
    this.byRowGroup = byRowGroup;
  }

  /** The chunks of the columns set in each row group's set, by row group; the sets are copied. */
  static VerbatimChunks of(List<BitSet> byRowGroup) {
    List<BitSet> copies = new ArrayList<>(byRowGroup.size());
    for (BitSet columns : byRowGroup) {
      copies.add((BitSet) columns.clone());
    }
    while (!copies.isEmpty() && copies.get(copies.size() - 1).isEmpty()) {
      copies.remove(copies.size() - 1);
    }
    return copies.isEmpty() ? NONE : new VerbatimChunks(List.copyOf(copies));
  }

  /**
   * Reads the text form of {@link #toString}.
   *
   * @param text the text form; null or empty for {@link #NONE} (journal records of Baler versions
   *     before this set existed have none)
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static VerbatimChunks parse(String text) {
    if (text == null || text.isEmpty()) {
      return NONE;
    }
    List<BitSet> byRowGroup = new ArrayList<>();
    try {
      for (String rowGroup : text.split(";", -1)) {
        int colon = rowGroup.indexOf(':');
        int index = Integer.parseInt(rowGroup.substring(0, colon));
        if (index < byRowGroup.size() || index > MAX_INDEX) {
          throw new IllegalArgumentException("row groups out of order or past " + MAX_INDEX);
        }
        while (byRowGroup.size() <= index) {
          byRowGroup.add(new BitSet());
        }
        for (String column : rowGroup.substring(colon + 1).split(",", -1)) {
          int parsed = Integer.parseInt(column);
          if (parsed < 0 || parsed > MAX_INDEX) {
            throw new IllegalArgumentException("a column index past 0 to " + MAX_INDEX);
          }
          byRowGroup.get(index).set(parsed);
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Not a list of verbatim column chunks: " + text, e);
    }
    return of(byRowGroup);
  }

  /** Whether the chunk of {@code column} in {@code rowGroup} is verbatim. */
  public boolean contains(int rowGroup, int column) {
    return rowGroup < byRowGroup.size() && byRowGroup.get(rowGroup).get(column);
  }

  /** Whether no chunk is verbatim. */
  public boolean isEmpty() {
    return byRowGroup.isEmpty();
  }

  /** The text form: {@code rowGroup:column,column;...} for the row groups that have any. */
  @Override
  public String toString() {
    StringJoiner rowGroups = new StringJoiner(";");
    for (int rowGroup = 0; rowGroup < byRowGroup.size(); rowGroup++) {
      BitSet columns = byRowGroup.get(rowGroup);
      if (columns.isEmpty()) {
        continue;
      }
      StringJoiner list = new StringJoiner(",", rowGroup + ":", "");
      columns.stream().forEach(column -> list.add(Integer.toString(column)));
      rowGroups.add(list.toString());
    }
    return rowGroups.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerbatimChunks chunks && byRowGroup.equals(chunks.byRowGroup);
  }

  @Override
  public int hashCode() {
    return byRowGroup.hashCode();
  }
}
