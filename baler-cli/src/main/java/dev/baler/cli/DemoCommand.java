package dev.baler.cli;

import dev.baler.compaction.CompactionListener;
import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.CompactionResult;
import dev.baler.compaction.CompactionRunner;
import dev.baler.compaction.FileNames;
import dev.baler.parquet.Footer;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baler demo}: writes a realistic set of small Parquet files into a local folder, compacts
 * it, and prints the JSON report and a before/after summary.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Write small telemetry Parquet files, as streaming writers leave them, into a local folder;"
          + " compact them with the defaults of 'baler compact'; print the JSON report and a"
          + " before/after summary of files, bytes, row groups and rows.",
    })
final class DemoCommand implements Callable<Integer> {
  private static final String DEMO_MARKER = ".baler-demo";

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "demo",
      description =
          "folder to write into; made anew on each run if it holds an earlier demo (default: ${DEFAULT-VALUE})")
  Path directory;

  @Option(
      names = "--files",
      paramLabel = "N",
      defaultValue = "400",
      description = "small files to write (default: ${DEFAULT-VALUE})")
  int files;

  @Option(
      names = "--rows-per-file",
      paramLabel = "N",
      defaultValue = "2000",
      description = "rows in each small file (default: ${DEFAULT-VALUE})")
  int rowsPerFile;

  @Mixin VerboseOption verboseOption;

  @Override
  public Integer call() throws IOException {
    verboseOption.configureLogging();
    PrintWriter out = spec.commandLine().getOut();
    prepare(directory);
    Location location = Location.local(directory).asDirectory();
    LocalStorage storage = new LocalStorage();
    System.err.printf(
        "baler demo: writing %d small Parquet files of %d rows into %s%n",
        files, rowsPerFile, directory);
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(rowsPerFile)
        .build()
        .write(storage, location);
    Summary before = Summary.of(storage, location);
    System.err.println("baler demo: compacting them");
    CompactionResult result;
    try (Progress progress = new Progress(System.err)) {
      CompactionListener listener =
          Progress.stderrIsTerminal() ? progress : CompactionListener.NONE;
      result =
          new CompactionRunner(storage, CompactionOptions.builder().build(), listener)
              .run(location);
    }
    Summary after = Summary.of(storage, location);
    out.println(Reports.json(Reports.result(result)));
    out.println();
    out.printf("%-8s %8s %12s %12s %12s%n", "", "files", "bytes", "row groups", "rows");
    out.printf(
        "%-8s %8d %12s %12d %12d%n",
        "before", before.files, mebibytes(before.bytes), before.rowGroups, before.rows);
    out.printf(
        "%-8s %8d %12s %12d %12d%n",
        "after", after.files, mebibytes(after.bytes), after.rowGroups, after.rows);
    out.printf(
        "%nThe files are in %s. Compact your own with: baler compact %s%n", directory, directory);
    out.flush();
    return result.status() == CompactionResult.Status.SUCCESS
        ? ExitCodes.SUCCESS
        : ExitCodes.PARTIAL;
  }

  private static void prepare(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      boolean isDemo = Files.exists(directory.resolve(DEMO_MARKER));
      try (Stream<Path> entries = Files.list(directory)) {
        if (!isDemo && entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "Cannot write the demo into "
                  + directory
                  + ": it holds files that are not an earlier demo's; choose an empty or new --dir");
        }
      }
      if (isDemo) {
        try (Stream<Path> paths = Files.walk(directory)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
    }
    Files.createDirectories(directory);
    Files.writeString(
        directory.resolve(DEMO_MARKER),
        "written by baler demo; the next demo run replaces this folder\n");
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** Files, bytes, row groups and rows of the Parquet data files under a directory. */
  private record Summary(int files, long bytes, long rowGroups, long rows) {
    static Summary of(LocalStorage storage, Location directory) throws IOException {
      int files = 0;
      long bytes = 0;
      long rowGroups = 0;
      long rows = 0;
      for (FileEntry entry : storage.list(directory).toList()) {
        if (!FileNames.isParquet(entry.location().fileName())
            || FileNames.isInHiddenDirectory(directory, entry.location())) {
          continue;
        }
        Footer footer = Footer.read(storage.newInputFile(entry.location(), entry.length()));
        files++;
        bytes += entry.length();
        rowGroups += footer.rowGroups().size();
        rows += footer.rows();
      }
      return new Summary(files, bytes, rowGroups, rows);
    }
  }
}
