package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.testing.Fixtures.Writer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DuckDbVerifierTest {
  private final DuckDbVerifier verifier = new DuckDbVerifier();

  @TempDir Path directory;

  @Test
  void rows_sameRowsInOtherOrderAndFiles_giveEqualMultiset() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("in"));
    Path even =
        write(
            "even.parquet",
            "SELECT * FROM " + source(fixtures) + " WHERE event_id % 2 = 0 ORDER BY trace_id DESC");
    Path odd =
        write(
            "odd.parquet",
            "SELECT * FROM "
                + source(fixtures)
                + " WHERE event_id % 2 = 1 ORDER BY duration_ms, trace_id");

    RowMultiset original = verifier.rows(fixtures);

    assertThat(original.rows()).isEqualTo(Fixtures.of(Writer.PYARROW).rows());
    assertThat(verifier.rows(List.of(odd, even))).isEqualTo(original);
    assertThat(verifier.rows(List.of(fixtures.get(2), fixtures.get(0), fixtures.get(1))))
        .isEqualTo(original);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "duration_ms | duration_ms + 1",
        "timestamp   | timestamp + INTERVAL 1 MILLISECOND",
        "user_id     | coalesce(user_id, 0) + 1",
        "location    | {'lat': 1.25, 'lon': 2.5}",
        "tags        | list_append(coalesce(tags, []), 'changed')",
      })
  void rows_oneChangedValue_changesFingerprintButNotCount(String column, String changed)
      throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("in"));
    Path file =
        write(
            "changed.parquet",
            String.format(
                "SELECT * REPLACE (CASE WHEN event_id = 7 THEN %2$s ELSE %1$s END AS %1$s) FROM %3$s",
                column, changed, source(fixtures)));

    RowMultiset original = verifier.rows(fixtures);
    RowMultiset after = verifier.rows(List.of(file));

    assertThat(after.rows()).isEqualTo(original.rows());
    assertThat(after.fingerprint()).isNotEqualTo(original.fingerprint());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // a null list becomes an empty one, and the other way round
        "CASE WHEN tags IS NULL THEN []::VARCHAR[] WHEN len(tags) = 0 THEN NULL ELSE tags END"
            + " AS tags",
        // a null struct becomes a struct of nulls
        "CASE WHEN location IS NULL THEN {'lat': NULL::DOUBLE, 'lon': NULL::DOUBLE}"
            + " ELSE location END AS location",
      })
  void rows_nullBecomingEmpty_changesFingerprint(String change) throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.DUCKDB).copyTo(directory.resolve("in"));
    Path changed =
        write("changed.parquet", "SELECT * REPLACE (" + change + ") FROM " + source(fixtures));

    assertThat(verifier.rows(List.of(changed)).fingerprint())
        .isNotEqualTo(verifier.rows(fixtures).fingerprint());
  }

  @Test
  void rows_droppedRow_changesCountAndFingerprint() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("in"));
    Path dropped =
        write(
            "dropped.parquet",
            "SELECT * EXCLUDE (n) FROM " + numbered(fixtures) + " WHERE n <> 100");

    RowMultiset original = verifier.rows(fixtures);
    RowMultiset after = verifier.rows(List.of(dropped));

    assertThat(after.rows()).isEqualTo(original.rows() - 1);
    assertThat(after.fingerprint()).isNotEqualTo(original.fingerprint());
  }

  @Test
  void rows_duplicatedRow_changesCountAndFingerprint() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("in"));
    Path repeated =
        write(
            "repeated.parquet",
            "SELECT * EXCLUDE (n) FROM "
                + numbered(fixtures)
                + " UNION ALL SELECT * EXCLUDE (n) FROM "
                + numbered(fixtures)
                + " WHERE n = 100");

    RowMultiset original = verifier.rows(fixtures);
    RowMultiset after = verifier.rows(List.of(repeated));

    assertThat(after.rows()).isEqualTo(original.rows() + 1);
    assertThat(after.fingerprint()).isNotEqualTo(original.fingerprint());
  }

  @Test
  void rows_oneRowDroppedAndAnotherRepeated_keepsCountButChangesFingerprint() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("in"));
    // The first and the last event are different rows: only earlier events repeat in the fixtures.
    String numbered = numbered(fixtures);
    Path swapped =
        write(
            "swapped.parquet",
            "SELECT * EXCLUDE (n) FROM "
                + numbered
                + " WHERE n < (SELECT max(n) FROM "
                + numbered
                + ") UNION ALL SELECT * EXCLUDE (n) FROM "
                + numbered
                + " WHERE n = 1");

    RowMultiset original = verifier.rows(fixtures);
    RowMultiset after = verifier.rows(List.of(swapped));

    assertThat(after.rows()).isEqualTo(original.rows());
    assertThat(after.fingerprint()).isNotEqualTo(original.fingerprint());
  }

  @ParameterizedTest
  @EnumSource(Writer.class)
  void distinctRows_removeTheFixturesRepeatedRows(Writer writer) throws Exception {
    Fixtures fixtures = Fixtures.of(writer);
    List<Path> files = fixtures.copyTo(directory.resolve("in"));

    RowMultiset all = verifier.rows(files);
    RowMultiset distinct = verifier.distinctRows(files);

    assertThat(fixtures.duplicateRows()).isPositive();
    assertThat(all.rows()).isEqualTo(fixtures.rows());
    assertThat(distinct.rows()).isEqualTo(fixtures.distinctRows());
    assertThat(distinct.fingerprint()).isNotEqualTo(all.fingerprint());
  }

  @Test
  void distinctRows_ofDeduplicatedFile_equalRowsOfIt() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.POLARS).copyTo(directory.resolve("in"));
    Path deduplicated = write("deduplicated.parquet", "SELECT DISTINCT * FROM " + source(fixtures));

    assertThat(verifier.rows(List.of(deduplicated))).isEqualTo(verifier.distinctRows(fixtures));
    assertThat(verifier.distinctRows(List.of(deduplicated)))
        .isEqualTo(verifier.distinctRows(fixtures));
  }

  @Test
  void rows_noFiles_isEmpty() throws Exception {
    assertThat(verifier.rows(List.of())).isEqualTo(RowMultiset.EMPTY);
    assertThat(verifier.distinctRows(List.of())).isEqualTo(RowMultiset.EMPTY);
    assertThat(RowMultiset.EMPTY.fingerprint()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void rows_fileWithoutRows_isEmpty() throws Exception {
    List<Path> fixtures = Fixtures.of(Writer.DUCKDB).copyTo(directory.resolve("in"));
    Path empty = write("empty.parquet", "SELECT * FROM " + source(fixtures) + " LIMIT 0");

    assertThat(verifier.rows(List.of(empty))).isEqualTo(RowMultiset.EMPTY);
  }

  @Test
  void rows_physicalLayoutDoesNotMatter_butMapAsListOfStructsDoes() throws Exception {
    RowMultiset pyarrow =
        verifier.rows(Fixtures.of(Writer.PYARROW).copyTo(directory.resolve("pyarrow")));
    RowMultiset duckdb =
        verifier.rows(Fixtures.of(Writer.DUCKDB).copyTo(directory.resolve("duckdb")));
    RowMultiset polars =
        verifier.rows(Fixtures.of(Writer.POLARS).copyTo(directory.resolve("polars")));

    // pyarrow and DuckDB differ in time stamp unit, decimal encoding and required columns only.
    assertThat(duckdb).isEqualTo(pyarrow);
    // polars writes the attributes map as a list of key/value structs.
    assertThat(polars.rows()).isEqualTo(pyarrow.rows());
    assertThat(polars.fingerprint()).isNotEqualTo(pyarrow.fingerprint());
  }

  @Test
  void rows_unreadableFile_throwsNamingIt() throws Exception {
    Path broken = Files.writeString(directory.resolve("broken.parquet"), "not parquet");

    assertThatThrownBy(() -> verifier.rows(List.of(broken)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot read the rows of [" + broken.toAbsolutePath() + "]: ");
  }

  @Test
  void rows_pathWithGlobCharacter_isRejected() {
    Path globbed = directory.resolve("events.*.parquet");

    assertThatThrownBy(() -> verifier.rows(List.of(globbed)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid Parquet file path "
                + globbed.toAbsolutePath()
                + ": DuckDB would read '*' as a glob");
  }

  @ParameterizedTest
  @EnumSource(Writer.class)
  void schema_isTheSameForEveryFileOfOneWriter(Writer writer) throws Exception {
    List<Path> files = Fixtures.of(writer).copyTo(directory.resolve("in"));

    String first = verifier.schema(files.get(0));

    assertThat(first).startsWith("message\n");
    for (Path file : files) {
      assertThat(verifier.schema(file)).isEqualTo(first);
    }
  }

  @Test
  void schema_differsBetweenWriters() throws Exception {
    String pyarrow = firstSchema(Writer.PYARROW);
    String duckdb = firstSchema(Writer.DUCKDB);
    String polars = firstSchema(Writer.POLARS);
    System.out.println(
        "pyarrow:\n" + pyarrow + "\n\nduckdb:\n" + duckdb + "\n\npolars:\n" + polars);

    assertThat(pyarrow).isNotEqualTo(duckdb).isNotEqualTo(polars);
    assertThat(duckdb).isNotEqualTo(polars);
    // Every writer sets the field id on event_id.
    assertThat(pyarrow).contains("\n  required INT64 event_id field_id=100\n");
    assertThat(duckdb).contains("\n  optional INT64 event_id converted=INT_64 field_id=100\n");
    assertThat(polars).contains("\n  optional INT64 event_id field_id=100\n");
    // Time stamps: milliseconds from pyarrow and polars (polars without a converted type),
    // microseconds from DuckDB; all adjusted to UTC.
    assertThat(pyarrow).contains("required INT64 timestamp converted=TIMESTAMP_MILLIS ");
    assertThat(duckdb).contains("optional INT64 timestamp converted=TIMESTAMP_MICROS ");
    assertThat(polars).contains("optional INT64 timestamp logical=TimestampType(isAdjustedToUTC=1");
    // Maps: a MAP of key_value from pyarrow and DuckDB, a LIST of structs from polars.
    assertThat(pyarrow).contains("optional group attributes converted=MAP logical=MapType()\n");
    assertThat(duckdb).contains("optional group attributes converted=MAP\n");
    assertThat(polars)
        .contains(
            "optional group attributes converted=LIST logical=ListType()\n"
                + "    repeated group list\n"
                + "      optional group element\n");
    // Decimals: fixed-length bytes from pyarrow, INT64 from the others.
    assertThat(pyarrow).contains("optional FIXED_LEN_BYTE_ARRAY price length=5 converted=DECIMAL");
    assertThat(duckdb).contains("optional INT64 price converted=DECIMAL");
    assertThat(polars).contains("optional INT64 price converted=DECIMAL");
  }

  @Test
  void schema_unreadableFile_throwsNamingIt() throws Exception {
    Path broken = Files.writeString(directory.resolve("broken.parquet"), "not parquet");

    assertThatThrownBy(() -> verifier.schema(broken))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(
            "Cannot read the Parquet schema of " + broken.toAbsolutePath() + ": ");
  }

  @Test
  void parquetFilesUnder_findsParquetFilesAtAnyDepthInOrder() throws Exception {
    Path nested = Files.createDirectories(directory.resolve("date=2024-01-01/hour=00"));
    Path top = touch(directory.resolve("b.parquet"));
    Path abbreviated = touch(directory.resolve("a.parq"));
    Path deep = touch(nested.resolve("events.1704067200000.c.parquet"));
    touch(directory.resolve("b.parquet.processed"));
    touch(directory.resolve("notes.txt"));
    Files.createDirectories(directory.resolve("folder.parquet"));

    assertThat(DuckDbVerifier.parquetFilesUnder(directory)).containsExactly(abbreviated, top, deep);
  }

  private String firstSchema(Writer writer) throws IOException {
    return verifier.schema(
        Fixtures.of(writer).copyTo(directory.resolve(writer.directoryName())).get(0));
  }

  private static Path touch(Path file) throws IOException {
    return Files.write(file, "x".getBytes(StandardCharsets.UTF_8));
  }

  /** The rows of {@code files} with a column {@code n} numbering them in event order from 1. */
  private static String numbered(List<Path> files) {
    return "(SELECT *, row_number() OVER (ORDER BY event_id, trace_id) AS n FROM "
        + source(files)
        + ")";
  }

  private static String source(List<Path> files) {
    return files.stream()
        .map(file -> "'" + file.toAbsolutePath().toString().replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "read_parquet([", "])"));
  }

  /** Writes the result of {@code query} with DuckDB into a new file of the test directory. */
  private Path write(String fileName, String query) throws IOException, SQLException {
    Path target = Files.createDirectories(directory.resolve("out")).resolve(fileName);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions=false");
      statement.execute("SET autoload_known_extensions=false");
      statement.execute(
          "COPY ("
              + query
              + ") TO '"
              + target.toAbsolutePath().toString().replace("'", "''")
              + "' (FORMAT parquet)");
    }
    return target;
  }
}
