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
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Hashing() {}

  /** Murmur3's 64-bit finalizer: every input bit affects every output bit. */
  static long mix(long value) {
    value ^= value >>> 33;
    value *= 0xFF51AFD7ED558CCDL;
    value ^= value >>> 33;
    value *= 0xC4CEB9FE1A85EC53L;
    value ^= value >>> 33;
    return value;
  }

  /** Hashes bytes into one 64-bit value, seeded; a different seed gives an independent lane. */
  static long bytes(ByteBuffer buffer, long seed) {
    int length = buffer.remaining();
    long hash = seed ^ (length * LANE2);
    if (buffer.hasArray()) {
      byte[] array = buffer.array();
      int offset = buffer.arrayOffset() + buffer.position();
      int end = offset + length;
      int i = offset;
      for (; i + 8 <= end; i += 8) {
        hash = Long.rotateLeft(hash ^ mix((long) LONGS.get(array, i) ^ seed), 27) * 5 + 0x52DCE729;
      }
      long tail = 0;
      for (int shift = 0; i < end; i++, shift += 8) {
        tail |= (array[i] & 0xFFL) << shift;
      }
      return mix(hash ^ mix(tail ^ seed ^ 0x38495AB5L));
    }
    ByteBuffer view = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      hash = Long.rotateLeft(hash ^ mix(view.getLong(i) ^ seed), 27) * 5 + 0x52DCE729;
    }
    long tail = 0;
    for (int shift = 0; i < length; i++, shift += 8) {
      tail |= (view.get(i) & 0xFFL) << shift;
    }
    return mix(hash ^ mix(tail ^ seed ^ 0x38495AB5L));
  }
}
