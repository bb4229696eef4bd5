package dev.baler.cli;

import dev.baler.compaction.Bin;
import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.CompactionPlan;
import dev.baler.compaction.CompactionResult;
import dev.baler.compaction.InputEntry;
import dev.baler.compaction.PartitionResult;
import dev.baler.compaction.SkippedFile;
import dev.baler.storage.Location;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of {@code baler consolidate}: the run's JSON (the fields of {@code baler compact}'s,
 * then the dates, what became of originals, and figures per partition), the dry run's JSON, and the
 * dry run's preview for people on stderr.
 */
final class ConsolidationReports {
  private ConsolidationReports() {}

  /** The report of a run. */
  static Map<String, Object> result(
      CompactionResult result,
      Location base,
      CompactionOptions.DateRange dates,
      CompactionOptions options) {
    Map<String, Object> report = Reports.result(result);
    report.put("base", base.toString());
    report.put("dates", dates(dates));
    report.put("originals", originals(options));
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (PartitionResult partition : result.partitions()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("partition", partition.partition().toString());
      entry.put("files_processed", partition.filesProcessed());
      entry.put("files_created", partition.filesCreated());
      entry.put("records_consolidated", partition.recordsConsolidated());
      entry.put("input_bytes", partition.inputBytes());
      entry.put("output_bytes", partition.outputBytes());
      entry.put("failed_bins", partition.failedBins());
      entry.put("duration_ms", partition.duration().toMillis());
      entry.put("files_per_second", Math.round(partition.filesPerSecond() * 10) / 10.0);
      partitions.add(entry);
    }
    report.put("partitions", partitions);
    return report;
  }

