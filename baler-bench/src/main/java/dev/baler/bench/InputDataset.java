package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.parquet.TelemetryDataset.Summary;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generated input of a benchmark: a telemetry data set made once for each setting of files,
 * rows and seed and kept in the work directory ({@code datasets/telemetry-FxR-seedS/}), with a
 * description beside it ({@code .json}) written only after the data set is complete, so that an
 * interrupted generation is redone.
 *
 * @param directory the directory holding the small files; tools work on copies of it
 * @param summary what the generator wrote
 * @param rows the row multiset of the files, as DuckDB reads them
 * @param generateSeconds how long generating took, in seconds; zero when reused
 */
record InputDataset(Path directory, Summary summary, RowMultiset rows, double generateSeconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks the values. */
  InputDataset {
    requireNonNull(directory, "directory is null");
    requireNonNull(summary, "summary is null");
    requireNonNull(rows, "rows is null");
  }

  /**
   * Returns the data set for {@code options}, generating it with {@link TelemetryDataset} unless
   * the work directory holds it already.
   *
   * @throws IOException if the data set cannot be written or read
   */
  static InputDataset prepare(
      BenchmarkOptions options, DuckDbVerifier verifier, PrintStream progress) throws IOException {
    String name =
        "telemetry-"
            + options.files()
            + "x"
            + options.rows()
            + "-seed"
            + options.seed()
            + (options.encoding() == TelemetryDataset.Encoding.PLAIN ? "-plain" : "");
    Path datasets = options.workDirectory().resolve("datasets");
    Path directory = datasets.resolve(name);
    Path description = datasets.resolve(name + ".json");
    if (Files.isRegularFile(description) && Files.isDirectory(directory)) {
      JsonNode node = JSON.readTree(description.toFile());
      progress.println("Reusing the data set in " + directory);
      return new InputDataset(
          directory,
          new Summary(
              node.get("files").asInt(), node.get("rows").asLong(), node.get("bytes").asLong()),
          new RowMultiset(
              node.get("rows").asLong(), new BigInteger(node.get("fingerprint").asText())),
          0);
    }
    Files.deleteIfExists(description);
    FileTrees.delete(directory);
    progress.printf(
        "Generating %,d files of %,d rows into %s%n", options.files(), options.rows(), directory);
    TelemetryDataset dataset =
        TelemetryDataset.builder()
            .files(options.files())
            .rowsPerFile(options.rows())
            .seed(options.seed())
            .encoding(options.encoding())
            .threads(2)
            .build();
    long start = System.nanoTime();
    Summary summary = dataset.write(new LocalStorage(), Location.local(directory));
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.printf(
        "Generated %,d files, %,d rows, %,d bytes in %.1f s; reading them back with DuckDB%n",
        summary.files(), summary.rows(), summary.bytes(), seconds);
    RowMultiset rows = verifier.rows(DuckDbVerifier.parquetFilesUnder(directory));
    if (rows.rows() != summary.rows()) {
      throw new IOException(
          "Cannot use the data set in "
              + directory
              + ": DuckDB reads "
              + rows.rows()
              + " rows, the generator wrote "
              + summary.rows());
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("files", summary.files());
    node.put("rows", summary.rows());
    node.put("bytes", summary.bytes());
    node.put("fingerprint", rows.fingerprint().toString());
    node.put("generate_seconds", seconds);
    JSON.writerWithDefaultPrettyPrinter().writeValue(description.toFile(), node);
    return new InputDataset(directory, summary, rows, seconds);
  }
}
