package dev.baler.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baler.compaction.CompactionPlan;
import dev.baler.compaction.CompactionResult;
import dev.baler.compaction.SkippedFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON documents {@code baler compact} prints on stdout. The first fields and their names are
 * the prestige compactor's; Baler's own fields follow.
 */
final class Reports {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /** The {@code --plan} report. */
  static Map<String, Object> plan(CompactionPlan plan, long duplicates) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("compacted_files_produced", plan.bins().size());
    report.put("uncompacted_files_deleted", plan.inputFiles());
    report.put("records_processed", plan.inputRows());
    report.put("duplicate_records_eliminated", duplicates);
    report.put("storage_saved_bytes", plan.estimatedSavedBytes());
    report.put("input_bytes", plan.inputBytes());
    report.put(
        "bins",
        plan.bins().stream()
            .map(
                bin -> {
                  Map<String, Object> entry = new LinkedHashMap<>();
                  entry.put("output", bin.output().toString());
                  entry.put("files", bin.inputs().size());
                  entry.put("bytes", bin.inputBytes());
                  entry.put("records", bin.inputRows());
                  return entry;
                })
            .toList());
    report.put("skipped_files", skipped(plan.skipped()));
    return report;
  }

  /** The report of a run. */
  static Map<String, Object> result(CompactionResult result) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("status", result.status().name().toLowerCase(Locale.ROOT));
    report.put("files_processed", result.filesProcessed());
    report.put("files_created", result.filesCreated());
    report.put("records_consolidated", result.recordsConsolidated());
    report.put("bytes_saved", result.bytesSaved());
    report.put("duplicate_records_eliminated", result.duplicateRecordsEliminated());
    report.put(
        "last_processed_timestamp",
        result.lastProcessedTimestamp().map(Object::toString).orElse(null));
    report.put(
        "deletion_failures",
        result.deletionFailures().stream()
            .map(
                failure ->
                    Map.of("file", failure.location().toString(), "reason", failure.reason()))
            .toList());
    report.put("outputs", result.outputs().stream().map(Object::toString).toList());
    report.put("skipped_files", skipped(result.skipped()));
    report.put(
        "failed_bins",
        result.failedBins().stream()
            .map(bin -> Map.of("output", bin.output().toString(), "reason", bin.reason()))
            .toList());
    report.put(
        "recovered",
        result.recovered().stream()
            .map(
                recovery ->
                    Map.of(
                        "journal_record",
                        recovery.journalRecord().toString(),
                        "action",
                        recovery.action()))
            .toList());
    report.put("duration_ms", result.duration().toMillis());
    return report;
  }

  private static List<Map<String, String>> skipped(List<SkippedFile> skipped) {
    return skipped.stream()
        .map(file -> Map.of("file", file.location().toString(), "reason", file.reason()))
        .toList();
  }

  static String json(Object report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the report as JSON", e);
    }
  }
}
