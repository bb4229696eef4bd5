package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class PreloadTest {
  @Test
  void classes_existUnderTheirNames() {
    // a renamed class would otherwise just stop being preloaded
    for (String name : Preload.CLASSES) {
      assertThatCode(() -> Class.forName(name, false, Preload.class.getClassLoader()))
          .as(name)
          .doesNotThrowAnyException();
    }
    assertThat(Preload.CLASSES).isNotEmpty();
  }
}
