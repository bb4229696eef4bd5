package dev.baler.parquet;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicInteger;

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

  private final AtomicInteger free;

  /**
   * @param files how many files may be open at once, at least 0
   */
  OpenFileBudget(int files) {
    if (files < 0) {
      throw new IllegalArgumentException("Invalid open file budget " + files);
    }
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

  /** Takes room for one open file if there is any; whoever gets it {@link #giveBack}s it. */
  boolean tryTake() {
    while (true) {
      int now = free.get();
      if (now == 0) {
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
