package dev.baler.cli;

import static java.util.Objects.requireNonNull;

import dev.baler.compaction.Repack;
import dev.baler.compaction.RepackListener;
import dev.baler.compaction.RepackOptions;
import dev.baler.compaction.RepackResult;
import dev.baler.parquet.NormalizationOptions;
import dev.baler.parquet.Uint64Handling;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baler repack}: every Parquet file under a prefix, rewritten for picky readers. */
@Command(
    name = "repack",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Rewrite every .parquet/.parq file under --src to the same relative key under --dst, one"
          + " output per input, so that Snowflake and similar readers load it: data pages V1 with"
          + " statistics, standard three-level lists and maps, time stamps as INT64 microseconds"
          + " (nanosecond and INT96 inputs converted, lost precision counted), no ARROW:schema"
          + " entry, no repetition on the root.",
      "",
      "Files stream between the stores (S3, HDFS, local disk; any pair), --workers at a time."
          + " Each output appears whole or not at all, and is read back and verified before it"
          + " counts. Destinations that exist are skipped, so a rerun retries only what failed.",
      "",
      "Without flags, settings come from the environment: SRC_BUCKET and SRC_PREFIX (the source"
          + " s3://SRC_BUCKET/SRC_PREFIX), DEST_PREFIX (default: SRC_PREFIX without a trailing /,"
          + " plus _repack, in the same bucket), WORKERS, BATCH_SIZE. Flags win.",
      "",
      "Prints one JSON object on stdout; failures and progress go to stderr.",
    },
    footer = {
      "",
      "JSON: status (success, partial, failed), source, destination, files_found,"
          + " files_completed, files_skipped, files_failed, records_written, timestamps_truncated,"
          + " failures [{file, reason}], precision_loss [{file, timestamps_truncated}],"
          + " normalizations {change: files}, duration_ms.",
      "",
      "Exit codes: 0 done, 1 failed (no file could be repacked, or a store is unreachable),"
          + " 2 invalid usage, 3 partial (some files failed: run again to retry them).",
      "",
      "Examples:",
      "  baler repack --src s3://raw-bucket/events --dst s3://clean-bucket/events --workers 32",
      "  baler repack --src s3://my-bucket/events --dst ./events-local",
      "  SRC_BUCKET=my-bucket SRC_PREFIX=events/ baler repack    # into s3://my-bucket/events_repack",
    })
final class RepackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--src",
      paramLabel = "URI",
      description =
          "source prefix, taken as a directory: s3://bucket/prefix, hdfs://host:port/path or a local directory")
  String source;

  @Option(
      names = "--dst",
      paramLabel = "URI",
      description = "destination prefix, outside the source; may be on another store")
  String destination;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "files rewritten at once (default: WORKERS, else min(32, 4 x CPUs); 0 means the default)")
  Integer workers;

  @Option(
      names = "--batch-size",
      paramLabel = "ROWS",
      description =
          "rows converted between progress reports (default: BATCH_SIZE, else 65536); rows stream"
              + " one at a time, so memory is bounded by --row-group-size, not by this")
  Integer batchSize;

  @Option(
      names = "--no-skip-existing",
      description = "rewrite files whose destination exists (default: skip them)")
  boolean noSkipExisting;

  @Option(
      names = "--uint64-as",
      paramLabel = "refuse|decimal",
      defaultValue = "refuse",
      description =
          "unsigned 64-bit columns: refuse a file with a value above 2^63-1 (default), or write"
              + " every such column as DECIMAL(20,0)")
  String uint64As;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      defaultValue = "snappy",
      description =
          "codec of the outputs: snappy, gzip, zstd, lz4, lz4_raw, uncompressed (default: ${DEFAULT-VALUE})")
  String compression;

  @Option(
      names = "--row-group-size",
      paramLabel = "ROWS",
      defaultValue = "131072",
      description =
          "most rows per row group (default: ${DEFAULT-VALUE}); row groups also stop at 64 MiB,"
              + " which with --workers bounds memory")
  long rowGroupSize;

  @Mixin StorageOptions storageOptions;

  @Mixin VerboseOption verboseOption;

  private final Map<String, String> environment;

  /** A command that reads the process's environment. */
  RepackCommand() {
    this(System.getenv());
  }

  /** A command that reads {@code environment} instead of the process's, for tests. */
  RepackCommand(Map<String, String> environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  @Override
  public Integer call() throws Exception {
    verboseOption.configureLogging();
    RepackSettings settings =
        RepackSettings.of(source, destination, workers, batchSize, environment);
    Location sourceLocation = settings.source();
    Location destinationLocation = settings.destination();
    Repack.checkLocations(sourceLocation, destinationLocation);
    if (sourceLocation.scheme().equals("file")
        && !Files.isDirectory(sourceLocation.toLocalPath())) {
      throw new IllegalArgumentException(
          "Cannot repack "
              + sourceLocation
              + ": no such directory "
              + sourceLocation.toLocalPath());
    }
    RepackOptions options = options(settings);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RepackResult result;
    try (Storage sourceStorage = storageOptions.open(sourceLocation);
        Storage destinationStorage = storageOptions.open(destinationLocation);
        RepackProgress progress = new RepackProgress(System.err)) {
      RepackListener listener = Progress.stderrIsTerminal() ? progress : RepackListener.NONE;
      result =
          new Repack(sourceStorage, destinationStorage, options, listener)
              .run(sourceLocation, destinationLocation);
    }
    result
        .failed()
        .forEach(
            failure ->
                err.println("baler: cannot repack " + failure.source() + ": " + failure.reason()));
    out.println(
        Reports.json(
            RepackReport.of(
                result, sourceLocation.asDirectory(), destinationLocation.asDirectory())));
    out.flush();
    return switch (result.status()) {
      case SUCCESS -> ExitCodes.SUCCESS;
      case PARTIAL -> ExitCodes.PARTIAL;
      case FAILED -> ExitCodes.FAILED;
    };
  }

  private RepackOptions options(RepackSettings settings) {
    Uint64Handling uint64 =
        switch (uint64As.toLowerCase(Locale.ROOT)) {
          case "refuse" -> Uint64Handling.REFUSE;
          case "decimal" -> Uint64Handling.DECIMAL;
          default ->
              throw new IllegalArgumentException(
                  "Invalid --uint64-as '" + uint64As + "': expected refuse or decimal");
        };
    WriteOptions write =
        WriteOptions.builder()
            .codec(Codecs.available(compression))
            .rowGroupRows(rowGroupSize)
            .build();
    return RepackOptions.builder()
        .workers(settings.workers())
        .existing(noSkipExisting ? RepackOptions.Existing.OVERWRITE : RepackOptions.Existing.SKIP)
        .normalization(
            NormalizationOptions.builder()
                .writeOptions(write)
                .uint64Handling(uint64)
                .batchRows(settings.batchRows())
                .build())
        .build();
  }
}
