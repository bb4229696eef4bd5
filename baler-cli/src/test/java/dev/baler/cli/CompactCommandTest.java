package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  /** What a command printed and returned. */
  record Run(int exitCode, String stdout, String stderr) {
    JsonNode json() throws IOException {
      return JSON.readTree(stdout);
    }
  }

  static Run baler(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Baler.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void compact_mergesDirectoryAndPrintsSeedFields() throws IOException {
    writeFiles(30, 100);

    Run run = baler("compact", directory.toString());

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    JsonNode json = run.json();
    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("files_processed").asInt()).isEqualTo(30);
    assertThat(json.get("files_created").asInt()).isEqualTo(1);
    assertThat(json.get("records_consolidated").asLong()).isEqualTo(3000);
    assertThat(json.get("duplicate_records_eliminated").asLong()).isZero();
    assertThat(json.get("deletion_failures").isArray()).isTrue();
    assertThat(json.get("last_processed_timestamp").asText()).isEqualTo("2024-01-02T00:00:00Z");
    List<String> names = fileNames();
    assertThat(names).containsExactly("sensor_data.1704153600000.c.parquet");
    // stdout is exactly one JSON object: its field names start as prestige's
    assertThat(List.of(json.fieldNames()).get(0)).isNotNull();
    assertThat(json.fieldNames())
        .toIterable()
        .startsWith(
            "status",
            "files_processed",
            "files_created",
            "records_consolidated",
            "bytes_saved",
            "duplicate_records_eliminated",
            "last_processed_timestamp",
            "deletion_failures");
  }

  @Test
  void plan_printsFivePlanFieldsAndWritesNothing() throws IOException {
    writeFiles(10, 50);
    List<String> before = fileNames();

    Run run = baler("compact", directory.toString(), "--plan");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    JsonNode json = run.json();
    assertThat(json.get("compacted_files_produced").asInt()).isEqualTo(1);
    assertThat(json.get("uncompacted_files_deleted").asInt()).isEqualTo(10);
    assertThat(json.get("records_processed").asLong()).isEqualTo(500);
    assertThat(json.get("duplicate_records_eliminated").asLong()).isZero();
    assertThat(json.get("storage_saved_bytes").asLong()).isPositive();
    assertThat(fileNames()).isEqualTo(before);
    assertThat(Files.exists(directory.resolve("_baler"))).isFalse();
  }

  @Test
  void deleteOriginalsFalse_keepsOriginalsWithMarkers() throws IOException {
    writeFiles(4, 20);

    Run run = baler("compact", directory.toString(), "--delete-originals=false");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    assertThat(fileNames()).filteredOn(name -> name.endsWith(".processed")).hasSize(4);
    assertThat(fileNames()).filteredOn(name -> name.endsWith(".c.parquet")).hasSize(1);
    Run again = baler("compact", directory.toString(), "--delete-originals=false");
    assertThat(again.json().get("files_processed").asInt()).isZero();
  }

  @Test
  void timeWindow_selectsByNameTimestamp() throws IOException {
    writeFiles(8, 10); // time stamps every 3 hours from 2024-01-01T03:00Z
    Run run =
        baler(
            "compact",
            directory.toString(),
            "--start",
            "1704067200",
            "--end",
            "2024-01-01T12:00:00Z");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(4);
    assertThat(run.json().get("last_processed_timestamp").asText())
        .isEqualTo("2024-01-01T12:00:00Z");
  }

  @Test
  void unavailableCodec_isRefusedAsUsageError() throws IOException {
    writeFiles(2, 10);

    Run run = baler("compact", directory.toString(), "--compression", "lzo");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith(
            "baler: Cannot compress with lzo: lzo needs the GPL-licensed hadoop-lzo library");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void invalidOptions_areUsageErrors() {
    assertThat(baler("compact", directory.toString(), "--compression", "zip").stderr())
        .startsWith(
            "baler: Invalid compression 'zip': expected one of [snappy, gzip, lzo, brotli, lz4, zstd, uncompressed, lz4_raw]");
    assertThat(baler("compact", directory.toString(), "--start", "yesterday").exitCode())
        .isEqualTo(2);
    assertThat(baler("compact").stderr()).startsWith("baler: Missing what to compact");
    Run missing = baler("compact", directory.resolve("no-such-dir/events").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains(": no such directory ");
    assertThat(directory.resolve("no-such-dir")).doesNotExist();
    assertThat(baler("compact", "--no-such-option").exitCode()).isEqualTo(2);
    Run negative = baler("compact", directory.toString(), "--staging-bytes", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.stderr())
        .startsWith("baler: Invalid --staging-bytes -1: expected 0 or more bytes");
  }

  @Test
  void stringDictionaries_giveRepeatingPlainStringsADictionaryUnlessTurnedOff() throws IOException {
    Path plain = directory.resolve("plain");
    Path carried = directory.resolve("carried");
    writePlainFiles(plain);
    writePlainFiles(carried);

    Run encoded = baler("compact", plain.toString());
    Run off = baler("compact", carried.toString(), "--string-dictionaries=false");

    assertThat(encoded.exitCode()).as(encoded.stderr()).isEqualTo(0);
    assertThat(off.exitCode()).as(off.stderr()).isEqualTo(0);
    // service_name: a handful of services, written without a dictionary
    assertThat(hasDictionary(onlyOutput(plain), "service_name")).isTrue();
    assertThat(hasDictionary(onlyOutput(carried), "service_name")).isFalse();
    // trace_id: unique, carried either way
    assertThat(hasDictionary(onlyOutput(plain), "trace_id")).isFalse();
    // status_code: a few codes, numbers that repeat get a dictionary either way
    assertThat(hasDictionary(onlyOutput(plain), "status_code")).isTrue();
    assertThat(hasDictionary(onlyOutput(carried), "status_code")).isTrue();
  }

  @Test
  void noDictionary_writesNoDictionaryPages() throws IOException {
    writePlainFiles(directory);

    Run run = baler("compact", directory.toString(), "--no-dictionary");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    // service_name (a handful of services) and status_code (a few codes) repeat: each would get a
    // dictionary by default (stringDictionaries_give... above)
    assertThat(hasDictionary(onlyOutput(directory), "service_name")).isFalse();
    assertThat(hasDictionary(onlyOutput(directory), "status_code")).isFalse();
  }

  /** Six files of 300 rows of the telemetry data set, written without dictionaries. */
  private static void writePlainFiles(Path directory) throws IOException {
    TelemetryDataset.builder()
        .files(6)
        .rowsPerFile(300)
        .threads(1)
        .encoding(TelemetryDataset.Encoding.PLAIN)
        .build()
        .write(new LocalStorage(), Location.local(directory).asDirectory());
  }

  private static Path onlyOutput(Path directory) throws IOException {
    try (Stream<Path> paths = Files.list(directory)) {
      List<Path> outputs =
          paths.filter(path -> path.getFileName().toString().endsWith(".c.parquet")).toList();
      assertThat(outputs).hasSize(1);
      return outputs.get(0);
    }
  }

  private static boolean hasDictionary(Path file, String column) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getRowGroups().get(0).getColumns().stream()
          .filter(chunk -> chunk.getPath().toDotString().equals(column))
          .findFirst()
          .orElseThrow()
          .hasDictionaryPage();
    }
  }

  @Test
  void bloomFilter_writesFiltersOfTheColumnsAsked() throws IOException {
    writeFiles(4, 200);
    List<String> traceIds = traceIds(parquetFiles());

    Run run =
        baler(
            "compact",
            directory.toString(),
            "--bloom-filter",
            "trace_id",
            "--bloom-filter",
            "tags.list.element");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
    Path output = directory.resolve(fileNames().get(0));
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(output))) {
      for (BlockMetaData rowGroup : reader.getRowGroups()) {
        for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
          String path = chunk.getPath().toDotString();
          BloomFilter filter = reader.readBloomFilter(chunk);
          assertThat(filter != null)
              .as(path)
              .isEqualTo(path.equals("trace_id") || path.equals("tags.list.element"));
        }
      }
      BloomFilter filter = reader.readBloomFilter(reader.getRowGroups().get(0).getColumns().get(2));
      assertThat(traceIds).hasSize(800);
      for (String traceId : traceIds) {
        assertThat(filter.findHash(filter.hash(Binary.fromString(traceId)))).isTrue();
      }
    }
    assertThat(new DuckDbVerifier().bloomFilterExcludes(output, "trace_id", traceIds.get(17)))
        .containsOnly(false);
    assertThat(new DuckDbVerifier().bloomFilterExcludes(output, "trace_id", "no such trace"))
        .containsOnly(true);
  }

  /** The trace ids of {@code files}, as DuckDB reads them. */
  private static List<String> traceIds(List<Path> files) throws IOException {
    String list =
        files.stream().map(file -> "'" + file + "'").collect(Collectors.joining(", ", "[", "]"));
    List<String> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions=false");
      try (ResultSet result =
          statement.executeQuery("SELECT trace_id FROM read_parquet(" + list + ")")) {
        while (result.next()) {
          ids.add(result.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IOException("Cannot read the trace ids of " + files, e);
    }
    return ids;
  }

  @Test
  void bloomFilter_ofAnUnknownColumnIsAUsageErrorNamingTheColumns() throws IOException {
    writeFiles(2, 10);

    Run run = baler("compact", directory.toString(), "--bloom-filter", "trace");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith(
            "baler: Unknown bloom filter column 'trace': the leaf columns that may have one are"
                + " timestamp, service_name, trace_id, duration_ms, status_code, temperature,"
                + " user_id, tags.list.element, attributes.key_value.key,"
                + " attributes.key_value.value");
    assertThat(run.stdout()).isEmpty();
    assertThat(fileNames()).hasSize(2);
    assertThat(baler("compact", directory.toString(), "--bloom-filter-fpp", "2").stderr())
        .startsWith(
            "baler: Invalid bloom filter false positive probability 2.0: must be above 0 and below 1");
  }

  @Test
  void help_documentsOptionsAndExitCodes() {
    Run run = baler("compact", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .contains(
            "--bucket",
            "--prefix",
            "--start",
            "--end",
            "--target-bytes",
            "--delete-originals",
            "--compression",
            "--row-group-size",
            "--deduplicate",
            "--plan",
            "--endpoint",
            "--region",
            "--access-key-id",
            "--secret-access-key",
            "--profile",
            "--min-files",
            "--bloom-filter",
            "--bloom-filter-fpp",
            "Exit codes");
  }

  private void writeFiles(int files, int rows) throws IOException {
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(rows)
        .threads(1)
        .build()
        .write(new LocalStorage(), Location.local(directory).asDirectory());
  }

  private List<Path> parquetFiles() throws IOException {
    return fileNames().stream().map(directory::resolve).toList();
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> paths = Files.list(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .map(path -> path.getFileName().toString())
          .sorted()
          .toList();
    }
  }
}
