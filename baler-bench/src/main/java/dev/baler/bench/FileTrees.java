package dev.baler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Copying and deleting local directory trees, for the fresh copy each run works on. */
final class FileTrees {
  private FileTrees() {}

  /**
   * Copies the tree at {@code source} to {@code target}, which must not exist yet.
   *
   * @throws IOException if a file cannot be copied or {@code target} exists
   */
  static void copy(Path source, Path target) throws IOException {
    if (Files.exists(target)) {
      throw new IOException("Cannot copy " + source + " to " + target + ": the target exists");
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(source)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      Path copy = target.resolve(source.relativize(path).toString());
      if (Files.isDirectory(path)) {
        Files.createDirectories(copy);
      } else {
        Files.copy(path, copy);
      }
    }
  }

  /**
   * Deletes the tree at {@code root}; nothing happens if it does not exist.
   *
   * @throws IOException if a file or directory cannot be deleted
   */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
