package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The decoder reads nothing past its end, whatever the array holds there: pages are decompressed
 * into a reused buffer, where the bytes after a page are an earlier page's.
 */
class HybridDecoderTest {
  private static final byte STALE = (byte) 0xFF;

  @Test
  void read_decodesRleAndBitPackedRuns() {
    // an RLE run of 3 twos, then a bit-packed group of 8 values 0..7, 3 bits wide
    byte[] bytes = {6, 2, 3, (byte) 0x88, (byte) 0xC6, (byte) 0xFA};
    int[] values = new int[11];

    new HybridDecoder(bytes, 0, bytes.length, 3).read(values, 11);

    assertThat(values).containsExactly(2, 2, 2, 0, 1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void read_givesZerosForABitPackedRunOfWidthZero() {
    // two groups of 8 values 0 bits wide: a header and no bytes; the array held other values
    byte[] bytes = {5};
    int[] values = new int[16];
    java.util.Arrays.fill(values, 7);

    new HybridDecoder(bytes, 0, bytes.length, 0).read(values, 16);

    assertThat(values).containsOnly(0);
  }

  @Test
  void refusesAWidthAbove32() {
    assertThatThrownBy(() -> new HybridDecoder(new byte[] {2, 1}, 0, 2, 33))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bit width 33");
  }

  @Test
  void read_refusesAnRleRunWhoseValueIsPastTheEnd() {
    byte[] bytes = {6, 2, 6, STALE, STALE}; // the second run's value would be the stale byte
    int[] values = new int[6];

    assertThatThrownBy(() -> new HybridDecoder(bytes, 0, 3, 2).read(values, 6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ends within the value of a run");
  }

  @Test
  void read_refusesARunHeaderThatRunsPastTheEnd() {
    // 3 values, then the first byte of a two-byte header: its second byte would be stale
    byte[] bytes = {6, 2, (byte) 0x86, STALE};
    int[] values = new int[5];

    assertThatThrownBy(() -> new HybridDecoder(bytes, 0, 3, 2).read(values, 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ends within a run's header");
  }

  @Test
  void readLevels_refusesLevelsThatRunPastThePage() {
    // levels said to be 4 bytes long in a page that ends 2 bytes after their length
    byte[] bytes = {4, 0, 0, 0, 6, 1, STALE, STALE};
    int[] levels = new int[3];

    assertThatThrownBy(() -> ColumnHasher.readLevels(bytes, 0, 6, 1, levels, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A page's levels run past its end");
  }

  @Test
  void read_readsTheMissingBytesOfACutBitPackedRunAsZerosAsParquetJavaDoes() {
    // a bit-packed group of 8 values 1 bit wide, whose one byte is cut off: stale bytes follow
    byte[] bytes = {3, STALE, STALE};
    int[] values = new int[8];

    new HybridDecoder(bytes, 0, 1, 1).read(values, 8);

    assertThat(values).containsOnly(0);
  }
}
