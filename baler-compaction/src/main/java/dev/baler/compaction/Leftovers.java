package dev.baler.compaction;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what killed runs left behind and no reader takes for data: the hidden temporary files of
 * markers and journal records ({@link dev.baler.storage.TemporaryNames}). Only tidies: a failure is
 * logged, never thrown, so that it never keeps a bin open or fails a run.
 */
final class Leftovers {
  private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

  private Leftovers() {}

  /**
   * Deletes {@code files}, logging each that cannot be deleted.
   *
   * @param kind what they are the temporary files of, for the log: "marker", "journal record"
   * @throws IOException never for a failed deletion; only as {@link Storage#deleteFiles} throws
   *     when the store cannot be reached, for the caller to log with its listing's failures
   */
  static void delete(Storage storage, List<Location> files, String kind) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    LOG.debug("Deleting {} temporary files of {}s left by killed runs", files.size(), kind);
    for (DeleteFailure failure : storage.deleteFiles(files)) {
      LOG.warn(
          "Cannot delete {}, a {}'s temporary file a killed run left: {}",
          failure.location(),
          kind,
          failure.reason());
    }
  }
}
