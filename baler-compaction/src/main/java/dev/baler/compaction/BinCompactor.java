package dev.baler.compaction;

import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.parquet.MergeHelpers;
import dev.baler.parquet.MergeInput;
import dev.baler.parquet.MergeListener;
import dev.baler.parquet.MergeResult;
import dev.baler.parquet.ParquetMerger;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.DaemonThreads;
import dev.baler.storage.DeleteFailure;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the protocol for one bin: journal, write, verify, retire the originals, close. Nothing of an
 * input is touched before the output holding its rows has been read back and matched. The merge and
 * verification run on the calling thread, the retirement on an executor of the caller's (see {@link
 * #compact}). Thread-safe: several bins run through one compactor at once.
 */
final class BinCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(BinCompactor.class);

  /** Markers written at once by one bin. */
  static final int MARKER_THREADS = 8;

  private final Storage storage;
  private final CompactionOptions options;
  private final Journal journal;
  private final Lease lease;
  private final String runId;
  private final CompactionListener listener;

  /** Where threads with no bin left wait to take part of a bin's merge. */
  private final MergeHelpers helpers;

  BinCompactor(
      Storage storage,
      CompactionOptions options,
      Journal journal,
      Lease lease,
      String runId,
      CompactionListener listener,
      MergeHelpers helpers) {
    this.helpers = helpers;
    this.storage = storage;
    this.options = options;
    this.journal = journal;
    this.lease = lease;
    this.runId = runId;
    this.listener = listener;
  }

  /**
   * Merges {@code bin} and commits its output on the calling thread, then hands the retirement of
   * its originals to {@code retirer}. Retiring is mostly waiting: on local disk, a deletion waits
   * on the file system (0.3 ms a file, 0.35 s for a bin of 1,053 files), time in which the calling
   * thread merges the next bin instead. A committed bin's record stays open until its originals are
   * retired, and recovery finishes it after a crash, as it would one that failed while retiring.
   *
   * @return the bin's outcome once its originals are retired; or at once, for a bin that failed
   * @throws java.util.concurrent.RejectedExecutionException if {@code retirer} takes no more tasks
   *     (the run is stopping); the committed bin's record then stays open for recovery
   */
  CompletableFuture<BinOutcome> compact(
      Bin bin, Map<Location, BitSet> duplicates, Executor retirer) {
    long started = System.nanoTime();
    Commit commit = commitSkippingUnreadable(bin, duplicates);
    if (commit instanceof Committed committed) {
      return CompletableFuture.supplyAsync(
          () -> retire(committed).withDuration(Duration.ofNanos(System.nanoTime() - started)),
          retirer);
    }
    return CompletableFuture.completedFuture(
        ((NotCommitted) commit)
            .outcome()
            .withDuration(Duration.ofNanos(System.nanoTime() - started)));
  }

  /** How the merge and verification of a bin ended. */
  private sealed interface Commit permits Committed, NotCommitted {}

  /**
   * A bin whose output is verified and whose journal record says so; its originals are not retired
   * yet.
   */
  private record Committed(
      Bin bin,
      Location record,
      long rows,
      long outputBytes,
      long duplicates,
      List<SkippedFile> skipped)
      implements Commit {}

  /** A bin that ended without a commit; nothing of its inputs was touched. */
  private record NotCommitted(BinOutcome outcome) implements Commit {}

  private Commit commitSkippingUnreadable(Bin bin, Map<Location, BitSet> duplicates) {
    List<SkippedFile> skipped = new ArrayList<>();
    Bin current = bin;
    AttemptProgress progress = new AttemptProgress(listener);
    while (true) {
      try {
        return commitOnce(current, duplicates, skipped, progress.startAttempt());
      } catch (InvalidParquetFileException e) {
        // An input whose footer was fine but whose data is not: leave it out and try again.
        List<InputEntry> rest =
            current.inputs().stream()
                .filter(input -> !input.location().equals(e.location()))
                .toList();
        if (rest.size() == current.inputs().size()) {
          return failed(current, skipped, e.getMessage());
        }
        skipped.add(new SkippedFile(e.location(), e.reason()));
        LOG.warn("Skipping {}: {}", e.location(), e.reason());
        if (rest.size() < 2) {
          return failed(current, skipped, "too few readable inputs left");
        }
        current = new Bin(current.index(), current.partition(), rest, current.output());
      } catch (IOException | RuntimeException e) {
        LOG.debug("Bin {} failed", bin.output(), e);
        return failed(current, skipped, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }

  /**
   * A bin's merge progress over its attempts: an attempt after one that met an input it could not
   * decode is heard only once it gets past where the attempt before it got, so that the listener
   * hears each byte of the bin's inputs about once. Thread-safe (a merge's helping threads report
   * too).
   */
  private static final class AttemptProgress {
    private final CompactionListener listener;
    private int attempt; // guarded by this, as the rest
    private long rows; // heard in this attempt
    private long inputBytes;
    private long rowsTold; // told the listener, over all attempts
    private long inputBytesTold;

    AttemptProgress(CompactionListener listener) {
      this.listener = listener;
    }

    /**
     * The listener of a new attempt. What the listeners of earlier attempts hear from now on is
     * dropped: a helping thread of a failed attempt may still finish the row group it was merging.
     */
    synchronized MergeListener startAttempt() {
      int current = ++attempt;
      rows = 0;
      inputBytes = 0;
      return (groupRows, groupBytes) -> heard(current, groupRows, groupBytes);
    }

    private void heard(int from, long rows, long inputBytes) {
      long newRows;
      long newBytes;
      synchronized (this) {
        if (from != attempt) {
          return;
        }
        this.rows += rows;
        this.inputBytes += inputBytes;
        newRows = Math.max(0, this.rows - rowsTold);
        newBytes = Math.max(0, this.inputBytes - inputBytesTold);
        rowsTold += newRows;
        inputBytesTold += newBytes;
      }
      if (newRows > 0 || newBytes > 0) {
        listener.rowGroupWritten(newRows, newBytes);
      }
    }
  }

  private static NotCommitted failed(Bin bin, List<SkippedFile> skipped, String reason) {
    return new NotCommitted(
        new BinOutcome(
            bin, false, 0, 0, 0, List.of(), skipped, Optional.of(reason), Duration.ZERO));
  }

  private Committed commitOnce(
      Bin bin, Map<Location, BitSet> duplicates, List<SkippedFile> skipped, MergeListener progress)
      throws IOException {
    // made as the journal writes them: no second copy of thousands of names while the bin runs
    List<String> inputNames = MappedList.of(bin.inputLocations(), Location::toString);
    Journal.Entry writing =
        new Journal.Entry(
            runId,
            bin.index(),
            Journal.State.WRITING,
            bin.output().toString(),
            inputNames,
            options.originals(),
            backupDirectoryName(),
            0,
            "",
            "");
    lease.check();
    Location record = journal.open(writing);
    listener.step(ProtocolStep.JOURNAL_OPENED, bin.output());

    MergeResult merged;
    long outputBytes;
    boolean published = false;
    long expectedRows = 0;
    long duplicateRows = 0;
    try {
      for (InputEntry input : bin.inputs()) {
        expectedRows += input.rows();
        duplicateRows += skipRows(input, duplicates).map(BitSet::cardinality).orElse(0);
      }
      expectedRows -= duplicateRows;
      List<MergeInput> inputs = mergeInputs(bin.inputs(), duplicates);
      long merging = System.nanoTime();
      merged =
          new ParquetMerger(options.writeOptions(), windowBytes(bin.output()))
              .withHelpers(helpers)
              .merge(inputs, storage.newOutputFile(bin.output()), progress);
      published = true;
      listener.step(ProtocolStep.OUTPUT_WRITTEN, bin.output());
      long verifying = System.nanoTime();
      RowFingerprint readBack =
          RowFingerprint.of(
              storage.newInputFile(bin.output()),
              windowBytes(bin.output()),
              merged.verbatim(),
              helpers);
      LOG.debug(
          "Wrote {} from {} inputs in {} ms ({} of {} row groups by a second thread), read it back"
              + " in {} ms",
          bin.output(),
          bin.inputs().size(),
          (verifying - merging) / 1_000_000,
          merged.handedOverRowGroups(),
          merged.rowGroups(),
          (System.nanoTime() - verifying) / 1_000_000);
      if (merged.rows() != expectedRows || !readBack.equals(merged.fingerprint())) {
        throw new IOException(
            "Cannot verify "
                + bin.output()
                + ": read back "
                + readBack
                + ", expected rows="
                + expectedRows
                + " "
                + merged.fingerprint());
      }
      // Committed once the record says verified: a failure after that leaves a record that
      // recovery finishes; a failure before it rolls the bin back.
      lease.check();
      outputBytes = storage.newInputFile(bin.output()).length();
      journal.update(
          record,
          new Journal.Entry(
              runId,
              bin.index(),
              merged.verbatim().isEmpty()
                  ? Journal.State.VERIFIED
                  : Journal.State.VERIFIED_VERBATIM,
              bin.output().toString(),
              inputNames,
              options.originals(),
              backupDirectoryName(),
              merged.rows(),
              merged.fingerprint().toString(),
              merged.verbatim().toString()));
    } catch (IOException | RuntimeException e) {
      rollBack(bin, record, published, e);
      throw e;
    }
    listener.step(ProtocolStep.OUTPUT_VERIFIED, bin.output());
    return new Committed(bin, record, merged.rows(), outputBytes, duplicateRows, skipped);
  }

  /**
   * Retires the originals of a committed bin and closes its record. A run that has lost its lease
   * by now leaves both to the new holder's recovery.
   */
  private BinOutcome retire(Committed committed) {
    Bin bin = committed.bin();
    List<DeleteFailure> deletionFailures = new ArrayList<>();
    Optional<String> unfinished = Optional.empty();
    try {
      lease.check();
      List<Location> inputs = bin.inputLocations();
      Retirement retirement =
          new Retirement(options.originals(), options.backupDirectory(), journal.dataDirectory());
      long retiring = System.nanoTime();
      finish(storage, bin.output(), inputs, retirement, deletionFailures, listener);
      journal.close(committed.record());
      LOG.debug(
          "Retired the inputs of {} in {} ms",
          bin.output(),
          (System.nanoTime() - retiring) / 1_000_000);
      listener.step(ProtocolStep.JOURNAL_CLOSED, bin.output());
    } catch (IOException | RuntimeException e) {
      unfinished =
          Optional.of(
              "committed, but not finished (" + e.getMessage() + "); the next run finishes it");
    }
    return new BinOutcome(
        bin,
        true,
        committed.rows(),
        committed.outputBytes(),
        committed.duplicates(),
        deletionFailures,
        committed.skipped(),
        unfinished,
        Duration.ZERO);
  }

  /** What a processed marker says: which output holds the file's rows, and since when. */
  record Marker(String compactedInto, String at) {}

  private String backupDirectoryName() {
    return options.backupDirectory().map(Location::toString).orElse("");
  }

  /**
   * Retires the inputs of a verified output. Kept originals get their {@code .processed} markers.
   * Originals that leave their place (deleted, backed up or trashed) need none: until the journal
   * record closes, it is what keeps them from being compacted again, and recovery finishes it. Only
   * an original that could not be removed gets a marker, so that later runs skip it. Shared with
   * recovery, which calls it for inputs that still exist.
   *
   * @throws IOException if the output is gone before originals are removed, the store cannot be
   *     reached to remove them, or a marker cannot be written; the journal record then stays open
   *     for recovery
   */
  static void finish(
      Storage storage,
      Location output,
      List<Location> inputs,
      Retirement retirement,
      List<DeleteFailure> deletionFailures,
      CompactionListener listener)
      throws IOException {
    byte[] marker = StateJson.write(new Marker(output.toString(), Instant.now().toString()));
    if (!retirement.removesOriginals()) {
      writeMarkers(storage, inputs, marker);
      listener.step(ProtocolStep.MARKERS_WRITTEN, output);
      return;
    }
    if (!storage.newInputFile(output).exists()) {
      throw new IOException("Cannot remove the inputs of " + output + ": the output is gone");
    }
    List<DeleteFailure> failures = retirement.retire(storage, inputs);
    deletionFailures.addAll(failures);
    listener.step(ProtocolStep.ORIGINALS_DELETED, output);
    writeMarkers(storage, failures.stream().map(DeleteFailure::location).toList(), marker);
    listener.step(ProtocolStep.MARKERS_WRITTEN, output);
  }

  /**
   * Writes the markers of {@code inputs}, {@value #MARKER_THREADS} at a time: on S3 each is a
   * request of its own, and a bin of hundreds of small files would otherwise wait on them one by
   * one. Returns once every marker is written.
   *
   * @throws IOException the first failure, once every write has ended
   */
  private static void writeMarkers(Storage storage, List<Location> inputs, byte[] marker)
      throws IOException {
    if (inputs.size() <= 1) {
      for (Location input : inputs) {
        storage.newOutputFile(FileNames.marker(input)).write(marker);
      }
      return;
    }
    ExecutorService writers =
        Executors.newFixedThreadPool(
            Math.min(MARKER_THREADS, inputs.size()), DaemonThreads.named("baler-marker"));
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (Location input : inputs) {
        writes.add(
            writers.submit(
                () -> {
                  storage.newOutputFile(FileNames.marker(input)).write(marker);
                  return null;
                }));
      }
      IOException failure = null;
      for (Future<?> write : writes) {
        try {
          write.get();
        } catch (ExecutionException e) {
          IOException cause =
              e.getCause() instanceof IOException io
                  ? io
                  : new IOException("Cannot write a marker: " + e.getCause(), e.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while writing markers");
    } finally {
      writers.shutdownNow();
    }
  }

  /**
   * Undoes a bin that failed before its record said verified; its inputs were not touched. A run
   * that has lost its lease changes nothing more: the new holder's recovery undoes the bin from its
   * journal record. Otherwise the output is deleted if this run published it, or if it exists
   * although publishing reported a failure (S3 can complete an upload whose response is lost):
   * under the lease, nobody else writes that name. The record is closed only once the output is
   * gone, so that a failed delete leaves the work to recovery.
   */
  private void rollBack(Bin bin, Location record, boolean published, Exception cause) {
    try {
      lease.check();
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
      return;
    }
    try {
      if (published || storage.newInputFile(bin.output()).exists()) {
        List<DeleteFailure> failures = storage.deleteFiles(List.of(bin.output()));
        if (!failures.isEmpty()) {
          cause.addSuppressed(
              new IOException(
                  "Cannot delete unverified output "
                      + bin.output()
                      + ": "
                      + failures.get(0).reason()
                      + "; the next run's recovery deletes it"));
          return;
        }
      }
      journal.close(record);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The merge's inputs, each made when the merge asks for it: a bin of thousands of small files
   * holds them packed ({@link InputList}) and makes no second, unpacked copy of them for the whole
   * merge.
   */
  private List<MergeInput> mergeInputs(List<InputEntry> entries, Map<Location, BitSet> duplicates) {
    return MappedList.of(
        entries,
        input ->
            new MergeInput(
                storage.newInputFile(input.location(), input.length()),
                input.layout(),
                skipRows(input, duplicates)));
  }

  private static Optional<BitSet> skipRows(InputEntry input, Map<Location, BitSet> duplicates) {
    return Optional.ofNullable(duplicates.get(input.location())).filter(bits -> !bits.isEmpty());
  }

  /**
   * How much of an output row group's input a merge holds in memory at once: less where a read
   * costs a system call (local disk) or an array copy (memory), more where it costs a request (S3,
   * HDFS); see {@link ParquetMerger#ParquetMerger(WriteOptions, long)}.
   */
  static long windowBytes(Location output) {
    return switch (output.scheme()) {
      case "file", "memory" -> ParquetMerger.LOCAL_WINDOW_BYTES;
      default -> ParquetMerger.DEFAULT_WINDOW_BYTES;
    };
  }
}
