package dev.baler.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemporaryNamesTest {
  @Test
  void aTemporaryNameIsHiddenUniqueAndNamesItsTarget() {
    String first = TemporaryNames.of("part.1.parquet.processed");
    String second = TemporaryNames.of("part.1.parquet.processed");

    assertThat(first)
        .startsWith(".part.1.parquet.processed.")
        .endsWith(".tmp")
        .isNotEqualTo(second);
    assertThat(TemporaryNames.targetOf(first)).contains("part.1.parquet.processed");
    assertThat(TemporaryNames.isTemporary(first)).isTrue();
  }

  @Test
  void otherNamesAreNotTemporary() {
    assertThat(TemporaryNames.targetOf("part.1.parquet")).isEmpty();
    assertThat(TemporaryNames.targetOf(".part.1.parquet.processed")).isEmpty();
    assertThat(TemporaryNames.targetOf(".notes.txt")).isEmpty();
    assertThat(TemporaryNames.targetOf("..tmp")).isEmpty();
    assertThat(TemporaryNames.targetOf(".x.tmp")).isEmpty();
    assertThat(TemporaryNames.isTemporary("data.tmp")).isFalse();
  }
}
