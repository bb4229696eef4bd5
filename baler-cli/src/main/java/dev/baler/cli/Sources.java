package dev.baler.cli;

import dev.baler.storage.Location;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a command-line URI names what to work on. */
final class Sources {
  private Sources() {}

  /**
   * The location a command-line argument names: a URI such as {@code s3://bucket/prefix} as it is;
   * a local path that is an existing directory as that directory (with its trailing slash, so
   * everything below it is taken); any other local path as a key prefix.
   *
   * @throws IllegalArgumentException if the URI is invalid
   */
  static Location of(String uri) {
    if (!uri.contains("://") && Files.isDirectory(Path.of(uri))) {
      return Location.local(Path.of(uri)).asDirectory();
    }
    return Location.of(uri);
  }
}
