package dev.baler.compaction;

import dev.baler.parquet.VerbatimChunks;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.TemporaryNames;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journal of bins in progress: one record per bin under {@code _baler/journal/}, created before
 * the bin's output is written, updated to {@code verified} once the output matched its inputs, and
 * deleted when the bin is done. Each write replaces the record atomically. Records left by a killed
 * run tell the next run what to finish or roll back. Thread-safe.
 */
final class Journal {
  static final String DIRECTORY = FileNames.STATE_DIRECTORY + "journal/";

  /** What a bin's record says. */
  enum State {
    WRITING,
    /** Verified, with a fingerprint of every value ({@link VerbatimChunks#NONE}). */
    VERIFIED,
    /**
     * Verified, with a fingerprint that counts the record's verbatim chunks by their pages' bytes
     * ({@link Entry#verbatimChunks}). A state of its own so that versions of Baler before verbatim
     * chunks, which would compute another fingerprint, take the output for a changed one, and leave
     * it beside intact inputs, cannot read the record and stop instead.
     */
    VERIFIED_VERBATIM
  }

  /**
   * A journal record.
   *
   * @param runId the run that wrote it
   * @param bin the bin's index in that run's plan
   * @param state how far the bin got
   * @param output the output location
   * @param inputs the input locations
   * @param originals what happens to inputs once verified
   * @param backupDirectory where inputs are moved with {@link CompactionOptions.Originals#BACK_UP};
   *     empty otherwise (and in records of older versions)
   * @param rows rows in the output, once verified
   * @param fingerprint the output's row fingerprint, once verified
   * @param verbatimChunks the output's column chunks verified by their pages' bytes, in the text
   *     form of {@link VerbatimChunks}, once verified; empty if none, null in records of versions
   *     before it (whose fingerprints hash every value)
   */
  record Entry(
      String runId,
      int bin,
      State state,
      String output,
      List<String> inputs,
      CompactionOptions.Originals originals,
      String backupDirectory,
      long rows,
      String fingerprint,
      String verbatimChunks) {

    /**
     * The output's verbatim chunks, as the record names them.
     *
     * @throws IllegalArgumentException if the record's text is not of {@link VerbatimChunks}' form
     */
    VerbatimChunks verbatim() {
      return VerbatimChunks.parse(verbatimChunks);
    }

    /** The treatment of this bin's originals, inputs of {@code directory}. */
    Retirement retirement(Location directory) {
      Optional<Location> backup =
          backupDirectory == null || backupDirectory.isEmpty()
              ? Optional.empty()
              : Optional.of(Location.of(backupDirectory));
      return new Retirement(originals, backup, directory);
    }
  }

  private final Storage storage;
  private final Location dataDirectory;
  private final Location directory;

  Journal(Storage storage, Location dataDirectory) {
    this.storage = storage;
    this.dataDirectory = dataDirectory.asDirectory();
    this.directory = dataDirectory.asDirectory().resolve(DIRECTORY);
  }

  /** The directory whose bins this journal records. */
  Location dataDirectory() {
    return dataDirectory;
  }

  /** Creates the record of a bin; fails if one exists already. */
  Location open(Entry entry) throws IOException {
    Location record =
        directory.resolve(entry.runId() + "-" + String.format("%06d", entry.bin()) + ".json");
    byte[] content = StateJson.write(entry);
    // A create reported as lost to a taken key may be this call's own, retried after its answer
    // was lost: the record names this run and bin, so equal content means it is ours.
    if (!storage.createExclusive(record, content)
        && !Arrays.equals(storage.newInputFile(record).readAllBytes(), content)) {
      throw new IOException("Cannot open journal record " + record + ": it exists already");
    }
    return record;
  }

  /** Replaces a record's content. */
  void update(Location record, Entry entry) throws IOException {
    // Never bring back a record that another run's recovery closed after this run lost its lease.
    if (!storage.newInputFile(record).exists()) {
      throw new IOException("Cannot update journal record " + record + ": it was closed meanwhile");
    }
    storage.newOutputFile(record).write(StateJson.write(entry));
  }

  /** Deletes a record: its bin is done or rolled back. */
  void close(Location record) throws IOException {
    var failures = storage.deleteFiles(List.of(record));
    if (!failures.isEmpty()) {
      throw new IOException(
          "Cannot close journal record " + record + ": " + failures.get(0).reason());
    }
  }

  /**
   * Deletes the hidden temporary files ({@link TemporaryNames}) of records that runs killed while
   * writing a record left behind: local disk and HDFS write a record under such a name and then
   * rename it, and no reader looks at one that a kill left. Only files last modified before {@code
   * abandonedBefore} are deleted, so that a record being written this moment, by a run that lost
   * its lease and has not noticed yet, is not. Only tidies: a failure to list or delete is logged,
   * not thrown.
   *
   * @param abandonedBefore the time before which such a file is taken for abandoned ({@link
   *     Lease#abandonedBefore()})
   */
  void deleteAbandonedTemporaryFiles(Instant abandonedBefore) {
    Leftovers.sweep(
        storage,
        directory,
        (target, file) -> target.endsWith(".json") && file.lastModified().isBefore(abandonedBefore),
        "journal record");
  }

  /** The records left open, oldest run first. */
  List<Map.Entry<Location, Entry>> openRecords() throws IOException {
    return openRecords(storage, dataDirectory);
  }

  /**
   * The records left open in the journal of {@code dataDirectory}, oldest run first: this run's own
   * journal, or that of a directory above or below it, whose open bins may hold files this run
   * lists.
   *
   * @throws IOException if a record cannot be read or parsed; the message says what to do
   */
  static List<Map.Entry<Location, Entry>> openRecords(Storage storage, Location dataDirectory)
      throws IOException {
    List<FileEntry> files = storage.list(dataDirectory.asDirectory().resolve(DIRECTORY)).toList();
    files.sort((a, b) -> a.location().toString().compareTo(b.location().toString()));
    List<Map.Entry<Location, Entry>> records = new ArrayList<>();
    for (FileEntry file : files) {
      read(storage, file.location())
          .ifPresent(entry -> records.add(Map.entry(file.location(), entry)));
    }
    return records;
  }

  /**
   * Reads one record; empty if it is not a record (not {@code .json}) or was closed meanwhile.
   *
   * @throws IOException if it cannot be read or parsed; the message says what to do
   */
  static Optional<Entry> read(Storage storage, Location record) throws IOException {
    if (!record.fileName().endsWith(".json")) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = storage.newInputFile(record).readAllBytes();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    try {
      Entry entry = StateJson.read(bytes, Entry.class);
      VerbatimChunks verbatim = entry.verbatim(); // refuses a list it cannot read
      if (entry.state() == State.VERIFIED && !verbatim.isEmpty()) {
        throw new IllegalArgumentException(
            "a record in state VERIFIED names verbatim chunks, which only VERIFIED_VERBATIM does");
      }
      return Optional.of(entry);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "Cannot read journal record "
              + record
              + ": "
              + e.getMessage()
              + "; check the output and inputs it names, then delete it",
          e);
    }
  }

  /** The data directory whose journal holds {@code record}. */
  static Location dataDirectoryOf(Location record) {
    // record: DATA/_baler/journal/NAME.json
    return record.parent().flatMap(Location::parent).flatMap(Location::parent).orElseThrow();
  }
}
