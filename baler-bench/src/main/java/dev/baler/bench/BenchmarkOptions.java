package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.TelemetryDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one end-to-end benchmark, parsed from the command line.
 *
 * @param files the number of small input files
 * @param rows the number of rows in each input file
 * @param repeat how many times each tool runs; the report shows medians
 * @param tools the tools to run, in order, without repeats
 * @param seed the seed of the generated data set
 * @param encoding how the generated files' values are encoded
 * @param targetBytes the size every tool aims at for its output files, in bytes
 * @param rowGroupRows the number of rows every tool aims at for its row groups
 * @param workDirectory where the data set, the copies each run works on, logs and results go
 * @param balerJar the baler CLI's jar
 * @param python the Python interpreter with pyarrow, duckdb and polars; empty to skip the peers
 * @param peersScript the script that runs the peers
 * @param store where the runs work: local disk or S3 through a server on {@code 127.0.0.1}
 * @param keepOriginals whether baler keeps its inputs, each marked {@code .processed} ({@code
 *     --delete-originals=false}), rather than deleting them once verified, as it does by default
 * @param syncInputs whether each run's fresh copy of the input is synced to disk before the run
 *     starts, as a directory's files have been when a compactor meets them (local disk only)
 * @param json where the JSON report goes; empty for a new file under {@code results/} of the work
 *     directory
 * @param balerArguments more arguments for baler's {@code compact}, after the benchmark's own, such
 *     as {@code --staging-bytes 0} to measure a run without a feature against one with it
 */
