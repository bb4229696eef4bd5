package dev.baler.parquet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which input row groups make each output row group of a merge: the inputs' row groups in order, an
 * output row group closed before the one that would take it past the row or byte target. Input row
 * groups whose rows are all left out (duplicates) take no part.
 *
 * <p>The plan keeps a few figures per output row group and one number per input, and makes an
 * output row group's {@link Slice}s again, from its inputs' layouts, each time they are asked for:
 * a bin of 40-row files has tens of thousands of input row groups, and kept as objects for the
 * whole merge they took 40 bytes each (2 MB for the two bins of the 100,000-file data set), where
 * the merge needs those of one output row group at a time.
 *
 * <p>Not thread-safe: {@link #slices} reads the inputs' skip sets as it goes.
 */
final class RowGroupPlan {
  /**
   * One input row group, as part of an output row group.
   *
   * @param input the input's index in the merge's inputs
   * @param rowGroup the row group's index in the input
   * @param firstRow the input's row at which the row group starts
   * @param keptRows the row group's rows less those left out
   */
  record Slice(int input, int rowGroup, long firstRow, int keptRows) {}

  /**
   * An output row group: where its first slice lies, how many slices it has, and what they add up
   * to.
   *
   * @param firstInput the input of its first slice
   * @param firstRowGroup the row group of its first slice, in that input
   * @param firstRow the input's row at which that row group starts
   * @param slices its slices
   * @param inputs the inputs its slices come from, each counted once
   * @param inputBytes its input row groups' bytes
   * @param fileBytes of the inputs it reads from, their column data (file bytes at most) each with
   *     {@code slackBytes}
   */
  private record RowGroup(
      int firstInput,
      int firstRowGroup,
      long firstRow,
      int slices,
      int inputs,
      long inputBytes,
      long fileBytes) {}

  private final List<MergeInput> inputs;
  private final List<RowGroup> rowGroups;
  private final int[] lastSliceOfInput;

  private RowGroupPlan(List<MergeInput> inputs, List<RowGroup> rowGroups, int[] lastSliceOfInput) {
    this.inputs = inputs;
    this.rowGroups = rowGroups;
    this.lastSliceOfInput = lastSliceOfInput;
  }

  /**
   * Plans the output row groups of {@code inputs}.
   *
   * @param maxRows the most rows of an output row group, unless one input row group has more
   * @param maxBytes the most input bytes of an output row group, unless one input row group has
   *     more
   * @param slackBytes what {@link #fileBytes} adds per input to its column data
   */
  static RowGroupPlan of(List<MergeInput> inputs, long maxRows, long maxBytes, int slackBytes) {
    List<RowGroup> rowGroups = new ArrayList<>();
    int[] lastSliceOfInput = new int[inputs.size()];
    int ordinal = 0;
    Planned planned = new Planned();
    for (int input = 0; input < inputs.size(); input++) {
      MergeInput mergeInput = inputs.get(input);
      BitSet skip = mergeInput.skipRows().orElse(null);
      FileLayout layout = mergeInput.layout();
      long firstRow = 0;
      for (int rowGroup = 0; rowGroup < layout.rowGroupCount(); rowGroup++) {
        long blockRows = layout.rowGroupRows(rowGroup);
        int kept = keptRows(skip, firstRow, blockRows);
        long blockBytes = layout.rowGroupBytes(rowGroup);
        if (kept > 0) {
          if (planned.slices > 0
              && (planned.rows + kept > maxRows || planned.bytes + blockBytes > maxBytes)) {
            rowGroups.add(planned.toRowGroup());
            planned = new Planned();
          }
          if (planned.slices == 0) {
            planned.firstInput = input;
            planned.firstRowGroup = rowGroup;
            planned.firstRow = firstRow;
          }
          if (input != planned.lastInput) {
            planned.inputs++;
            planned.fileBytes += Math.min(layout.length(), layout.dataBytes() + slackBytes);
            planned.lastInput = input;
          }
          planned.slices++;
          planned.rows += kept;
          planned.bytes += blockBytes;
          lastSliceOfInput[input] = ordinal++;
        }
        firstRow += blockRows;
      }
    }
    if (planned.slices > 0) {
      rowGroups.add(planned.toRowGroup());
    }
    return new RowGroupPlan(inputs, List.copyOf(rowGroups), lastSliceOfInput);
  }

  /** The output row group being planned: its {@link RowGroup} figures, and its rows so far. */
  private static final class Planned {
    int firstInput = -1;
    int firstRowGroup;
    long firstRow;
    int slices;
    int inputs;
    int lastInput = -1;
    long rows;
    long bytes;
    long fileBytes;

    RowGroup toRowGroup() {
      return new RowGroup(firstInput, firstRowGroup, firstRow, slices, inputs, bytes, fileBytes);
    }
  }

  private static int keptRows(BitSet skip, long firstRow, long rows) {
    int skipped =
        skip == null ? 0 : skip.get((int) firstRow, (int) (firstRow + rows)).cardinality();
    return Math.toIntExact(rows - skipped);
  }

  /** The number of output row groups. */
  int size() {
    return rowGroups.size();
  }

  /** The slices of output row group {@code index}, in order, made anew on each call. */
  List<Slice> slices(int index) {
    RowGroup rowGroup = rowGroups.get(index);
    List<Slice> slices = new ArrayList<>(rowGroup.slices());
    int input = rowGroup.firstInput();
    int first = rowGroup.firstRowGroup();
    long firstRow = rowGroup.firstRow();
    while (slices.size() < rowGroup.slices()) {
      MergeInput mergeInput = inputs.get(input);
      BitSet skip = mergeInput.skipRows().orElse(null);
      FileLayout layout = mergeInput.layout();
      for (int block = first;
          block < layout.rowGroupCount() && slices.size() < rowGroup.slices();
          block++) {
        long blockRows = layout.rowGroupRows(block);
        int kept = keptRows(skip, firstRow, blockRows);
        if (kept > 0) {
          slices.add(new Slice(input, block, firstRow, kept));
        }
        firstRow += blockRows;
      }
      input++;
      first = 0;
      firstRow = 0;
    }
    return slices;
  }

  /** The bytes of output row group {@code index}'s input row groups, as their footers give them. */
  long inputBytes(int index) {
    return rowGroups.get(index).inputBytes();
  }

  /** The inputs output row group {@code index} reads from, each counted once. */
  int inputs(int index) {
    return rowGroups.get(index).inputs();
  }

  /**
   * Of the inputs output row group {@code index} reads from, their column data (their file bytes at
   * most), each with the plan's slack bytes: what their windows take when read whole.
   */
  long fileBytes(int index) {
    return rowGroups.get(index).fileBytes();
  }

  /**
   * The ordinal, counting every slice of every output row group in order from 0, of an input's last
   * slice: after it the input is read no more. 0 for an input with none.
   */
  int lastSliceOf(int input) {
    return lastSliceOfInput[input];
  }
}
