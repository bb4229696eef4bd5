package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerbatimChunksTest {
  @Test
  void textForm_listsTheRowGroupsThatHaveAnyAndReadsBack() {
    BitSet first = new BitSet();
    first.set(2);
    first.set(5);
    BitSet third = new BitSet();
    third.set(0);
    VerbatimChunks chunks = VerbatimChunks.of(List.of(first, new BitSet(), third, new BitSet()));

    assertThat(chunks.toString()).isEqualTo("0:2,5;2:0");
    assertThat(VerbatimChunks.parse(chunks.toString())).isEqualTo(chunks);
    assertThat(chunks.contains(0, 5)).isTrue();
    assertThat(chunks.contains(0, 0)).isFalse();
    assertThat(chunks.contains(1, 2)).isFalse();
    assertThat(chunks.contains(7, 0)).isFalse();
    first.set(0);
    assertThat(chunks.contains(0, 0)).as("the sets are copied").isFalse();
  }

  @Test
  void none_isTheEmptySetAndTheFormOfRecordsWithout() {
    assertThat(VerbatimChunks.of(List.of(new BitSet()))).isEqualTo(VerbatimChunks.NONE);
    assertThat(VerbatimChunks.parse(null)).isEqualTo(VerbatimChunks.NONE);
    assertThat(VerbatimChunks.parse("")).isEqualTo(VerbatimChunks.NONE);
    assertThat(VerbatimChunks.NONE.toString()).isEmpty();
    assertThat(VerbatimChunks.NONE.isEmpty()).isTrue();
  }

  @Test
  void parse_refusesOtherText() {
    for (String text :
        List.of(
            "0",
            "0:",
            "a:1",
            "0:1;0:2",
            "1:2;0:1",
            "0:-1",
            "0:1;",
            "2000000000:1",
            "0:2000000000")) {
      assertThatThrownBy(() -> VerbatimChunks.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(text);
    }
  }
}
