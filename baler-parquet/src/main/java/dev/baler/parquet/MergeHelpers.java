package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Where threads that have no merge of their own left wait to take part of a running merge's work,
 * so that both cores stay busy to the end of a run: three equal bins on two cores otherwise leave
 * one core idle for the last third, and a run of one bin leaves it idle throughout.
 *
 * <p>A merge given these helpers ({@link ParquetMerger#withHelpers}) looks, before each output row
 * group, for a waiting thread; when one waits and at least two row groups are left, it hands that
 * thread the later half of them, which the thread merges into a file of its own (handing part on in
 * turn, as threads come to wait), and appends that file's row groups, as written, once it has
 * written its own. With more threads than bins, the work spreads as they arrive: on four threads,
 * one bin's merge hands half to the first, a quarter to the next. A handover happens only to a
 * thread already waiting, so a merge never waits for a helper to arrive; it waits only, at its end,
 * for the row groups it handed over.
 *
 * <p>Thread-safe: any number of merges and helping threads may share one instance.
 */
public final class MergeHelpers {
  /** How often a waiting thread looks at whether it may stop, in milliseconds. */
  private static final long POLL_MILLIS = 10;

  /**
   * The fewest bytes worth handing over, 1 MiB: a merge takes about 10 ms per MB on one thread here
   * (the reference set's 78 MB bins in 0.63-0.67 s), while a hand-over costs a few ms (a scratch
   * directory, the range's first footer, the thread's wake-up) and its append about 1 ms per MB (35
   * MB in 33 ms), so less than about half a MB would take longer handed over than kept.
   */
  public static final long DEFAULT_MINIMUM_BYTES = 1L << 20;

  /** How long a hand-over waits for a waiting thread to take it, in milliseconds. */
  private static final long OFFER_MILLIS = 2;

  private final SynchronousQueue<Runnable> handover = new SynchronousQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger handedOver = new AtomicInteger();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Path scratchDirectory;
  private final long minimumBytes;

  /** Helpers whose merges write handed-over row groups below {@code java.io.tmpdir}. */
  public MergeHelpers() {
    this(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * Helpers whose merges write handed-over row groups below {@code scratchDirectory}, each merge's
   * in a {@code baler-merge-PID-*} directory of its own ({@link
   * dev.baler.storage.ScratchDirectories}) that lives until the merge has appended them.
   */
  public MergeHelpers(Path scratchDirectory) {
    this(scratchDirectory, DEFAULT_MINIMUM_BYTES);
  }

  /**
   * Helpers as {@link #MergeHelpers(Path)} makes, that take row groups only when they hold at least
   * {@code minimumBytes} (input bytes of a merge's, stored bytes of a read-back's).
   *
   * @param minimumBytes 0 or more; see {@link #DEFAULT_MINIMUM_BYTES}
   */
  public MergeHelpers(Path scratchDirectory, long minimumBytes) {
    if (minimumBytes < 0) {
      throw new IllegalArgumentException("Invalid minimum bytes " + minimumBytes);
    }
    this.minimumBytes = minimumBytes;
    this.scratchDirectory = requireNonNull(scratchDirectory, "scratchDirectory is null");
  }

  /**
   * Takes work handed over by merges and runs it, on the calling thread, until {@code stop} is
   * true; it is asked at least every {@value #POLL_MILLIS} ms and after each piece of work.
   *
   * @throws InterruptedException if the thread is interrupted while waiting; work under way when
   *     the interrupt comes ends as the merge it belongs to sees it
   */
  public void help(BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      waiting.incrementAndGet();
      Runnable work;
      try {
        work = handover.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } finally {
        waiting.decrementAndGet();
      }
      if (work != null) {
        work.run();
      }
    }
  }

  /** The local directory below which merges write row groups they hand over. */
  Path scratchDirectory() {
    return scratchDirectory;
  }

  /**
   * Whether row groups of {@code bytes} are worth handing over ({@link #DEFAULT_MINIMUM_BYTES}).
   */
  boolean worthHandingOver(long bytes) {
    return bytes >= minimumBytes;
  }

  /** Whether a thread is waiting for work now: a cheap test, made before each row group. */
  boolean anyWaiting() {
    return waiting.get() > 0;
  }

  /** The threads waiting for work now. */
  int waiting() {
    return waiting.get();
  }

  /**
   * Hands {@code work} to a thread waiting in {@link #help}, if one is waiting now: one counted by
   * {@link #anyWaiting} may be between two polls, so the offer waits for it up to {@value
   * #OFFER_MILLIS} ms.
   *
   * @return whether a thread took it, and runs it
   */
  boolean handOver(Runnable work) {
    try {
      if (handover.offer(work, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
        handedOver.incrementAndGet();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether this is the first time a helping thread failed to merge what it was handed (not an
   * input that cannot be decoded): the first is worth a warning, as the next ones likely fail alike
   * (an unwritable scratch directory), each costing the merge its wait.
   */
  boolean firstFailure() {
    return failed.compareAndSet(false, true);
  }

  /** The pieces of work handed over so far, for tests. */
  int handedOver() {
    return handedOver.get();
  }
}
