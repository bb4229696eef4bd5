package dev.baler.parquet;

import org.apache.parquet.column.values.bitpacking.BytePacker;

/**
 * Decodes Parquet's RLE / bit-packing hybrid encoding (levels and dictionary indexes) in runs, into
 * int arrays. It never reads past its end: the bytes after it may be another page's, as pages are
 * decompressed into reused buffers ({@link PageBuffer}, {@link PageArrays}). A run that the data
 * cuts short is read as parquet-java reads it: an RLE run whose value is missing is refused, and
 * the missing bytes of a bit-packed run are read as zeros. Not thread-safe.
 */
final class HybridDecoder {
  private final byte[] bytes;
  private final int end;
  private final int bitWidth;
  private int position;

  /**
   * A decoder of {@code bytes} from {@code position} to {@code end}, of values {@code bitWidth}
   * wide.
   */
  HybridDecoder(byte[] bytes, int position, int end, int bitWidth) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new IllegalStateException("Invalid RLE/bit-packed bit width " + bitWidth);
    }
    this.bytes = bytes;
    this.position = position;
    this.end = end;
    this.bitWidth = bitWidth;
  }

  /**
   * Reads the next {@code count} values into {@code into}.
   *
   * @throws IllegalStateException if the data ends first
   */
  void read(int[] into, int count) {
    int filled = 0;
    int valueBytes = (bitWidth + 7) / 8;
    long mask = (1L << bitWidth) - 1;
    while (filled < count) {
      if (position >= end) {
        throw new IllegalStateException("RLE/bit-packed data ends after " + filled + " values");
      }
      int header = readUnsignedVarInt();
      if ((header & 1) == 0) {
        int run = header >>> 1;
        if (valueBytes > end - position) {
          throw new IllegalStateException(
              "RLE/bit-packed data ends within the value of a run, after " + filled + " values");
        }
        int value = 0;
        for (int i = 0; i < valueBytes; i++) {
          value |= (bytes[position++] & 0xFF) << (8 * i);
        }
        int stop = Math.min(count, filled + run);
        for (; filled < stop; filled++) {
          into[filled] = value;
        }
      } else {
        int values = (header >>> 1) * 8;
        int stop = Math.min(count, filled + values);
        int at = position;
        // whole groups of 8 whose bytes are all here, through parquet-java's packer for the width
        // (straight-line code generated per width); the rest value by value
        // (parquet-java's unpacker for width 0 writes nothing: zeros come from the loop below)
        if (bitWidth > 0 && filled + 8 <= stop && at + bitWidth <= end) {
          BytePacker unpacker = HybridEncoder.packer(bitWidth);
          do {
            unpacker.unpack8Values(bytes, at, into, filled);
            at += bitWidth;
            filled += 8;
          } while (filled + 8 <= stop && at + bitWidth <= end);
        }
        long buffer = 0;
        int bits = 0;
        for (; filled < stop; filled++) {
          while (bits < bitWidth) {
            buffer |= (at < end ? bytes[at] & 0xFFL : 0) << bits;
            at++;
            bits += 8;
          }
          into[filled] = (int) (buffer & mask);
          buffer >>>= bitWidth;
          bits -= bitWidth;
        }
        position += (header >>> 1) * bitWidth;
      }
    }
  }

  private int readUnsignedVarInt() {
    int value = 0;
    int shift = 0;
    int b;
    do {
      if (position >= end) {
        throw new IllegalStateException("RLE/bit-packed data ends within a run's header");
      }
      b = bytes[position++] & 0xFF;
      value |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return value;
  }
}
