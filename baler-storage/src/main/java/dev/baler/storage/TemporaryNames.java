package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;

/**
 * The names of the hidden temporary files that stores which rename (local disk, HDFS) write a file
 * under before it takes its name: {@code .NAME.UUID.tmp} beside {@code NAME}. A process killed
 * between the write and the rename leaves one behind; nothing takes it for data, as its name starts
 * with a dot. Stateless.
 */
public final class TemporaryNames {
  private static final String SUFFIX = ".tmp";

  private TemporaryNames() {}

  /** A new temporary name for a file to be named {@code name}, unique to this call. */
  public static String of(String name) {
    requireNonNull(name, "name is null");
    return "." + name + "." + UUID.randomUUID() + SUFFIX;
  }

  /** Whether {@code name} is a temporary name, of whichever file. */
  public static boolean isTemporary(String name) {
    return targetOf(name).isPresent();
  }

  /**
   * The name of the file a temporary name was made for ({@link #of}): {@code NAME} for {@code
   * .NAME.UUID.tmp}; empty if {@code name} is not a temporary name.
   */
  public static Optional<String> targetOf(String name) {
    if (!name.startsWith(".") || !name.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    int unique = name.lastIndexOf('.', name.length() - SUFFIX.length() - 1);
    return unique > 1 ? Optional.of(name.substring(1, unique)) : Optional.empty();
  }
}
