package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baler.parquet.Footer;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baler consolidate} in process, on date partitions in a local directory. */
class ConsolidateCommandTest {
  private final LocalStorage storage = new LocalStorage();

  @TempDir Path temp;
  private Path base;

  /** Four days, 2025-08-13 to 2025-08-16, of 6 files of 200 rows each. */
  @BeforeEach
  void writePartitions() throws IOException {
    base = temp.resolve("telemetry");
    Files.createDirectories(base);
    TelemetryDataset.builder()
        .files(24)
        .rowsPerFile(200)
        .layout(TelemetryDataset.Layout.DATE)
        .start(Instant.parse("2025-08-13T00:00:00Z"))
        .days(4)
        .threads(1)
        .build()
        .write(storage, Location.local(base).asDirectory());
  }

  @Test
  void consolidate_takesTheDateAndTheDaysBeforeIt() throws IOException {
    RowFingerprint day14 = fingerprint("2025-08-14");
    RowFingerprint day15 = fingerprint("2025-08-15");
    List<Path> untouched13 = files("2025-08-13");
    List<Path> untouched16 = files("2025-08-16");

    CompactCommandTest.Run run =
        baler("consolidate", base.toString(), "--date", "2025-08-15", "--days-back", "1");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("files_processed").asInt()).isEqualTo(12);
    assertThat(json.get("files_created").asInt()).isEqualTo(2);
    assertThat(json.get("records_consolidated").asLong()).isEqualTo(2400);
    assertThat(json.get("dates").get("first").asText()).isEqualTo("2025-08-14");
    assertThat(json.get("dates").get("last").asText()).isEqualTo("2025-08-15");
    assertThat(json.get("originals").asText()).isEqualTo("deleted");
    JsonNode partitions = json.get("partitions");
    assertThat(partitions).hasSize(2);
    for (JsonNode partition : partitions) {
      assertThat(partition.get("files_processed").asInt()).isEqualTo(6);
      assertThat(partition.get("files_created").asInt()).isEqualTo(1);
      assertThat(partition.get("records_consolidated").asLong()).isEqualTo(1200);
      assertThat(partition.get("duration_ms").asLong()).isNotNegative();
      assertThat(partition.get("files_per_second").asDouble()).isPositive();
    }
    assertThat(partitions.get(0).get("partition").asText()).endsWith("/date=2025-08-14/");

