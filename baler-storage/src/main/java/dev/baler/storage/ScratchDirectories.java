package dev.baler.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Local directories a run makes for its own scratch files (staged copies of inputs, row groups
 * merged by a second thread), named after the process: {@code PREFIX + PID + "-" + random}. A run
 * deletes its own when done; one killed before then leaves its directory behind, which the next run
 * that makes a directory of that prefix below the same parent deletes, once no process of that PID
 * runs.
 *
 * <p>Stateless and thread-safe.
 */
public final class ScratchDirectories {
  private ScratchDirectories() {}

  /**
   * Makes a new directory {@code prefix + PID + "-" + random} below {@code parent}, first deleting
   * those of the prefix whose processes no longer run.
   *
   * @param prefix such as {@code baler-staging-}; ends with a dash
   * @throws IOException if the directory cannot be made
   */
  public static Path create(Path parent, String prefix) throws IOException {
    removeAbandoned(parent, prefix);
    return Files.createTempDirectory(parent, prefix + ProcessHandle.current().pid() + "-");
  }

  /**
   * Deletes the directories of {@code prefix} below {@code parent} of processes that no longer run.
   * One whose process is alive is left alone, and so is anything not named {@code prefix + digits +
   * "-" ...}. Should another host's process share the parent and be taken for dead, it loses
   * scratch files only: a staged copy is read from the store again, and a merge that loses its
   * second thread's file fails and is tried again by the next run. Failures are ignored: what could
   * not be deleted is tried again by the next run.
   */
  private static void removeAbandoned(Path parent, String prefix) {
    try (Stream<Path> children = Files.list(parent)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        String name = child.getFileName().toString();
        if (!name.startsWith(prefix) || !Files.isDirectory(child)) {
          continue;
        }
        String rest = name.substring(prefix.length());
        int dash = rest.indexOf('-');
        if (dash <= 0
            || dash > 18
            || !rest.substring(0, dash).chars().allMatch(Character::isDigit)) {
          continue;
        }
        if (ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
          deleteQuietly(child);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // nothing is lost: what could not be removed now is tried again by the next run
    }
  }

  /**
   * Deletes a directory and everything below it, if it is not null; failures are ignored. What
   * stays of a directory {@link #create} made is deleted by a later run's {@code create} of that
   * prefix.
   */
  public static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // left for a later run
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // the same
    }
  }
}
