package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

class SchemaNormalizerTest {
  private static NormalizedSchema normalize(String schema) {
    return normalize(schema, Uint64Handling.REFUSE);
  }

  private static NormalizedSchema normalize(String schema, Uint64Handling uint64) {
    return SchemaNormalizer.normalize(MessageTypeParser.parseMessageType(schema), uint64);
  }

  private static MessageType parse(String schema) {
    return MessageTypeParser.parseMessageType(schema);
  }

  @Test
  void standardSchema_isKeptAsItIs() {
    String schema =
        "message m { required int64 id = 7; optional binary name (STRING);"
            + " optional group tags (LIST) { repeated group list { optional binary element (STRING); } }"
            + " optional group attributes (MAP) { repeated group key_value {"
            + "   required binary key (STRING); optional int32 value; } }"
            + " optional int64 at (TIMESTAMP(MICROS,true));"
            + " optional group point { required double x; required double y; }"
            + " optional fixed_len_byte_array(16) amount (DECIMAL(38,2)); }";

    NormalizedSchema normalized = normalize(schema);

    assertThat(normalized.output()).isEqualTo(parse(schema));
    assertThat(normalized.changes()).isEmpty();
  }

  @Test
  void twoLevelListOfPrimitives_becomesThreeLevelWithRequiredElements() {
    NormalizedSchema normalized =
        normalize("message m { optional group values (LIST) { repeated int32 values; } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { optional group values (LIST) {"
                    + " repeated group list { required int32 element; } } }"));
    assertThat(normalized.changes())
        .containsExactly("column 'values': two-level list made three-level");
  }

  @Test
  void twoLevelListOfStructs_keepsTheStructAsElement() {
    // a repeated group of two fields, and one named "array", are elements themselves
    NormalizedSchema normalized =
        normalize(
            "message m {"
                + " required group points (LIST) { repeated group point { required int32 x; required int32 y; } }"
                + " optional group names (LIST) { repeated group array { required binary name (STRING); } } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m {"
                    + " required group points (LIST) { repeated group list {"
                    + "   required group element { required int32 x; required int32 y; } } }"
                    + " optional group names (LIST) { repeated group list {"
                    + "   required group element { required binary name (STRING); } } } }"));
  }

  @Test
  void nonStandardElementNames_areRenamed() {
    NormalizedSchema normalized =
        normalize(
            "message m {"
                + " optional group arrow (LIST) { repeated group list { optional int64 item; } }"
                + " optional group hive (LIST) { repeated group bag { optional binary array_element (STRING); } } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m {"
                    + " optional group arrow (LIST) { repeated group list { optional int64 element; } }"
                    + " optional group hive (LIST) { repeated group list { optional binary element (STRING); } } }"));
    assertThat(normalized.changes())
        .containsExactly(
            "column 'arrow': list names 'list.item' made 'list.element'",
            "column 'hive': list names 'bag.array_element' made 'list.element'");
  }

  @Test
  void repeatedFieldOutsideList_becomesRequiredList() {
    NormalizedSchema normalized =
        normalize(
            "message m { required int32 id; repeated binary tags (STRING);"
                + " optional group nested { repeated group pair { required int32 a; } } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { required int32 id;"
                    + " required group tags (LIST) { repeated group list { required binary element (STRING); } }"
                    + " optional group nested { required group pair (LIST) { repeated group list {"
                    + "   required group element { required int32 a; } } } } }"));
    assertThat(normalized.changes())
        .containsExactly(
            "column 'tags': repeated field outside a LIST group made a three-level list",
            "column 'nested.pair': repeated field outside a LIST group made a three-level list");
  }

  @Test
  void nestedTwoLevelLists_areNormalizedAtEveryLevel() {
    NormalizedSchema normalized =
        normalize(
            "message m { optional group matrix (LIST) { repeated group rows (LIST) { repeated double rows; } } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { optional group matrix (LIST) { repeated group list {"
                    + " required group element (LIST) { repeated group list { required double element; } } } } }"));
  }

  @Test
  void legacyMap_becomesStandardMap() {
    NormalizedSchema normalized =
        normalize(
            "message m { optional group attributes (MAP) { repeated group map (MAP_KEY_VALUE) {"
                + " required binary name (STRING); optional int64 count; } } }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { optional group attributes (MAP) { repeated group key_value {"
                    + " required binary key (STRING); optional int64 value; } } }"));
    assertThat(normalized.changes())
        .containsExactly(
            "column 'attributes': map made the standard MAP of key_value (key, value)");
  }

  @Test
  void timestamps_becomeMicrosecondsKeepingAdjustedToUtc() {
    NormalizedSchema normalized =
        normalize(
            "message m { required int64 a (TIMESTAMP(NANOS,true)); optional int64 b (TIMESTAMP(NANOS,false));"
                + " optional int64 c (TIMESTAMP(MILLIS,true)); optional int96 d;"
                + " optional int64 e (TIMESTAMP(MICROS,false)); }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { required int64 a (TIMESTAMP(MICROS,true)); optional int64 b (TIMESTAMP(MICROS,false));"
                    + " optional int64 c (TIMESTAMP(MICROS,true)); optional int64 d (TIMESTAMP(MICROS,false));"
                    + " optional int64 e (TIMESTAMP(MICROS,false)); }"));
    assertThat(normalized.changes())
        .containsExactly(
            "column 'a': TIMESTAMP(NANOS) made TIMESTAMP(MICROS)",
            "column 'b': TIMESTAMP(NANOS) made TIMESTAMP(MICROS)",
            "column 'c': TIMESTAMP(MILLIS) made TIMESTAMP(MICROS)",
            "column 'd': INT96 time stamp made INT64 TIMESTAMP(MICROS)");
  }

  @Test
  void unsignedInt64_isKeptOrMadeDecimal() {
    String schema = "message m { optional int64 counter (INTEGER(64,false)); }";

    assertThat(normalize(schema, Uint64Handling.REFUSE).output()).isEqualTo(parse(schema));
    NormalizedSchema decimal = normalize(schema, Uint64Handling.DECIMAL);
    assertThat(decimal.output())
        .isEqualTo(
            parse("message m { optional fixed_len_byte_array(9) counter (DECIMAL(20,0)); }"));
    assertThat(decimal.changes())
        .containsExactly("column 'counter': unsigned INT64 made DECIMAL(20,0)");
  }

  @Test
  void fieldIds_surviveConversion() {
    NormalizedSchema normalized =
        normalize(
            "message m { optional group values (LIST) = 3 { repeated int32 values = 4; }"
                + " optional int64 at (TIMESTAMP(NANOS,true)) = 5; }");

    assertThat(normalized.output())
        .isEqualTo(
            parse(
                "message m { optional group values (LIST) = 3 { repeated group list {"
                    + " required int32 element = 4; } } optional int64 at (TIMESTAMP(MICROS,true)) = 5; }"));
  }

  @Test
  void malformedMap_isRefusedNamingTheColumn() {
    assertThatThrownBy(
            () ->
                normalize(
                    "message m { optional group m (MAP) { repeated group key_value {"
                        + " required int32 key; optional int32 a; optional int32 b; } } }"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot normalise map column 'm': its entries have 3 fields, expected a key and a value");
  }
}
