package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.InspectionFile;
import dev.baler.compaction.InspectionReport;
import dev.baler.compaction.InspectionReport.Distribution;
import dev.baler.compaction.InspectionReport.ScanCost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects {@code baler inspect --json} prints for machines; the fields are listed in its
 * help.
 */
final class InspectionJson {
  private InspectionJson() {}

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
