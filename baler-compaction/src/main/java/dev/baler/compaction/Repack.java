package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.parquet.NormalizationResult;
import dev.baler.parquet.ParquetNormalizer;
import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites every Parquet file under a source prefix to the same relative key under a destination
 * prefix, one output per input, normalised by {@link ParquetNormalizer} so that picky readers load
 * it. Source and destination may be on different stores (S3 to local disk, HDFS to S3...).
 *
 * <p>Each file streams from its source to its destination (one input row group and one output row
 * group in memory, nothing on local disk), {@link RepackOptions#workers()} files at once. An output
 * is published atomically when its stream closes (S3 completes the multipart upload, a file system
 * renames a temporary file), then read back and verified: the same row count as the input and the
 * same records as were written. An output that fails verification is deleted. Any failure of one
 * file (unreadable input, a refused value, a store error) is reported with its reason and the run
 * goes on; a killed run never leaves a partial file under a destination key.
 *
 * <p>With {@link RepackOptions.Existing#SKIP}, destinations that exist when the run starts are left
 * alone (one listing of the destination prefix finds them), so a rerun retries only the files that
 * failed or were not reached.
 *
 * <p>Thread-safe; one run at a time per instance is the intended use.
 */
public final class Repack {
  private static final Logger LOG = LoggerFactory.getLogger(Repack.class);

  private final Storage sourceStorage;
  private final Storage destinationStorage;
  private final RepackOptions options;
  private final RepackListener listener;
  private final ParquetNormalizer normalizer;

  /**
   * @param sourceStorage the store the source prefix is on
   * @param destinationStorage the store the destination prefix is on; may be the same object
   * @param listener told of progress, from the worker threads
   */
  public Repack(
      Storage sourceStorage,
      Storage destinationStorage,
      RepackOptions options,
      RepackListener listener) {
    this.sourceStorage = requireNonNull(sourceStorage, "sourceStorage is null");
    this.destinationStorage = requireNonNull(destinationStorage, "destinationStorage is null");
    this.options = requireNonNull(options, "options is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.normalizer = new ParquetNormalizer(options.normalization());
  }

  /**
   * Checks that a destination can take a source's outputs: neither prefix may lie inside the other
   * (both taken as directories), or outputs would become inputs of a rerun, or overwrite inputs.
   *
   * @throws IllegalArgumentException if they overlap
   */
  public static void checkLocations(Location source, Location destination) {
    Location sourceDirectory = source.asDirectory();
    Location destinationDirectory = destination.asDirectory();
    if (sourceDirectory.equals(destinationDirectory)) {
      throw new IllegalArgumentException(
          "Cannot repack "
              + source
              + " into itself: give a destination outside the source (in-place rewrite is not"
              + " supported, there is no rename on S3)");
    }
    if (sourceDirectory.contains(destinationDirectory)) {
      throw new IllegalArgumentException(
          "Cannot repack "
              + source
              + " into "
              + destination
              + ": the destination is inside the source, so a rerun would take outputs as inputs");
    }
    if (destinationDirectory.contains(sourceDirectory)) {
      throw new IllegalArgumentException(
          "Cannot repack "
              + source
              + " into "
              + destination
              + ": the source is inside the destination, so outputs could replace inputs");
    }
  }

  /** Whether a file is a Parquet data file by its name: {@code .parquet} or {@code .parq}. */
  static boolean isDataFile(Location location) {
    String name = location.fileName().toLowerCase(Locale.ROOT);
    return name.endsWith(".parquet") || name.endsWith(".parq");
  }

  /**
   * Repacks every data file below {@code source} into {@code destination}. Both are taken as
   * directories: {@code s3://b/raw} means the keys below {@code raw/}.
   *
   * @return what was done; failures of single files are in it, never thrown
   * @throws IllegalArgumentException if the locations overlap (see {@link #checkLocations})
   * @throws IOException if a prefix cannot be listed
   * @throws InterruptedIOException if the calling thread is interrupted; files being written are
   *     aborted
   */
  public RepackResult run(Location source, Location destination) throws IOException {
    checkLocations(source, destination);
    long started = System.nanoTime();
    Location sourceDirectory = source.asDirectory();
    Location destinationDirectory = destination.asDirectory();
    List<FileEntry> files = new ArrayList<>();
    for (FileEntry entry : sourceStorage.list(sourceDirectory).toList()) {
      if (isDataFile(entry.location())) {
        files.add(entry);
      }
    }
    files.sort(Comparator.comparing(entry -> entry.location().path()));
    Set<Location> existing = new HashSet<>();
    if (options.existing() == RepackOptions.Existing.SKIP) {
      for (FileEntry entry : destinationStorage.list(destinationDirectory).toList()) {
        existing.add(entry.location());
      }
    }
    guard(() -> listener.listed(files.size(), files.stream().mapToLong(FileEntry::length).sum()));

    List<RepackedFile> completed = new ArrayList<>();
    List<Location> skipped = new ArrayList<>();
    List<RepackResult.Failure> failed = new ArrayList<>();
    List<Future<FileOutcome>> pending = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(options.workers(), new WorkerThreads());
    try {
      for (FileEntry file : files) {
        Location target = destinationOf(file.location(), sourceDirectory, destinationDirectory);
        if (existing.contains(target)) {
          skipped.add(file.location());
          guard(() -> listener.fileFinished(file.location(), RepackResult.Outcome.SKIPPED));
          continue;
        }
        pending.add(workers.submit(() -> repackOne(file, target)));
      }
      for (Future<FileOutcome> future : pending) {
        FileOutcome outcome = future.get();
        outcome.completed().ifPresent(completed::add);
        outcome.failure().ifPresent(failed::add);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while repacking " + source);
    } catch (ExecutionException e) {
      // repackOne catches everything but errors such as OutOfMemoryError
      throw new IllegalStateException(
          "Cannot repack " + source + ": " + e.getCause(), e.getCause());
    } finally {
      workers.shutdownNow();
    }
    return new RepackResult(
        files.size(), completed, skipped, failed, Duration.ofNanos(System.nanoTime() - started));
  }

  /** The destination of a source file: the same key relative to the destination directory. */
  static Location destinationOf(
      Location file, Location sourceDirectory, Location destinationDirectory) {
    String relative = file.path().substring(sourceDirectory.path().length());
    return destinationDirectory.resolve(relative);
  }

  private FileOutcome repackOne(FileEntry file, Location target) {
    Location source = file.location();
    Optional<String> failure;
    RepackedFile done = null;
    try {
      NormalizationResult result =
          normalizer.normalize(
              sourceStorage.newInputFile(source, file.length()),
              destinationStorage.newOutputFile(target),
              rows -> guard(() -> listener.rowsWritten(rows)));
      failure = verify(target, result);
      if (failure.isEmpty()) {
        done =
            new RepackedFile(
                source,
                target,
                file.length(),
                result.rows(),
                result.truncatedTimestamps(),
                result.changes());
      }
    } catch (InvalidParquetFileException e) {
      failure = Optional.of(e.reason());
    } catch (IOException e) {
      failure = Optional.of(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.debug("Repacking {} failed", source, e);
      failure = Optional.of(e.toString());
    }
    RepackResult.Outcome outcome =
        failure.isEmpty() ? RepackResult.Outcome.COMPLETED : RepackResult.Outcome.FAILED;
    guard(() -> listener.fileFinished(source, outcome));
    return new FileOutcome(
        Optional.ofNullable(done), failure.map(reason -> new RepackResult.Failure(source, reason)));
  }

  /** Reads the published output back; deletes it when it is not what was written. */
  private Optional<String> verify(Location target, NormalizationResult result) throws IOException {
    Optional<String> mismatch;
    try {
      mismatch = normalizer.verify(destinationStorage.newInputFile(target), result);
    } catch (IOException e) {
      mismatch = Optional.of("the output cannot be read back (" + e.getMessage() + ")");
    }
    if (mismatch.isEmpty()) {
      return mismatch;
    }
    String reason = "verification failed, output deleted: " + mismatch.get();
    List<DeleteFailure> left = destinationStorage.deleteFiles(List.of(target));
    if (!left.isEmpty()) {
      reason =
          "verification failed, and the output could not be deleted ("
              + left.get(0).reason()
              + "): "
              + mismatch.get();
    }
    return Optional.of(reason);
  }

  private static void guard(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("A repack listener failed: {}", e.toString());
    }
  }

  private record FileOutcome(
      Optional<RepackedFile> completed, Optional<RepackResult.Failure> failure) {}

  /** Daemon threads named {@code repack-N}, so a stuck store never keeps the JVM alive. */
  private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "repack-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
