package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.Inspection;
import dev.baler.compaction.InspectionFile;
import dev.baler.compaction.InspectionReport;
import dev.baler.compaction.InspectionReport.Distribution;
import dev.baler.compaction.InspectionReport.ScanCost;
import dev.baler.compaction.InspectionReport.SchemaSeen;
import dev.baler.compaction.InspectionReport.SizeBucket;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baler inspect}: the small-files diagnosis of a prefix, a directory or one file. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Diagnose small files before compacting them; reads footers only and writes nothing.",
      "",
      "For a prefix or directory: data files (.parquet/.parq, not hidden, not under _baler/;"
          + " compacted outputs included), bytes, a histogram of file sizes, rows, row groups per"
          + " file and their sizes, codecs, encodings, data page versions, the schemas seen,"
          + " unreadable files, what 'baler compact' would do, and the requests one full scan"
          + " costs a reader before and after (2 GETs per file, 1 LIST per 1,000 keys).",
      "For one file: its schema, created_by, row groups with their column chunks, and key-value"
          + " metadata.",
      "",
      "Prints tables on stdout, or one JSON object with --json.",
    },
    footer = {
      "",
      "JSON of a prefix: kind (\"prefix\"), source, keys (all listed keys), files, bytes, rows,"
          + " file_sizes [{bucket, min_bytes, max_bytes (exclusive; null for the last), files,"
          + " bytes}], row_groups_per_file, row_group_rows, row_group_bytes ({count, min, median,"
          + " max, total}), codecs, encodings, page_versions ({name: files}), schemas [{files,"
          + " first_file, schema}], unreadable_files (count), unreadable [{file, reason}] (the"
          + " first 1,000), plan {target_bytes, min_files, bins, files, bytes, rows,"
          + " estimated_saved_bytes, skipped_files, left_alone_files}, scan {before, after:"
          + " {keys, files, get_requests, list_requests}}, saved_bytes.",
      "JSON of a file: kind (\"file\"), file, bytes, rows, created_by, schema, row_groups"
          + " [{index, rows, compressed_bytes, uncompressed_bytes, columns [{path, type, codec,"
          + " encodings, page_version, statistics, compressed_bytes, values}]}], key_value_metadata"
          + " [{key, value_chars, value (first 80 characters)}].",
      "",
      "Exit codes: 0 done (unreadable files under a prefix are reported, not fatal), 1 failed"
          + " (storage unreachable, the one file given is not readable Parquet), 2 invalid usage.",
      "",
      "Examples:",
      "  baler inspect s3://my-bucket/events/sensor_data --endpoint http://127.0.0.1:9000",
      "  baler inspect ./data/ --json",
      "  baler inspect ./data/sensor_data.1704067200000.parquet",
    })