record BenchmarkOptions(
    int files,
    int rows,
    int repeat,
    List<Tool> tools,
    long seed,
    TelemetryDataset.Encoding encoding,
    long targetBytes,
    int rowGroupRows,
    Path workDirectory,
    Path balerJar,
    Optional<Path> python,
    Path peersScript,
    Store store,
    boolean keepOriginals,
    boolean syncInputs,
    Optional<Path> json,
    List<String> balerArguments) {

  /** Where the tools read their input and write their output. */
  enum Store {
    /** A directory on local disk. */
    LOCAL,
    /** A bucket of an in-memory S3Proxy on {@code 127.0.0.1}, run as a process of its own. */
    S3,
    /**
     * A bucket of moto's in-memory S3 server on {@code 127.0.0.1}, a Python process of its own
     * (pyarrow's multipart uploads fail against moto 5.2.1).
     */
    MOTO;

    /** Whether the tools work through an S3 server. */
    boolean isS3() {
      return this != LOCAL;
    }
  }

  static final String USAGE =
      """
      Usage: baler-bench/run [--skip-build] [options]
        --files N            small input files to generate (default 2000)
        --rows N             rows in each input file (default 2000)
        --repeat N           runs of each tool; the report shows medians (default 1)
        --tools A,B,...      tools to run, in this order (default
                             baler,polars,duckdb,pyarrow-dataset,pyarrow-stream)
        --seed N             seed of the generated data set (default 42)
        --encoding E         mixed: dictionaries where parquet-java keeps them, as streaming
                             writers leave files; plain: no dictionaries, where Baler carries
                             every page over (default mixed)
        --target-bytes N     output file size every tool aims at (default 134217728)
        --row-group-rows N   rows per row group every tool aims at (default 131072)
        --work-dir DIR       data set, run copies, logs and results (default bench-work)
        --baler-jar PATH     the baler CLI (default baler-cli/target/baler.jar)
        --python PATH|none   Python with pyarrow, duckdb and polars; none skips the peers
                             (default .venv-bench/bin/python)
        --peers PATH         the peers script (default baler-bench/src/main/python/peers.py)
        --store local|s3|moto
                             where the tools work: local disk, or s3:// through an in-memory
                             S3Proxy on 127.0.0.1 run as its own process, or through moto's
                             in-memory S3 server, run by python3 with moto installed (or the
                             Python BALER_TEST_PYTHON names) (default local)
        --originals delete|keep
                             what baler does with its inputs once their rows are verified in
                             its outputs: delete them, its default, or keep them, each marked
                             .processed (--delete-originals=false); peers leave theirs
                             (default delete)
        --inputs written|synced
                             each run's fresh copy of the input as written, much of it still
                             in the page cache to be written back during the run, or synced to
                             disk first, as inputs that have sat in a directory are; deleting
                             synced files costs more (local disk only; default written)
        --json PATH          the JSON report (default WORK_DIR/results/<time>-<files>x<rows>.json)
        --baler-args "A B"   more arguments for baler's compact, split at spaces, such as
                             "--staging-bytes 0" (default none)
      The reference set is --files 2000 --rows 2000; for memory growth try --files 20000 --rows 200.
      """;

  /** Checks the settings. */
  BenchmarkOptions {
    positive("files", files);
    positive("rows", rows);
    positive("repeat", repeat);
    positive("target-bytes", targetBytes);
    positive("row-group-rows", rowGroupRows);
    tools = List.copyOf(tools);
    if (tools.isEmpty()) {
      throw new IllegalArgumentException("Invalid --tools: no tool given");
    }
    if (Set.copyOf(tools).size() != tools.size()) {
      throw new IllegalArgumentException("Invalid --tools: a tool is listed twice in " + tools);
    }
    requireNonNull(workDirectory, "workDirectory is null");
    requireNonNull(balerJar, "balerJar is null");
    requireNonNull(python, "python is null");
    requireNonNull(peersScript, "peersScript is null");
    requireNonNull(store, "store is null");
    requireNonNull(json, "json is null");
    if (syncInputs && store != Store.LOCAL) {
      throw new IllegalArgumentException(
          "Invalid argument --inputs synced: it applies to --store local only");
    }
    balerArguments = List.copyOf(balerArguments);
  }

  /** Whether any peer is to run. */
  boolean hasPeers() {
    return tools.stream().anyMatch(Tool::isPeer);
  }

  /** These settings with only the given tools. */
  BenchmarkOptions withTools(List<Tool> selected) {
    return new BenchmarkOptions(
        files,
        rows,
        repeat,
        selected,
        seed,
        encoding,
        targetBytes,
        rowGroupRows,
        workDirectory,
        balerJar,
        python,
        peersScript,
        store,
        keepOriginals,
        syncInputs,
        json,
        balerArguments);
  }

  /**
   * Parses {@code --name value} and {@code --name=value} arguments; paths are relative to the
   * working directory.
   *
   * @throws IllegalArgumentException naming the argument that is unknown, lacks its value or has an
   *     invalid one
   */
  static BenchmarkOptions parse(List<String> arguments) {
    int files = 2_000;
    int rows = 2_000;
    int repeat = 1;
    List<Tool> tools = List.of(Tool.values());
    long seed = 42;
    TelemetryDataset.Encoding encoding = TelemetryDataset.Encoding.MIXED;
    long targetBytes = 128L * 1024 * 1024;
    int rowGroupRows = 128 * 1024;
    Path workDirectory = Path.of("bench-work");
    Path balerJar = Path.of("baler-cli", "target", "baler.jar");
    Optional<Path> python = Optional.of(Path.of(".venv-bench", "bin", "python"));
    Path peersScript = Path.of("baler-bench", "src", "main", "python", "peers.py");
    Store store = Store.LOCAL;
    boolean keepOriginals = false;
    boolean syncInputs = false;
    Optional<Path> json = Optional.empty();
    List<String> balerArguments = List.of();
    List<String> remaining = new ArrayList<>(arguments);
    while (!remaining.isEmpty()) {
      String argument = remaining.remove(0);
      String name = argument;
      String value;
      int equals = argument.indexOf('=');
      if (argument.startsWith("--") && equals > 0) {
        name = argument.substring(0, equals);
        value = argument.substring(equals + 1);
      } else if (remaining.isEmpty()) {
        throw new IllegalArgumentException("Invalid argument " + argument + ": no value given");
      } else {
        value = remaining.remove(0);
      }
      switch (name) {
        case "--files" -> files = intValue(name, value);
        case "--rows" -> rows = intValue(name, value);
        case "--repeat" -> repeat = intValue(name, value);
        case "--tools" -> tools = toolsValue(value);
        case "--seed" -> seed = longValue(name, value);
        case "--encoding" -> encoding = encodingValue(value);
        case "--target-bytes" -> targetBytes = longValue(name, value);
        case "--row-group-rows" -> rowGroupRows = intValue(name, value);
        case "--work-dir" -> workDirectory = Path.of(value);
        case "--baler-jar" -> balerJar = Path.of(value);
        case "--python" ->
            python = value.equals("none") ? Optional.empty() : Optional.of(Path.of(value));
        case "--peers" -> peersScript = Path.of(value);
        case "--store" -> store = storeValue(value);
        case "--originals" -> keepOriginals = keepValue(value);
        case "--inputs" -> syncInputs = syncValue(value);
        case "--json" -> json = Optional.of(Path.of(value));
        case "--baler-args" ->
            balerArguments =
                List.of(value.strip().isEmpty() ? new String[0] : value.strip().split(" +"));
        default -> throw new IllegalArgumentException("Invalid argument: unknown option " + name);
      }
    }
    return new BenchmarkOptions(
        files,
        rows,
        repeat,
        tools,
        seed,
        encoding,
        targetBytes,
        rowGroupRows,
        workDirectory,
        balerJar,
        python,
        peersScript,
        store,
        keepOriginals,
        syncInputs,
        json,
        balerArguments);
  }

  private static boolean keepValue(String value) {
    return switch (value) {
      case "delete" -> false;
      case "keep" -> true;
      default ->
          throw new IllegalArgumentException(
              "Invalid argument --originals " + value + ": must be delete or keep");
    };
  }

  private static boolean syncValue(String value) {
    return switch (value) {
      case "written" -> false;
      case "synced" -> true;
      default ->
          throw new IllegalArgumentException(
              "Invalid argument --inputs " + value + ": must be written or synced");
    };
  }

  private static TelemetryDataset.Encoding encodingValue(String value) {
    return switch (value) {
      case "mixed" -> TelemetryDataset.Encoding.MIXED;
      case "plain" -> TelemetryDataset.Encoding.PLAIN;
      default ->
          throw new IllegalArgumentException(
              "Invalid argument --encoding " + value + ": must be mixed or plain");
    };
  }

  private static Store storeValue(String value) {
    return switch (value) {
      case "local" -> Store.LOCAL;
      case "s3" -> Store.S3;
      case "moto" -> Store.MOTO;
      default ->
          throw new IllegalArgumentException(
              "Invalid argument --store " + value + ": must be local, s3 or moto");
    };
  }

  private static List<Tool> toolsValue(String value) {
    List<Tool> tools = new ArrayList<>();
    for (String label : value.split(",")) {
      if (!label.isBlank()) {
        tools.add(Tool.of(label.strip()));
      }
    }
    // A tool listed twice is kept, so that the constructor reports it.
    return tools;
  }

  private static int intValue(String name, String value) {
    long parsed = longValue(name, value);
    if (parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " is too large");
    }
    return (int) parsed;
  }

  private static long longValue(String name, String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + name + ": '" + value + "' is not a number");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Invalid --" + name + ": " + value + " is not positive");
    }
  }
}
