package dev.baler.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 64-bit mixing behind row fingerprints and duplicate detection. Two lanes with independent
 * constants give 128 bits per row. The functions are pure and thread-safe.
 */
final class Hashing {
  static final long LANE1 = 0x9E3779B97F4A7C15L;
  static final long LANE2 = 0xC2B2AE3D27D4EB4FL;

  private Hashing() {}

  /**
   * Murmur3's 64-bit finalizer: every input bit affects every output bit. Written as two
   * assignments, 29 bytes of bytecode, so that C1 inlines it two calls deep (it allows 35 bytes one
   * call deep, and a tenth less at each level below).
   */
  static long mix(long value) {
    value = (value ^ (value >>> 33)) * 0xFF51AFD7ED558CCDL;
    value = (value ^ (value >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return value ^ (value >>> 33);
  }

  /**
   * Hashes byte strings into two 64-bit lanes in one pass: each 8-byte word goes through a
   * multiply-rotate chain per lane, with different constants, then each lane is finalized with
   * {@link #mix}. Not thread-safe: one instance per walking thread.
   */
  static final class Bytes {
    private static final long P1 = 0x87C37B91114253D5L;
    private static final long P2 = 0x4CF5AD432745937FL;
    private static final long P3 = 0x52DCE729DA3ED8C5L;
    private static final long P4 = 0x38495AB5A2F5B3C9L;

    long lane1;
    long lane2;

    private static final VarHandle LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Hashes {@code length} bytes of {@code bytes} from {@code offset}, as {@link #hash}. */
    void hash(byte[] bytes, int offset, int length) {
      long a = LANE1 ^ length;
      long b = LANE2 + length;
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        long word = (long) LONG.get(bytes, offset + i);
        a = Long.rotateLeft((a ^ word) * P1, 31) * P2;
        b = Long.rotateLeft((b + word) * P3, 29) * P4;
      }
      long tail = 0;
      int rest = length - i;
      int end = offset + length;
      if (rest > 0 && end >= 8) {
        // the last 0 to 7 bytes as one little-endian number: the word that ends where they end,
        // shifted past the bytes before them; a read rather than a loop of up to seven (a short
        // string's hash took a quarter less time under C1, in a small benchmark)
        tail = (long) LONG.get(bytes, end - 8) >>> ((8 - rest) << 3);
      } else {
        for (int shift = 0; i < length; i++, shift += 8) {
          tail |= (bytes[offset + i] & 0xFFL) << shift;
        }
      }
      a = Long.rotateLeft((a ^ tail) * P1, 31) * P2;
      b = Long.rotateLeft((b + tail) * P3, 29) * P4;
      lane1 = mix(a);
      lane2 = mix(b ^ 0x2545F4914F6CDD1DL);
    }

    /**
     * Hashes the buffer's remaining bytes; changes the buffer's byte order, not its position. Heap
     * buffers are hashed through their array.
     */
    void hash(ByteBuffer buffer) {
      if (buffer.hasArray()) {
        hash(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      int length = buffer.remaining();
      int base = buffer.position();
      long a = LANE1 ^ length;
      long b = LANE2 + length;
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        long word = buffer.getLong(base + i);
        a = Long.rotateLeft((a ^ word) * P1, 31) * P2;
        b = Long.rotateLeft((b + word) * P3, 29) * P4;
      }
      long tail = 0;
      for (int shift = 0; i < length; i++, shift += 8) {
        tail |= (buffer.get(base + i) & 0xFFL) << shift;
      }
      a = Long.rotateLeft((a ^ tail) * P1, 31) * P2;
      b = Long.rotateLeft((b + tail) * P3, 29) * P4;
      lane1 = mix(a);
      lane2 = mix(b ^ 0x2545F4914F6CDD1DL);
    }
  }
}
