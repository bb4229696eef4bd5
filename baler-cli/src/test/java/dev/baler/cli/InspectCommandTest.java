package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baler.cli.CompactCommandTest.Run;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir Path directory;

  private Path first;

  @BeforeEach
  void writeFiles() throws IOException {
    TelemetryDataset.builder()
        .files(12)
        .rowsPerFile(100)
        .threads(1)
        .build()
        .write(new LocalStorage(), Location.local(directory).asDirectory());
    try (Stream<Path> paths = Files.list(directory)) {
      first = paths.sorted().findFirst().orElseThrow();
    }
    Files.write(directory.resolve("bad.parquet"), new byte[0]);
  }

  @Test
  void inspect_printsTablesWithHistogramPlanAndRequests() {
    Run run = baler("inspect", directory.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Data files  13 of 13 keys"));
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches("  <64 KiB +13  #{40}  .*KiB")); // every file is small: a full bar
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("  64 KiB-1 MiB +0"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("  per file +1 +1 +1"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("  rows +100 +100 +100"));
    assertThat(lines).contains("Codecs      snappy 12", "Data pages  v1 12", "Schemas (1)");
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).startsWith("  12 files, the first file://" + first));
    assertThat(lines)
        .contains(
            "Unreadable files (1)",
            "  file://" + directory.resolve("bad.parquet") + ": empty file (0 bytes)");
    assertThat(lines)
        .anySatisfy(
            line -> assertThat(line).matches("  12 files \\(.*\\) into 1 file; about .* saved"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("  GET requests +26 +4"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("  LIST requests +1 +1"));
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void inspectJson_printsDocumentedFields() throws IOException {
    Run run = baler("inspect", directory.toString(), "--json", "--min-files", "20");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode json = run.json();
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "kind",
            "source",
            "keys",
            "files",
            "bytes",
            "rows",
            "file_sizes",
            "row_groups_per_file",
            "row_group_rows",
            "row_group_bytes",
            "codecs",
            "encodings",
            "page_versions",
            "schemas",
            "unreadable_files",
            "unreadable",
            "plan",
            "scan",
            "saved_bytes");
    assertThat(json.get("kind").asText()).isEqualTo("prefix");
    assertThat(json.get("files").asLong()).isEqualTo(13);
    assertThat(json.get("rows").asLong()).isEqualTo(1200);
    assertThat(json.get("file_sizes").get(0).get("files").asLong()).isEqualTo(13);
    assertThat(json.get("file_sizes").get(4).get("max_bytes").isNull()).isTrue();
    assertThat(json.get("row_group_rows").get("median").asLong()).isEqualTo(100);
    assertThat(json.get("codecs").get("snappy").asLong()).isEqualTo(12);
    assertThat(json.get("page_versions").get("v1").asLong()).isEqualTo(12);
    assertThat(json.get("schemas").get(0).get("files").asLong()).isEqualTo(12);
    assertThat(json.get("unreadable").get(0).get("reason").asText())
        .isEqualTo("empty file (0 bytes)");
    // fewer than --min-files files: all 13 are left alone (unread by the planner), a scan costs
    // as much after as before
    assertThat(json.get("plan").get("min_files").asInt()).isEqualTo(20);
    assertThat(json.get("plan").get("bins").asInt()).isZero();
    assertThat(json.get("plan").get("left_alone_files").asInt()).isEqualTo(13);
    assertThat(json.get("scan").get("before").get("get_requests").asLong()).isEqualTo(26);
    assertThat(json.get("scan").get("after").get("get_requests").asLong()).isEqualTo(26);
    assertThat(json.get("saved_bytes").asLong()).isZero();
  }

  @Test
  void inspectJson_reportsThePlanOfTheDefaults() throws IOException {
    JsonNode json = baler("inspect", directory.toString(), "--json").json();

    assertThat(json.get("plan").get("target_bytes").asLong()).isEqualTo(104_857_600L);
    assertThat(json.get("plan").get("bins").asInt()).isEqualTo(1);
    assertThat(json.get("plan").get("files").asInt()).isEqualTo(12);
    assertThat(json.get("plan").get("skipped_files").asInt()).isEqualTo(1);
    assertThat(json.get("scan").get("after").get("files").asLong()).isEqualTo(2);
    assertThat(json.get("saved_bytes").asLong()).isPositive();
  }

  @Test
  void inspectFile_printsSchemaRowGroupsAndColumnChunks() throws IOException {
    Run run = baler("inspect", first.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).contains("File        file://" + first, "Rows        100", "Row groups (1)");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Created by  parquet-mr"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("  message schema {"));
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).matches(" +trace_id +BINARY +snappy +v1 +yes .*"));

    JsonNode json = baler("inspect", first.toString(), "--json").json();
    assertThat(json.get("kind").asText()).isEqualTo("file");
    assertThat(json.get("rows").asLong()).isEqualTo(100);
    assertThat(json.get("row_groups")).hasSize(1);
    JsonNode columns = json.get("row_groups").get(0).get("columns");
    assertThat(columns).hasSize(10);
    assertThat(columns.get(0).get("path").asText()).isEqualTo("timestamp");
    assertThat(columns.get(0).get("page_version").asText()).isEqualTo("v1");
    assertThat(json.get("key_value_metadata").isArray()).isTrue();
  }

  @Test
  void inspectFile_ofAnUnreadableFileFailsWithTheReason() {
    Run run = baler("inspect", directory.resolve("bad.parquet").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .isEqualTo(
            "baler: Cannot read file://"
                + directory.resolve("bad.parquet")
                + ": empty file (0 bytes)"
                + System.lineSeparator());
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void invalidUri_isUsageError() {
    Run noBucket = baler("inspect", "s3:///events");
    Run unknownScheme = baler("inspect", "ftp://host/events");

    assertThat(noBucket.exitCode()).isEqualTo(2);
    assertThat(noBucket.stderr())
        .startsWith("baler: Invalid location: no bucket or host in s3:///events");
    assertThat(unknownScheme.exitCode()).isEqualTo(2);
    assertThat(unknownScheme.stderr())
        .startsWith("baler: Cannot open ftp://host/events: no storage for scheme 'ftp'");
    assertThat(baler("inspect").exitCode()).isEqualTo(2);
    assertThat(baler("inspect", directory.toString(), "--target-bytes", "10").exitCode())
        .isEqualTo(2);
  }

  @Test
  void help_documentsJsonFieldsAndExitCodes() {
    Run run = baler("inspect", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .contains(
            "--json",
            "--target-bytes",
            "--min-files",
            "--endpoint",
            "file_sizes",
            "get_requests",
            "key_value_metadata",
            "Exit codes");
  }
}
