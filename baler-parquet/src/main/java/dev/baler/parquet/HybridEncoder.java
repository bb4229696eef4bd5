package dev.baler.parquet;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * Encodes int arrays into Parquet's RLE / bit-packing hybrid encoding (levels and dictionary
 * indexes), a whole page's values at once: the counterpart of {@link HybridDecoder}. parquet-java's
 * {@code RunLengthBitPackingHybridEncoder} takes one value per call and keeps its state in fields,
 * which costs a merged dictionary column more than all else its pages' writing does on C1, the only
 * compiler Baler's launcher runs.
 *
 * <p>The output is what the format allows and every reader reads. Values are looked at in groups of
 * 8 from where the last run ended: a group of one value starts an RLE run (its count, then its
 * value in whole bytes) that goes on while the value repeats; other groups are bit-packed, least
 * significant bit first, at most {@value #MAX_GROUPS_PER_RUN} groups under one header, as
 * parquet-java writes them. Only the end of the page pads a group, with zeros; readers stop at the
 * page's value count. A repeat of 8 to 14 values that straddles two groups stays bit-packed, where
 * parquet-java's encoder would make it a run: a few bytes, for a scan that compares about one value
 * in 8.
 *
 * <p>Not thread-safe; one instance is reused from page to page, and its bytes stay valid until its
 * next {@link #encode}.
 */
final class HybridEncoder {
  /** The most groups of 8 values under one bit-packed run's header, as in parquet-java. */
  static final int MAX_GROUPS_PER_RUN = 63;

  private static final BytePacker[] PACKERS = new BytePacker[33];

  static {
    for (int width = 0; width < PACKERS.length; width++) {
      PACKERS[width] = Packer.LITTLE_ENDIAN.newBytePacker(width);
    }
  }

  private byte[] bytes = new byte[256];
  private int size;
  private final int[] tail = new int[8];

  /**
   * Encodes {@code values[0..count)}, each at most {@code bitWidth} bits wide.
   *
   * @param bitWidth between 0 and 32; with 0 every value must be 0
   * @return this encoder, whose {@link #bytes()} are the encoding until the next call
   */
  HybridEncoder encode(int[] values, int count, int bitWidth) {
    size = 0;
    int valueBytes = (bitWidth + 7) / 8;
    int literalStart = 0;
    // Groups of 8 from the literals' start: a group of one value starts an RLE run, which goes on
    // as long as the value repeats. A mixed group costs one comparison, mostly.
    int group = 0;
    while (group + 8 <= count) {
      int value = values[group];
      if (values[group + 1] != value
          || values[group + 2] != value
          || values[group + 3] != value
          || values[group + 4] != value
          || values[group + 5] != value
          || values[group + 6] != value
          || values[group + 7] != value) {
        group += 8;
        continue;
      }
      int runEnd = group + 8;
      while (runEnd < count && values[runEnd] == value) {
        runEnd++;
      }
      writeBitPacked(values, literalStart, group, bitWidth);
      writeRle(value, runEnd - group, valueBytes);
      literalStart = runEnd;
      group = runEnd;
    }
    writeBitPacked(values, literalStart, count, bitWidth);
    return this;
  }

  /** The encoding: {@link #size()} bytes from 0, valid until the next {@link #encode}. */
  byte[] bytes() {
    return bytes;
  }

  /** The encoding's length in bytes. */
  int size() {
    return size;
  }

  /** The encoding, referring to this encoder's array: copy it or write it out before reuse. */
  BytesInput toBytesInput() {
    return BytesInput.from(bytes, 0, size);
  }

  private void writeRle(int value, int count, int valueBytes) {
    ensure(5 + valueBytes);
    writeVarInt(count << 1);
    for (int b = 0; b < valueBytes; b++) {
      bytes[size++] = (byte) (value >>> (8 * b));
    }
  }

  /**
   * Bit-packs {@code values[from..to)}, padding the last group with zeros, 8 values at a time
   * through parquet-java's packer for the width (straight-line code generated per width).
   */
  private void writeBitPacked(int[] values, int from, int to, int bitWidth) {
    int groups = (to - from + 7) / 8;
    if (groups == 0) {
      return;
    }
    BytePacker packer = packer(bitWidth);
    int at = from;
    while (groups > 0) {
      int runGroups = Math.min(groups, MAX_GROUPS_PER_RUN);
      ensure(5 + runGroups * bitWidth);
      writeVarInt(runGroups << 1 | 1);
      for (int group = 0; group < runGroups; group++, at += 8) {
        if (at + 8 <= to) {
          packer.pack8Values(values, at, bytes, size);
        } else {
          Arrays.fill(tail, 0);
          System.arraycopy(values, at, tail, 0, to - at);
          packer.pack8Values(tail, 0, bytes, size);
        }
        size += bitWidth;
      }
      groups -= runGroups;
    }
  }

  /**
   * parquet-java's little-endian packer of 8 values of {@code bitWidth} bits, from a table made
   * once: the decoder asks for one per page.
   */
  static BytePacker packer(int bitWidth) {
    return PACKERS[bitWidth];
  }

  private void writeVarInt(int value) {
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    bytes[size++] = (byte) rest;
  }

  private void ensure(int more) {
    if (bytes.length - size < more) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }
  }
}
