package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link Inspection#inspect(Location)} found under a prefix or directory: how small its files
 * are, how they are laid out, and what compacting them would change. Immutable.
 *
 * @param source the prefix or directory inspected
 * @param keys every key the listing returned, data or not (markers, {@code _baler/} state, other
 *     files)
 * @param files the Parquet data files: {@code .parquet}/{@code .parq} names, not hidden, not in a
 *     hidden or {@code _baler/} directory, inside the key prefix; compacted outputs count too
 * @param bytes their total size in bytes, readable or not
 * @param rows rows in the readable files
 * @param sizes the files by size, in the buckets of {@link Inspection#SIZE_BUCKETS}
 * @param rowGroupsPerFile row groups in each readable file
 * @param rowGroupRows rows in each row group of the readable files
 * @param rowGroupBytes compressed bytes of each row group of the readable files
 * @param codecs readable files per codec name (such as {@code snappy}); a file with several codecs
 *     counts under each
 * @param encodings readable files per encoding name (such as {@code RLE_DICTIONARY}), over all
 *     column chunks, level encodings included
 * @param pageVersions readable files per data page version: {@code v1}, {@code v2}, or {@code
 *     unknown} for column chunks whose footer carries no encoding statistics
 * @param schemas the schemas seen, most files first
 * @param unreadableFiles how many data files could not be read as Parquet
 * @param unreadable the first {@value Inspection#UNREADABLE_LISTED} of them by location, with
 *     reasons
 * @param plan what {@code baler compact} with the same options would do
 * @param before what one full scan of the prefix costs a reader now
 * @param after what it would cost once the plan is done and the originals are deleted
 */
public record InspectionReport(
    Location source,
    long keys,
    long files,
    long bytes,
    long rows,
    List<SizeBucket> sizes,
    Distribution rowGroupsPerFile,
    Distribution rowGroupRows,
    Distribution rowGroupBytes,
    Map<String, Long> codecs,
    Map<String, Long> encodings,
    Map<String, Long> pageVersions,
    List<SchemaSeen> schemas,
    long unreadableFiles,
    List<SkippedFile> unreadable,
    PlanSummary plan,
    ScanCost before,
    ScanCost after) {
  public InspectionReport {
    requireNonNull(source, "source is null");
    sizes = List.copyOf(sizes);
    requireNonNull(rowGroupsPerFile, "rowGroupsPerFile is null");
    requireNonNull(rowGroupRows, "rowGroupRows is null");
    requireNonNull(rowGroupBytes, "rowGroupBytes is null");
    codecs = sorted(codecs);
    encodings = sorted(encodings);
    pageVersions = sorted(pageVersions);
    schemas = List.copyOf(schemas);
    unreadable = List.copyOf(unreadable);
    requireNonNull(plan, "plan is null");
    requireNonNull(before, "before is null");
    requireNonNull(after, "after is null");
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** Bytes compaction is estimated to save; see {@link CompactionPlan#estimatedSavedBytes()}. */
  public long savedBytes() {
    return plan.estimatedSavedBytes();
  }

  /**
   * Files of one size range.
   *
   * @param label such as {@code 64 KiB-1 MiB}
   * @param lowerBytes the smallest size in the bucket, in bytes
   * @param upperBytes the first size above the bucket, in bytes; {@link Long#MAX_VALUE} for the
   *     last
   * @param files files in the bucket
   * @param bytes their total size in bytes
   */
  public record SizeBucket(String label, long lowerBytes, long upperBytes, long files, long bytes) {
    public SizeBucket {
      requireNonNull(label, "label is null");
    }
  }

  /**
   * The spread of a quantity over many values: count, smallest, median, largest and sum. The median
   * is the lower middle value when the count is even; all are 0 when the count is.
   */
  public record Distribution(long count, long min, long median, long max, long total) {}

  /**
   * A schema and the files that carry it.
   *
   * @param key the {@link dev.baler.parquet.Footer#schemaKey()}
   * @param files readable files with this schema
   * @param firstFile the first of them by location
   * @param schema the schema of {@code firstFile}, in Parquet's message syntax
   */
  public record SchemaSeen(String key, long files, Location firstFile, String schema) {
    public SchemaSeen {
      requireNonNull(key, "key is null");
      requireNonNull(firstFile, "firstFile is null");
      requireNonNull(schema, "schema is null");
    }
  }

  /**
   * The summary of a {@link CompactionPlan}.
   *
   * @param bins outputs to write
   * @param files input files in the bins
   * @param bytes their bytes
   * @param rows their rows
   * @param estimatedSavedBytes see {@link CompactionPlan#estimatedSavedBytes()}
   * @param skippedFiles files the planner left out as unusable (unreadable, no rows, other schema)
   * @param leftAloneFiles readable files left as they are (too few to compact together)
   */
  public record PlanSummary(
      int bins,
      int files,
      long bytes,
      long rows,
      long estimatedSavedBytes,
      int skippedFiles,
      int leftAloneFiles) {
    /** The summary of {@code plan}. */
    public static PlanSummary of(CompactionPlan plan) {
      return new PlanSummary(
          plan.bins().size(),
          plan.inputFiles(),
          plan.inputBytes(),
          plan.inputRows(),
          plan.estimatedSavedBytes(),
          plan.skipped().size(),
          plan.leftAlone().size());
    }
  }

  /**
   * The requests one full scan of the prefix costs a reader, in a simple model: at least one GET
   * for the footer and one for the data of every file ({@value Inspection#GETS_PER_FILE} per file),
   * and one LIST per {@value Inspection#KEYS_PER_LIST} keys (at least one).
   *
   * @param keys keys under the prefix
   * @param files data files
   * @param gets GET requests
   * @param lists LIST requests
   */
  public record ScanCost(long keys, long files, long gets, long lists) {
    /** The cost of scanning {@code files} data files among {@code keys} keys. */
    public static ScanCost of(long keys, long files) {
      return new ScanCost(
          keys,
          files,
          files * Inspection.GETS_PER_FILE,
          Math.max(1, (keys + Inspection.KEYS_PER_LIST - 1) / Inspection.KEYS_PER_LIST));
    }
  }
}
