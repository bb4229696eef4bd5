package dev.baler.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.column.values.bloomfilter.HashFunction;
import org.apache.parquet.column.values.bloomfilter.XxHash;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The split-block bloom filter of one output column chunk, fed with its values as the merge meets
 * them: each value's XXH64 hash of its PLAIN encoding without length prefix (the hash readers probe
 * with, as parquet-java's {@link BlockSplitBloomFilter#hash(Object)}).
 *
 * <p>The hashes are gathered first and the filter is sized for the number of distinct ones at the
 * false positive probability asked for, so that a column of few distinct values gets a small
 * filter. Gathered hashes are deduplicated whenever their array fills; once the distinct ones need
 * the largest filter allowed, the filter is made at that size and later hashes go straight into it,
 * so memory stays within about twice the distinct values' hashes, or the largest filter. Not
 * thread-safe.
 */
final class ColumnBloomFilter {
  private static final HashFunction XXHASH = new XxHash();
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final double fpp;
  private final int maxBytes;
  private final byte[] number = new byte[8];
  private final ByteBuffer four = ByteBuffer.wrap(number, 0, 4);
  private final ByteBuffer eight = ByteBuffer.wrap(number, 0, 8);
  private ByteBuffer window = ByteBuffer.allocate(0);
  private long[] hashes = new long[1024];
  private int size;
  private BlockSplitBloomFilter full;

  /**
   * @param fpp the false positive probability to size for, between 0 and 1 exclusive
   * @param maxBytes the most bytes of the filter's bit set
   */
  ColumnBloomFilter(double fpp, int maxBytes) {
    this.fpp = fpp;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a number of {@code type} by its bits: an INT32's or FLOAT's in 4 bytes, an INT64's or
   * DOUBLE's in 8.
   */
  void addNumber(long bits, PrimitiveTypeName type) {
    if (type != PrimitiveTypeName.INT64 && type != PrimitiveTypeName.DOUBLE) {
      INT.set(number, 0, (int) bits);
      add(XXHASH.hashByteBuffer(four));
    } else {
      LONG.set(number, 0, bits);
      add(XXHASH.hashByteBuffer(eight));
    }
  }

  /** Adds a byte string (BINARY, FIXED_LEN_BYTE_ARRAY, INT96), or a number's PLAIN bytes. */
  void addBytes(byte[] bytes, int offset, int length) {
    if (window.array() != bytes) {
      window = ByteBuffer.wrap(bytes);
    }
    window.limit(offset + length).position(offset);
    add(XXHASH.hashByteBuffer(window));
  }

  /** Adds a value given by its bytes from the buffer's position to its limit. */
  void addBytes(ByteBuffer value) {
    add(XXHASH.hashByteBuffer(value));
  }

  private void add(long hash) {
    if (full != null) {
      full.insertHash(hash);
      return;
    }
    if (size == hashes.length) {
      size = deduplicate();
      if (bytesFor(size) > maxBytes / 2) {
        full = new BlockSplitBloomFilter(maxBytes, maxBytes);
        for (int i = 0; i < size; i++) {
          full.insertHash(hashes[i]);
        }
        hashes = null;
        full.insertHash(hash);
        return;
      }
      if (size > hashes.length / 2) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
    }
    hashes[size++] = hash;
  }

  /** The filter of every value added. */
  BloomFilter build() {
    if (full != null) {
      return full;
    }
    int distinct = deduplicate();
    BlockSplitBloomFilter filter = new BlockSplitBloomFilter(bytesFor(distinct), maxBytes);
    for (int i = 0; i < distinct; i++) {
      filter.insertHash(hashes[i]);
    }
    return filter;
  }

  private int bytesFor(int distinct) {
    return BlockSplitBloomFilter.optimalNumOfBits(distinct, fpp) / 8;
  }

  /** Sorts the gathered hashes and keeps each once, at the start; returns how many there are. */
  private int deduplicate() {
    Arrays.sort(hashes, 0, size);
    int distinct = 0;
    for (int i = 0; i < size; i++) {
      if (distinct == 0 || hashes[i] != hashes[distinct - 1]) {
        hashes[distinct++] = hashes[i];
      }
    }
    return distinct;
  }
}
