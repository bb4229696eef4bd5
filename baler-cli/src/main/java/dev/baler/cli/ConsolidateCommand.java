package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.CompactionPlan;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.hdfs.HdfsStorageProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code baler consolidate}: the small files of date partitions {@code date=YYYY-MM-DD} into files
 * of about {@code --target-size} MiB each, with the compaction engine and its protocol.
 */
@Command(
    name = "consolidate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Consolidate the small Parquet files of hive-style date partitions, BASE/date=YYYY-MM-DD/,"
          + " into files of about --target-size MiB: the partition of --date and the --days-back"
          + " days before it.",
      "",
      "This is 'baler compact' selecting date partitions, with the same protocol: every output is"
          + " read back and matched against its inputs (row count and a row fingerprint) before an"
          + " original is removed; a lease and a journal under BASE/_baler/ keep two runs apart and"
          + " let the next run finish or roll back a killed one. Originals are moved to --backup-dir"
          + " when given, else to the Hadoop trash when HDFS has it enabled, else deleted.",
      "",
      "Prints one JSON object on stdout, with figures per partition; logs go to stderr.",
    },
    footer = {
      "",
      "Exit codes: 0 done, 1 failed, 2 invalid usage, 3 partial (some bins failed: run again),"
          + " 4 another run holds the lease.",
      "",
      "Examples:",
      "  baler consolidate hdfs://nn:8020/telemetry --date 2025-08-15 --dry-run",
      "  baler consolidate hdfs://nn:8020/telemetry --date 2025-08-31 --days-back 30",
      "  baler consolidate --config consolidation.yaml --date 2025-08-15",
      "  baler consolidate ./telemetry/ --date 2025-08-15 --backup-dir ./backup/",
    })
final class ConsolidateCommand implements Callable<Integer> {
  /** Target size unless set: 128 MiB, as the consolidation utility's. */
  static final long DEFAULT_TARGET_SIZE_MB = 128;

  /** Fewest files a partition needs unless set: 5, as the consolidation utility's. */
  static final int DEFAULT_MIN_FILES = 5;

  /** Rows per row group unless set: 50,000, as the consolidation utility's. */
  static final long DEFAULT_ROW_GROUP_ROWS = 50_000;

