package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baler.bench.TimedProcess.Timing;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the benchmark measured for one tool over all its runs.
 *
 * @param tool the tool
 * @param outcome whether it ran and kept the input's rows
 * @param runs the measurements of the runs that completed, in order; empty when none did
 * @param liveHeapsMebibytes of the runs that completed and logged a full collection, in order, the
 *     largest heap left after one, in MiB ({@link GcLog}); baler's only, empty for peers
 * @param output the shape of the last run's output; empty when no run completed
 * @param problem why the tool failed, was skipped or lost rows; empty when verified
 * @param toolReport what the tool printed on stdout as JSON (baler's report); empty for peers
 */
record ToolResult(
    Tool tool,
    Outcome outcome,
    List<Timing> runs,
    List<Double> liveHeapsMebibytes,
    Optional<OutputStatistics> output,
    Optional<String> problem,
    Optional<JsonNode> toolReport) {

  /** How a tool's runs ended, from best to worst. */
  enum Outcome {
    /** Every run completed and its output holds exactly the input's rows. */
    VERIFIED,
    /** Every run completed, but an output does not hold exactly the input's rows. */
    MISMATCH,
    /** A run exited with an error; later runs of the tool were not started. */
    FAILED,
    /** The tool was not run, for example because Python is missing. */
    SKIPPED;

    /** The word the table shows in its {@code verified} column. */
    String word() {
      return switch (this) {
        case VERIFIED -> "yes";
        case MISMATCH -> "NO";
        case FAILED -> "failed";
        case SKIPPED -> "skipped";
      };
    }
  }

  /** Checks the values. */
  ToolResult {
    requireNonNull(tool, "tool is null");
    requireNonNull(outcome, "outcome is null");
    runs = List.copyOf(runs);
    liveHeapsMebibytes = List.copyOf(liveHeapsMebibytes);
    requireNonNull(output, "output is null");
    requireNonNull(problem, "problem is null");
    requireNonNull(toolReport, "toolReport is null");
  }

  /** A tool that was not run, and why. */
  static ToolResult skipped(Tool tool, String reason) {
    return new ToolResult(
        tool,
        Outcome.SKIPPED,
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.of(reason),
        Optional.empty());
  }

  /** Whether every run completed, so that its times can be compared. */
  boolean completed() {
    return (outcome == Outcome.VERIFIED || outcome == Outcome.MISMATCH) && !runs.isEmpty();
  }

  /** The median wall time of the runs, in seconds. */
  double wallSeconds() {
    return median(runs.stream().mapToDouble(Timing::wallSeconds).toArray());
  }

  /** The median CPU time of the runs, user and system, in seconds. */
  double cpuSeconds() {
    return median(runs.stream().mapToDouble(Timing::cpuSeconds).toArray());
  }

  /** The median peak memory of the runs, in MiB. */
  double peakMebibytes() {
    return median(runs.stream().mapToDouble(Timing::peakMebibytes).toArray());
  }

  /** The median of the runs' largest live heaps, in MiB; empty when no run logged one. */
  OptionalDouble liveHeapMebibytes() {
    return liveHeapsMebibytes.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(
            median(liveHeapsMebibytes.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalStateException("Cannot take the median of no runs");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
