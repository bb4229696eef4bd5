package dev.baler.parquet;

import dev.baler.parquet.ColumnCopier.RowHashes;

/**
 * The row-hash elements of one column chunk's recurring values, computed once each rather than once
 * per value: a null's elements depend only on its levels, and a dictionary entry's only on the
 * entry and its repetition level. Folding a cached element gives exactly the hash that {@link
 * RowHashes#foldNull}, {@link RowHashes#foldNumber} and {@link RowHashes#foldBytes} give.
 *
 * <p>Memory: two longs per (repetition, definition) pair, and, when entries are cached, two longs
 * per dictionary entry for each repetition level ({@link #foldEntries} caches every level at once;
 * {@link #foldEntry}, only the levels it meets). Not thread-safe: one per column chunk and thread.
 */
final class ColumnElements {
  private final int column;
  private final int maxRepetition;
  private final int maxDefinition;
  private final long[] null1;
  private final long[] null2;
  private final long[] entries1;
  private final long[] entries2;
  private final boolean cacheEntries;
  private final long[][] present1;
  private final long[][] present2;

  /**
   * @param column the column's index in the schema
   * @param maxRepetition the column's maximum repetition level
   * @param maxDefinition the column's maximum definition level
   * @param entries1 a dictionary's entries: a number's bits, or a byte string's first {@link
   *     Hashing.Bytes} lane; null without a dictionary
   * @param entries2 a byte string entry's second lane; null for numbers or without a dictionary
   * @param values how many values the chunk holds: entries are cached only if they are fewer, so
   *     that a dictionary larger than its chunk costs no more than hashing each value
   */
  ColumnElements(
      int column,
      int maxRepetition,
      int maxDefinition,
      long[] entries1,
      long[] entries2,
      long values) {
    this.column = column;
    this.maxRepetition = maxRepetition;
    this.maxDefinition = maxDefinition;
    int levels = (maxRepetition + 1) * (maxDefinition + 1);
    null1 = new long[levels];
    null2 = new long[levels];
    for (int repetition = 0; repetition <= maxRepetition; repetition++) {
      for (int definition = 0; definition <= maxDefinition; definition++) {
        long tag = RowHashes.tag(column, repetition, definition);
        int at = repetition * (maxDefinition + 1) + definition;
        null1[at] = RowHashes.nullElement1(tag);
        null2[at] = RowHashes.nullElement2(tag);
      }
    }
    this.entries1 = entries1;
    this.entries2 = entries2;
    this.cacheEntries = entries1 != null && entries1.length <= values;
    this.present1 = new long[maxRepetition + 1][];
    this.present2 = new long[maxRepetition + 1][];
  }

  /**
   * Folds a page's values into their rows, as {@link #foldNull} and {@link #foldEntry} for each
   * value in turn: the nulls by their levels, the present values by their dictionary entries. One
   * loop with the folds written out, rather than two calls per value: Baler runs on C1 alone, which
   * inlines neither of those methods, and this loop is most of a verification's work.
   *
   * @param repetitions the values' repetition levels; null if the column has none
   * @param definitions the values' definition levels; null if the column has none
   * @param indexes the dictionary entries of the present values, in order
   * @param count the page's values
   * @param row the row of the value before the page's first: the page's first value starts a row
   *     unless it repeats one
   * @return the row of the page's last value
   * @throws IllegalStateException if a level is above the column's maximum (corrupt levels)
   * @throws ArrayIndexOutOfBoundsException if an index is not an entry of the dictionary
   */
  int foldEntries(
      RowHashes hashes, int[] repetitions, int[] definitions, int[] indexes, int count, int row) {
    if (!cacheEntries) {
      int value = 0;
      for (int i = 0; i < count; i++) {
        int repetition = repetitions == null ? 0 : repetitions[i];
        int definition = definitions == null ? maxDefinition : definitions[i];
        if (repetition == 0) {
          row++;
        }
        if (definition != maxDefinition) {
          foldNull(hashes, row, repetition, definition);
        } else {
          foldEntry(hashes, row, repetition, indexes[value++]);
        }
      }
      return row;
    }
    for (int repetition = 0; repetition <= maxRepetition; repetition++) {
      if (present1[repetition] == null) {
        cacheEntries(repetition);
      }
    }
    if (repetitions == null) {
      return foldFlat(hashes, definitions, indexes, count, row);
    }
    long[] lane1 = hashes.lane1;
    long[] lane2 = hashes.lane2;
    long[] nulls1 = null1;
    long[] nulls2 = null2;
    long[][] entries1 = present1;
    long[][] entries2 = present2;
    int levels = maxDefinition + 1;
    int value = 0;
    for (int i = 0; i < count; i++) {
      int repetition = repetitions == null ? 0 : repetitions[i];
      int definition = definitions == null ? maxDefinition : definitions[i];
      if (repetition > maxRepetition || definition > maxDefinition) {
        throw invalidLevels(repetition, definition, maxRepetition, maxDefinition);
      }
      if (repetition == 0) {
        row++;
      }
      long element1;
      long element2;
      if (definition != maxDefinition) {
        int at = repetition * levels + definition;
        element1 = nulls1[at];
        element2 = nulls2[at];
      } else {
        int entry = indexes[value++];
        element1 = entries1[repetition][entry];
        element2 = entries2[repetition][entry];
      }
      lane1[row] = (lane1[row] ^ element1) * Hashing.LANE1;
      lane2[row] = (lane2[row] + element2) * Hashing.LANE2;
    }
    return row;
  }

