package dev.baler.cli;

import dev.baler.compaction.CompactionListener;
import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.CompactionPlan;
import dev.baler.compaction.CompactionRunner;
import dev.baler.parquet.Codec;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baler compact}: many small Parquet files into few large ones, safely. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Compact small Parquet files under a prefix or directory into files of about --target-bytes.",
      "",
      "Originals {prefix}.{timestamp_millis}.parquet become {prefix}.{timestamp_millis}.c.parquet."
          + " Every output is read back and matched against its inputs (row count and a row"
          + " fingerprint) before any input is marked .processed or deleted. A lease under"
          + " _baler/ keeps two runs off the same files, and a journal there lets the next run"
          + " finish or roll back a run that was killed.",
      "",
      "Prints one JSON object on stdout; logs and progress go to stderr.",
    },
    footer = {
      "",
      "Exit codes: 0 done (skipped files and deletion failures are in the JSON), 1 failed,"
          + " 2 invalid usage, 3 partial (some bins failed: run again), 4 another run holds the lease.",
      "",
      "Examples:",
      "  baler compact --bucket my-bucket --prefix sensor_data --start 1704067200 --end 1704153600",
      "  baler compact s3://my-bucket/events/sensor_data --endpoint http://127.0.0.1:9000 --plan",
      "  baler compact ./data/ --compression zstd --delete-originals=false",
    })
