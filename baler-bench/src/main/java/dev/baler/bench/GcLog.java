package dev.baler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The largest heap a JVM kept after a full collection, read from its unified GC log ({@code
 * -Xlog:gc}): the live data at its largest, which sets how far the heap grows. It varies less from
 * run to run than the peak resident set size, which also depends on when collections happen.
 */
final class GcLog {
  /** A full collection's line, such as {@code Pause Full (Allocation Failure) 44M->36M(67M)}. */
  private static final Pattern FULL =
      Pattern.compile("Pause Full\\b.*?\\d+[KMG]->(\\d+)([KMG])\\(\\d+[KMG]\\)");

  private GcLog() {}

  /** The option that makes a JVM write its GC log to {@code log}. */
  static String option(Path log) {
    return "-Xlog:gc:file=" + log.toAbsolutePath();
  }

  /**
   * The largest heap left after a full collection, in MiB; empty if the log is missing or records
   * no full collection.
   *
   * @throws IOException if the log cannot be read
   */
  static OptionalDouble largestLiveMebibytes(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return OptionalDouble.empty();
    }
    try (Stream<String> lines = Files.lines(log)) {
      return lines
          .map(FULL::matcher)
          .filter(Matcher::find)
          .mapToDouble(full -> mebibytes(Long.parseLong(full.group(1)), full.group(2)))
          .max();
    }
  }

  private static double mebibytes(long amount, String unit) {
    return switch (unit) {
      case "K" -> amount / 1024.0;
      case "M" -> amount;
      default -> amount * 1024.0;
    };
  }
}
