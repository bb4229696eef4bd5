package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.Inspection;
import dev.baler.compaction.InspectionFile;
import dev.baler.compaction.InspectionReport;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baler inspect}: the small-files diagnosis of a prefix, a directory or one file. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Diagnose small files before compacting them; reads footers only and writes nothing.",
      "",
      "For a prefix or directory: data files (.parquet/.parq, not hidden, not under _baler/;"
          + " compacted outputs included), bytes, a histogram of file sizes, rows, row groups per"
          + " file and their sizes, codecs, encodings, data page versions, the schemas seen,"
          + " unreadable files, what 'baler compact' would do, and the requests one full scan"
          + " costs a reader before and after (2 GETs per file, 1 LIST per 1,000 keys).",
      "For one file: its schema, created_by, row groups with their column chunks, and key-value"
          + " metadata.",
      "",
      "Prints tables on stdout, or one JSON object with --json.",
    },
    footer = {
      "",
      "JSON of a prefix: kind (\"prefix\"), source, keys (all listed keys), files, bytes, rows,"
          + " file_sizes [{bucket, min_bytes, max_bytes (exclusive; null for the last), files,"
          + " bytes}], row_groups_per_file, row_group_rows, row_group_bytes ({count, min, median,"
          + " max, total}), codecs, encodings, page_versions ({name: files}), schemas [{files,"
          + " first_file, schema}], unreadable_files (count), unreadable [{file, reason}] (the"
          + " first 1,000), plan {target_bytes, min_files, bins, files, bytes, rows,"
          + " estimated_saved_bytes, skipped_files, left_alone_files}, scan {before, after:"
          + " {keys, files, get_requests, list_requests}}, saved_bytes.",
      "JSON of a file: kind (\"file\"), file, bytes, rows, created_by, schema, row_groups"
          + " [{index, rows, compressed_bytes, uncompressed_bytes, columns [{path, type, codec,"
          + " encodings, page_version, statistics, compressed_bytes, values}]}], key_value_metadata"
          + " [{key, value_chars, value (first 80 characters)}].",
      "",
      "Exit codes: 0 done (unreadable files under a prefix are reported, not fatal), 1 failed"
          + " (storage unreachable, the one file given is not readable Parquet), 2 invalid usage.",
      "",
      "Examples:",
      "  baler inspect s3://my-bucket/events/sensor_data --endpoint http://127.0.0.1:9000",
      "  baler inspect ./data/ --json",
      "  baler inspect ./data/sensor_data.1704067200000.parquet",
    })
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "URI",
      description =
          "what to inspect: s3://bucket/prefix, a local directory or key prefix, or one file")
  String uri;

  @Option(
      names = "--target-bytes",
      paramLabel = "BYTES",
      defaultValue = "104857600",
      description =
          "target size of compacted files, as for 'baler compact' (default: ${DEFAULT-VALUE} = 100 MiB)")
  long targetBytes;

  @Option(
      names = "--min-files",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "fewest files a partition needs to be compacted, as for 'baler compact' (default: ${DEFAULT-VALUE})")
  int minFiles;

  @Option(names = "--json", description = "print one JSON object instead of tables")
  boolean json;

  @Mixin StorageOptions storageOptions;

  @Mixin VerboseOption verboseOption;

  @Override
  public Integer call() throws Exception {
    verboseOption.configureLogging();
    Location source = source();
    CompactionOptions options =
        CompactionOptions.builder().targetBytes(targetBytes).minFiles(minFiles).build();
    PrintWriter out = spec.commandLine().getOut();
    try (Storage storage = storageOptions.open(source)) {
      Inspection inspection = new Inspection(storage, options);
      if (inspection.isFile(source)) {
        InspectionFile file = inspection.inspectFile(source);
        out.println(
            json ? Reports.json(InspectionJson.fileJson(file)) : InspectionTables.fileTables(file));
      } else {
        InspectionReport report = inspection.inspect(source);
        out.println(
            json
                ? Reports.json(InspectionJson.prefixJson(report, options))
                : InspectionTables.prefixTables(report));
      }
      out.flush();
      return ExitCodes.SUCCESS;
    }
  }

  private Location source() {
    return Sources.of(uri);
  }
}
