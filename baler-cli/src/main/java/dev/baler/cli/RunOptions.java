package dev.baler.cli;

import dev.baler.compaction.CompactionOptions;
import dev.baler.compaction.FileNames;
import dev.baler.storage.Location;
import dev.baler.storage.StagingStorage;
import dev.baler.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of a run of the compaction engine that {@code compact} and {@code consolidate} share:
 * how many bins at once, how long the lease lasts, and where small inputs read from S3 are staged.
 */
final class RunOptions {
  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description =
          "bins compacted at once (default: the number of CPUs, at most 4); a thread with no bin"
              + " left takes row groups over from the bins still running, and a bin's originals"
              + " are retired beside the next bins (at most N bins waiting)")
  Integer parallelism;

  @Option(
      names = "--lease-seconds",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "how long a run's lease lasts without renewal; a killed run on another host blocks"
              + " others this long (default: ${DEFAULT-VALUE})")
  long leaseSeconds;

  @Option(
      names = "--staging-bytes",
      paramLabel = "BYTES",
      defaultValue = "1073741824",
      description =
          "on S3, local copies of inputs of at most 1 MiB, taken as planning reads their footers, so"
              + " that merging them costs no second request: at most this many bytes at once, the"
              + " rest read twice; 0 turns staging off (default: ${DEFAULT-VALUE}, 1 GiB)")
  long stagingBytes;

  @Option(
      names = "--staging-dir",
      paramLabel = "DIR",
      description =
          "directory for the staged copies, and for row groups a second thread merges for a bin"
              + " (up to half a bin's output), in baler-staging-PID-* and baler-merge-PID-*"
              + " directories of the run's that it deletes as it is done with them, as the next run"
              + " does those left by a killed run (default: java.io.tmpdir, usually /tmp; on a"
              + " tmpfs they take memory)")
  Path stagingDirectory;

  /**
   * The storage a run reads and writes through: a {@link StagingStorage} in front of {@code
   * storage} that stages originals only, and only on S3 (elsewhere with a budget of 0, which stages
   * nothing and makes no directory). Closing it deletes the copies and leaves {@code storage} open.
   *
   * @throws IllegalArgumentException if the budget is negative, or if the staging directory, given
   *     or used, is missing
   */
  StagingStorage staging(Storage storage, Location source) {
    if (stagingBytes < 0) {
      throw new IllegalArgumentException(
          "Invalid --staging-bytes " + stagingBytes + ": expected 0 or more bytes");
    }
    // measured on S3, where a request costs far more than its bytes; local disk would gain
    // nothing, and HDFS has not been measured
    long budget = source.scheme().equals("s3") ? stagingBytes : 0;
    Path parent =
        stagingDirectory != null ? stagingDirectory : Path.of(System.getProperty("java.io.tmpdir"));
    if ((budget > 0 || stagingDirectory != null) && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          "Invalid --staging-dir " + parent + ": not a directory; make it or name another");
    }
    return new StagingStorage(storage, parent, budget, FileNames::mayBeOriginal);
  }

  /** Sets these options on {@code builder}. */
  CompactionOptions.Builder applyTo(CompactionOptions.Builder builder) {
    builder.leaseDuration(Duration.ofSeconds(leaseSeconds));
    if (stagingDirectory != null) {
      builder.scratchDirectory(stagingDirectory);
    }
    if (parallelism != null) {
      builder.parallelism(parallelism);
    }
    return builder;
  }
}
