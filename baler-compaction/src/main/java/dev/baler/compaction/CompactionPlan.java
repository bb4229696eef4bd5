package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.util.List;

/**
 * What a compaction will do: the bins to write and the files left out. Immutable; printable with
 * {@code --plan} before anything is written.
 *
 * @param source the prefix or directory planned
 * @param bins the bins, each to become one output file
 * @param skipped files that cannot be compacted, with reasons
 * @param orphanMarkers processed markers whose original is gone, which a run may delete
 * @param leftAlone readable files that were selected but not put in a bin: their partition or name
 *     prefix had too few files, or their bin would have held only them
 */
public record CompactionPlan(
    Location source,
    List<Bin> bins,
    List<SkippedFile> skipped,
    List<Location> orphanMarkers,
    List<Location> leftAlone,
    List<Location> nestedLeases) {
  public CompactionPlan {
    requireNonNull(source, "source is null");
    bins = List.copyOf(bins);
    skipped = List.copyOf(skipped);
    orphanMarkers = List.copyOf(orphanMarkers);
    leftAlone = List.copyOf(leftAlone);
    nestedLeases = List.copyOf(nestedLeases);
  }

  /** Input files in all bins. */
  public int inputFiles() {
    return bins.stream().mapToInt(bin -> bin.inputs().size()).sum();
  }

  /** Input rows in all bins. */
  public long inputRows() {
    return bins.stream().mapToLong(Bin::inputRows).sum();
  }

  /** Input bytes in all bins. */
  public long inputBytes() {
    return bins.stream().mapToLong(Bin::inputBytes).sum();
  }

  /** Estimated bytes saved; see {@link Bin#estimatedSavedBytes()}. */
  public long estimatedSavedBytes() {
    return bins.stream().mapToLong(Bin::estimatedSavedBytes).sum();
  }
}
