package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Byte strings hash to the same lanes however they are read: the tail of a string read as one word
 * gives what a byte-by-byte read gives, at every offset and length, and a direct buffer what an
 * array does. Row fingerprints are kept in journals, so a change here must not change a hash.
 */
class HashingTest {
  private static final long P1 = 0x87C37B91114253D5L;
  private static final long P2 = 0x4CF5AD432745937FL;
  private static final long P3 = 0x52DCE729DA3ED8C5L;
  private static final long P4 = 0x38495AB5A2F5B3C9L;

  @Test
  void bytes_hashLikeAByteByByteReadAtEveryOffsetAndLength() {
    byte[] data = new byte[200];
    new Random(7).nextBytes(data);
    Hashing.Bytes bytes = new Hashing.Bytes();
    for (int offset = 0; offset < 64; offset++) {
      for (int length = 0; length <= 40; length++) {
        long[] expected = byteByByte(data, offset, length);

        bytes.hash(data, offset, length);

        String at = "offset " + offset + ", length " + length;
        assertThat(new long[] {bytes.lane1, bytes.lane2}).as(at).containsExactly(expected);
        ByteBuffer direct = ByteBuffer.allocateDirect(length);
        direct.put(data, offset, length).flip();
        bytes.hash(direct);
        assertThat(new long[] {bytes.lane1, bytes.lane2})
            .as(at + ", direct")
            .containsExactly(expected);
      }
    }
  }

  /** The hash as first written, every byte after the last whole word read one at a time. */
  private static long[] byteByByte(byte[] data, int offset, int length) {
    long a = Hashing.LANE1 ^ length;
    long b = Hashing.LANE2 + length;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long word = 0;
      for (int k = 7; k >= 0; k--) {
        word = word << 8 | (data[offset + i + k] & 0xFFL);
      }
      a = Long.rotateLeft((a ^ word) * P1, 31) * P2;
      b = Long.rotateLeft((b + word) * P3, 29) * P4;
    }
    long tail = 0;
    for (int shift = 0; i < length; i++, shift += 8) {
      tail |= (data[offset + i] & 0xFFL) << shift;
    }
    a = Long.rotateLeft((a ^ tail) * P1, 31) * P2;
    b = Long.rotateLeft((b + tail) * P3, 29) * P4;
    return new long[] {Hashing.mix(a), Hashing.mix(b ^ 0x2545F4914F6CDD1DL)};
  }
}
