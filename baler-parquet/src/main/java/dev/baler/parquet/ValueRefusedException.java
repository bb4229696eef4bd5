package dev.baler.parquet;

/**
 * A value normalisation will not write, such as an unsigned 64-bit value above 2^63-1 when no
 * conversion was asked for. The file it is in fails with {@link #getMessage()} as the reason.
 */
final class ValueRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ValueRefusedException(String reason) {
    super(reason);
  }
}
