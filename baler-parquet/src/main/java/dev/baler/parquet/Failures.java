package dev.baler.parquet;

import java.io.IOException;

/** Rethrowing a failure that crossed threads (a task's, from its future) as the caller's own. */
final class Failures {
  private Failures() {}

  /**
   * The failure of a task to throw as the caller's: thrown right here, as it is, when it is a
   * {@link RuntimeException} or an {@link Error}; returned, for the caller to throw, when it is an
   * {@link IOException}; any other (a checked exception of a library's) wrapped in an {@code
   * IOException} with {@code message}.
   */
  static IOException asIoException(Throwable cause, String message) {
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return cause instanceof IOException io ? io : new IOException(message, cause);
  }
}
