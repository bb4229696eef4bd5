package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import java.util.BitSet;
import java.util.Optional;

/**
 * One input file of a merge.
 *
 * @param file the file to read
 * @param layout its row groups and schema key as planned; the merge checks the file still matches
 * @param skipRows rows to leave out, by index from the file's first row, such as duplicates found
 *     by {@link DuplicateFinder}; empty to keep every row
 */
public record MergeInput(InputFile file, FileLayout layout, Optional<BitSet> skipRows) {
  public MergeInput {
    requireNonNull(file, "file is null");
    requireNonNull(layout, "layout is null");
    requireNonNull(skipRows, "skipRows is null");
  }

  /** An input whose rows are all kept. */
  public static MergeInput of(InputFile file, FileLayout layout) {
    return new MergeInput(file, layout, Optional.empty());
  }

  /** Rows this input contributes: its rows less those skipped. */
  public long keptRows() {
    return layout.rows() - skipRows.map(BitSet::cardinality).orElse(0);
  }
}
