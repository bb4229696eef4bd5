package dev.baler.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Walks bytes of Thrift's compact protocol (the encoding of Parquet footers and page headers) field
 * by field, without making an object per field as Thrift's own {@code TCompactProtocol} does. It is
 * for reading a few fields of a large structure and skipping the rest: planning takes a handful of
 * figures from each footer ({@link FooterLayouts}), and with 20,000 small files Thrift's reader
 * made about 35 KB of objects per footer.
 *
 * <p>The encoding is that of Apache Thrift's {@code TCompactProtocol}: a field header is one byte,
 * the field id's difference from the previous one (1 to 15) in its high four bits, or 0 and the id
 * as a zigzag varint after it, and its type in the low four bits (the values of {@link #STOP} to
 * {@link #STRUCT}); integers are zigzag varints, doubles 8 little-endian bytes, binaries a varint
 * length and the bytes; a list or set header is one byte, its size (0 to 14, or 15 and a varint
 * size after it) in the high four bits and the element type in the low four; a map header is a
 * varint size and, when not empty, one byte of key and value types. A boolean field carries its
 * value in its type (1 true, 2 false); a boolean element is one byte.
 *
 * <p>Every read is checked against the end given: bytes that end early, a varint longer than ten
 * bytes, a negative size, an unknown type or structures nested deeper than {@value #MAX_DEPTH}
 * throw {@link IllegalArgumentException}. Not thread-safe: one per structure walked.
 */
final class CompactProtocolReader {
  static final int STOP = 0;
  static final int BOOLEAN_TRUE = 1;
  static final int BOOLEAN_FALSE = 2;
  static final int BYTE = 3;
  static final int I16 = 4;
  static final int I32 = 5;
  static final int I64 = 6;
  static final int DOUBLE = 7;
  static final int BINARY = 8;
  static final int LIST = 9;
  static final int SET = 10;
  static final int MAP = 11;
  static final int STRUCT = 12;

  /** The deepest nesting {@link #skip} follows; Thrift's own default limit is 64 as well. */
  static final int MAX_DEPTH = 64;

  private final byte[] bytes;
  private final int end;
  private int position;
  private int fieldId;
  private int elementType;

  /**
   * @param bytes the bytes, not copied
   * @param start where the structure starts
   * @param end where the bytes to read end (exclusive)
   */
  CompactProtocolReader(byte[] bytes, int start, int end) {
    Objects.checkFromToIndex(start, end, bytes.length);
    this.bytes = bytes;
    this.position = start;
    this.end = end;
  }

  /** Where the next read starts. */
  int position() {
    return position;
  }

  /**
   * Reads a field header of the structure being walked.
   *
   * @param previousFieldId the id of the field before it in the same structure, 0 for the first
   * @return the field's type, {@link #STOP} at the end of the structure; its id is then {@link
   *     #fieldId()}
   */
  int readFieldHeader(int previousFieldId) {
    int header = readByte();
    int type = header & 0x0F;
    if (type == STOP) {
      return STOP;
    }
    int delta = header >>> 4;
    if (delta == 0) {
      long raw = readVarint();
      if (raw >>> 32 != 0) {
        // Thrift's readVarint32 folds such a varint into an int in its own way: leave it to Thrift
        throw new IllegalArgumentException("Field id varint past 32 bits at byte " + position);
      }
      fieldId = (short) zigzag((int) raw); // Thrift's field ids are shorts (readI16)
    } else {
      fieldId = (short) (previousFieldId + delta); // as Thrift's short lastFieldId_ wraps
    }
    checkType(type);
    return type;
  }

  /** The id of the field whose header {@link #readFieldHeader} read last. */
  int fieldId() {
    return fieldId;
  }

  /**
   * Reads a list or set header.
   *
   * @return the number of elements; their type is then {@link #elementType()}
   */
  int readListHeader() {
    int header = readByte();
    int size = header >>> 4;
    if (size == 15) {
      size = checkedSize(readVarint());
    }
    elementType = header & 0x0F;
    checkType(elementType);
    return size;
  }

  /** The element type of the list or set whose header {@link #readListHeader} read last. */
  int elementType() {
    return elementType;
  }

  /** Reads an i16, i32 or i64 value (all zigzag varints), as a long. */
  long readInteger() {
    long value = readVarint();
    return (value >>> 1) ^ -(value & 1);
  }

  /** Reads an i32 value; one that does not fit an int throws. */
  int readInt() {
    long value = readInteger();
    if (value != (int) value) {
      throw new IllegalArgumentException("Not an i32: " + value + " at byte " + position);
    }
    return (int) value;
  }

  /**
   * Reads a binary value and says whether it holds exactly {@code expected}: string fields are
   * compared as their UTF-8 bytes, with no string made.
   */
  boolean readBinaryEquals(byte[] expected) {
    int length = checkedSize(readVarint());
    int start = position;
    advance(length);
    return Arrays.equals(bytes, start, start + length, expected, 0, expected.length);
  }

  /** Reads past a binary value; returns its length in bytes. */
  int skipBinary() {
    int length = checkedSize(readVarint());
    advance(length);
    return length;
  }

  /**
   * Reads a binary value as a string, decoded as UTF-8 as Thrift's {@code readString} decodes it
   * (bytes that are not UTF-8 become U+FFFD).
   */
  String readString() {
    int length = checkedSize(readVarint());
    int start = position;
    advance(length);
    return new String(bytes, start, length, StandardCharsets.UTF_8);
  }

  /**
   * Skips a value of {@code type}: a whole structure, list, set or map with everything inside.
   *
   * @param type a type read from a field header or a list header
   */
  void skip(int type) {
    skip(type, 0, false);
  }

  private void skip(int type, int depth, boolean element) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("Structures nested deeper than " + MAX_DEPTH);
    }
    switch (type) {
      case BOOLEAN_TRUE, BOOLEAN_FALSE -> {
        if (element) {
          readByte(); // in a list, a boolean is a byte of its own
        }
      }
      case BYTE -> readByte();
      case I16, I32, I64 -> readVarint();
      case DOUBLE -> advance(8);
      case BINARY -> advance(checkedSize(readVarint()));
      case LIST, SET -> {
        int size = readListHeader();
        int elements = elementType;
        for (int i = 0; i < size; i++) {
          skip(elements, depth + 1, true);
        }
      }
      case MAP -> {
        int size = checkedSize(readVarint());
        if (size > 0) {
          int types = readByte();
          int keys = types >>> 4;
          int values = types & 0x0F;
          checkType(keys);
          checkType(values);
          for (int i = 0; i < size; i++) {
            skip(keys, depth + 1, true);
            skip(values, depth + 1, true);
          }
        }
      }
      case STRUCT -> {
        int id = 0;
        int fieldType;
        while ((fieldType = readFieldHeader(id)) != STOP) {
          id = fieldId;
          skip(fieldType, depth + 1, false);
        }
      }
      default -> throw new IllegalArgumentException("Unknown compact type " + type);
    }
  }

  private int readByte() {
    if (position >= end) {
      throw ended();
    }
    return bytes[position++] & 0xFF;
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("Varint longer than 10 bytes at byte " + position);
  }

  private void advance(int count) {
    if (count > end - position) {
      throw ended();
    }
    position += count;
  }

  private int checkedSize(long size) {
    if (size < 0 || size > end - position) {
      // every element, entry or byte of a binary takes at least one byte (an empty structure its
      // stop byte): a size past the bytes left cannot be right
      throw new IllegalArgumentException("Size " + size + " past the end at byte " + position);
    }
    return (int) size;
  }

  private static int zigzag(int value) {
    return (value >>> 1) ^ -(value & 1);
  }

  private static void checkType(int type) {
    if (type < BOOLEAN_TRUE || type > STRUCT) {
      throw new IllegalArgumentException("Unknown compact type " + type);
    }
  }

  private IllegalArgumentException ended() {
    return new IllegalArgumentException("Bytes end at " + end + " inside a structure");
  }
}