  /** Files named per partition in a dry run. */
  static final int SAMPLE_FILES = 3;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "BASE",
      description =
          "the directory holding the date=YYYY-MM-DD partitions: hdfs://namenode:8020/path,"
              + " s3://bucket/path/ or a local directory (default: from --config's hdfs section)")
  String base;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "the (latest) date to consolidate (default: yesterday, in UTC)")
  String date;

  @Option(
      names = "--days-back",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "also consolidate the N days before --date: --date 2025-08-31 --days-back 30 takes all"
              + " of August, 31 partitions (default: ${DEFAULT-VALUE})")
  int daysBack;

  @Option(
      names = "--target-size",
      paramLabel = "MB",
      description = "target size of each output, in MiB of input (default: 128)")
  Long targetSizeMb;

  @Option(
      names = "--min-files",
      paramLabel = "N",
      description = "leave a partition alone unless it has at least N files (default: 5)")
  Integer minFiles;

  @Option(
      names = "--dry-run",
      description =
          "show per partition the files, their size, a few names and what would be produced;"
              + " write nothing")
  boolean dryRun;

  @Option(
      names = "--backup-dir",
      paramLabel = "URI",
      description =
          "move originals here, at their paths relative to BASE, instead of deleting them; on the"
              + " same store, outside BASE or in a hidden directory of it such as BASE/_backup/")
  String backupDir;

  @Option(
      names = "--skip-trash",
      description = "delete originals even where HDFS has a trash (as 'hdfs dfs -rm -skipTrash')")
  boolean skipTrash;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration (hdfs, consolidation, compression, safety); flags win")
  Path config;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      description =
          "codec of the outputs: snappy, gzip, zstd, lz4, lz4_raw, uncompressed (default: snappy)")
  String compression;

  @Option(
      names = "--row-group-size",
      paramLabel = "ROWS",
      description =
          "most rows per row group (default: 50000); row groups also stop at 64 MiB of input")
  Long rowGroupSize;

  @Option(
      names = "--no-dictionary",
      description =
          "write no dictionary pages (default: a dictionary for the columns where it pays)")
  boolean noDictionary;

  @Mixin BloomFilterOptions bloomFilterOptions;

  @Mixin RunOptions runOptions;

  @Mixin StorageOptions storageOptions;

  @Mixin VerboseOption verboseOption;

  @Override
  public Integer call() throws Exception {
    verboseOption.configureLogging();
    ConsolidationConfig settings =
        config == null ? ConsolidationConfig.empty() : ConsolidationConfig.read(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    settings.ignoredSettings().forEach(warning -> err.println("baler: warning: " + warning));
    Location source = source(settings);
    CompactionRuns.checkLocalDirectoryExists("consolidate", source);
    CompactionOptions.DateRange dates = dates();
    try (Storage storage = storageOptions.open(source, storageProperties(settings))) {
      CompactionOptions options = options(settings, dates, storage, source);
      if (dryRun) {
        CompactionPlan plan = CompactionRuns.plan(storage, options, source);
        plan.skipped()
            .forEach(
                file -> err.println("baler: skipping " + file.location() + ": " + file.reason()));
        ConsolidationReports.printPreview(plan, dates, options, err);
        out.println(Reports.json(ConsolidationReports.dryRun(plan, source, dates, options)));
        out.flush();
        return ExitCodes.SUCCESS;
      }
      try (Storage staging = runOptions.staging(storage, source)) {
        return CompactionRuns.run(
            staging,
            options,
            source,
            out,
            err,
            result -> ConsolidationReports.result(result, source, dates, options));
      }
    }
  }

  private Location source(ConsolidationConfig settings) {
    Optional<String> configured = settings.source();
    String uri = base != null ? base : configured.orElse(null);
    if (uri == null) {
      throw new IllegalArgumentException(
          "Missing what to consolidate: give BASE (such as hdfs://namenode:8020/telemetry) or a"
              + " --config file with hdfs.namenode and hdfs.base_path");
    }
    return Sources.of(uri).asDirectory();
  }

  private CompactionOptions.DateRange dates() {
    LocalDate last;
    if (date == null) {
      last = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    } else {
      try {
        last = LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "Invalid --date '" + date + "': expected YYYY-MM-DD, such as 2025-08-15");
      }
    }
    if (daysBack < 0 || daysBack > 3660) {
      throw new IllegalArgumentException(
          "Invalid --days-back " + daysBack + ": must be between 0 and 3660");
    }
    return new CompactionOptions.DateRange(last.minusDays(daysBack), last);
  }

  private static Map<String, String> storageProperties(ConsolidationConfig settings) {
    Map<String, String> properties = new HashMap<>();
    if (settings.hdfs().user() != null) {
      properties.put(HdfsStorageProvider.USER, settings.hdfs().user());
    }
    return properties;
  }

  private CompactionOptions options(
      ConsolidationConfig settings,
      CompactionOptions.DateRange dates,
      Storage storage,
      Location source)
      throws java.io.IOException {
    ConsolidationConfig.Consolidation consolidation = settings.consolidation();
    ConsolidationConfig.Compression writing = settings.compression();
    ConsolidationConfig.Safety safety = settings.safety();

    long megabytes = first(targetSizeMb, consolidation.targetSizeMb(), DEFAULT_TARGET_SIZE_MB);
    if (megabytes < 1 || megabytes > 1 << 20) {
      throw new IllegalArgumentException(
          "Invalid --target-size " + megabytes + " MB: must be between 1 and 1048576");
    }
    boolean dictionary = !noDictionary && !Boolean.FALSE.equals(writing.useDictionary());
    WriteOptions writeOptions =
        bloomFilterOptions
            .applyTo(
                WriteOptions.builder()
                    .codec(Codecs.available(first(compression, writing.codec(), "snappy")))
                    .rowGroupRows(
                        first(rowGroupSize, writing.rowGroupSize(), DEFAULT_ROW_GROUP_ROWS))
                    .dictionaryEncoding(dictionary),
                writing.bloomFilterColumns(),
                writing.bloomFilterFpp())
            .build();
    CompactionOptions.Builder builder =
        CompactionOptions.builder()
            .targetBytes(megabytes << 20)
            .minFiles(first(minFiles, consolidation.minFilesThreshold(), DEFAULT_MIN_FILES))
            .partitionDates(dates)
            .writeOptions(writeOptions);
    runOptions.applyTo(builder);
    String backup = first(backupDir, safety.backupDir(), null);
    boolean deleteOutright = skipTrash || Boolean.FALSE.equals(safety.backupBeforeDelete());
    if (backup != null) {
      builder.backUpOriginalsTo(Sources.of(backup).asDirectory());
    } else if (!deleteOutright && storage.hasTrash(source)) {
      builder.originals(CompactionOptions.Originals.TRASH);
    } else if (Boolean.TRUE.equals(safety.backupBeforeDelete()) && !skipTrash) {
      throw new IllegalArgumentException(
          "Cannot back up originals before deleting them: "
              + source
              + " has no trash; set safety.backup_dir or give --backup-dir");
    } else {
      builder.originals(CompactionOptions.Originals.DELETE);
    }
    return builder.build();
  }

  /** The flag's value if given, else the config file's, else the default. */
  private static <T> T first(T flag, T configured, T fallback) {
    return flag != null ? flag : configured != null ? configured : fallback;
  }
}
