package dev.baler.compaction;

import dev.baler.parquet.Footer;
import dev.baler.parquet.RowFingerprint;
import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.TemporaryNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or rolls back the bins an interrupted run left open, before a new run plans:
 *
 * <ul>
 *   <li>state {@code writing}: the output was never verified, and no input was touched; the output
 *       (and any temporary file of it) is deleted and the record closed;
 *   <li>state {@code verified}: the output holds the inputs' rows; the inputs that still exist are
 *       retired as the record says (deleted, backed up, trashed, or kept with their markers), the
 *       markers of removed inputs are deleted, and so are the temporary files of markers that the
 *       killed run was writing, and the record is closed. If the output has gone missing or changed
 *       since (its rows and fingerprint are read again and compared with the record's), the record
 *       is kept and an error reported, unless every input still exists, in which case nothing was
 *       lost and the record is closed.
 * </ul>
 *
 * <p>Then the temporary files of journal records that killed runs were writing are deleted, once
 * older than a lease lasts ({@link Journal#deleteAbandonedTemporaryFiles}).
 */
final class Recovery {
  /**
   * Appended to a verified output that no longer matches its record while every input is intact:
   * set aside rather than deleted, under a name no reader takes for Parquet data.
   */
  static final String UNVERIFIED_SUFFIX = ".unverified";

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  static List<CompactionResult.Recovery> run(
      Storage storage,
      Journal journal,
      Lease lease,
      List<DeleteFailure> deletionFailures,
      CompactionListener listener)
      throws IOException {
    List<CompactionResult.Recovery> recovered = new ArrayList<>();
    for (Map.Entry<Location, Journal.Entry> open : journal.openRecords()) {
      lease.check();
      Location record = open.getKey();
      Journal.Entry entry = open.getValue();
      Location output = Location.of(entry.output());
      List<Location> inputs = entry.inputs().stream().map(Location::of).toList();
      String action =
          switch (entry.state()) {
            case WRITING -> {
              List<Location> leftovers = new ArrayList<>();
              leftovers.add(output);
              Location parent = output.parent().orElseThrow();
              for (FileEntry file :
                  storage.list(parent.resolve("." + output.fileName())).toList()) {
                leftovers.add(file.location());
              }
              storage.deleteFiles(leftovers);
              journal.close(record);
              yield "rolled back: unverified output " + output + " deleted, inputs untouched";
            }
            case VERIFIED, VERIFIED_VERBATIM -> {
              var outputFile = storage.newInputFile(output);
              List<Location> remaining = new ArrayList<>();
              for (Location input : inputs) {
                if (storage.newInputFile(input).exists()) {
                  remaining.add(input);
                }
              }
              // The output must still be the one verified: same rows, same fingerprint.
              if (!outputFile.exists()
                  || Footer.read(outputFile).rows() != entry.rows()
                  || !RowFingerprint.of(
                          outputFile, BinCompactor.windowBytes(output), entry.verbatim())
                      .toString()
                      .equals(entry.fingerprint())) {
                if (!inputs.isEmpty() && remaining.size() == inputs.size()) {
                  // Every input is where it was: an output left beside them, whatever it holds,
                  // would be rows twice, and markers would keep the inputs from later runs. The
                  // output is set aside under a name no reader takes for Parquet, not deleted:
                  // an input that exists may be a file written later under a retired original's
                  // name, and then the output holds the only copy of that original's rows.
                  boolean changed = outputFile.exists();
                  Location setAside = output.appendSuffix(UNVERIFIED_SUFFIX);
                  if (changed) {
                    storage.moveFile(output, setAside);
                  }
                  List<Location> markers = new ArrayList<>();
                  for (Location input : inputs) {
                    if (storage.newInputFile(FileNames.marker(input)).exists()) {
                      markers.add(FileNames.marker(input));
                    }
                  }
                  List<DeleteFailure> failures = storage.deleteFiles(markers);
                  if (!failures.isEmpty()) {
                    throw new IOException(
                        "Cannot roll back "
                            + record
                            + ": every input is intact, but the marker "
                            + failures.get(0).location()
                            + " could not be deleted ("
                            + failures.get(0).reason()
                            + "); delete it and the record");
                  }
                  journal.close(record);
                  yield changed
                      ? "rolled back: verified output "
                          + output
                          + " changed and was moved to "
                          + setAside
                          + "; every input is intact (delete it once checked)"
                      : "rolled back: verified output "
                          + output
                          + " is gone, every input is intact";
                }
                throw new IOException(
                    "Cannot recover "
                        + record
                        + ": its verified output "
                        + output
                        + " is missing or changed and some inputs were already deleted; restore the output"
                        + " from backup or versioning, then delete the record");
              }
              Retirement retirement = entry.retirement(journal.dataDirectory());
              List<DeleteFailure> failures = new ArrayList<>();
              BinCompactor.finish(storage, output, remaining, retirement, failures, listener);
              if (retirement.removesOriginals()) {
                // Markers of removed originals: left by an earlier attempt whose removal failed,
                // or by a version of Baler that marked every input before removing it.
                Set<Location> kept =
                    failures.stream().map(DeleteFailure::location).collect(Collectors.toSet());
                storage.deleteFiles(
                    inputs.stream()
                        .filter(input -> !kept.contains(input))
                        .map(FileNames::marker)
                        .toList());
              }
              deletionFailures.addAll(failures);
              deleteMarkerLeftovers(storage, inputs);
              journal.close(record);
              yield "finished: "
                  + remaining.size()
                  + " of "
                  + inputs.size()
                  + " inputs "
                  + switch (entry.originals()) {
                    case KEEP -> "marked";
                    case DELETE -> "deleted";
                    case BACK_UP -> "moved to " + entry.backupDirectory();
                    case TRASH -> "moved to the trash";
                  };
            }
          };
      LOG.info("Recovered {}: {}", record, action);
      listener.recovered(record, action);
      recovered.add(new CompactionResult.Recovery(record, action));
    }
    journal.deleteAbandonedTemporaryFiles(lease.abandonedBefore());
    return recovered;
  }

  /**
   * Deletes the hidden temporary files of the inputs' markers that a run killed while marking left
   * behind: local disk and HDFS write a file under a {@link TemporaryNames} name and then rename
   * it, so a kill between the two leaves that file, which no reader takes for data and nothing else
   * removes. One listing per directory the inputs are in, of the names that start with a dot (on
   * HDFS, of the directory's tree). Only tidies: a failure to list or delete is logged, not thrown,
   * so that it never keeps the record open.
   */
  private static void deleteMarkerLeftovers(Storage storage, List<Location> inputs) {
    Map<Location, Set<String>> markerNames = new LinkedHashMap<>();
    for (Location input : inputs) {
      Location marker = FileNames.marker(input);
      marker
          .parent()
          .ifPresent(
              directory ->
                  markerNames
                      .computeIfAbsent(directory, key -> new HashSet<>())
                      .add(marker.fileName()));
    }
    markerNames.forEach(
        (directory, names) ->
            Leftovers.sweep(
                storage, directory, (target, file) -> names.contains(target), "marker"));
  }
}
