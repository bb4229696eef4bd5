package dev.baler.cli;

import dev.baler.compaction.InspectionFile;
import dev.baler.compaction.InspectionReport;
import dev.baler.compaction.InspectionReport.Distribution;
import dev.baler.compaction.InspectionReport.ScanCost;
import dev.baler.compaction.InspectionReport.SchemaSeen;
import dev.baler.compaction.InspectionReport.SizeBucket;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The tables {@code baler inspect} prints for people: of a prefix, and of one file's footer. */
final class InspectionTables {
  /** Width of the histogram's bars, in characters. */
  private static final int BAR_WIDTH = 40;

  private InspectionTables() {}

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
          entry.value() == null ? "(no value)" : entry.value().replace('\n', ' '),
          entry.value() != null && entry.valueChars() > entry.value().length()
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
}
