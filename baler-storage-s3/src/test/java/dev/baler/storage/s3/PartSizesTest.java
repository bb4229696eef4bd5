package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartSizesTest {
  private static final int MIB = 1024 * 1024;
  private static final long GIB = 1024L * MIB;

  @Test
  void sizeOf_keepsTheFirstSizeForTheFirstThousandPartsThenDoubles() {
    PartSizes sizes = PartSizes.of(5 * MIB);

    assertThat(sizes.sizeOf(1)).isEqualTo(5 * MIB);
    assertThat(sizes.sizeOf(1_000)).isEqualTo(5 * MIB);
    assertThat(sizes.sizeOf(1_001)).isEqualTo(10 * MIB);
    assertThat(sizes.sizeOf(2_000)).isEqualTo(10 * MIB);
    assertThat(sizes.sizeOf(2_001)).isEqualTo(20 * MIB);
    assertThat(sizes.sizeOf(7_000)).isEqualTo(320 * MIB);
    assertThat(sizes.sizeOf(7_001)).isEqualTo(PartSizes.MAX_SIZE);
    assertThat(sizes.sizeOf(PartSizes.MAX_PARTS)).isEqualTo(PartSizes.MAX_SIZE);
  }

  @Test
  void sizeOf_defaultsHoldAboutTwoTebibytesInS3sPartsWithinItsPartLimits() {
    PartSizes sizes = PartSizes.of(S3Storage.DEFAULT_PART_SIZE);

    long bytes = 0;
    for (int part = 1; part <= sizes.most(); part++) {
      assertThat((long) sizes.sizeOf(part)).isBetween(5L * MIB, 5 * GIB);
      bytes += sizes.sizeOf(part);
    }

    assertThat(sizes.most()).isEqualTo(10_000);
    // 1,000 parts each of 5, 10, ..., 320 MiB, then 3,000 of 512 MiB; at 5 MiB throughout, 48.8 GiB
    assertThat(bytes).isEqualTo(1_000L * 635 * MIB + 3_000L * 512 * MIB);
    assertThat(bytes).isGreaterThan(2 * 1024 * GIB);
  }

  @Test
  void sizeOf_neverGoesBelowTheFirstSizeNorOverflows() {
    PartSizes large = new PartSizes(Integer.MAX_VALUE, 1, 10_000);
    PartSizes small = new PartSizes(1, 1, 10_000);

    assertThat(large.sizeOf(1)).isEqualTo(Integer.MAX_VALUE);
    assertThat(large.sizeOf(10_000)).isEqualTo(Integer.MAX_VALUE);
    assertThat(small.sizeOf(20)).isEqualTo(1 << 19);
    assertThat(small.sizeOf(31)).isEqualTo(PartSizes.MAX_SIZE);
    assertThat(small.sizeOf(10_000)).isEqualTo(PartSizes.MAX_SIZE);
  }

  @Test
  void constructor_refusesSizesBelowOne() {
    assertThatThrownBy(() -> new PartSizes(0, 1_000, 10_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid part sizes: first 0, per size 1000, most 10000");
    assertThatThrownBy(() -> new PartSizes(1, 0, 10_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PartSizes(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
