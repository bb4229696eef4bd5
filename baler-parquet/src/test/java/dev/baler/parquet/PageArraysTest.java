package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageArraysTest {
  private final PageArrays arrays = new PageArrays();

  @Test
  void take_givesEachPageOfAChunkAnArrayOfItsOwn() {
    List<byte[]> taken = new ArrayList<>();
    for (int page = 0; page < 5; page++) {
      taken.add(arrays.take(100 + page));
    }

    assertThat(taken).doesNotHaveDuplicates();
    for (int page = 0; page < 5; page++) {
      assertThat(taken.get(page).length).isGreaterThanOrEqualTo(100 + page);
    }
  }

  @Test
  void take_afterResetGivesTheSameArraysAgainWhereThePagesFit() {
    byte[] first = arrays.take(1_000);
    byte[] second = arrays.take(50);

    arrays.reset();

    assertThat(arrays.take(900)).isSameAs(first);
    assertThat(arrays.take(2_000)).isNotSameAs(second).hasSizeGreaterThanOrEqualTo(2_000);
  }

  @Test
  void take_keepsNoArrayLargerThanAMebibyteNorMoreThanSixteen() {
    byte[] large = arrays.take(PageArrays.MOST_KEPT_BYTES + 1);
    List<byte[]> kept = new ArrayList<>();
    for (int page = 0; page < PageArrays.MOST_KEPT; page++) {
      kept.add(arrays.take(10));
    }
    byte[] beyond = arrays.take(10);

    arrays.reset();

    assertThat(arrays.take(PageArrays.MOST_KEPT_BYTES + 1)).isNotSameAs(large);
    // the large page took no kept array: the sixteen kept come back in order, the seventeenth is
    // new
    for (int page = 0; page < PageArrays.MOST_KEPT; page++) {
      assertThat(arrays.take(10)).isSameAs(kept.get(page));
    }
    assertThat(arrays.take(10)).isNotSameAs(beyond);
  }
}
