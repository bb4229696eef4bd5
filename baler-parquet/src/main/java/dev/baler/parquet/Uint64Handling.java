package dev.baler.parquet;

/**
 * What normalisation does with unsigned 64-bit integer columns ({@code INT64} annotated {@code
 * INTEGER(64, false)}), whose values above 2^63-1 many readers (Snowflake among them) take as
 * negative numbers.
 */
public enum Uint64Handling {
  /**
   * Keep the column as it is, and refuse a file in which a value is above 2^63-1 (stored as a
   * negative signed value): such a file fails with a reason naming the column and the value.
   */
  REFUSE,
  /**
   * Write every unsigned 64-bit column as {@code FIXED_LEN_BYTE_ARRAY(9)} annotated {@code
   * DECIMAL(20, 0)}, which holds every value from 0 to 2^64-1 exactly.
   */
  DECIMAL
}
