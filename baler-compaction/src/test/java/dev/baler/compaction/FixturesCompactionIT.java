package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.Footer;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.Fixtures;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compacts the committed fixtures of pyarrow, DuckDB and polars and checks with DuckDB, which
 * shares no code with Baler, that the output holds the same rows under the same Parquet schema:
 * logical types, nested lists, maps and structs, decimals, dates, nullability and field ids.
 */
class FixturesCompactionIT {
  /** The fixtures' latest file is events.1704067320000.parquet. */
  private static final String OUTPUT = "events.1704067320000.c.parquet";

  private final LocalStorage storage = new LocalStorage();
  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void compaction_keepsEveryRowAndTheSchemaOfEachWritersFiles(Fixtures.Writer writer)
      throws IOException {
    Fixtures fixtures = Fixtures.of(writer);
    List<Path> inputs = fixtures.copyTo(directory);
    String schema = sameSchema(inputs);
    RowMultiset before = duckDb.rows(inputs);
    assertThat(before.rows()).isEqualTo(fixtures.rows());
    Map<String, String> sharedMetadata = sharedKeyValueMetadata(inputs);

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(Location.local(directory).asDirectory());

    Path output = directory.resolve(OUTPUT);
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.skipped()).isEmpty();
    assertThat(result.filesProcessed()).isEqualTo(fixtures.files().size());
    assertThat(result.recordsConsolidated()).isEqualTo(fixtures.rows());
    assertThat(result.outputs()).containsExactly(Location.local(output));
    assertThat(DuckDbVerifier.parquetFilesUnder(directory)).containsExactly(output);
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
    assertThat(withBothAnnotations(duckDb.schema(output))).isEqualTo(schema);
    assertThat(footer(output).keyValueMetadata()).containsAllEntriesOf(sharedMetadata);
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void deduplication_leavesEachWritersDistinctRowsUnderTheSameSchema(Fixtures.Writer writer)
      throws IOException {
    Fixtures fixtures = Fixtures.of(writer);
    List<Path> inputs = fixtures.copyTo(directory);
    String schema = sameSchema(inputs);
    RowMultiset distinct = duckDb.distinctRows(inputs);
    assertThat(distinct.rows()).isEqualTo(fixtures.distinctRows());

    CompactionResult result =
        new CompactionRunner(
                storage, CompactionOptions.builder().deduplicate().build(), CompactionListener.NONE)
            .run(Location.local(directory).asDirectory());

    Path output = directory.resolve(OUTPUT);
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.duplicateRecordsEliminated()).isEqualTo(fixtures.duplicateRows());
    assertThat(result.recordsConsolidated()).isEqualTo(fixtures.distinctRows());
    assertThat(duckDb.rows(List.of(output))).isEqualTo(distinct);
    assertThat(withBothAnnotations(duckDb.schema(output))).isEqualTo(schema);
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void compaction_keepsTheFieldIdOfEventId(Fixtures.Writer writer) throws IOException {
    List<Path> inputs = Fixtures.of(writer).copyTo(directory);
    assertThat(line(duckDb.schema(inputs.get(0)), "event_id")).endsWith(" field_id=100");

    new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
        .run(Location.local(directory).asDirectory());

    assertThat(line(duckDb.schema(directory.resolve(OUTPUT)), "event_id"))
        .endsWith(" field_id=100");
  }

  @Test
  void compaction_ofPyarrowFilesKeepsTheSchemaLetterForLetter() throws IOException {
    List<Path> inputs = Fixtures.of(Fixtures.Writer.PYARROW).copyTo(directory);
    String schema = duckDb.schema(inputs.get(0));

    new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
        .run(Location.local(directory).asDirectory());

    // pyarrow writes both the converted and the logical type, as Baler does: nothing to add.
    assertThat(duckDb.schema(directory.resolve(OUTPUT))).isEqualTo(schema);
  }

  /**
   * The schema all files share, as DuckDB describes it, {@link #withBothAnnotations with both
   * annotations}; fails if the files' schemas differ.
   */
  private String sameSchema(List<Path> files) throws IOException {
    String schema = duckDb.schema(files.get(0));
    for (Path file : files) {
      assertThat(duckDb.schema(file)).as("schema of %s", file).isEqualTo(schema);
    }
    return withBothAnnotations(schema);
  }

  /**
   * The schema description with each converted type's equivalent logical type added where only the
   * converted type is written (DuckDB's files) and each logical type's equivalent converted type
   * where only the logical type is written (polars' time stamps).
   *
   * <p>The Parquet format's backward-compatibility rules make the two annotations of each pair mean
   * the same; parquet-java, which writes Baler's outputs, reads either into one annotation and
   * writes both. Everything else of the description, including which pairs are written at all, is
   * compared letter for letter.
   */
  static String withBothAnnotations(String schema) {
    List<String> lines = new ArrayList<>();
    for (String line : schema.split("\n", -1)) {
      String converted = annotation(line, "converted");
      String logical = annotation(line, "logical");
      if (converted != null && logical == null && EQUIVALENT.containsKey(converted)) {
        line =
            line.replace(
                "converted=" + converted,
                "converted=" + converted + " logical=" + EQUIVALENT.get(converted));
      } else if (converted == null && logical != null) {
        for (var pair : EQUIVALENT.entrySet()) {
          if (pair.getValue().equals(logical)) {
            line = line.replace("logical=", "converted=" + pair.getKey() + " logical=");
          }
        }
      }
      lines.add(line);
    }
    return String.join("\n", lines);
  }

  /** Converted types and their logical equivalents, as DuckDB prints them. */
  private static final Map<String, String> EQUIVALENT =
      Map.of(
          "UTF8", "StringType()",
          "INT_32", "IntType(bitWidth= , isSigned=1)",
          "INT_64", "IntType(bitWidth=@, isSigned=1)",
          "DATE", "DateType()",
          "LIST", "ListType()",
          "MAP", "MapType()",
          "TIMESTAMP_MILLIS",
              "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds(), MICROS=<null>,"
                  + " NANOS=<null>))",
          "TIMESTAMP_MICROS",
              "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(),"
                  + " NANOS=<null>))");

  /** The value of {@code label=} in a description line, up to the next label; null if absent. */
  private static String annotation(String line, String label) {
    int start = line.indexOf(" " + label + "=");
    if (start < 0) {
      return null;
    }
    start += label.length() + 2;
    int end = line.length();
    for (String next : List.of(" logical=", " scale=", " precision=", " field_id=")) {
      int at = line.indexOf(next, start);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return line.substring(start, end);
  }

  /** The line of the top-level column {@code name} in a schema description. */
  private static String line(String schema, String name) {
    return schema
        .lines()
        .filter(line -> line.matches("  \\S+ \\S+ " + name + "( .*)?"))
        .findFirst()
        .orElseThrow();
  }

  /** The key-value metadata entries every file has with the same value. */
  private Map<String, String> sharedKeyValueMetadata(List<Path> files) throws IOException {
    Map<String, String> shared = new HashMap<>(footer(files.get(0)).keyValueMetadata());
    for (Path file : files) {
      Map<String, String> metadata = footer(file).keyValueMetadata();
      shared.entrySet().removeIf(entry -> !entry.getValue().equals(metadata.get(entry.getKey())));
    }
    return shared;
  }

  private Footer footer(Path file) throws IOException {
    return Footer.read(storage.newInputFile(Location.local(file)));
  }
}
