package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baler.cli.CompactCommandTest.Run;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepackCommandTest {
  @TempDir Path directory;

  /** Runs {@code baler} in process with {@code environment} as its environment variables. */
  static Run baler(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Baler.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs {@code baler repack --src source --dst destination} with {@code more} arguments. */
  static Run repack(Path source, Path destination, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = "repack";
    args[1] = "--src";
    args[2] = source.toString();
    args[3] = "--dst";
    args[4] = destination.toString();
    System.arraycopy(more, 0, args, 5, more.length);
    return baler(Map.of(), args);
  }

  private Path source() throws IOException {
    Path source = directory.resolve("raw");
    Files.createDirectories(source);
    TelemetryDataset.builder()
        .files(4)
        .rowsPerFile(50)
        .threads(1)
        .build()
        .write(new LocalStorage(), Location.local(source).asDirectory());
    return source;
  }

  @Test
  void repack_writesEveryFileAndPrintsOneJsonSummary() throws IOException {
    Path source = source();
    Path destination = directory.resolve("clean");

    Run run = repack(source, destination, "--workers", "2", "--compression", "zstd");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("source").asText()).isEqualTo(Location.local(source) + "/");
    assertThat(json.get("destination").asText()).isEqualTo(Location.local(destination) + "/");
    assertThat(json.get("files_found").asInt()).isEqualTo(4);
    assertThat(json.get("files_completed").asInt()).isEqualTo(4);
    assertThat(json.get("files_skipped").asInt()).isZero();
    assertThat(json.get("files_failed").asInt()).isZero();
    assertThat(json.get("records_written").asLong()).isEqualTo(200);
    assertThat(json.get("timestamps_truncated").asLong()).isZero();
    assertThat(json.get("failures")).isEmpty();
    assertThat(json.get("precision_loss")).isEmpty();
    assertThat(json.get("duration_ms").asLong()).isNotNegative();
    assertThat(fileNames(destination)).isEqualTo(fileNames(source));
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void rerun_retriesOnlyTheFilesThatFailed() throws IOException {
    Path source = source();
    Path broken = Files.write(source.resolve("broken.parquet"), new byte[0]);
    Path destination = directory.resolve("clean");

    Run first = repack(source, destination);

    assertThat(first.exitCode()).isEqualTo(3);
    assertThat(first.json().get("status").asText()).isEqualTo("partial");
    assertThat(first.json().get("files_completed").asInt()).isEqualTo(4);
    assertThat(first.json().get("files_failed").asInt()).isEqualTo(1);
    JsonNode failure = first.json().get("failures").get(0);
    assertThat(failure.get("file").asText()).isEqualTo(Location.local(broken).toString());
    assertThat(failure.get("reason").asText()).isEqualTo("empty file (0 bytes)");
    assertThat(first.stderr())
        .isEqualTo(
            "baler: cannot repack "
                + Location.local(broken)
                + ": empty file (0 bytes)"
                + System.lineSeparator());
    assertThat(destination.resolve("broken.parquet")).doesNotExist();

    Files.copy(firstDataFile(source), broken, StandardCopyOption.REPLACE_EXISTING);
    Run second = repack(source, destination);

    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.json().get("files_completed").asInt()).isEqualTo(1);
    assertThat(second.json().get("files_skipped").asInt()).isEqualTo(4);
    assertThat(second.json().get("files_failed").asInt()).isZero();
    assertThat(destination.resolve("broken.parquet")).exists();
  }

  @Test
  void everyFileFailing_exitsOne() throws IOException {
    Path source = directory.resolve("raw");
    Files.createDirectories(source);
    Files.writeString(source.resolve("a.parquet"), "not Parquet");

    Run run = repack(source, directory.resolve("clean"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().get("status").asText()).isEqualTo("failed");
  }

  @Test
  void destinationInsideSource_isRefusedAsUsageError() throws IOException {
    Path source = source();

    Run inside = repack(source, source.resolve("out"));
    Run same = repack(source, source);

    assertThat(inside.exitCode()).isEqualTo(2);
    assertThat(inside.stdout()).isEmpty();
    assertThat(inside.stderr())
        .startsWith(
            "baler: Cannot repack "
                + Location.local(source)
                + "/ into "
                + Location.local(source.resolve("out"))
                + ": the destination is inside the source");
    assertThat(same.exitCode()).isEqualTo(2);
    assertThat(same.stderr()).contains("into itself");
    assertThat(source.resolve("out")).doesNotExist();
  }

  @Test
  void missingOrInvalidSettings_areUsageErrors() throws IOException {
    Path source = source();
    Path destination = directory.resolve("clean");

    Run missing = baler(Map.of(), "repack");
    Run badWorkers =
        baler(
            Map.of("WORKERS", "many"),
            "repack",
            "--src",
            source.toString(),
            "--dst",
            destination.toString());
    Run badUint64 = repack(source, destination, "--uint64-as", "text");
    Run noSuchDirectory = repack(directory.resolve("nothing"), destination);

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr())
        .startsWith(
            "baler: Missing the source: give --src URI, or SRC_BUCKET (and SRC_PREFIX) in the environment");
    assertThat(badWorkers.exitCode()).isEqualTo(2);
    assertThat(badWorkers.stderr())
        .startsWith("baler: Invalid WORKERS 'many' in the environment: expected a whole number");
    assertThat(badUint64.exitCode()).isEqualTo(2);
    assertThat(badUint64.stderr())
        .startsWith("baler: Invalid --uint64-as 'text': expected refuse or decimal");
    assertThat(noSuchDirectory.exitCode()).isEqualTo(2);
    assertThat(noSuchDirectory.stderr()).contains(": no such directory ");
    assertThat(destination).doesNotExist();
  }

  @Test
  void help_documentsOptionsEnvironmentAndExitCodes() {
    Run run = baler(Map.of(), "repack", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .contains(
            "--src",
            "--dst",
            "--workers",
            "--batch-size",
            "--no-skip-existing",
            "--uint64-as",
            "--compression",
            "--row-group-size",
            "--endpoint",
            "SRC_BUCKET",
            "DEST_PREFIX",
            "BATCH_SIZE",
            "Exit codes");
  }

  private static Path firstDataFile(Path source) throws IOException {
    try (Stream<Path> paths = Files.list(source)) {
      return paths
          .filter(path -> path.getFileName().toString().startsWith("sensor_data"))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .map(path -> directory.relativize(path).toString())
          .filter(name -> !name.equals("broken.parquet"))
          .sorted()
          .toList();
    }
  }
}
