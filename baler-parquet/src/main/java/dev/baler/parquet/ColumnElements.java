package dev.baler.parquet;

import dev.baler.parquet.ColumnCopier.RowHashes;

/**
 * The row-hash elements of one column chunk's recurring values, computed once each rather than once
 * per value: a null's elements depend only on its levels, and a dictionary entry's only on the
 * entry and its repetition level. Folding a cached element gives exactly the hash that {@link
 * RowHashes#foldNull}, {@link RowHashes#foldNumber} and {@link RowHashes#foldBytes} give.
 *
 * <p>Memory: two longs per (repetition, definition) pair, and, when entries are cached, two longs
 * per dictionary entry for each repetition level met. Not thread-safe: one per column chunk and
 * thread.
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
      throw new IllegalStateException(
          "Invalid levels "
              + repetition
              + "/"
              + definition
              + ": the column's maximum is "
              + maxRepetition
              + "/"
              + maxDefinition);
    }
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
