package dev.baler.cli;

import dev.baler.compaction.CompactionListener;
import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.CompactionPlan;
import dev.baler.compaction.CompactionPlanner;
import dev.baler.compaction.CompactionResult;
import dev.baler.compaction.CompactionRunner;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.Function;

/**
 * What the commands that run the compaction engine ({@code compact}, {@code consolidate}) share:
 * checking the source, and running with progress on stderr, the problems on stderr, one JSON report
 * on stdout and an exit code from the result.
 */
final class CompactionRuns {
  private CompactionRuns() {}

  /**
   * Refuses a local source whose directory does not exist: a mistyped path would otherwise get a
   * lease directory made for it.
   */
  static void checkLocalDirectoryExists(String verb, Location source) {
    if (!source.scheme().equals("file")) {
      return;
    }
    Location directory = source.isDirectory() ? source : source.parent().orElse(source);
    if (!Files.isDirectory(directory.toLocalPath())) {
      throw new IllegalArgumentException(
          "Cannot " + verb + " " + source + ": no such directory " + directory.toLocalPath());
    }
  }

  /**
   * Plans a compaction of {@code source} without running it, showing the footers read on stderr
   * when it is a terminal: planning a prefix of many files on S3 takes minutes.
   *
   * @throws IOException if the source cannot be listed
   */
  static CompactionPlan plan(Storage storage, CompactionOptions options, Location source)
      throws IOException {
    try (Progress progress = new Progress(System.err)) {
      CompactionListener listener =
          Progress.stderrIsTerminal() ? progress : CompactionListener.NONE;
      return new CompactionPlanner(storage, options, listener).plan(source);
    }
  }

  /**
   * Runs a compaction of {@code source}, printing progress (when stderr is a terminal) and each
   * skipped file, failed bin and deletion failure on {@code err}, and {@code report} of the result
   * as JSON on {@code out}.
   *
   * @return the exit code of the result's status
   */
  static int run(
      Storage storage,
      CompactionOptions options,
      Location source,
      PrintWriter out,
      PrintWriter err,
      Function<CompactionResult, Map<String, Object>> report)
      throws IOException {
    CompactionResult result;
    try (Progress progress = new Progress(System.err)) {
      CompactionListener listener =
          Progress.stderrIsTerminal() ? progress : CompactionListener.NONE;
      result = new CompactionRunner(storage, options, listener).run(source);
    }
    result
        .skipped()
        .forEach(file -> err.println("baler: skipped " + file.location() + ": " + file.reason()));
    result
        .failedBins()
        .forEach(bin -> err.println("baler: bin " + bin.output() + " failed: " + bin.reason()));
    result
        .deletionFailures()
        .forEach(
            failure ->
                err.println(
                    "baler: cannot remove " + failure.location() + ": " + failure.reason()));
    out.println(Reports.json(report.apply(result)));
    out.flush();
    return switch (result.status()) {
      case SUCCESS -> ExitCodes.SUCCESS;
      case PARTIAL -> ExitCodes.PARTIAL;
      case FAILED -> ExitCodes.FAILED;
    };
  }
}
