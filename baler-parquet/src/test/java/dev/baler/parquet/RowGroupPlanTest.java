package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowGroupPlan.Slice;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plan of a merge's output row groups, made again slice by slice: the same slices, in the same
 * order, as a plan kept whole would hold.
 */
class RowGroupPlanTest {
  private static final int SLACK = 256;

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void slices_giveEveryKeptInputRowGroupOnceInOrderCutAtTheTargets() {
    // input 1's second row group is all duplicates; input 3's first half of its first row group is
    List<MergeInput> inputs =
        List.of(
            input(0, null, 30, 30, 30),
            input(1, skipped(30, 60), 30, 30, 30),
            input(2, null, 100),
            input(3, skipped(0, 10), 20, 5),
            input(4, skipped(0, 40), 40));

    RowGroupPlan plan = RowGroupPlan.of(inputs, 70, 1_000_000, SLACK);

    List<List<Slice>> rowGroups = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      rowGroups.add(plan.slices(i));
    }
    assertThat(rowGroups)
        .containsExactly(
            List.of(new Slice(0, 0, 0, 30), new Slice(0, 1, 30, 30)),
            List.of(new Slice(0, 2, 60, 30), new Slice(1, 0, 0, 30)),
            List.of(new Slice(1, 2, 60, 30)),
            List.of(new Slice(2, 0, 0, 100)),
            List.of(new Slice(3, 0, 0, 10), new Slice(3, 1, 20, 5)));
    assertThat(plan.slices(1)).as("made again, the same").isEqualTo(rowGroups.get(1));
    // the ordinal of each input's last slice, counting slices of every row group in order
    assertThat(List.of(plan.lastSliceOf(0), plan.lastSliceOf(1), plan.lastSliceOf(2)))
        .containsExactly(2, 4, 5);
    assertThat(plan.lastSliceOf(3)).isEqualTo(7);
    assertThat(plan.lastSliceOf(4)).as("no slice").isZero();
  }

  @Test
  void figures_addUpEachRowGroupsInputsOnce() {
    List<MergeInput> inputs = List.of(input(0, null, 30, 30, 30), input(1, null, 30));

    RowGroupPlan plan = RowGroupPlan.of(inputs, 1_000, 7_000, SLACK);

    // the byte target cuts after two row groups: 6,000 bytes, and a third would make 9,000
    assertThat(plan.size()).isEqualTo(2);
    assertThat(List.of(plan.inputBytes(0), plan.inputBytes(1))).containsExactly(6000L, 6000L);
    assertThat(List.of(plan.inputs(0), plan.inputs(1))).containsExactly(1, 2);
    long file0 = inputs.get(0).layout().dataBytes() + SLACK;
    long file1 = inputs.get(1).layout().dataBytes() + SLACK;
    assertThat(plan.fileBytes(0)).isEqualTo(file0);
    assertThat(plan.fileBytes(1)).isEqualTo(file0 + file1);
  }

  @Test
  void of_plansNothingForInputsWhoseRowsAreAllLeftOut() {
    RowGroupPlan plan = RowGroupPlan.of(List.of(input(0, skipped(0, 20), 20)), 100, 1_000, SLACK);

    assertThat(plan.size()).isZero();
  }

  /** An input of row groups of these rows, 100 bytes a row, with these rows left out. */
  private MergeInput input(int index, BitSet skip, long... rows) {
    List<FileLayout.RowGroupSize> rowGroups = new ArrayList<>();
    long bytes = 0;
    for (long count : rows) {
      rowGroups.add(new FileLayout.RowGroupSize(count, count * 100));
      bytes += count * 100;
    }
    Location location = Location.of("memory://plan/input-" + index + ".parquet");
    return new MergeInput(
        storage.newInputFile(location),
        new FileLayout(bytes + 1_000, "schema", rowGroups),
        Optional.ofNullable(skip));
  }

  private static BitSet skipped(int from, int to) {
    BitSet skip = new BitSet();
    skip.set(from, to);
    return skip;
  }
}