final class InspectCommand implements Callable<Integer> {
  private static final int BAR_WIDTH = 40;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "URI",
      description =
          "what to inspect: s3://bucket/prefix, a local directory or key prefix, or one file")
  String uri;

  @Option(
      names = "--target-bytes",
      paramLabel = "BYTES",
      defaultValue = "104857600",
      description =
          "target size of compacted files, as for 'baler compact' (default: ${DEFAULT-VALUE} = 100 MiB)")
  long targetBytes;

  @Option(
      names = "--min-files",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "fewest files a partition needs to be compacted, as for 'baler compact' (default: ${DEFAULT-VALUE})")
  int minFiles;

  @Option(names = "--json", description = "print one JSON object instead of tables")
  boolean json;

  @Mixin StorageOptions storageOptions;

  @Option(
      names = {"-v", "--verbose"},
      description = "log more, and print stack traces of errors")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Logging.configure(verbose);
    Location source = source();
    CompactionOptions options =
        CompactionOptions.builder().targetBytes(targetBytes).minFiles(minFiles).build();
    PrintWriter out = spec.commandLine().getOut();
    try (Storage storage = storageOptions.open(source)) {
      Inspection inspection = new Inspection(storage, options);
      if (inspection.isFile(source)) {
        InspectionFile file = inspection.inspectFile(source);
        out.println(json ? Reports.json(fileJson(file)) : fileTables(file));
      } else {
        InspectionReport report = inspection.inspect(source);
        out.println(json ? Reports.json(prefixJson(report, options)) : prefixTables(report));
      }
      out.flush();
      return ExitCodes.SUCCESS;
    }
  }

  private Location source() {
    return Sources.of(uri);
  }

  // ---- tables

  static String prefixTables(InspectionReport report) {
    StringBuilder text = new StringBuilder();
    line(text, "Source      %s", report.source());
    line(
        text,
        "Data files  %s of %s keys, %s, %s rows",
        count(report.files()),
        count(report.keys()),
        size(report.bytes()),
        count(report.rows()));
    line(text, "");
    line(text, "File sizes");
    long most = report.sizes().stream().mapToLong(SizeBucket::files).max().orElse(0);
    for (SizeBucket bucket : report.sizes()) {
      line(
          text,
          "  %-13s %9s  %-" + BAR_WIDTH + "s  %s",
          bucket.label(),
          count(bucket.files()),
          bar(bucket.files(), most),
          bucket.files() == 0 ? "" : size(bucket.bytes()));
    }
    line(text, "");
    line(text, "Row groups         %12s %12s %12s", "min", "median", "max");
    distribution(text, "per file", report.rowGroupsPerFile(), false);
    distribution(text, "rows", report.rowGroupRows(), false);
    distribution(text, "bytes", report.rowGroupBytes(), true);
    line(text, "");
    line(text, "Codecs      %s", counts(report.codecs()));
    line(text, "Encodings   %s", counts(report.encodings()));
    line(text, "Data pages  %s", counts(report.pageVersions()));
    line(text, "            (files using each; a file may count under several)");
    line(text, "");
    line(text, "Schemas (%d)", report.schemas().size());
    for (SchemaSeen schema : report.schemas()) {
      line(text, "  %s, the first %s:", files(schema.files()), schema.firstFile());
      for (String schemaLine : schema.schema().strip().split("\n")) {
        line(text, "    %s", schemaLine);
      }
    }
    if (report.unreadableFiles() > 0) {
      line(text, "");
      line(text, "Unreadable files (%s)", count(report.unreadableFiles()));
      report.unreadable().forEach(file -> line(text, "  %s: %s", file.location(), file.reason()));
      if (report.unreadableFiles() > report.unreadable().size()) {
        line(
            text,
            "  ... and %s more",
            count(report.unreadableFiles() - report.unreadable().size()));
      }
    }
    InspectionReport.PlanSummary plan = report.plan();
    line(text, "");
    line(text, "What 'baler compact' would do");
    line(
        text,
        "  %s (%s, %s rows) into %s; about %s saved",
        files(plan.files()),
        size(plan.bytes()),
        count(plan.rows()),
        files(plan.bins()),
        size(plan.estimatedSavedBytes()));
    line(
        text,
        "  %s skipped (unreadable, no rows, other schema), %s left alone (too few)",
        files(plan.skippedFiles()),
        count(plan.leftAloneFiles()));
    line(text, "");
    line(text, "One full scan      %12s %12s", "before", "after");
    ScanCost before = report.before();
    ScanCost after = report.after();
    line(text, "  files            %12s %12s", count(before.files()), count(after.files()));
    line(text, "  GET requests     %12s %12s", count(before.gets()), count(after.gets()));
    line(text, "  LIST requests    %12s %12s", count(before.lists()), count(after.lists()));
    line(
        text,
        "  bytes            %12s %12s",
        size(report.bytes()),
        size(report.bytes() - report.savedBytes()));
    text.setLength(text.length() - 1);
    return text.toString();
  }

  static String fileTables(InspectionFile file) {
    StringBuilder text = new StringBuilder();
    line(text, "File        %s", file.location());
    line(text, "Size        %s (%s bytes)", size(file.length()), count(file.length()));
    line(text, "Rows        %s", count(file.rows()));
    line(text, "Created by  %s", file.createdBy());
    line(text, "");
    line(text, "Schema");
    for (String schemaLine : file.schema().strip().split("\n")) {
      line(text, "  %s", schemaLine);
    }
    line(text, "");
    line(text, "Row groups (%d)", file.rowGroups().size());
    for (InspectionFile.RowGroup rowGroup : file.rowGroups()) {
      line(
          text,
          "  #%d: %s rows, %s compressed, %s uncompressed",
          rowGroup.index(),
          count(rowGroup.rows()),
          size(rowGroup.compressedBytes()),
          size(rowGroup.uncompressedBytes()));
      int width =
          Math.max(6, rowGroup.columns().stream().mapToInt(c -> c.path().length()).max().orElse(0));
      int typeWidth =
          Math.max(4, rowGroup.columns().stream().mapToInt(c -> c.type().length()).max().orElse(0));
      String format =
          "    %-" + width + "s  %-" + typeWidth + "s  %-12s  %-5s  %-5s  %10s  %9s  %s";
      line(
          text,
          format,
          "column",
          "type",
          "codec",
          "pages",
          "stats",
          "bytes",
          "values",
          "encodings");
      for (InspectionFile.ColumnChunk column : rowGroup.columns()) {
        line(
            text,
            format,
            column.path(),
            column.type(),
            column.codec(),
            column.pageVersion(),
            column.hasStatistics() ? "yes" : "no",
            size(column.compressedBytes()),
            count(column.values()),
            String.join(",", column.encodings()));
      }
    }
    line(text, "");
    line(text, "Key-value metadata (%d)", file.keyValueMetadata().size());
    for (InspectionFile.KeyValue entry : file.keyValueMetadata()) {
      line(
          text,
          "  %s = %s%s",
          entry.key(),
          entry.value().replace('\n', ' '),
          entry.valueChars() > entry.value().length()
              ? " (" + count(entry.valueChars()) + " characters)"
              : "");
    }
    text.setLength(text.length() - 1);
    return text.toString();
  }

  private static void distribution(
      StringBuilder text, String name, Distribution distribution, boolean bytes) {
    if (distribution.count() == 0) {
      line(text, "  %-16s %12s %12s %12s", name, "-", "-", "-");
      return;
    }
    line(
        text,
        "  %-16s %12s %12s %12s",
        name,
        bytes ? size(distribution.min()) : count(distribution.min()),
        bytes ? size(distribution.median()) : count(distribution.median()),
        bytes ? size(distribution.max()) : count(distribution.max()));
  }

  /** A bar of '#' in proportion to {@code most}; at least one for any file. */
  static String bar(long value, long most) {
    if (value == 0 || most == 0) {
      return "";
    }
    return "#".repeat((int) Math.max(1, value * BAR_WIDTH / most));
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "-";
    }
    return counts.entrySet().stream()
        .map(entry -> entry.getKey() + " " + count(entry.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static void line(StringBuilder text, String format, Object... values) {
    text.append(String.format(Locale.ROOT, format, values).stripTrailing()).append('\n');
  }

  private static String files(long count) {
    return count(count) + (count == 1 ? " file" : " files");
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** Bytes in binary units: {@code 512 B}, {@code 63.9 KiB}, {@code 1.2 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  // ---- JSON

  static Map<String, Object> prefixJson(InspectionReport report, CompactionOptions options) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "prefix");
    json.put("source", report.source().toString());
    json.put("keys", report.keys());
    json.put("files", report.files());
    json.put("bytes", report.bytes());
    json.put("rows", report.rows());
    json.put(
        "file_sizes",
        report.sizes().stream()
            .map(
                bucket -> {
                  Map<String, Object> entry = new LinkedHashMap<>();
                  entry.put("bucket", bucket.label());
                  entry.put("min_bytes", bucket.lowerBytes());
                  entry.put(
                      "max_bytes",
                      bucket.upperBytes() == Long.MAX_VALUE ? null : bucket.upperBytes());
                  entry.put("files", bucket.files());
                  entry.put("bytes", bucket.bytes());
                  return entry;
                })
            .toList());
    json.put("row_groups_per_file", distributionJson(report.rowGroupsPerFile()));
    json.put("row_group_rows", distributionJson(report.rowGroupRows()));
    json.put("row_group_bytes", distributionJson(report.rowGroupBytes()));
    json.put("codecs", report.codecs());
    json.put("encodings", report.encodings());
    json.put("page_versions", report.pageVersions());
    json.put(
        "schemas",
        report.schemas().stream()
            .map(
                schema -> {
                  Map<String, Object> entry = new LinkedHashMap<>();
                  entry.put("files", schema.files());
                  entry.put("first_file", schema.firstFile().toString());
                  entry.put("schema", schema.schema());
                  return entry;
                })
            .toList());
    json.put("unreadable_files", report.unreadableFiles());
    json.put(
        "unreadable",
        report.unreadable().stream()
            .map(file -> Map.of("file", file.location().toString(), "reason", file.reason()))
            .toList());
    InspectionReport.PlanSummary plan = report.plan();
    Map<String, Object> planJson = new LinkedHashMap<>();
    planJson.put("target_bytes", options.targetBytes());
    planJson.put("min_files", options.minFiles());
    planJson.put("bins", plan.bins());
    planJson.put("files", plan.files());
    planJson.put("bytes", plan.bytes());
    planJson.put("rows", plan.rows());
    planJson.put("estimated_saved_bytes", plan.estimatedSavedBytes());
    planJson.put("skipped_files", plan.skippedFiles());
    planJson.put("left_alone_files", plan.leftAloneFiles());
    json.put("plan", planJson);
    Map<String, Object> scan = new LinkedHashMap<>();
    scan.put("before", scanJson(report.before()));
    scan.put("after", scanJson(report.after()));
    json.put("scan", scan);
    json.put("saved_bytes", report.savedBytes());
    return json;
  }

  private static Map<String, Object> distributionJson(Distribution distribution) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("count", distribution.count());
    json.put("min", distribution.min());
    json.put("median", distribution.median());
    json.put("max", distribution.max());
    json.put("total", distribution.total());
    return json;
  }

  private static Map<String, Object> scanJson(ScanCost cost) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("keys", cost.keys());
    json.put("files", cost.files());
    json.put("get_requests", cost.gets());
    json.put("list_requests", cost.lists());
    return json;
  }

  static Map<String, Object> fileJson(InspectionFile file) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", "file");
    json.put("file", file.location().toString());
    json.put("bytes", file.length());
    json.put("rows", file.rows());
    json.put("created_by", file.createdBy());
    json.put("schema", file.schema());
    json.put(
        "row_groups",
        file.rowGroups().stream()
            .map(
                rowGroup -> {
                  Map<String, Object> entry = new LinkedHashMap<>();
                  entry.put("index", rowGroup.index());
                  entry.put("rows", rowGroup.rows());
                  entry.put("compressed_bytes", rowGroup.compressedBytes());
                  entry.put("uncompressed_bytes", rowGroup.uncompressedBytes());
                  entry.put("columns", columnsJson(rowGroup.columns()));
                  return entry;
                })
            .toList());
    json.put(
        "key_value_metadata",
        file.keyValueMetadata().stream()
            .map(
                entry -> {
                  Map<String, Object> value = new LinkedHashMap<>();
                  value.put("key", entry.key());
                  value.put("value_chars", entry.valueChars());
                  value.put("value", entry.value());
                  return value;
                })
            .toList());
    return json;
  }

  private static List<Map<String, Object>> columnsJson(List<InspectionFile.ColumnChunk> columns) {
    return columns.stream()
        .map(
            column -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("path", column.path());
              entry.put("type", column.type());
              entry.put("codec", column.codec());
              entry.put("encodings", column.encodings());
              entry.put("page_version", column.pageVersion());
              entry.put("statistics", column.hasStatistics());
              entry.put("compressed_bytes", column.compressedBytes());
              entry.put("values", column.values());
              return entry;
            })
        .toList();
  }
}
