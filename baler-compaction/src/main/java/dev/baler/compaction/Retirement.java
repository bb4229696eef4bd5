package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What becomes of originals whose rows are verified in an output: deleted, kept, moved below a
 * backup directory, or moved to the store's trash. Shared by a bin's last steps and by recovery, so
 * both treat originals alike. Immutable and thread-safe.
 *
 * @param originals the treatment
 * @param backupDirectory where {@link CompactionOptions.Originals#BACK_UP} moves them; empty
 *     otherwise
 * @param directory the compacted directory, to which a backed-up file's path is relative
 */
record Retirement(
    CompactionOptions.Originals originals, Optional<Location> backupDirectory, Location directory) {
  Retirement {
    requireNonNull(originals, "originals is null");
    requireNonNull(backupDirectory, "backupDirectory is null");
    requireNonNull(directory, "directory is null");
    if ((originals == CompactionOptions.Originals.BACK_UP) != backupDirectory.isPresent()) {
      throw new IllegalArgumentException("Invalid retirement: backup directory " + backupDirectory);
    }
  }

  /** Whether originals leave their place, so that their markers go too. */
  boolean removesOriginals() {
    return switch (originals) {
      case KEEP -> false;
      case DELETE, BACK_UP, TRASH -> true;
    };
  }

  /**
   * Removes the originals as the treatment says; does nothing when they are kept.
   *
   * @return the originals that could not be removed, with reasons
   * @throws IOException if the store cannot be reached at all
   */
  List<DeleteFailure> retire(Storage storage, List<Location> inputs) throws IOException {
    return switch (originals) {
      case KEEP -> List.of();
      case DELETE -> storage.deleteFiles(inputs);
      case TRASH -> storage.moveToTrash(inputs);
      case BACK_UP -> {
        List<DeleteFailure> failures = new ArrayList<>();
        for (Location input : inputs) {
          try {
            storage.moveFile(input, backupLocation(input));
          } catch (IOException e) {
            failures.add(new DeleteFailure(input, "cannot back up: " + e.getMessage()));
          }
        }
        yield failures;
      }
    };
  }

  /**
   * Where an original goes under the backup directory: at its path relative to the compacted
   * directory, so {@code base/date=2025-08-15/x.parquet} becomes {@code
   * backup/date=2025-08-15/x.parquet}.
   */
  Location backupLocation(Location input) {
    Location backup = backupDirectory.orElseThrow();
    if (!directory.asDirectory().contains(input)) {
      throw new IllegalStateException("Cannot back up " + input + ": it is not in " + directory);
    }
    String relative = input.path().substring(directory.asDirectory().path().length());
    return backup.resolve(relative);
  }
}