    assertThat(files("2025-08-14")).singleElement().satisfies(this::assertConsolidated);
    assertThat(files("2025-08-15")).singleElement().satisfies(this::assertConsolidated);
    assertThat(fingerprint("2025-08-14")).isEqualTo(day14);
    assertThat(fingerprint("2025-08-15")).isEqualTo(day15);
    assertThat(files("2025-08-13")).isEqualTo(untouched13);
    assertThat(files("2025-08-16")).isEqualTo(untouched16);
  }

  @Test
  void consolidate_dryRunPreviewsEachDateAndWritesNothing() throws IOException {
    List<Path> before = allFiles();

    CompactCommandTest.Run run =
        baler(
            "consolidate",
            base.toString(),
            "--date",
            "2025-08-17",
            "--days-back",
            "1",
            "--dry-run");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("dry_run").asBoolean()).isTrue();
    assertThat(json.get("compacted_files_produced").asInt()).isEqualTo(1);
    assertThat(json.get("uncompacted_files_deleted").asInt()).isEqualTo(6);
    JsonNode partitions = json.get("partitions");
    assertThat(partitions).hasSize(2);
    JsonNode day16 = partitions.get(0);
    assertThat(day16.get("date").asText()).isEqualTo("2025-08-16");
    assertThat(day16.get("files").asInt()).isEqualTo(6);
    assertThat(day16.get("records").asLong()).isEqualTo(1200);
    assertThat(day16.get("sample_files")).hasSize(3);
    assertThat(day16.get("would_produce")).hasSize(1);
    assertThat(day16.get("would_produce").get(0).get("files").asInt()).isEqualTo(6);
    assertThat(partitions.get(1).get("date").asText()).isEqualTo("2025-08-17");
    assertThat(partitions.get(1).get("files").asInt()).isZero();
    assertThat(run.stderr())
        .contains("Preview for date 2025-08-16")
        .contains("6 Parquet files")
        .contains("... and 3 more")
        .contains("DRY RUN: would consolidate 6 files into 1 file")
        .contains("Preview for date 2025-08-17")
        .contains("no Parquet files");
    assertThat(allFiles()).isEqualTo(before);
  }

  @Test
  void consolidate_leavesAlonePartitionsBelowMinFiles() throws IOException {
    List<Path> before = files("2025-08-15");

    CompactCommandTest.Run run =
        baler("consolidate", base.toString(), "--date", "2025-08-15", "--min-files", "7");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isZero();
    assertThat(files("2025-08-15")).isEqualTo(before);
  }

  @Test
  void consolidate_backupDirReceivesTheOriginals() throws IOException {
    List<String> originals = files("2025-08-15").stream().map(path -> name(path)).toList();
    Path backup = temp.resolve("backup");

    CompactCommandTest.Run run =
        baler(
            "consolidate",
            base.toString(),
            "--date",
            "2025-08-15",
            "--backup-dir",
            backup.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("originals").asText())
        .isEqualTo("moved to " + Location.local(backup).asDirectory());
    try (Stream<Path> moved = Files.list(backup.resolve("date=2025-08-15"))) {
      assertThat(moved.map(ConsolidateCommandTest::name).sorted().toList())
          .containsExactlyElementsOf(originals.stream().sorted().toList());
    }
    assertThat(files("2025-08-15")).singleElement().satisfies(this::assertConsolidated);
  }

  @Test
  void consolidate_readsTheConfigFileAndFlagsWin() throws IOException {
    Path config = temp.resolve("consolidation_config.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "consolidation:",
            "  target_size_mb: 64",
            "  min_files_threshold: 7",
            "  temp_directory: /tmp/parquet_consolidation",
            "compression:",
            "  codec: zstd",
            "  row_group_size: 500",
            "  use_dictionary: true",
            "  bloom_filter_columns: [trace_id, service_name]",
            "  bloom_filter_fpp: 0.05",
            "safety:",
            "  verify_integrity: true",
            "  backup_before_delete: false",
            "  max_retries: 3",
            ""));

    CompactCommandTest.Run run =
        baler(
            "consolidate",
            base.toString(),
            "--config",
            config.toString(),
            "--date",
            "2025-08-15",
            "--min-files",
            "5",
            "--bloom-filter",
            "trace_id");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(6);
    assertThat(run.stderr())
        .contains("warning: consolidation.temp_directory is ignored")
        .contains("warning: safety.max_retries is ignored");
    Path output = files("2025-08-15").get(0);
    Footer footer = Footer.read(storage.newInputFile(Location.local(output)));
    assertThat(footer.metadata().getBlocks()).hasSize(3);
    assertThat(footer.metadata().getBlocks().get(0).getColumns().get(0).getCodec().name())
        .isEqualTo("ZSTD");
    // the flag's column list replaces the file's: trace_id only; the file's probability stays
    assertThat(
            footer.metadata().getBlocks().get(0).getColumns().stream()
                .filter(column -> column.getBloomFilterOffset() >= 0)
                .map(column -> column.getPath().toDotString()))
        .containsExactly("trace_id");
  }

  @Test
  void consolidate_writesTheBloomFiltersOfTheConfigFile() throws IOException {
    Path config = temp.resolve("bloom.yaml");
    Files.writeString(
        config, "compression:\n  bloom_filter_columns: [service_name]\n  bloom_filter_fpp: 0.05\n");

    CompactCommandTest.Run run =
        baler(
            "consolidate", base.toString(), "--config", config.toString(), "--date", "2025-08-15");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Path output = files("2025-08-15").get(0);
    Footer footer = Footer.read(storage.newInputFile(Location.local(output)));
    assertThat(
            footer.metadata().getBlocks().get(0).getColumns().stream()
                .filter(column -> column.getBloomFilterOffset() >= 0)
                .map(column -> column.getPath().toDotString()))
        .containsExactly("service_name");
  }

  @Test
  void consolidate_refusesAnUnknownConfigKey() throws IOException {
    Path config = temp.resolve("bad.yaml");
    Files.writeString(config, "consolidation:\n  target_size_mbs: 64\n");

    CompactCommandTest.Run run =
        baler(
            "consolidate", base.toString(), "--config", config.toString(), "--date", "2025-08-15");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .contains("Invalid config file " + config + ": unknown key 'consolidation.target_size_mbs'")
        .contains("target_size_mb");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void consolidate_refusesBackupBeforeDeleteWithoutATrashOrBackupDir() throws IOException {
    Path config = temp.resolve("safety.yaml");
    Files.writeString(config, "safety:\n  backup_before_delete: true\n");
    List<Path> before = allFiles();

    CompactCommandTest.Run run =
        baler(
            "consolidate", base.toString(), "--config", config.toString(), "--date", "2025-08-15");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .contains("Cannot back up originals before deleting them")
        .contains("set safety.backup_dir or give --backup-dir");
    assertThat(allFiles()).isEqualTo(before);
  }

  @Test
  void consolidate_refusesAnInvalidDate() {
    CompactCommandTest.Run run = baler("consolidate", base.toString(), "--date", "15/08/2025");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr())
        .contains("Invalid --date '15/08/2025': expected YYYY-MM-DD, such as 2025-08-15");
  }

  @Test
  void consolidate_withoutBaseOrConfigSaysWhatIsMissing() {
    CompactCommandTest.Run run = baler("consolidate", "--date", "2025-08-15");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).contains("Missing what to consolidate");
  }

  private void assertConsolidated(Path output) {
    assertThat(name(output)).endsWith(".c.parquet");
  }

  private List<Path> files(String date) throws IOException {
    Path partition = base.resolve("date=" + date);
    try (Stream<Path> files = Files.list(partition)) {
      return files.filter(path -> name(path).endsWith(".parquet")).sorted().toList();
    }
  }

  private List<Path> allFiles() throws IOException {
    try (Stream<Path> files = Files.walk(temp)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private RowFingerprint fingerprint(String date) throws IOException {
    return DataFiles.fingerprint(
        storage, Location.local(base.resolve("date=" + date)).asDirectory());
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
