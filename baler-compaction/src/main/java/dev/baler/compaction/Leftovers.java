package dev.baler.compaction;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.TemporaryNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what killed runs left behind and no reader takes for data: the hidden temporary files
 * ({@link TemporaryNames}) that local disk and HDFS write a file under before renaming it, of
 * markers and journal records. Only tidies: a failure to list or delete is logged, never thrown, so
 * that it never keeps a bin open or fails a run.
 */
final class Leftovers {
  private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

  private Leftovers() {}

  /**
   * Deletes the temporary files directly in {@code directory} that {@code wanted} accepts, found
   * with one listing of the directory's hidden names (on HDFS, of its tree).
   *
   * @param wanted given the name of the file a temporary file was made for ({@link
   *     TemporaryNames#targetOf}) and its entry, whether it is a leftover to delete
   * @param kind what they are the temporary files of, for the log: "marker", "journal record"
   */
  static void sweep(
      Storage storage, Location directory, BiPredicate<String, FileEntry> wanted, String kind) {
    try {
      List<Location> leftovers = new ArrayList<>();
      for (FileEntry file : storage.list(directory.resolve(".")).toList()) {
        if (file.location().parent().equals(Optional.of(directory))
            && TemporaryNames.targetOf(file.location().fileName())
                .filter(target -> wanted.test(target, file))
                .isPresent()) {
          leftovers.add(file.location());
        }
      }
      if (leftovers.isEmpty()) {
        return;
      }
      LOG.debug("Deleting {} temporary files of {}s left by killed runs", leftovers.size(), kind);
      for (DeleteFailure failure : storage.deleteFiles(leftovers)) {
        LOG.warn(
            "Cannot delete {}, a {}'s temporary file a killed run left: {}",
            failure.location(),
            kind,
            failure.reason());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Cannot look for the temporary files of {}s killed runs left in {}: {}",
          kind,
          directory,
          e.toString());
    }
  }
}
