package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baler.bench.TimedProcess.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The results of one benchmark as a table for people and as JSON for tools. Times are compared as
 * ratios between tools of the same run, since absolute times drift from machine to machine.
 */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchmarkOptions options;
  private final InputDataset input;
  private final List<ToolResult> results;
  private final Map<String, String> peerVersions;
  private final Instant started;

  Report(
      BenchmarkOptions options,
      InputDataset input,
      List<ToolResult> results,
      Map<String, String> peerVersions,
      Instant started) {
    this.options = requireNonNull(options, "options is null");
    this.input = requireNonNull(input, "input is null");
    this.results = List.copyOf(results);
    this.peerVersions = Map.copyOf(peerVersions);
    this.started = requireNonNull(started, "started is null");
  }

  /** The median wall time of the fastest peer that completed, in seconds. */
  OptionalDouble fastestPeerSeconds() {
    return results.stream()
        .filter(result -> result.tool().isPeer() && result.completed())
        .mapToDouble(ToolResult::wallSeconds)
        .min();
  }

  /** Baler's result, if it completed. */
  Optional<ToolResult> baler() {
    return results.stream()
        .filter(result -> result.tool() == Tool.BALER && result.completed())
        .findFirst();
  }

  /** Where the tools worked, as the table's heading says it. */
  private String storeName() {
    return switch (options.store()) {
      case LOCAL -> options.syncInputs() ? "local disk (inputs synced first)" : "local disk";
      case S3 -> "S3 (in-memory S3Proxy on 127.0.0.1, its own process)";
      case MOTO -> "S3 (in-memory moto on 127.0.0.1, its own Python process)";
    };
  }

  /** The table: one line per tool, then Baler's ratios to each peer, then any problems. */
  String table() {
    StringBuilder table = new StringBuilder();
    table.append(
        format(
            "End-to-end compaction of %,d files x %,d rows (%,d rows, %,d bytes, %s encoding) on %s,"
                + " baler %s its originals, %s%n",
            input.summary().files(),
            options.rows(),
            input.summary().rows(),
            input.summary().bytes(),
            options.encoding().name().toLowerCase(java.util.Locale.ROOT),
            storeName(),
            options.keepOriginals() ? "keeping" : "deleting",
            options.repeat() == 1 ? "one run each" : "median of " + options.repeat() + " runs"));
    // ratios move between hosts: the table says which one it comes from
    table.append(
        format(
            "host: %s, %d processors, %s %s, Java %s%n",
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.version"),
            System.getProperty("java.version")));
    table.append(
        format(
            "%-16s %8s %8s %9s %14s %6s %10s %8s %14s%n",
            "tool",
            "wall s",
            "cpu s",
            "peak MiB",
            "output bytes",
            "files",
            "row groups",
            "verified",
            "x fastest peer"));
    OptionalDouble fastest = fastestPeerSeconds();
    for (ToolResult result : results) {
      if (!result.completed()) {
        table.append(
            format(
                "%-16s %8s %8s %9s %14s %6s %10s %8s %14s%n",
                result.tool().label(), "-", "-", "-", "-", "-", "-", result.outcome().word(), "-"));
        continue;
      }
      OutputStatistics output = result.output().orElseThrow();
      table.append(
          format(
              "%-16s %8.2f %8.2f %9.1f %,14d %6d %10d %8s %14s%n",
              result.tool().label(),
              result.wallSeconds(),
              result.cpuSeconds(),
              result.peakMebibytes(),
              output.bytes(),
              output.files(),
              output.rowGroups(),
              result.outcome().word(),
              fastest.isPresent()
                  ? format("%.2f", result.wallSeconds() / fastest.getAsDouble())
                  : "-"));
    }
    Optional<ToolResult> baler = baler();
    baler
        .flatMap(result -> boxed(result.liveHeapMebibytes()))
        .ifPresent(
            live ->
                table.append(
                    format(
                        "baler's largest live heap after a full collection: %.0f MiB (its GC log;"
                            + " steadier than the peak)%n",
                        live)));
    if (baler.isPresent()) {
      List<ToolResult> peers =
          results.stream().filter(result -> result.tool().isPeer() && result.completed()).toList();
      if (!peers.isEmpty()) {
        table.append(
            format(
                "%nbaler / peer     %8s %12s   (below 1: baler is faster or smaller)%n",
                "wall", "peak memory"));
        for (ToolResult peer : peers) {
          table.append(
              format(
                  "%-16s %8.2f %12.2f%n",
                  peer.tool().label(),
                  baler.get().wallSeconds() / peer.wallSeconds(),
                  baler.get().peakMebibytes() / peer.peakMebibytes()));
        }
      }
    }
    boolean heading = false;
    for (ToolResult result : results) {
      if (result.problem().isPresent()) {
        if (!heading) {
          table.append(format("%n"));
          heading = true;
        }
        table.append(format("%s: %s%n", result.tool().label(), result.problem().get()));
      }
    }
    return table.toString();
  }

  /** Writes the JSON report to {@code file}, creating its directory. */
  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json());
  }

  /** The JSON report; times in seconds, memory in MiB, sizes in bytes. */
  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "end-to-end compaction");
    root.put("started", started.toString());
    ObjectNode machine = root.putObject("machine");
    machine.put("processors", Runtime.getRuntime().availableProcessors());
    machine.put("cpu", cpuModel());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    ObjectNode versions = machine.putObject("peer_versions");
    peerVersions.forEach(versions::put);
    ObjectNode settings = root.putObject("settings");
    settings.put("files", options.files());
    settings.put("rows_per_file", options.rows());
    settings.put("repeat", options.repeat());
    settings.put("seed", options.seed());
    settings.put("encoding", options.encoding().name().toLowerCase(java.util.Locale.ROOT));
    settings.put("target_bytes", options.targetBytes());
    settings.put("row_group_rows", options.rowGroupRows());
    settings.put("store", options.store().name().toLowerCase(Locale.ROOT));
    settings.put("baler_originals", options.keepOriginals() ? "keep" : "delete");
    settings.put("inputs", options.syncInputs() ? "synced" : "written");
    ObjectNode inputNode = root.putObject("input");
    inputNode.put("files", input.summary().files());
    inputNode.put("rows", input.summary().rows());
    inputNode.put("bytes", input.summary().bytes());
    inputNode.put("fingerprint", input.rows().fingerprint().toString());
    inputNode.put("generate_seconds", input.generateSeconds());
    OptionalDouble fastest = fastestPeerSeconds();
    ArrayNode tools = root.putArray("tools");
    for (ToolResult result : results) {
      ObjectNode node = tools.addObject();
      node.put("tool", result.tool().label());
      node.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
      node.put("verified", result.outcome() == ToolResult.Outcome.VERIFIED);
      if (result.completed()) {
        node.put("wall_seconds", result.wallSeconds());
        node.put("cpu_seconds", result.cpuSeconds());
        node.put("peak_mib", result.peakMebibytes());
        result.liveHeapMebibytes().ifPresent(live -> node.put("live_heap_mib", live));
        if (fastest.isPresent()) {
          node.put("wall_to_fastest_peer", result.wallSeconds() / fastest.getAsDouble());
        }
      }
      ArrayNode runs = node.putArray("runs");
      for (Timing timing : result.runs()) {
        ObjectNode run = runs.addObject();
        run.put("wall_seconds", timing.wallSeconds());
        run.put("peak_kib", timing.peakKibibytes());
        run.put("user_seconds", timing.userSeconds());
        run.put("system_seconds", timing.systemSeconds());
        run.put("exit_code", timing.exitCode());
      }
      if (!result.liveHeapsMebibytes().isEmpty()) {
        ArrayNode liveHeaps = node.putArray("live_heap_mib_runs");
        result.liveHeapsMebibytes().forEach(liveHeaps::add);
      }
      result
          .output()
          .ifPresent(
              output -> {
                ObjectNode outputNode = node.putObject("output");
                outputNode.put("files", output.files());
                outputNode.put("bytes", output.bytes());
                outputNode.put("row_groups", output.rowGroups());
                outputNode.put("rows", output.rows());
              });
      result.problem().ifPresent(problem -> node.put("problem", problem));
      result.toolReport().ifPresent(report -> node.set("tool_report", report));
    }
    Optional<ToolResult> baler = baler();
    if (baler.isPresent()) {
      ObjectNode ratios = root.putObject("baler_to_peer");
      for (ToolResult peer : results) {
        if (peer.tool().isPeer() && peer.completed()) {
          ObjectNode ratio = ratios.putObject(peer.tool().label());
          ratio.put("wall", baler.get().wallSeconds() / peer.wallSeconds());
          ratio.put("peak_memory", baler.get().peakMebibytes() / peer.peakMebibytes());
        }
      }
    }
    return root;
  }

  private static Optional<Double> boxed(OptionalDouble value) {
    return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
  }

  /**
   * The processor's model as {@code /proc/cpuinfo} names it, so that ratios from different hosts
   * are not compared unawares (the same build's ratio to polars went from 0.85 to 1.09 between two
   * hosts); "unknown" where the file says nothing.
   */
  static String cpuModel() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | UncheckedIOException e) {
      return "unknown";
    }
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
