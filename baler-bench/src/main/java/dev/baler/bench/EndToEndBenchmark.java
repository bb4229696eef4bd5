package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baler.bench.TimedProcess.Timing;
import dev.baler.bench.ToolResult.Outcome;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The end-to-end benchmark: compacts one generated small-file data set with the baler CLI and with
 * peer tools, and compares wall time, peak memory and the shape of their output.
 *
 * <p>The data set ({@link dev.baler.parquet.TelemetryDataset}) is generated once into the work
 * directory and reused. Each run of a tool works on a fresh copy of it and is a child process timed
 * by GNU time; its output is read back with DuckDB ({@link DuckDbVerifier}) and must hold exactly
 * the input's row multiset. Runs of the tools are interleaved (each tool once, then each again) so
 * that a drift of the machine affects all tools alike. The table goes to stdout, progress to
 * stderr, and the full results to a JSON file.
 *
 * <p>Exit codes: 0 when every tool ran and Baler's output holds exactly the input's rows (a peer
 * whose output differs is reported, not failed), 1 when a tool failed or Baler's output differs, 2
 * when the benchmark itself could not run (bad arguments, missing baler jar, no GNU time).
 */
public final class EndToEndBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final BenchmarkOptions options;
  private final DuckDbVerifier verifier = new DuckDbVerifier();
  private final PrintStream progress;
  private final Instant started = Instant.now();
  private final String name;
  private final Path logDirectory;

  private EndToEndBenchmark(BenchmarkOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.name = STAMP.format(started) + "-" + options.files() + "x" + options.rows();
    this.logDirectory = options.workDirectory().resolve("logs").resolve(name).toAbsolutePath();
  }

  /**
   * Runs the benchmark with command-line arguments as described by {@code baler-bench/run --help},
   * and exits with the code described above.
   */
  public static void main(String[] arguments) {
    // parquet-java logs through SLF4J; the benchmark picks no binding and wants no warning.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    int exitCode;
    try {
      BenchmarkOptions options = BenchmarkOptions.parse(List.of(arguments));
      exitCode = new EndToEndBenchmark(options, System.err).run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchmarkOptions.USAGE);
      exitCode = 2;
    } catch (IOException | IllegalStateException e) {
      System.err.println("Cannot run the benchmark: " + e.getMessage());
      exitCode = 2;
    }
    System.exit(exitCode);
  }

  private int run() throws IOException {
    if (options.tools().contains(Tool.BALER) && !Files.isRegularFile(options.balerJar())) {
      throw new IllegalStateException(
          "baler is to run but "
              + options.balerJar()
              + " does not exist: build it (mvn -B -q -DskipTests install) or leave baler out,"
              + " as in --tools polars,duckdb,pyarrow-dataset,pyarrow-stream");
    }
    Map<Tool, ToolResult> skipped = new EnumMap<>(Tool.class);
    Map<String, String> peerVersions = new LinkedHashMap<>();
    if (options.hasPeers()) {
      Optional<String> missing = checkPython(peerVersions);
      missing.ifPresent(
          reason -> {
            progress.println("Skipping the Python peers: " + reason);
            options.tools().stream()
                .filter(Tool::isPeer)
                .forEach(tool -> skipped.put(tool, ToolResult.skipped(tool, reason)));
          });
    }
    InputDataset input = InputDataset.prepare(options, verifier, progress);

    Map<Tool, Runs> runs = new EnumMap<>(Tool.class);
    try (RunArea area = newArea()) {
      progress.println("Runs work on " + area.description());
      for (Tool tool : options.tools()) {
        area.unsupported(tool)
            .ifPresent(
                reason -> {
                  progress.println("Skipping " + tool.label() + ": " + reason);
                  skipped.putIfAbsent(tool, ToolResult.skipped(tool, reason));
                });
      }
      if (options.store().isS3()) {
        progress.print("Warming up the S3 server (untimed) ... ");
        progress.flush();
        long warmUpStart = System.nanoTime();
        area.warmUpStore(input.directory());
        progress.printf("%.2f s%n", (System.nanoTime() - warmUpStart) / 1e9);
      }
      if (options.tools().contains(Tool.BALER)) {
        warmUp(area, input);
      }
      for (int round = 1; round <= options.repeat(); round++) {
        for (Tool tool : options.tools()) {
          Runs done = runs.computeIfAbsent(tool, unused -> new Runs());
          if (skipped.containsKey(tool) || done.problem.isPresent()) {
            continue;
          }
          runOnce(area, tool, round, input, done);
        }
      }
    }

    List<ToolResult> results = new ArrayList<>();
    for (Tool tool : options.tools()) {
      results.add(skipped.containsKey(tool) ? skipped.get(tool) : runs.get(tool).result(tool));
    }
    Report report = new Report(options, input, results, peerVersions, started);
    // Logs and report share a name, such as 20250815-093000-2000x2000.
    Path json =
        options.json().orElse(options.workDirectory().resolve("results").resolve(name + ".json"));
    report.writeJson(json);
    System.out.print(report.table());
    System.out.println();
    System.out.println("JSON report: " + json);
    // A peer whose output differs is a finding about that peer (polars writes a MAP as a list of
    // structs), shown in the table; only a crash or a difference in Baler's output fails the run.
    boolean passed =
        results.stream()
            .allMatch(
                result ->
                    switch (result.outcome()) {
                      case VERIFIED, SKIPPED -> true;
                      case MISMATCH -> result.tool().isPeer();
                      case FAILED -> false;
                    });
    return passed ? 0 : 1;
  }

  /** Where the runs work, as {@code --store} says. */
  private RunArea newArea() throws IOException {
    Path runDirectory = options.workDirectory().resolve("runs");
    return switch (options.store()) {
      case LOCAL -> new LocalArea(runDirectory, options.syncInputs());
      case S3 -> S3Area.start(runDirectory, logDirectory.resolve("s3-server"));
      case MOTO -> S3Area.startMoto(runDirectory);
    };
  }

  /**
   * Runs baler once, untimed, on a copy of the first files of the input. The launcher's first
   * compaction with a new build records the class-data archive that later runs start from, and
   * takes about a second longer; a user pays that once per build, so the timed runs should not.
   */
  private void warmUp(RunArea area, InputDataset input) throws IOException {
    RunArea.Copy copy = area.prepare("baler-warm-up", input.directory(), WARM_UP_FILES);
    progress.print("Warming up baler (class-data archive) ... ");
    progress.flush();
    Timing timing =
        TimedProcess.run(
            command(area, Tool.BALER, copy),
            area.environment(),
            logDirectory.resolve("baler-warm-up"));
    progress.printf("%.2f s%n", timing.wallSeconds());
    area.clear(copy);
  }

  /** Input files the warm-up run compacts: enough to load every class a compaction uses. */
  private static final int WARM_UP_FILES = 20;

  /**
   * Runs {@code tool} once on a fresh copy of the input and adds what it measured to {@code done}.
   */
  private void runOnce(RunArea area, Tool tool, int round, InputDataset input, Runs done)
      throws IOException {
    RunArea.Copy copy = area.prepare(tool.label(), input.directory(), Integer.MAX_VALUE);
    Path logs = logDirectory.resolve(tool.label() + "-" + round);
    progress.printf("[%d/%d] %s ... ", round, options.repeat(), tool.label());
    progress.flush();
    Map<String, String> environment = new HashMap<>(area.environment());
    Path gcLog = logDirectory.resolve(tool.label() + "-" + round + ".gc.log");
    if (tool == Tool.BALER) {
      // Baler's GC log, for its largest live heap; the JVM adds these options to the launcher's.
      String options = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
      environment.put("JAVA_TOOL_OPTIONS", (options + " " + GcLog.option(gcLog)).strip());
    }
    Timing timing = TimedProcess.run(command(area, tool, copy), environment, logs);
    if (timing.exitCode() != 0) {
      String reason =
          "exit code "
              + timing.exitCode()
              + ", see "
              + timing.stderr()
              + ": "
              + timing.stderrTail(3);
      progress.println("failed (" + reason + ")");
      done.problem = Optional.of(reason);
      area.clear(copy);
      return;
    }
    List<Path> outputs = area.outputs(copy, tool);
    OutputStatistics statistics = OutputStatistics.of(outputs);
    RowMultiset rows = verifier.rows(outputs);
    boolean kept = rows.equals(input.rows());
    OptionalDouble liveHeap =
        tool == Tool.BALER ? GcLog.largestLiveMebibytes(gcLog) : OptionalDouble.empty();
    progress.printf(
        "%.2f s (CPU %.2f s), %.0f MiB%s, %d files, rows %s%n",
        timing.wallSeconds(),
        timing.cpuSeconds(),
        timing.peakMebibytes(),
        liveHeap.isPresent()
            ? String.format(Locale.ROOT, " (live heap %.0f MiB)", liveHeap.getAsDouble())
            : "",
        statistics.files(),
        kept ? "verified" : "DIFFER");
    done.timings.add(timing);
    liveHeap.ifPresent(done.liveHeaps::add);
    done.output = Optional.of(statistics);
    if (!kept && done.mismatch.isEmpty()) {
      done.mismatch =
          Optional.of(
              "run "
                  + round
                  + " wrote "
                  + rows.rows()
                  + " rows, fingerprint "
                  + rows.fingerprint()
                  + "; the input has "
                  + input.rows().rows()
                  + ", fingerprint "
                  + input.rows().fingerprint()
                  + schemaChange(input, outputs).map(change -> "; " + change).orElse(""));
    }
    if (tool == Tool.BALER) {
      done.toolReport = jsonOf(timing.stdout());
    }
    area.clear(copy);
  }

  /** The {@code baler} launcher at the repository root, where the benchmark runs. */
  private static final Path LAUNCHER = Path.of("baler");

  /** The command that compacts the copy's input: into its output for peers, in place for baler. */
  private List<String> command(RunArea area, Tool tool, RunArea.Copy copy) {
    String target = Long.toString(options.targetBytes());
    String rowGroup = Integer.toString(options.rowGroupRows());
    List<String> command = new ArrayList<>();
    if (tool == Tool.BALER) {
      // Through the launcher users run, with its JVM settings (BALER_JAVA_OPTS overrides them),
      // on the jar chosen here, which the launcher then neither checks nor rebuilds.
      command.addAll(
          List.of(
              "env",
              "BALER_JAR=" + options.balerJar().toAbsolutePath(),
              LAUNCHER.toAbsolutePath().toString(),
              "compact",
              copy.input(),
              "--target-bytes",
              target,
              "--row-group-size",
              rowGroup));
      if (options.keepOriginals()) {
        command.add("--delete-originals=false");
      }
      command.addAll(area.balerArguments());
      command.addAll(options.balerArguments());
      return command;
    }
    command.addAll(
        List.of(
            options.python().orElseThrow().toString(),
            options.peersScript().toString(),
            "compact",
            tool.label(),
            copy.input(),
            copy.output(),
            "--target-bytes",
            target,
            "--row-group-rows",
            rowGroup));
    command.addAll(area.peerArguments());
    return command;
  }

  /**
   * Checks that the peers can run: Python exists and imports pyarrow, duckdb and polars.
   *
   * @param versions receives the libraries' versions
   * @return why the peers cannot run; empty when they can
   */
  private Optional<String> checkPython(Map<String, String> versions) throws IOException {
    if (options.python().isEmpty()) {
      return Optional.of("no Python given (--python none)");
    }
    Path python = options.python().get();
    if (!Files.isExecutable(python)) {
      return Optional.of(
          python
              + " does not exist; create it with baler-bench/run or"
              + " python3 -m venv .venv-bench && .venv-bench/bin/pip install pyarrow duckdb polars");
    }
    Path logs = logDirectory.resolve("peers-check");
    Timing check =
        TimedProcess.run(
            List.of(python.toString(), options.peersScript().toString(), "check"), logs);
    if (check.exitCode() != 0) {
      return Optional.of(python + " cannot import the peers' libraries: " + check.stderrTail(1));
    }
    Optional<JsonNode> libraries = jsonOf(check.stdout());
    if (libraries.isPresent()) {
      for (Map.Entry<String, JsonNode> library : libraries.get().properties()) {
        versions.put(library.getKey(), library.getValue().asText());
      }
    }
    return Optional.empty();
  }

  /**
   * How the schema of the first output differs from the input's, line by line as {@link
   * DuckDbVerifier#schema} describes them; empty when they are the same or there is no output.
   */
  private Optional<String> schemaChange(InputDataset input, List<Path> outputs) throws IOException {
    if (outputs.isEmpty()) {
      return Optional.empty();
    }
    Path firstInput = DuckDbVerifier.parquetFilesUnder(input.directory()).get(0);
    List<String> before = verifier.schema(firstInput).lines().map(String::strip).toList();
    List<String> after = verifier.schema(outputs.get(0)).lines().map(String::strip).toList();
    List<String> removed = before.stream().filter(line -> !after.contains(line)).toList();
    List<String> added = after.stream().filter(line -> !before.contains(line)).toList();
    if (removed.isEmpty() && added.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("schema changed, input has " + removed + ", output has " + added);
  }

  /** The JSON object a tool printed, if its output is one. */
  private static Optional<JsonNode> jsonOf(Path stdout) throws IOException {
    String text = Files.readString(stdout, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** What the runs of one tool gathered so far. Not thread-safe. */
  private static final class Runs {
    final List<Timing> timings = new ArrayList<>();
    final List<Double> liveHeaps = new ArrayList<>();
    Optional<OutputStatistics> output = Optional.empty();
    Optional<String> problem = Optional.empty();
    Optional<String> mismatch = Optional.empty();
    Optional<JsonNode> toolReport = Optional.empty();

    ToolResult result(Tool tool) {
      if (problem.isPresent()) {
        return new ToolResult(
            tool, Outcome.FAILED, timings, liveHeaps, output, problem, toolReport);
      }
      Outcome outcome = mismatch.isPresent() ? Outcome.MISMATCH : Outcome.VERIFIED;
      return new ToolResult(tool, outcome, timings, liveHeaps, output, mismatch, toolReport);
    }
  }
}