  /** The report of a dry run: the plan's figures, then one entry per selected date. */
  static Map<String, Object> dryRun(
      CompactionPlan plan,
      Location base,
      CompactionOptions.DateRange dates,
      CompactionOptions options) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dry_run", true);
    report.putAll(Reports.plan(plan, 0));
    report.remove("duplicate_records_eliminated");
    report.put("base", base.toString());
    report.put("dates", dates(dates));
    report.put("originals", originals(options));
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (DatePartition partition : partitions(plan, base, dates)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("date", partition.date.toString());
      entry.put("partition", partition.location.toString());
      entry.put("files", partition.inputs.size());
      entry.put("bytes", partition.bytes());
      entry.put("records", partition.inputs.stream().mapToLong(InputEntry::rows).sum());
      entry.put(
          "sample_files",
          partition.inputs.stream()
              .limit(ConsolidateCommand.SAMPLE_FILES)
              .map(
                  input ->
                      Map.of("file", input.location().fileName(), "bytes", (Object) input.length()))
              .toList());
      entry.put(
          "would_produce",
          partition.bins.stream()
              .map(
                  bin ->
                      Map.of(
                          "output",
                          bin.output().toString(),
                          "files",
                          (Object) bin.inputs().size(),
                          "bytes",
                          bin.inputBytes()))
              .toList());
      entry.put("left_alone_files", partition.leftAlone);
      entry.put("skipped_files", partition.skipped);
      partitions.add(entry);
    }
    report.put("partitions", partitions);
    return report;
  }

  /** The dry run for people: per date, what is there and what would be made of it. */
  static void printPreview(
      CompactionPlan plan,
      CompactionOptions.DateRange dates,
      CompactionOptions options,
      PrintWriter err) {
    for (DatePartition partition : partitions(plan, plan.source(), dates)) {
      err.println("Preview for date " + partition.date + " (" + partition.location + "):");
      int files = partition.inputs.size() + partition.leftAlone;
      if (files == 0 && partition.skipped == 0) {
        err.println("  no Parquet files");
        continue;
      }
      if (partition.bins.isEmpty()) {
        err.println(
            "  "
                + files
                + " readable files: fewer than --min-files "
                + options.minFiles()
                + " to consolidate, left alone"
                + (partition.skipped > 0 ? "; " + partition.skipped + " unreadable, skipped" : ""));
        continue;
      }
      err.println(
          "  "
              + partition.inputs.size()
              + " Parquet files, "
              + InspectionTables.size(partition.bytes())
              + (partition.skipped > 0 ? "; " + partition.skipped + " unreadable, skipped" : ""));
      err.println("  sample files:");
      partition.inputs.stream()
          .limit(ConsolidateCommand.SAMPLE_FILES)
          .forEach(
              input ->
                  err.println(
                      "    "
                          + input.location().fileName()
                          + " ("
                          + InspectionTables.size(input.length())
                          + ")"));
      if (partition.inputs.size() > ConsolidateCommand.SAMPLE_FILES) {
        err.println(
            "    ... and " + (partition.inputs.size() - ConsolidateCommand.SAMPLE_FILES) + " more");
      }
      err.println(
          "  DRY RUN: would consolidate "
              + partition.inputs.size()
              + " files into "
              + partition.bins.size()
              + (partition.bins.size() == 1 ? " file" : " files")
              + " of about "
              + InspectionTables.size(partition.bytes() / partition.bins.size())
              + (partition.leftAlone > 0 ? "; " + partition.leftAlone + " left alone" : ""));
    }
    err.flush();
  }

  private static Map<String, String> dates(CompactionOptions.DateRange dates) {
    return Map.of("first", dates.first().toString(), "last", dates.last().toString());
  }

  private static String originals(CompactionOptions options) {
    return switch (options.originals()) {
      case DELETE -> "deleted";
      case KEEP -> "kept";
      case TRASH -> "moved to the trash";
      case BACK_UP -> "moved to " + options.backupDirectory().orElseThrow();
    };
  }

  /** What a plan holds for one selected date. */
  private static final class DatePartition {
    final LocalDate date;
    final Location location;
    final List<Bin> bins = new ArrayList<>();
    final List<InputEntry> inputs = new ArrayList<>();
    int leftAlone;
    int skipped;

    DatePartition(LocalDate date, Location location) {
      this.date = date;
      this.location = location;
    }

    long bytes() {
      return inputs.stream().mapToLong(InputEntry::length).sum();
    }
  }

  /** The plan's bins, left-alone and skipped files, per selected date, earliest first. */
  private static List<DatePartition> partitions(
      CompactionPlan plan, Location base, CompactionOptions.DateRange dates) {
    Map<String, DatePartition> byDirectory = new LinkedHashMap<>();
    for (LocalDate date : dates.dates()) {
      Location location = base.resolve(CompactionOptions.DATE_PARTITION_COLUMN + "=" + date + "/");
      byDirectory.put(location.toString(), new DatePartition(date, location));
    }
    for (Bin bin : plan.bins()) {
      DatePartition partition = partitionOf(byDirectory, base, bin.partition());
      if (partition != null) {
        partition.bins.add(bin);
        partition.inputs.addAll(bin.inputs());
      }
    }
    for (Location file : plan.leftAlone()) {
      DatePartition partition = partitionOf(byDirectory, base, file);
      if (partition != null) {
        partition.leftAlone++;
      }
    }
    for (SkippedFile file : plan.skipped()) {
      DatePartition partition = partitionOf(byDirectory, base, file.location());
      if (partition != null) {
        partition.skipped++;
      }
    }
    return List.copyOf(byDirectory.values());
  }

  /**
   * The selected date partition a file or directory lies in, if any: the one named by its first
   * path segment below {@code base}, looked up rather than searched for.
   */
  private static DatePartition partitionOf(
      Map<String, DatePartition> byDirectory, Location base, Location path) {
    String basePath = base.asDirectory().path();
    if (!path.path().startsWith(basePath)) {
      return null;
    }
    String rest = path.path().substring(basePath.length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? null
        : byDirectory.get(base.resolve(rest.substring(0, slash + 1)).toString());
  }
}
