package dev.baler.parquet;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many input files the merges of a process may keep open between their reads. A merge in column
 * groups reads each input once per group and keeps its file open in between; an output row group of
 * 131,072 rows gathers 3,277 files of 40 rows, and two bins hold 6,554 files open, which fails with
 * "Too many open files" where a process may open 4,096 (a common hard limit, which the JVM raises
 * its soft limit to; on macOS the JVM stops at 10,240). An input that finds no room left closes its
 * file after each read and opens it again for the next, at about 10 microseconds each on local
 * disk.
 *
 * <p>{@link #PROCESS} allows half of the process's limit on open files, less 64: the rest is for
 * the class path's jars, outputs, sockets and the planner's footer reads. Thread-safe.
 */
final class OpenFileBudget {
  /** Open files assumed where the JVM does not tell its limit. */
  static final long ASSUMED_LIMIT = 4096;

  /** The budget that every merge of this process shares. */
  static final OpenFileBudget PROCESS = new OpenFileBudget(ofLimit(processLimit()));

  private static final Logger LOG = LoggerFactory.getLogger(OpenFileBudget.class);

  private final int files;
  private final AtomicInteger free;
  private final AtomicBoolean told = new AtomicBoolean();

  /**
   * @param files how many files may be open at once, at least 0
   */
  OpenFileBudget(int files) {
    if (files < 0) {
      throw new IllegalArgumentException("Invalid open file budget " + files);
    }
    this.files = files;
    this.free = new AtomicInteger(files);
  }

  /** The files a budget allows for a process that may open {@code limit}: at least 16. */
  static int ofLimit(long limit) {
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, limit / 2 - 64));
  }

  /** The process's limit on open files, or {@link #ASSUMED_LIMIT} if the JVM does not tell it. */
  static long processLimit() {
    OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
    if (system instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      if (limit > 0) {
        return limit;
      }
    }
    return ASSUMED_LIMIT;
  }

  /**
   * Takes room for one open file if there is any; whoever gets it {@link #giveBack}s it. The first
   * time there is none, says so in a warning, once for the budget.
   */
  boolean tryTake() {
    while (true) {
      int now = free.get();
      if (now == 0) {
        if (!told.getAndSet(true)) {
          LOG.warn(
              "The room for {} open input files (half the limit on open files, less 64) is all"
                  + " taken: further inputs are closed after each read and opened again, which is"
                  + " slower; raise the limit (ulimit -n) to avoid it",
              files);
        }
        return false;
      }
      if (free.compareAndSet(now, now - 1)) {
        return true;
      }
    }
  }

  /** Gives back room {@link #tryTake} gave. */
  void giveBack() {
    free.incrementAndGet();
  }

  /** Room left now. */
  int free() {
    return free.get();
  }
}