  /**
   * {@link #foldEntries} for a column without repetition, whose every value starts a row: the loop
   * without the repetition levels' loads and branches, with the entries' elements of repetition
   * level 0 in plain arrays. C1 keeps every branch and array load it is given, so this is what the
   * most common columns, flat ones, are worth a loop of their own for.
   */
  private int foldFlat(RowHashes hashes, int[] definitions, int[] indexes, int count, int row) {
    long[] lane1 = hashes.lane1;
    long[] lane2 = hashes.lane2;
    long[] entries1 = present1[0];
    long[] entries2 = present2[0];
    int first = row + 1;
    if (definitions == null) {
      for (int i = 0; i < count; i++) {
        int entry = indexes[i];
        int at = first + i;
        lane1[at] = (lane1[at] ^ entries1[entry]) * Hashing.LANE1;
        lane2[at] = (lane2[at] + entries2[entry]) * Hashing.LANE2;
      }
      return row + count;
    }
    int top = maxDefinition;
    long[] nulls1 = null1;
    long[] nulls2 = null2;
    int value = 0;
    for (int i = 0; i < count; i++) {
      int definition = definitions[i];
      long element1;
      long element2;
      if (definition == top) {
        int entry = indexes[value++];
        element1 = entries1[entry];
        element2 = entries2[entry];
      } else if (definition < top) {
        element1 = nulls1[definition];
        element2 = nulls2[definition];
      } else {
        throw invalidLevels(0, definition, 0, top);
      }
      int at = first + i;
      lane1[at] = (lane1[at] ^ element1) * Hashing.LANE1;
      lane2[at] = (lane2[at] + element2) * Hashing.LANE2;
    }
    return row + count;
  }

  /** The elements of nulls, lane 1, by {@code repetition * (maxDefinition + 1) + definition}. */
  long[] nullElements1() {
    return null1;
  }

  /** The elements of nulls, lane 2, as {@link #nullElements1()}. */
  long[] nullElements2() {
    return null2;
  }

  /**
   * Folds a null with these levels into {@code row}.
   *
   * @throws IllegalStateException if a level is above the column's maximum (corrupt levels)
   */
  void foldNull(RowHashes hashes, int row, int repetition, int definition) {
    checkLevels(repetition, definition);
    int at = repetition * (maxDefinition + 1) + definition;
    hashes.fold(row, null1[at], null2[at]);
  }

  /**
   * Folds dictionary entry {@code entry}, at repetition level {@code repetition}, into {@code row}.
   *
   * @throws IllegalStateException if the level is above the column's maximum (corrupt levels)
   */
  void foldEntry(RowHashes hashes, int row, int repetition, int entry) {
    checkLevels(repetition, maxDefinition);
    if (!cacheEntries) {
      long tag = RowHashes.tag(column, repetition, maxDefinition);
      if (entries2 == null) {
        hashes.foldNumber(row, entries1[entry], tag);
      } else {
        hashes.foldBytes(row, entries1[entry], entries2[entry], tag);
      }
      return;
    }
    if (present1[repetition] == null) {
      cacheEntries(repetition);
    }
    hashes.fold(row, present1[repetition][entry], present2[repetition][entry]);
  }

  private void checkLevels(int repetition, int definition) {
    if (repetition > maxRepetition || definition > maxDefinition) {
      throw invalidLevels(repetition, definition, maxRepetition, maxDefinition);
    }
  }

  /** The failure of a value whose levels are above its column's maximum: corrupt levels. */
  static IllegalStateException invalidLevels(
      int repetition, int definition, int maxRepetition, int maxDefinition) {
    return new IllegalStateException(
        "Invalid levels "
            + repetition
            + "/"
            + definition
            + ": the column's maximum is "
            + maxRepetition
            + "/"
            + maxDefinition);
  }

  private void cacheEntries(int repetition) {
    long tag = RowHashes.tag(column, repetition, maxDefinition);
    long[] elements1 = new long[entries1.length];
    long[] elements2 = new long[entries1.length];
    for (int entry = 0; entry < entries1.length; entry++) {
      if (entries2 == null) {
        elements1[entry] = RowHashes.numberElement1(entries1[entry], tag);
        elements2[entry] = RowHashes.numberElement2(entries1[entry], tag);
      } else {
        elements1[entry] = RowHashes.bytesElement1(entries1[entry], tag);
        elements2[entry] = RowHashes.bytesElement2(entries2[entry], tag);
      }
    }
    present1[repetition] = elements1;
    present2[repetition] = elements2;
  }
}
