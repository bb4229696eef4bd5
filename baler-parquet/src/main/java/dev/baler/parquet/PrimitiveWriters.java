package dev.baler.parquet;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.io.api.Binary;

/** The value writers of primitive values: copies and the conversions normalisation makes. */
final class PrimitiveWriters {
  /** Days from the Julian day number 0 to 1970-01-01, the epoch of INT96 time stamps. */
  static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

  static final long MICROS_PER_DAY = 86_400_000_000L;

  /** Bytes of a DECIMAL(20, 0) written as a fixed-length byte array: 2^64-1 needs 65 bits. */
  static final int UINT64_DECIMAL_BYTES = 9;

  private PrimitiveWriters() {}

  /** Copies the value as it is. */
  static final ValueWriter COPY =
      (parent, field, index, emitter) -> parent.writeValue(field, index, emitter.consumer);

  /** INT64 nanoseconds to microseconds, rounding down, counting values that lose digits. */
  static final ValueWriter NANOS_TO_MICROS =
      (parent, field, index, emitter) -> {
        long nanos = parent.getLong(field, index);
        if (Math.floorMod(nanos, 1000L) != 0) {
          emitter.timestampTruncated();
        }
        emitter.consumer.addLong(Math.floorDiv(nanos, 1000L));
      };

  /** INT64 milliseconds to microseconds; never loses anything. */
  static ValueWriter millisToMicros(String column) {
    return (parent, field, index, emitter) -> {
      long millis = parent.getLong(field, index);
      try {
        emitter.consumer.addLong(Math.multiplyExact(millis, 1000L));
      } catch (ArithmeticException e) {
        throw new ValueRefusedException(
            "Cannot convert column '"
                + column
                + "' to microseconds: "
                + millis
                + " ms is outside the range of INT64 microseconds");
      }
    };
  }

  /**
   * INT96 (8 bytes of nanoseconds within the day, then 4 bytes of Julian day, little-endian) to
   * INT64 microseconds since the epoch, rounding down, counting values that lose digits.
   */
  static final ValueWriter INT96_TO_MICROS =
      (parent, field, index, emitter) -> {
        Binary value = parent.getInt96(field, index);
        ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = bytes.getLong(bytes.position());
        long julianDay = Integer.toUnsignedLong(bytes.getInt(bytes.position() + 8));
        if (Math.floorMod(nanosOfDay, 1000L) != 0) {
          emitter.timestampTruncated();
        }
        long micros =
            (julianDay - JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1000L);
        emitter.consumer.addLong(micros);
      };

  /** Copies an unsigned 64-bit value, refusing one above 2^63-1. */
  static ValueWriter uint64Checked(String column) {
    return (parent, field, index, emitter) -> {
      long value = parent.getLong(field, index);
      if (value < 0) {
        throw new ValueRefusedException(
            "column '"
                + column
                + "' holds the unsigned 64-bit value "
                + Long.toUnsignedString(value)
                + ", above 2^63-1, which readers such as Snowflake take as negative"
                + " (convert such columns to DECIMAL(20,0): --uint64-as decimal)");
      }
      emitter.consumer.addLong(value);
    };
  }

  /** An unsigned 64-bit value as a 9-byte big-endian two's complement DECIMAL(20, 0). */
  static final ValueWriter UINT64_TO_DECIMAL =
      (parent, field, index, emitter) -> {
        long value = parent.getLong(field, index);
        emitter.consumer.addBinary(Binary.fromConstantByteArray(uint64Decimal(value)));
      };

  static byte[] uint64Decimal(long value) {
    byte[] magnitude = new BigInteger(Long.toUnsignedString(value)).toByteArray();
    // toByteArray gives at most 9 bytes for values below 2^64 and is never negative here
    byte[] fixed = new byte[UINT64_DECIMAL_BYTES];
    System.arraycopy(
        magnitude, 0, fixed, UINT64_DECIMAL_BYTES - magnitude.length, magnitude.length);
    return fixed;
  }
}
