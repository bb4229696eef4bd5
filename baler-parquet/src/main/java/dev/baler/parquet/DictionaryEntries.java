package dev.baler.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The entries of a PLAIN-encoded dictionary page: numbers as their bits (an int's or a float's
 * sign-extended, as row hashes take them), byte strings as arrays.
 *
 * @param bits each entry's bits; empty for byte strings
 * @param strings each entry's bytes; empty for numbers
 */
record DictionaryEntries(long[] bits, byte[][] strings) {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The number of entries. */
  int size() {
    return Math.max(bits.length, strings.length);
  }

  /** Adds every entry to {@code bloomFilter}; {@code type} is the column's. */
  void addTo(ColumnBloomFilter bloomFilter, PrimitiveTypeName type) {
    for (long entry : bits) {
      bloomFilter.addNumber(entry, type);
    }
    for (byte[] entry : strings) {
      bloomFilter.addBytes(entry, 0, entry.length);
    }
  }

  /**
   * Decodes a dictionary page; empty if it is not PLAIN-encoded or its type has no dictionary
   * (BOOLEAN).
   */
  static Optional<DictionaryEntries> read(DictionaryPage page, ColumnDescriptor descriptor) {
    if (page.getEncoding() != Encoding.PLAIN && page.getEncoding() != Encoding.PLAIN_DICTIONARY) {
      return Optional.empty();
    }
    PrimitiveTypeName type = descriptor.getPrimitiveType().getPrimitiveTypeName();
    byte[] bytes = bytesOf(page.getBytes());
    int entries = page.getDictionarySize();
    long[] bits = new long[0];
    byte[][] strings = new byte[0][];
    int position = 0;
    switch (type) {
      case INT32, FLOAT -> {
        bits = new long[entries];
        for (int entry = 0; entry < entries; entry++, position += 4) {
          bits[entry] = (int) INT.get(bytes, position);
        }
      }
      case INT64, DOUBLE -> {
        bits = new long[entries];
        for (int entry = 0; entry < entries; entry++, position += 8) {
          bits[entry] = (long) LONG.get(bytes, position);
        }
      }
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> {
        strings = new byte[entries][];
        for (int entry = 0; entry < entries; entry++) {
          int length;
          if (type == PrimitiveTypeName.BINARY) {
            length = (int) INT.get(bytes, position);
            position += 4;
          } else {
            length = type == PrimitiveTypeName.INT96 ? 12 : descriptor.getTypeLength();
          }
          strings[entry] = Arrays.copyOfRange(bytes, position, position + length);
          position += length;
        }
      }
      case BOOLEAN -> {
        return Optional.empty();
      }
    }
    return Optional.of(new DictionaryEntries(bits, strings));
  }

  /**
   * The bytes of a page, without a copy when they are a whole heap array already (as the pages of
   * carried chunks are).
   */
  static byte[] bytesOf(BytesInput input) {
    try {
      ByteBuffer buffer = input.toByteBuffer();
      if (buffer.hasArray()
          && buffer.arrayOffset() == 0
          && buffer.position() == 0
          && buffer.remaining() == buffer.array().length) {
        return buffer.array();
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read a page: " + e.getMessage(), e);
    }
  }
}
