package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.DuplicateFinder;
import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.parquet.MergeHelpers;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a compaction end to end: takes the directory's {@link Lease}, recovers bins an earlier run
 * left open, plans with {@link CompactionPlanner}, finds duplicates when asked, and runs the bins
 * in parallel ({@link CompactionOptions#parallelism()} at a time), each through the protocol of
 * journal, write, verify, retire the originals. A bin's originals are retired on threads of their
 * own (as many as bins at a time), while its thread merges the next bin; at most as many bins wait
 * to be retired as are merged at once. Releases the lease at the end, once every bin is retired; a
 * run that fails or is interrupted leaves retirements not yet started to the next run's recovery,
 * and releases the lease after waiting at most 10 s for those under way.
 *
 * <p>Memory: each running bin holds about one output row group's input bytes ({@link
 * dev.baler.parquet.WriteOptions#rowGroupBytes()}) plus one column chunk; deduplication adds {@link
 * DuplicateFinder#memoryBytes(long)} for the run's rows. Not thread-safe: one run at a time per
 * runner.
 */
public final class CompactionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CompactionRunner.class);

  private final Storage storage;
  private final CompactionOptions options;
  private final CompactionListener listener;

  /** A runner over {@code storage}. */
  public CompactionRunner(Storage storage, CompactionOptions options, CompactionListener listener) {
    this.storage = requireNonNull(storage, "storage is null");
    this.options = requireNonNull(options, "options is null");
    this.listener = new GuardedListener(requireNonNull(listener, "listener is null"));
  }

  /**
   * Compacts {@code source}.
   *
   * @param source a key prefix or a directory, as for {@link CompactionPlanner#plan(Location)}
   * @throws LeaseHeldException if another run holds the directory's lease
   * @throws IllegalArgumentException if deduplication would need more memory than allowed, if the
   *     backup directory is on another store or overlaps the data, if originals go to a trash the
   *     store does not have, or if no bin's schema has a column asked to have bloom filters
   * @throws IOException if the store fails outside a bin (listing, lease, recovery)
   */
  public CompactionResult run(Location source) throws IOException {
    long started = System.nanoTime();
    Location directory = source.isDirectory() ? source : source.parent().orElse(source);
    String runId =
        Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    checkOriginals(directory);
    Lease lease = Lease.acquire(storage, directory, options.leaseDuration());
    try {
      listener.step(ProtocolStep.LEASE_TAKEN, lease.location());
      ScheduledExecutorService renewer =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("baler-lease"));
      long interval = lease.renewalInterval().toMillis();
      renewer.scheduleWithFixedDelay(() -> renew(lease), interval, interval, TimeUnit.MILLISECONDS);
      try {
        Journal journal = new Journal(storage, directory);
        List<DeleteFailure> deletionFailures = new ArrayList<>();
        List<CompactionResult.Recovery> recovered =
            Recovery.run(storage, journal, lease, deletionFailures, listener);
        long planning = System.nanoTime();
        CompactionPlan plan = new CompactionPlanner(storage, options, listener).plan(source);
        LOG.debug(
            "Planned {} bins of {} files in {} ms",
            plan.bins().size(),
            plan.bins().stream().mapToInt(bin -> bin.inputs().size()).sum(),
            (System.nanoTime() - planning) / 1_000_000);
        BloomFilterColumns.check(storage, plan, options);
        lease.checkNoOverlap(plan.nestedLeases());
        listener.planned(plan);
        if (options.originals() != CompactionOptions.Originals.KEEP
            && !plan.orphanMarkers().isEmpty()) {
          storage.deleteFiles(plan.orphanMarkers());
        }
        List<SkippedFile> skipped = new ArrayList<>(plan.skipped());
        Map<Location, BitSet> duplicates =
            options.deduplicate() ? findDuplicates(plan, skipped) : Map.of();
        List<BinOutcome> outcomes = runBins(plan, duplicates, journal, lease, runId);
        return result(
            plan,
            outcomes,
            skipped,
            deletionFailures,
            recovered,
            Duration.ofNanos(System.nanoTime() - started));
      } finally {
        renewer.shutdownNow();
        awaitQuietly(renewer);
      }
    } finally {
      // The work is done or failed by now; failing to release the lease only makes the next run
      // wait for it to expire, and must not hide the result.
      try {
        lease.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Cannot release the lease {}: {}; it expires by itself",
            lease.location(),
            e.getMessage());
      }
    }
  }

  /**
   * Refuses a backup directory that a run could take input from or that holds the data, and a trash
   * that the store does not have, before anything is touched.
   */
  private void checkOriginals(Location directory) throws IOException {
    switch (options.originals()) {
      case KEEP, DELETE -> {}
      case TRASH -> {
        if (!storage.hasTrash(directory)) {
          throw new IllegalArgumentException(
              "Cannot move originals to the trash: " + directory + " has no trash enabled");
        }
      }
      case BACK_UP -> {
        Location backup = options.backupDirectory().orElseThrow();
        Location data = directory.asDirectory();
        if (!backup.scheme().equals(data.scheme())
            || !backup.authority().equals(data.authority())) {
          throw new IllegalArgumentException(
              "Invalid backup directory " + backup + ": it must be on the same store as " + data);
        }
        if (backup.contains(data)) {
          throw new IllegalArgumentException(
              "Invalid backup directory " + backup + ": it contains the data directory " + data);
        }
        if (data.contains(backup) && !FileNames.isInHiddenDirectory(data, backup.resolve("x"))) {
          throw new IllegalArgumentException(
              "Invalid backup directory "
                  + backup
                  + ": it is inside the data directory, so later runs would take its files;"
                  + " choose one outside it, or a hidden one such as "
                  + data.resolve("_backup/"));
        }
      }
    }
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void renew(Lease lease) {
    try {
      lease.renew();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the lease: {}", e.getMessage());
    }
  }

  /**
   * Counts the duplicate rows a run of {@code plan} with deduplication would leave out, reading
   * every input; writes nothing. For {@code --plan}.
   *
   * @throws IllegalArgumentException if the table would exceed the memory allowed
   */
  public long countDuplicates(CompactionPlan plan) throws IOException {
    return findDuplicates(plan, new ArrayList<>()).values().stream()
        .mapToLong(BitSet::cardinality)
        .sum();
  }

  /**
   * Scans every planned input for duplicate rows, in plan order.
   *
   * @throws IllegalArgumentException if the table would exceed the memory allowed
   */
  Map<Location, BitSet> findDuplicates(CompactionPlan plan, List<SkippedFile> skipped)
      throws IOException {
    long rows = plan.inputRows();
    long memory = DuplicateFinder.memoryBytes(rows);
    if (memory > options.deduplicationMemoryBytes()) {
      throw new IllegalArgumentException(
          "Cannot deduplicate "
              + rows
              + " rows within "
              + options.deduplicationMemoryBytes()
              + " bytes: it needs "
              + memory
              + "; narrow the run with --start/--end or raise --deduplication-memory");
    }
    DuplicateFinder finder = new DuplicateFinder(rows);
    Map<Location, BitSet> duplicates = new HashMap<>();
    for (Bin bin : plan.bins()) {
      for (InputEntry input : bin.inputs()) {
        try {
          duplicates.put(
              input.location(),
              finder.scan(storage.newInputFile(input.location(), input.length())));
        } catch (InvalidParquetFileException e) {
          // the bin's merge meets the same file and leaves it out with its reason
          LOG.debug("Cannot scan {} for duplicates: {}", input.location(), e.reason());
        }
      }
    }
    LOG.info("Found {} duplicate rows among {}", finder.duplicates(), rows);
    return duplicates;
  }

  private List<BinOutcome> runBins(
      CompactionPlan plan,
      Map<Location, BitSet> duplicates,
      Journal journal,
      Lease lease,
      String runId)
      throws IOException {
    MergeHelpers helpers = new MergeHelpers(options.scratchDirectory(), options.handOverBytes());
    BinCompactor compactor =
        new BinCompactor(storage, options, journal, lease, runId, listener, helpers);
    ExecutorService executor =
        Executors.newFixedThreadPool(options.parallelism(), DaemonThreads.named("baler-bin"));
    // Retiring the originals of a bin (deleting them, mostly) waits on the store more than it
    // works, so it runs beside the merges rather than in a bin thread's turn.
    ExecutorService retirer =
        Executors.newFixedThreadPool(options.parallelism(), DaemonThreads.named("baler-retire"));
    // At most as many bins committed and waiting to be retired as merging: where retiring is the
    // slower (backing originals up on S3 copies each), bins wait for it rather than leave ever
    // more records open for a killed run's recovery to read back.
    Semaphore started = new Semaphore(2 * options.parallelism());
    AtomicInteger unfinished = new AtomicInteger(plan.bins().size());
    try {
      List<Future<CompletableFuture<BinOutcome>>> futures = new ArrayList<>();
      for (Bin bin : plan.bins()) {
        futures.add(
            executor.submit(
                () -> {
                  CompletableFuture<BinOutcome> outcome;
                  try {
                    started.acquire();
                    outcome = compactor.compact(bin, duplicates, retirer);
                  } catch (RuntimeException | Error e) {
                    started.release();
                    throw e;
                  } finally {
                    // the merge is over: nothing is left in this bin for a helper to take
                    unfinished.decrementAndGet();
                  }
                  return outcome.whenComplete(
                      (ended, failure) -> {
                        started.release();
                        if (ended != null) {
                          listener.binFinished(ended.bin(), ended.committed());
                        }
                      });
                }));
      }
      // Queued behind the bins, these start on threads that find no bin left to start, and help
      // the merges still running until the last bin ends: three bins on two threads would
      // otherwise leave one idle for the last third of the run, and one bin, for all of it.
      for (int thread = 1; thread < options.parallelism(); thread++) {
        executor.submit(
            () -> {
              helpers.help(() -> unfinished.get() == 0);
              return null;
            });
      }
      List<BinOutcome> outcomes = new ArrayList<>();
      for (Future<CompletableFuture<BinOutcome>> future : futures) {
        outcomes.add(future.get().get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while compacting");
    } catch (ExecutionException e) {
      throw new IllegalStateException("A bin failed unexpectedly: " + e.getCause(), e.getCause());
    } finally {
      executor.shutdownNow();
      // Row groups a failed bin had handed over stop being merged before their next row group:
      // wait for them, so that none outlives the run and its staging (10 s at most).
      awaitQuietly(executor);
      retirer.shutdownNow();
      awaitQuietly(retirer);
    }
  }

  private static CompactionResult result(
      CompactionPlan plan,
      List<BinOutcome> outcomes,
      List<SkippedFile> skipped,
      List<DeleteFailure> deletionFailures,
      List<CompactionResult.Recovery> recovered,
      Duration duration) {
    int filesProcessed = 0;
    long rows = 0;
    long saved = 0;
    long duplicates = 0;
    OptionalLong latest = OptionalLong.empty();
    List<Location> outputs = new ArrayList<>();
    List<CompactionResult.FailedBin> failed = new ArrayList<>();
    Map<Location, PartitionResult> partitions =
        new TreeMap<>(Comparator.comparing(Location::toString));
    for (BinOutcome outcome : outcomes) {
      Location partition = outcome.bin().partition();
      partitions.put(
          partition,
          partitions.getOrDefault(partition, PartitionResult.empty(partition)).plus(outcome));
      skipped.addAll(outcome.skipped());
      deletionFailures.addAll(outcome.deletionFailures());
      outcome
          .failure()
          .ifPresent(
              reason -> failed.add(new CompactionResult.FailedBin(outcome.bin().output(), reason)));
      if (!outcome.committed()) {
        continue;
      }
      filesProcessed += outcome.bin().inputs().size();
      rows += outcome.rows();
      saved += outcome.bin().inputBytes() - outcome.outputBytes();
      duplicates += outcome.duplicates();
      outputs.add(outcome.bin().output());
      OptionalLong binLatest = outcome.bin().latestTimestampMillis();
      if (binLatest.isPresent()
          && (latest.isEmpty() || binLatest.getAsLong() > latest.getAsLong())) {
        latest = binLatest;
      }
    }
    CompactionResult.Status status =
        failed.isEmpty()
            ? CompactionResult.Status.SUCCESS
            : outputs.isEmpty() ? CompactionResult.Status.FAILED : CompactionResult.Status.PARTIAL;
    // The checkpoint never passes a readable file that was selected but not compacted (left alone
    // or in a failed bin), so that a next run started from it still takes that file.
    OptionalLong holdBack =
        Stream.concat(
                plan.leftAlone().stream(),
                outcomes.stream()
                    .filter(outcome -> !outcome.committed())
                    .flatMap(outcome -> outcome.bin().inputs().stream())
                    .map(InputEntry::location))
            .map(location -> FileNames.timestampMillis(location.fileName()))
            .filter(OptionalLong::isPresent)
            .mapToLong(OptionalLong::getAsLong)
            .min();
    if (latest.isPresent() && holdBack.isPresent() && holdBack.getAsLong() <= latest.getAsLong()) {
      latest = OptionalLong.of(holdBack.getAsLong() - 1);
    }
    Optional<Instant> last =
        latest.isPresent()
            ? Optional.of(Instant.ofEpochMilli(latest.getAsLong()))
            : Optional.empty();
    return new CompactionResult(
        status,
        filesProcessed,
        outputs.size(),
        rows,
        saved,
        duplicates,
        last,
        deletionFailures,
        outputs,
        skipped,
        failed,
        recovered,
        List.copyOf(partitions.values()),
        duration);
  }
}
