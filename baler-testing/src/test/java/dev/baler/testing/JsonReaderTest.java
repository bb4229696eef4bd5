package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void read_givesMapsListsAndScalars() {
    Object value =
        JsonReader.read(
            " {\"a\": [1, -2.5, 12345678901234567890, true, false, null],"
                + " \"b\": \"x\\\"y\\\\z\\u00e9\\n\", \"c\": {}, \"d\": []} ");

    assertThat(value)
        .isEqualTo(
            Map.of(
                "a",
                Arrays.asList(
                    1L,
                    new BigDecimal("-2.5"),
                    new BigDecimal("12345678901234567890"),
                    true,
                    false,
                    null),
                "b",
                "x\"y\\z\u00e9\n",
                "c",
                Map.of(),
                "d",
                List.of()));
  }

  @Test
  void read_invalidText_throwsNamingThePosition() {
    assertThatThrownBy(() -> JsonReader.read("[1,]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid JSON at character 3: unexpected character ']'");
    assertThatThrownBy(() -> JsonReader.read("[1] 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid JSON at character 4: trailing characters");
    assertThatThrownBy(() -> JsonReader.read("{\"a\": 1, \"a\": 2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid JSON at character 13: duplicate member 'a'");
  }
}
