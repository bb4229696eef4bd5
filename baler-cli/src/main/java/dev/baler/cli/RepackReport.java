package dev.baler.cli;

import dev.baler.compaction.RepackResult;
import dev.baler.compaction.RepackedFile;
import dev.baler.storage.Location;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The JSON document {@code baler repack} prints on stdout. */
final class RepackReport {
  private RepackReport() {}

  static Map<String, Object> of(RepackResult result, Location source, Location destination) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("status", result.status().name().toLowerCase(Locale.ROOT));
    report.put("source", source.toString());
    report.put("destination", destination.toString());
    report.put("files_found", result.found());
    report.put("files_completed", result.completed().size());
    report.put("files_skipped", result.skipped().size());
    report.put("files_failed", result.failed().size());
    report.put("records_written", result.rows());
    report.put("timestamps_truncated", result.truncatedTimestamps());
    report.put(
        "failures",
        result.failed().stream()
            .map(failure -> Map.of("file", failure.source().toString(), "reason", failure.reason()))
            .toList());
    report.put(
        "precision_loss",
        result.completed().stream()
            .filter(file -> file.truncatedTimestamps() > 0)
            .map(
                file ->
                    Map.of(
                        "file",
                        file.source().toString(),
                        "timestamps_truncated",
                        file.truncatedTimestamps()))
            .toList());
    report.put("normalizations", normalizations(result.completed()));
    report.put("duration_ms", result.duration().toMillis());
    return report;
  }

  /** How many completed files each change was made to, by change. */
  private static Map<String, Integer> normalizations(List<RepackedFile> completed) {
    Map<String, Integer> counts = new TreeMap<>();
    for (RepackedFile file : completed) {
      for (String change : file.changes()) {
        counts.merge(change, 1, Integer::sum);
      }
    }
    return counts;
  }
}
