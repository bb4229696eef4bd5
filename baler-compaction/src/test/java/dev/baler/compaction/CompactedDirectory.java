package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local directory of telemetry files that runs compact, and the checks that after any mix of
 * killed and finished runs it holds exactly the rows it started with. Reads rows with {@link
 * DuckDbVerifier}, which shares no code with Baler's Parquet engine.
 */
final class CompactedDirectory {
  /** Files written: 40 files of 500 rows, about 1.2 MB, so two bins of at most 1 MiB. */
  static final int FILES = 40;

  static final int ROWS_PER_FILE = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DuckDbVerifier duckDb = new DuckDbVerifier();
  private final Path root;
  private final RowMultiset original;

  private CompactedDirectory(Path root, RowMultiset original) {
    this.root = root;
    this.original = original;
  }

  /**
   * Writes the data set into {@code root} and records its rows; checks that every row is distinct
   * (so that a repeated row would show) and that the plan has several bins holding every file.
   * Tests take {@link #copyTo copies} of it, which is quicker than writing it anew.
   */
  static CompactedDirectory create(Path root) throws IOException {
    Files.createDirectories(root);
    TelemetryDataset.builder()
        .files(FILES)
        .rowsPerFile(ROWS_PER_FILE)
        .build()
        .write(new LocalStorage(), Location.local(root).asDirectory());
    DuckDbVerifier duckDb = new DuckDbVerifier();
    List<Path> files = DuckDbVerifier.parquetFilesUnder(root);
    assertThat(files).hasSize(FILES);
    RowMultiset rows = duckDb.rows(files);
    assertThat(rows.rows()).isEqualTo((long) FILES * ROWS_PER_FILE);
    assertThat(duckDb.distinctRows(files)).isEqualTo(rows);
    CompactionPlan plan =
        new CompactionPlanner(
                new LocalStorage(),
                CompactionChild.options(
                    CompactionOptions.Originals.DELETE,
                    CompactionOptions.DEFAULT_LEASE_DURATION,
                    Location.local(root).asDirectory()))
            .plan(Location.local(root).asDirectory());
    assertThat(plan.bins()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(plan.bins().stream().mapToInt(bin -> bin.inputs().size()).sum()).isEqualTo(FILES);
    return new CompactedDirectory(root, rows);
  }

  /** Copies this directory's files into {@code target}, which must not exist yet. */
  CompactedDirectory copyTo(Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return new CompactedDirectory(target, original);
  }

  Path root() {
    return root;
  }

  Location location() {
    return Location.local(root).asDirectory();
  }

  /** The rows the directory was created with. */
  RowMultiset originalRows() {
    return original;
  }

  /** Original data files: {@code .parquet} files that are not outputs, outside hidden paths. */
  List<Path> originals() throws IOException {
    return dataFiles().stream().filter(path -> !isOutput(path)).toList();
  }

  /** Compacted outputs, {@code *.c.parquet}. */
  List<Path> outputs() throws IOException {
    return dataFiles().stream().filter(CompactedDirectory::isOutput).toList();
  }

  /** Processed markers, outside hidden paths. */
  List<Path> markers() throws IOException {
    return visibleFiles().stream()
        .filter(path -> path.getFileName().toString().endsWith(FileNames.MARKER_SUFFIX))
        .toList();
  }

  /** Journal records under {@code _baler/journal/}. */
  List<Path> journalRecords() throws IOException {
    Path journal = root.resolve(Journal.DIRECTORY);
    if (!Files.isDirectory(journal)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".json")).toList();
    }
  }

  /** The newest lease generation, {@code _baler/lease/NNNNNNNNNN.json}. */
  Path latestLease() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve(Lease.DIRECTORY))) {
      return files
          .filter(path -> path.getFileName().toString().matches("\\d{10}\\.json"))
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  /** Hidden files outside {@code _baler/}, such as temporary files of unpublished outputs. */
  List<Path> hiddenFilesOutsideState() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(path -> !root.relativize(path).startsWith("_baler"))
          .filter(path -> FileNames.isHidden(path.getFileName().toString()))
          .toList();
    }
  }

  /** The output a marker names in its {@code compacted_into}. */
  static Path compactedInto(Path marker) throws IOException {
    String into = JSON.readTree(Files.readAllBytes(marker)).get("compacted_into").asText();
    return Location.of(into).toLocalPath();
  }

  /** The original a marker belongs to. */
  static Path originalOf(Path marker) {
    String name = marker.getFileName().toString();
    return marker.resolveSibling(
        name.substring(0, name.length() - FileNames.MARKER_SUFFIX.length()));
  }

  /** The files a reader that honours markers sees: outputs, and originals without a marker. */
  List<Path> liveFiles() throws IOException {
    List<Path> live = new ArrayList<>(outputs());
    for (Path original : originals()) {
      if (!Files.exists(
          original.resolveSibling(original.getFileName() + FileNames.MARKER_SUFFIX))) {
        live.add(original);
      }
    }
    return live;
  }

  /**
   * Checks that the directory, after a run that ended normally, holds exactly the original rows,
   * none twice, and nothing of unfinished work:
   *
   * <ul>
   *   <li>no journal record is open, the lease is released, and no hidden temporary file is left
   *       beside the data;
   *   <li>the rows of the outputs plus the originals without a marker are exactly the original
   *       multiset, and all distinct;
   *   <li>with {@code DELETE}, only outputs remain: no original, no marker; with {@code BACK_UP},
   *       the same, and the backup directory holds every original; with {@code KEEP}, every
   *       original remains with a marker naming an existing output, and each output holds exactly
   *       the rows of the originals marked into it;
   *   <li>nothing is left to compact.
   * </ul>
   */
  void assertHoldsExactlyTheOriginalRows(CompactionOptions.Originals originals) throws IOException {
    assertThat(journalRecords()).as("open journal records").isEmpty();
    assertThat(JSON.readTree(Files.readAllBytes(latestLease())).get("released").asBoolean())
        .as("lease released")
        .isTrue();
    assertThat(hiddenFilesOutsideState()).as("hidden files beside the data").isEmpty();

    List<Path> live = liveFiles();
    assertThat(duckDb.rows(live)).as("rows of outputs and unmarked originals").isEqualTo(original);
    assertThat(duckDb.distinctRows(live)).as("distinct rows").isEqualTo(original);

    switch (originals) {
      case DELETE, TRASH -> {
        assertThat(originals()).as("originals left").isEmpty();
        assertThat(markers()).as("markers left").isEmpty();
      }
      case BACK_UP -> {
        assertThat(originals()).as("originals left").isEmpty();
        assertThat(markers()).as("markers left").isEmpty();
        List<Path> backedUp =
            DuckDbVerifier.parquetFilesUnder(
                CompactionChild.backupDirectory(location()).toLocalPath());
        assertThat(backedUp).as("originals backed up").hasSize(FILES);
        assertThat(duckDb.rows(backedUp)).as("rows of the backed-up originals").isEqualTo(original);
      }
      case KEEP -> {
        assertThat(originals()).as("originals kept").hasSize(FILES);
        List<Path> outputs = outputs();
        Map<Path, List<Path>> inputsByOutput = new LinkedHashMap<>();
        for (Path marker : markers()) {
          Path into = compactedInto(marker);
          assertThat(outputs).as("output named by " + marker).contains(into);
          inputsByOutput.computeIfAbsent(into, key -> new ArrayList<>()).add(originalOf(marker));
        }
        assertThat(inputsByOutput.values().stream().mapToInt(List::size).sum())
            .as("marked originals")
            .isEqualTo(FILES);
        assertThat(inputsByOutput.keySet())
            .as("outputs with marked inputs")
            .hasSameElementsAs(outputs);
        for (var entry : inputsByOutput.entrySet()) {
          assertThat(duckDb.rows(List.of(entry.getKey())))
              .as("rows of " + entry.getKey() + " against its marked inputs")
              .isEqualTo(duckDb.rows(entry.getValue()));
        }
      }
    }

    CompactionPlan plan =
        new CompactionPlanner(
                new LocalStorage(),
                CompactionChild.options(originals, Duration.ofMinutes(2), location()))
            .plan(location());
    assertThat(plan.bins()).as("bins left to compact").isEmpty();
  }

  private List<Path> dataFiles() throws IOException {
    List<Path> visible = visibleFiles();
    return DuckDbVerifier.parquetFilesUnder(root).stream().filter(visible::contains).toList();
  }

  /** Regular files none of whose path segments below the root is hidden. */
  private List<Path> visibleFiles() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(
              path -> {
                for (Path segment : root.relativize(path)) {
                  if (FileNames.isHidden(segment.toString())) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    }
  }

  private static boolean isOutput(Path path) {
    return FileNames.isCompacted(path.getFileName().toString());
  }
}