final class CompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "URI",
      description =
          "what to compact: s3://bucket/prefix, a local directory, or a local key prefix such as ./data/sensor_data")
  String uri;

  @Option(names = "--bucket", paramLabel = "BUCKET", description = "S3 bucket (instead of URI)")
  String bucket;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description =
          "key prefix of the files within --bucket, such as sensor_data or events/sensor_data")
  String prefix;

  @Option(
      names = "--start",
      paramLabel = "SECONDS",
      description =
          "exclusive lower bound on the time stamp in file names: Unix seconds, or an ISO-8601"
              + " instant such as a previous run's last_processed_timestamp (default: no bound)")
  String start;

  @Option(
      names = "--end",
      paramLabel = "SECONDS",
      description =
          "inclusive upper bound on the time stamp in file names: Unix seconds or ISO-8601 (default: no bound)")
  String end;

  @Option(
      names = "--target-bytes",
      paramLabel = "BYTES",
      defaultValue = "104857600",
      description =
          "target size of each output, in bytes of input (default: ${DEFAULT-VALUE} = 100 MiB)")
  long targetBytes;

  @Option(
      names = "--delete-originals",
      arity = "0..1",
      paramLabel = "true|false",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "delete originals once their rows are verified in the output (default: ${DEFAULT-VALUE});"
              + " with --delete-originals=false they stay, marked .processed")
  boolean deleteOriginals;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      defaultValue = "snappy",
      description =
          "codec of the outputs: snappy, gzip, lzo, brotli, lz4, zstd, uncompressed, lz4_raw"
              + " (default: ${DEFAULT-VALUE}; lzo and brotli need native codecs Baler does not ship and are refused)")
  String compression;

  @Option(
      names = "--row-group-size",
      paramLabel = "ROWS",
      defaultValue = "131072",
      description =
          "most rows per row group (default: ${DEFAULT-VALUE}; prestige used 10000, which makes row groups"
              + " of well under 1 MiB that readers scan slowly; row groups also stop at 64 MiB of input)")
  long rowGroupSize;

  @Option(
      names = "--string-dictionaries",
      arity = "0..1",
      paramLabel = "true|false",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "give string columns that came without dictionaries one where their values repeat, as"
              + " DuckDB does (default: ${DEFAULT-VALUE}); with =false their pages are carried over"
              + " as stored: faster, larger output")
  boolean stringDictionaries;

  @Option(
      names = "--no-dictionary",
      description =
          "write no dictionary pages: pages written without a dictionary can be carried over as"
              + " stored (in the output's codec, with statistics), dictionary-encoded ones are"
              + " decoded into plain pages, and --string-dictionaries has no effect; fastest on"
              + " inputs written without dictionaries, largest output (default: a dictionary for"
              + " the columns where it pays)")
  boolean noDictionary;

  @Option(
      names = "--deduplicate",
      description = "remove exact duplicate rows across the run's files (default: off)")
  boolean deduplicate;

  @Option(
      names = "--deduplication-memory",
      paramLabel = "BYTES",
      defaultValue = "268435456",
      description =
          "memory deduplication may use: 32 to 64 bytes per input row (default: ${DEFAULT-VALUE} = 256 MiB)")
  long deduplicationMemory;

  @Option(names = "--plan", description = "print what would be done and write nothing")
  boolean plan;

  @Option(
      names = "--min-files",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "leave a partition alone unless it has at least N files to compact (default: ${DEFAULT-VALUE})")
  int minFiles;

  @Mixin BloomFilterOptions bloomFilterOptions;

  @Mixin RunOptions runOptions;

  @Mixin StorageOptions storageOptions;

  @Mixin VerboseOption verboseOption;

  @Override
  public Integer call() throws Exception {
    verboseOption.configureLogging();
    Location source = source();
    CompactionRuns.checkLocalDirectoryExists("compact", source);
    CompactionOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Storage storage = storageOptions.open(source)) {
      if (plan) {
        CompactionPlan compactionPlan = CompactionRuns.plan(storage, options, source);
        long duplicates =
            deduplicate
                ? new CompactionRunner(storage, options, CompactionListener.NONE)
                    .countDuplicates(compactionPlan)
                : 0;
        compactionPlan
            .skipped()
            .forEach(
                file -> err.println("baler: skipping " + file.location() + ": " + file.reason()));
        out.println(Reports.json(Reports.plan(compactionPlan, duplicates)));
        out.flush();
        return ExitCodes.SUCCESS;
      }
      try (Storage staging = runOptions.staging(storage, source)) {
        return CompactionRuns.run(staging, options, source, out, err, Reports::result);
      }
    }
  }

  private Location source() {
    if (uri != null && (bucket != null || prefix != null)) {
      throw new IllegalArgumentException(
          "Invalid arguments: give a URI or --bucket/--prefix, not both");
    }
    if (uri == null) {
      if (bucket == null) {
        throw new IllegalArgumentException(
            "Missing what to compact: give a URI (s3://bucket/prefix or a directory) or --bucket and --prefix");
      }
      return Location.of("s3://" + bucket + "/" + (prefix == null ? "" : prefix));
    }
    return Sources.of(uri);
  }

  private CompactionOptions options() {
    Codec codec = Codecs.available(compression);
    CompactionOptions.Builder builder =
        CompactionOptions.builder()
            .targetBytes(targetBytes)
            .minFiles(minFiles)
            .originals(
                deleteOriginals
                    ? CompactionOptions.Originals.DELETE
                    : CompactionOptions.Originals.KEEP)
            .deduplicationMemoryBytes(deduplicationMemory)
            .writeOptions(
                bloomFilterOptions
                    .applyTo(
                        WriteOptions.builder()
                            .codec(codec)
                            .rowGroupRows(rowGroupSize)
                            .stringDictionaries(stringDictionaries)
                            .dictionaryEncoding(!noDictionary))
                    .build());
    if (start != null) {
      builder.startMillis(instantMillis("--start", start));
    }
    if (end != null) {
      builder.endMillis(instantMillis("--end", end));
    }
    if (deduplicate) {
      builder.deduplicate();
    }
    runOptions.applyTo(builder);
    return builder.build();
  }

  /** Unix seconds, or an ISO-8601 instant at millisecond precision. */
  static long instantMillis(String option, String value) {
    if (value.matches("-?\\d+")) {
      return Math.multiplyExact(Long.parseLong(value), 1000L);
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "Invalid "
              + option
              + " '"
              + value
              + "': expected Unix seconds such as 1704067200 or an instant such as 2024-01-01T00:00:00Z");
    }
  }
}
