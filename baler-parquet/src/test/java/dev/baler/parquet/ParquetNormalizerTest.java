package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baler.parquet.ParquetInputs.Writing;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that show each defect normalisation repairs, written with parquet-java; the outputs are
 * read by DuckDB, which shares no code with Baler, and their footers are checked.
 */
class ParquetNormalizerTest {
  private final LocalStorage storage = new LocalStorage();
  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path directory;

  private NormalizationResult normalize(Path input, Path output) throws IOException {
    return normalize(input, output, NormalizationOptions.defaults());
  }

  private NormalizationResult normalize(Path input, Path output, NormalizationOptions options)
      throws IOException {
    ParquetNormalizer normalizer = new ParquetNormalizer(options);
    NormalizationResult result =
        normalizer.normalize(
            storage.newInputFile(Location.local(input)),
            storage.newOutputFile(Location.local(output)),
            NormalizationListener.NONE);
    assertThat(normalizer.verify(storage.newInputFile(Location.local(output)), result)).isEmpty();
    return result;
  }

  private Footer footer(Path file) throws IOException {
    return Footer.read(storage.newInputFile(Location.local(file)));
  }

  @Test
  void dataPagesV2_areWrittenAsV1WithStatistics() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("v2.parquet"),
            "message m { required int64 id; optional binary name (STRING); }",
            new Writing(WriterVersion.PARQUET_2_0, false, Map.of()),
            groups -> {
              List<Group> rows = new ArrayList<>();
              for (int i = 0; i < 1000; i++) {
                Group row = groups.newGroup().append("id", (long) i);
                if (i % 3 != 0) {
                  row.append("name", "name-" + (i % 17));
                }
                rows.add(row);
              }
              return rows;
            });
    Path output = directory.resolve("out.parquet");
    assertThat(ParquetNormalizer.usesV2Pages(footer(input))).isTrue();
    assertThat(columnChunks(input)).allMatch(column -> column.getStatistics().isEmpty());

    NormalizationResult result = normalize(input, output);

    assertThat(result.rows()).isEqualTo(1000);
    assertThat(result.changes()).containsExactly("data pages V2 written as V1");
    assertThat(ParquetNormalizer.usesV2Pages(footer(output))).isFalse();
    assertThat(columnChunks(output))
        .allSatisfy(
            column -> {
              assertThat(column.getEncodingStats().usesV2Pages()).isFalse();
              assertThat(column.getStatistics().isEmpty()).isFalse();
              assertThat(column.getStatistics().getNumNulls()).isNotNegative();
            });
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(input)));
    assertThat(duckDb.rows(List.of(output)).rows()).isEqualTo(1000);
  }

  @Test
  void twoLevelLists_areReleveledAsThreeLevelLists() throws IOException {
    // null list, empty list, one element, several; a two-level list of structs
    Path input =
        ParquetInputs.write(
            directory.resolve("two-level.parquet"),
            "message m { required int32 id;"
                + " optional group values (LIST) { repeated int32 values; }"
                + " optional group points (LIST) { repeated group point { required int32 x; optional int32 y; } } }",
            groups -> {
              Group nullList = groups.newGroup().append("id", 1);
              Group empty = groups.newGroup().append("id", 2);
              empty.addGroup("values");
              empty.addGroup("points");
              Group one = groups.newGroup().append("id", 3);
              one.addGroup("values").append("values", 42);
              one.addGroup("points").addGroup("point").append("x", 1);
              Group several = groups.newGroup().append("id", 4);
              Group values = several.addGroup("values");
              values.append("values", 1).append("values", 2).append("values", 3);
              Group points = several.addGroup("points");
              points.addGroup("point").append("x", 1).append("y", 2);
              points.addGroup("point").append("x", 3);
              return List.of(nullList, empty, one, several);
            });
    Path output = directory.resolve("out.parquet");

    NormalizationResult result = normalize(input, output);

    assertThat(result.changes())
        .containsExactly(
            "column 'values': two-level list made three-level",
            "column 'points': two-level list made three-level");
    assertThat(duckDb.schema(output))
        .isEqualTo(
            "message\n"
                + "  required INT32 id\n"
                + "  optional group values converted=LIST logical=ListType()\n"
                + "    repeated group list\n"
                + "      required INT32 element\n"
                + "  optional group points converted=LIST logical=ListType()\n"
                + "    repeated group list\n"
                + "      required group element\n"
                + "        required INT32 x\n"
                + "        optional INT32 y");
    Path expected =
        ParquetInputs.write(
            directory.resolve("expected.parquet"),
            "message m { required int32 id;"
                + " optional group values (LIST) { repeated group list { required int32 element; } }"
                + " optional group points (LIST) { repeated group list {"
                + "   required group element { required int32 x; optional int32 y; } } } }",
            groups -> {
              Group nullList = groups.newGroup().append("id", 1);
              Group empty = groups.newGroup().append("id", 2);
              empty.addGroup("values");
              empty.addGroup("points");
              Group one = groups.newGroup().append("id", 3);
              one.addGroup("values").addGroup("list").append("element", 42);
              one.addGroup("points").addGroup("list").addGroup("element").append("x", 1);
              Group several = groups.newGroup().append("id", 4);
              Group values = several.addGroup("values");
              for (int value = 1; value <= 3; value++) {
                values.addGroup("list").append("element", value);
              }
              Group points = several.addGroup("points");
              points.addGroup("list").addGroup("element").append("x", 1).append("y", 2);
              points.addGroup("list").addGroup("element").append("x", 3);
              return List.of(nullList, empty, one, several);
            });
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(expected)));
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(input)));
  }

  @Test
  void arrowAndHiveElementNames_areRenamedKeepingNullElements() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("names.parquet"),
            "message m { optional group a (LIST) { repeated group list { optional int64 item; } }"
                + " optional group h (LIST) { repeated group bag { optional binary array_element (STRING); } } }",
            groups -> {
              Group row = groups.newGroup();
              Group a = row.addGroup("a");
              a.addGroup("list").append("item", 5L);
              a.addGroup("list"); // a null element
              a.addGroup("list").append("item", 7L);
              row.addGroup("h").addGroup("bag").append("array_element", "x");
              Group other = groups.newGroup();
              other.addGroup("a");
              return List.of(row, other);
            });
    Path output = directory.resolve("out.parquet");

    normalize(input, output);

    assertThat(duckDb.schema(output))
        .contains("repeated group list\n      optional INT64 element")
        .contains("repeated group list\n      optional BYTE_ARRAY element")
        .doesNotContain("item", "bag", "array_element");
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(input)));
  }

  @Test
  void repeatedFieldsAndLegacyMaps_becomeStandardListsAndMaps() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("legacy.parquet"),
            "message m { required int32 id; repeated binary tags (STRING);"
                + " optional group attributes (MAP) { repeated group map (MAP_KEY_VALUE) {"
                + "   required binary name (STRING); optional int64 count; } } }",
            groups -> {
              Group row = groups.newGroup().append("id", 1).append("tags", "a").append("tags", "b");
              Group attributes = row.addGroup("attributes");
              attributes.addGroup("map").append("name", "k1").append("count", 10L);
              attributes.addGroup("map").append("name", "k2");
              Group bare = groups.newGroup().append("id", 2);
              return List.of(row, bare);
            });
    Path output = directory.resolve("out.parquet");

    normalize(input, output);

    assertThat(duckDb.schema(output))
        .isEqualTo(
            "message\n"
                + "  required INT32 id\n"
                + "  required group tags converted=LIST logical=ListType()\n"
                + "    repeated group list\n"
                + "      required BYTE_ARRAY element converted=UTF8 logical=StringType()\n"
                + "  optional group attributes converted=MAP logical=MapType()\n"
                + "    repeated group key_value\n"
                + "      required BYTE_ARRAY key converted=UTF8 logical=StringType()\n"
                + "      optional INT64 value");
    Path expected =
        ParquetInputs.write(
            directory.resolve("expected.parquet"),
            "message m { required int32 id;"
                + " required group tags (LIST) { repeated group list { required binary element (STRING); } }"
                + " optional group attributes (MAP) { repeated group key_value {"
                + "   required binary key (STRING); optional int64 value; } } }",
            groups -> {
              Group row = groups.newGroup().append("id", 1);
              Group tags = row.addGroup("tags");
              tags.addGroup("list").append("element", "a");
              tags.addGroup("list").append("element", "b");
              Group attributes = row.addGroup("attributes");
              attributes.addGroup("key_value").append("key", "k1").append("value", 10L);
              attributes.addGroup("key_value").append("key", "k2");
              Group bare = groups.newGroup().append("id", 2);
              bare.addGroup("tags");
              return List.of(row, bare);
            });
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(expected)));
  }

  @Test
  void nanosecondAndInt96Timestamps_becomeMicrosecondsCountingLostPrecision() throws IOException {
    long base = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z in nanoseconds
    long[] nanos = {base, base + 1_000, base + 1_234_567, base + 999, -1};
    Path input =
        ParquetInputs.write(
            directory.resolve("timestamps.parquet"),
            "message m { required int32 id; optional int64 utc (TIMESTAMP(NANOS,true));"
                + " optional int64 local (TIMESTAMP(NANOS,false)); optional int96 legacy;"
                + " optional int64 millis (TIMESTAMP(MILLIS,true)); }",
            groups -> {
              List<Group> rows = new ArrayList<>();
              for (int i = 0; i < nanos.length; i++) {
                rows.add(
                    groups
                        .newGroup()
                        .append("id", i)
                        .append("utc", nanos[i])
                        .append("local", nanos[i])
                        .append("legacy", int96(nanos[i]))
                        .append("millis", Math.floorDiv(nanos[i], 1_000_000L)));
              }
              rows.add(groups.newGroup().append("id", nanos.length));
              return rows;
            });
    Path output = directory.resolve("out.parquet");

    NormalizationResult result = normalize(input, output);

    // 1,234,567, 999 and -1 ns are not whole microseconds, in each of three nanosecond columns
    assertThat(result.truncatedTimestamps()).isEqualTo(9);
    Path expected =
        ParquetInputs.write(
            directory.resolve("expected.parquet"),
            "message m { required int32 id; optional int64 utc (TIMESTAMP(MICROS,true));"
                + " optional int64 local (TIMESTAMP(MICROS,false));"
                + " optional int64 legacy (TIMESTAMP(MICROS,false));"
                + " optional int64 millis (TIMESTAMP(MICROS,true)); }",
            groups -> {
              List<Group> rows = new ArrayList<>();
              for (int i = 0; i < nanos.length; i++) {
                long micros = Math.floorDiv(nanos[i], 1_000L);
                rows.add(
                    groups
                        .newGroup()
                        .append("id", i)
                        .append("utc", micros)
                        .append("local", micros)
                        .append("legacy", micros)
                        .append("millis", Math.floorDiv(nanos[i], 1_000_000L) * 1_000L));
              }
              rows.add(groups.newGroup().append("id", nanos.length));
              return rows;
            });
    assertThat(duckDb.schema(output)).isEqualTo(duckDb.schema(expected));
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(expected)));
  }

  @Test
  void unsignedInt64AboveSignedRange_isRefusedUnlessConvertedToDecimal() throws IOException {
    String schema = "message m { required int32 id; optional int64 counter (INTEGER(64,false)); }";
    Path input =
        ParquetInputs.write(
            directory.resolve("uint64.parquet"),
            schema,
            groups ->
                List.of(
                    groups.newGroup().append("id", 1).append("counter", 5L),
                    groups.newGroup().append("id", 2).append("counter", -1L), // 2^64-1
                    groups.newGroup().append("id", 3)));
    Path refused = directory.resolve("refused.parquet");

    assertThatThrownBy(() -> normalize(input, refused))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessage(
            "Cannot read "
                + Location.local(input)
                + ": column 'counter' holds the unsigned 64-bit value 18446744073709551615,"
                + " above 2^63-1, which readers such as Snowflake take as negative"
                + " (convert such columns to DECIMAL(20,0): --uint64-as decimal)");
    assertThat(refused).doesNotExist();
    assertThat(directory)
        .isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("."));

    Path output = directory.resolve("decimal.parquet");
    NormalizationResult result =
        normalize(
            input,
            output,
            NormalizationOptions.builder().uint64Handling(Uint64Handling.DECIMAL).build());

    assertThat(result.changes())
        .containsExactly("column 'counter': unsigned INT64 made DECIMAL(20,0)");
    // the same values written as variable-length binary decimals, another physical layout
    Path expected =
        ParquetInputs.write(
            directory.resolve("expected.parquet"),
            "message m { required int32 id; optional binary counter (DECIMAL(20,0)); }",
            groups ->
                List.of(
                    groups.newGroup().append("id", 1).append("counter", decimal("5")),
                    groups
                        .newGroup()
                        .append("id", 2)
                        .append("counter", decimal("18446744073709551615")),
                    groups.newGroup().append("id", 3)));
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(expected)));
  }

  @Test
  void unsignedInt64WithinSignedRange_isKept() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("uint64.parquet"),
            "message m { optional int64 counter (INTEGER(64,false)); }",
            groups -> List.of(groups.newGroup().append("counter", Long.MAX_VALUE)));
    Path output = directory.resolve("out.parquet");

    NormalizationResult result = normalize(input, output);

    assertThat(result.changes()).isEmpty();
    assertThat(footer(output).schema()).isEqualTo(footer(input).schema());
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(List.of(input)));
  }

  @Test
  void arrowSchemaEntry_isDroppedAndOtherMetadataKept() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("arrow.parquet"),
            "message m { required int32 id; }",
            new Writing(
                WriterVersion.PARQUET_1_0,
                true,
                Map.of(
                    "ARROW:schema",
                    "/////7gAAAAQAAAAAAAKAA4ABgAFAAgACgAAAAABBAA=",
                    "origin",
                    "test")),
            groups -> List.of(groups.newGroup().append("id", 1)));
    Path output = directory.resolve("out.parquet");

    NormalizationResult result = normalize(input, output);

    assertThat(result.changes()).containsExactly("ARROW:schema key-value metadata dropped");
    assertThat(footer(output).keyValueMetadata())
        .doesNotContainKey("ARROW:schema")
        .containsEntry("origin", "test");
  }

  /** A key-value pair without a value (Thrift's value is optional) is kept as it is. */
  @Test
  void keyValuePairWithoutAValue_isKept() throws IOException {
    Path written =
        ParquetInputs.write(
            directory.resolve("written.parquet"),
            "message m { required int32 id; }",
            new Writing(WriterVersion.PARQUET_1_0, true, Map.of("origin", "test")),
            groups -> List.of(groups.newGroup().append("id", 1)));
    Path input = directory.resolve("unset.parquet");
    Files.write(
        input,
        TestFiles.withFooter(
            Files.readAllBytes(written),
            metadata -> metadata.addToKey_value_metadata(new KeyValue("unset"))));
    Path output = directory.resolve("out.parquet");

    normalize(input, output);

    Map<String, String> kept = footer(output).keyValueMetadata();
    assertThat(kept).containsEntry("origin", "test").containsKey("unset");
    assertThat(kept.get("unset")).isNull();
  }

  @Test
  void repeatedRoot_isWrittenWithoutRepetition() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("root.parquet"),
            "message m { required int32 id; optional binary name (STRING); }",
            groups ->
                List.of(
                    groups.newGroup().append("id", 1).append("name", "a"),
                    groups.newGroup().append("id", 2)));
    RowMultiset before = duckDb.rows(List.of(input));
    ParquetInputs.repeatRoot(input);
    assertThat(ParquetInputs.rawFooter(input).getSchema().get(0).isSetRepetition_type()).isTrue();
    Path output = directory.resolve("out.parquet");

    normalize(input, output);

    FileMetaData footer = ParquetInputs.rawFooter(output);
    assertThat(footer.getSchema().get(0).isSetRepetition_type()).isFalse();
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
  }

  @Test
  void verify_findsAnOutputThatIsNotWhatWasWritten() throws IOException {
    Path first =
        ParquetInputs.write(
            directory.resolve("a.parquet"),
            "message m { required int32 id; }",
            groups ->
                List.of(groups.newGroup().append("id", 1), groups.newGroup().append("id", 2)));
    Path second =
        ParquetInputs.write(
            directory.resolve("b.parquet"),
            "message m { required int32 id; }",
            groups ->
                List.of(groups.newGroup().append("id", 1), groups.newGroup().append("id", 3)));
    ParquetNormalizer normalizer = new ParquetNormalizer(NormalizationOptions.defaults());
    Location output = Location.local(directory.resolve("out.parquet"));
    NormalizationResult result =
        normalizer.normalize(
            storage.newInputFile(Location.local(first)),
            storage.newOutputFile(output),
            NormalizationListener.NONE);
    Files.copy(second, output.toLocalPath(), StandardCopyOption.REPLACE_EXISTING);

    assertThat(normalizer.verify(storage.newInputFile(output), result))
        .hasValueSatisfying(
            reason -> assertThat(reason).startsWith("the output's rows differ from those written"));
  }

  @Test
  void badInputs_failWithTheFootersReasonAndLeaveNothing() throws IOException {
    Path empty = Files.write(directory.resolve("empty.parquet"), new byte[0]);
    Path text = Files.writeString(directory.resolve("text.parquet"), "not parquet at all, surely");
    ParquetNormalizer normalizer = new ParquetNormalizer(NormalizationOptions.defaults());

    assertThat(refusal(normalizer, empty, "o1.parquet")).isEqualTo("empty file (0 bytes)");
    assertThat(refusal(normalizer, text, "o2.parquet"))
        .isEqualTo("not a Parquet file: no PAR1 magic number at its start or end");
    assertThat(directory.resolve("o1.parquet")).doesNotExist();
    assertThat(directory.resolve("o2.parquet")).doesNotExist();
  }

  @Test
  void listener_hearsOfEveryBatch() throws IOException {
    Path input =
        ParquetInputs.write(
            directory.resolve("rows.parquet"),
            "message m { required int32 id; }",
            groups -> {
              List<Group> rows = new ArrayList<>();
              for (int i = 0; i < 25; i++) {
                rows.add(groups.newGroup().append("id", i));
              }
              return rows;
            });
    List<Long> batches = new ArrayList<>();

    new ParquetNormalizer(NormalizationOptions.builder().batchRows(10).build())
        .normalize(
            storage.newInputFile(Location.local(input)),
            storage.newOutputFile(Location.local(directory.resolve("out.parquet"))),
            batches::add);

    assertThat(batches).containsExactly(10L, 10L, 5L);
  }

  /** The reason {@code normalizer} refuses {@code input} with, writing to {@code output}. */
  private String refusal(ParquetNormalizer normalizer, Path input, String output) {
    Throwable thrown =
        catchThrowable(
            () ->
                normalizer.normalize(
                    storage.newInputFile(Location.local(input)),
                    storage.newOutputFile(Location.local(directory.resolve(output))),
                    NormalizationListener.NONE));
    assertThat(thrown).isInstanceOf(InvalidParquetFileException.class);
    return ((InvalidParquetFileException) thrown).reason();
  }

  private List<ColumnChunkMetaData> columnChunks(Path file) throws IOException {
    List<ColumnChunkMetaData> columns = new ArrayList<>();
    for (BlockMetaData block : footer(file).rowGroups()) {
      columns.addAll(block.getColumns());
    }
    return columns;
  }

  private static NanoTime int96(long epochNanos) {
    long day = Math.floorDiv(epochNanos, 86_400_000_000_000L);
    long nanosOfDay = Math.floorMod(epochNanos, 86_400_000_000_000L);
    return new NanoTime((int) (day + 2_440_588L), nanosOfDay);
  }

  private static Binary decimal(String value) {
    return Binary.fromConstantByteArray(new BigInteger(value).toByteArray());
  }
}
