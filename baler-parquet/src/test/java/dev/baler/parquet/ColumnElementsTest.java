package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.parquet.ColumnCopier.RowHashes;
import org.junit.jupiter.api.Test;

/**
 * {@link ColumnElements#foldEntries} gives the hashes of folding each value in turn, whichever of
 * its loops a page takes: entries cached or not, flat columns with or without definition levels,
 * repeated columns.
 */
class ColumnElementsTest {
  private static final long[] NUMBERS = {7L, -3L, 1L << 40};
  private static final long[] LANE1 = {11L, 22L, 33L};
  private static final long[] LANE2 = {-11L, -22L, -33L};

  @Test
  void foldEntries_flatOptional_foldsAsValueByValue() {
    int[] definitions = {1, 0, 1, 1, 0, 1};
    int[] indexes = {2, 0, 1, 2};
    assertSameEverywhere(0, 1, null, definitions, indexes, 6);
  }

  @Test
  void foldEntries_flatRequired_foldsAsValueByValue() {
    int[] indexes = {1, 1, 0, 2, 0};
    assertSameEverywhere(0, 0, null, null, indexes, 5);
  }

  @Test
  void foldEntries_repeated_foldsAsValueByValue() {
    int[] repetitions = {0, 1, 1, 0, 0, 1, 0};
    int[] definitions = {2, 2, 1, 2, 0, 2, 2};
    int[] indexes = {0, 2, 1, 1, 2};
    assertSameEverywhere(1, 2, repetitions, definitions, indexes, 4);
  }

  @Test
  void foldEntries_levelAboveTheMaximum_isRefused() {
    for (long values : new long[] {1, 100}) {
      ColumnElements elements = new ColumnElements(3, 0, 1, NUMBERS, null, values);
      assertThatThrownBy(
              () ->
                  elements.foldEntries(
                      new RowHashes(4), null, new int[] {1, 2, 1}, new int[] {0, 0}, 3, -1))
          .as("values %s", values)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Invalid levels");
    }
  }

  @Test
  void foldEntries_indexOutsideTheDictionary_isRefused() {
    for (long values : new long[] {1, 100}) {
      for (int[] definitions : new int[][] {null, {1, 1}}) {
        ColumnElements elements =
            new ColumnElements(3, 0, definitions == null ? 0 : 1, NUMBERS, null, values);
        assertThatThrownBy(
                () ->
                    elements.foldEntries(
                        new RowHashes(4), null, definitions, new int[] {1, 3}, 2, -1))
            .as("values %s", values)
            .isInstanceOf(ArrayIndexOutOfBoundsException.class);
      }
    }
  }

  /**
   * Folds the page with entries cached (many values) and not (fewer values than entries), numbers
   * and byte strings, and value by value through foldNull and foldEntry; all must agree.
   */
  private static void assertSameEverywhere(
      int maxRepetition,
      int maxDefinition,
      int[] repetitions,
      int[] definitions,
      int[] indexes,
      int rows) {
    int count =
        repetitions != null
            ? repetitions.length
            : definitions != null ? definitions.length : indexes.length;
    for (boolean bytes : new boolean[] {false, true}) {
      long[] entries1 = bytes ? LANE1 : NUMBERS;
      long[] entries2 = bytes ? LANE2 : null;
      RowHashes expected = earlierColumns(rows);
      ColumnElements single =
          new ColumnElements(5, maxRepetition, maxDefinition, entries1, entries2, 1);
      int row = -1;
      int value = 0;
      for (int i = 0; i < count; i++) {
        int repetition = repetitions == null ? 0 : repetitions[i];
        int definition = definitions == null ? maxDefinition : definitions[i];
        if (repetition == 0) {
          row++;
        }
        if (definition < maxDefinition) {
          single.foldNull(expected, row, repetition, definition);
        } else {
          single.foldEntry(expected, row, repetition, indexes[value++]);
        }
      }
      for (long values : new long[] {1, 1_000}) {
        RowHashes folded = earlierColumns(rows);
        ColumnElements elements =
            new ColumnElements(5, maxRepetition, maxDefinition, entries1, entries2, values);
        int last = elements.foldEntries(folded, repetitions, definitions, indexes, count, -1);
        assertThat(last).isEqualTo(rows - 1);
        assertThat(folded.lane1).as("bytes %s, values %s", bytes, values).isEqualTo(expected.lane1);
        assertThat(folded.lane2).as("bytes %s, values %s", bytes, values).isEqualTo(expected.lane2);
      }
    }
  }

  /** Hashes of rows that earlier columns have folded into already, as a page's rows mostly are. */
  private static RowHashes earlierColumns(int rows) {
    RowHashes hashes = new RowHashes(rows);
    for (int row = 0; row < rows; row++) {
      hashes.lane1[row] = 0x9E37_79B9_7F4A_7C15L * (row + 1);
      hashes.lane2[row] = 0xC2B2_AE3D_27D4_EB4FL * (row + 3);
    }
    return hashes;
  }
}
