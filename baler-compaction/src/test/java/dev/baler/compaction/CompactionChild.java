package dev.baler.compaction;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.StagingStorage;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A compaction in a process of its own, for tests that kill it or race two of them. Test code only.
 *
 * <p>Usage: {@code CompactionChild <dir> <stop-at> <originals> [occurrence=N] [lease-seconds=N]
 * [await-go=true] [trace=true] [resume=true] [staging=DIR] [s3.PROPERTY=VALUE...]}.
 *
 * <ul>
 *   <li>{@code dir}: a local directory, or an {@code s3://bucket/prefix/} reached with the {@code
 *       s3.*} storage properties given (endpoint, region, keys).
 *   <li>{@code staging=DIR}: the run reads its originals through a {@link StagingStorage} whose
 *       copies go below {@code DIR}, as {@code baler compact} does on S3.
 *   <li>{@code stop-at}: a {@link ProtocolStep} name, {@code ROW_GROUP} (an output row group is
 *       written but the output is not yet published), or {@code NONE}. At the {@code occurrence}-th
 *       such event (1 unless set) the child prints {@code AT <stop-at> <subject>} and sleeps until
 *       it is killed, holding the lease and renewing it.
 *   <li>{@code await-go=true}: the child loads its classes, prints {@code READY} and waits for a
 *       line {@code GO} on its standard input, so that a test can start two runs at one moment.
 *   <li>{@code trace=true}: the child prints {@code STEP <step> <epoch millis>} at every protocol
 *       step, so that a test can tell whether two runs worked at the same time.
 *   <li>{@code resume=true}: at the stop, the child waits for a line {@code GO} instead of
 *       sleeping, prints {@code RESUMED <stop-at>} and goes on with the run.
 * </ul>
 *
 * <p>The child ends by printing {@code DONE <status> files_processed=N files_created=N
 * recovered=N}, exit code 0 for success and 2 otherwise, or {@code LEASE_HELD <message>}, exit code
 * {@value #EXIT_LEASE_HELD}. It exits on its own when its standard input reaches its end (the test
 * process is gone) or after {@link #MAX_SLEEP}, so a failed test leaves no process behind.
 */
public final class CompactionChild {
  /** Exit code when another run holds the lease. */
  static final int EXIT_LEASE_HELD = 3;

  /** Exit code when the parent went away. */
  static final int EXIT_ORPHANED = 4;

  /** Stop-at value for the moment an output row group is written but not yet published. */
  static final String ROW_GROUP = "ROW_GROUP";

  /** Stop-at value for a run that is not stopped. */
  static final String NONE = "NONE";

  private static final Duration MAX_SLEEP = Duration.ofMinutes(5);

  private CompactionChild() {}

  /**
   * The options of every run in these tests on {@code directory}: 1 MiB bins, one bin at a time;
   * originals backed up go to its hidden {@code _backup/} directory.
   */
  static CompactionOptions options(
      CompactionOptions.Originals originals, Duration lease, Location directory) {
    CompactionOptions.Builder builder =
        CompactionOptions.builder().targetBytes(1 << 20).parallelism(1).leaseDuration(lease);
    switch (originals) {
      case DELETE, KEEP, TRASH -> builder.originals(originals);
      case BACK_UP -> builder.backUpOriginalsTo(backupDirectory(directory));
    }
    return builder.build();
  }

  /** Where originals backed up by these tests go: {@code _backup/} in the data directory. */
  static Location backupDirectory(Location directory) {
    return directory.asDirectory().resolve("_backup/");
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "Usage: CompactionChild <dir> <stop-at> <originals> [occurrence=N] [lease-seconds=N]"
              + " [await-go=true] [trace=true] [resume=true]");
      System.exit(64);
    }
    Location directory =
        args[0].startsWith("s3://")
            ? Location.of(args[0]).asDirectory()
            : Location.local(Path.of(args[0])).asDirectory();
    String stopAt = args[1];
    CompactionOptions.Originals originals = CompactionOptions.Originals.valueOf(args[2]);
    int occurrence = 1;
    Duration lease = CompactionOptions.DEFAULT_LEASE_DURATION;
    boolean awaitGo = false;
    boolean trace = false;
    boolean resume = false;
    Path staging = null;
    Map<String, String> s3Properties = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      switch (pair[0]) {
        case "occurrence" -> occurrence = Integer.parseInt(pair[1]);
        case "lease-seconds" -> lease = Duration.ofSeconds(Long.parseLong(pair[1]));
        case "await-go" -> awaitGo = Boolean.parseBoolean(pair[1]);
        case "trace" -> trace = Boolean.parseBoolean(pair[1]);
        case "resume" -> resume = Boolean.parseBoolean(pair[1]);
        case "staging" -> staging = Path.of(pair[1]);
        default -> {
          if (!pair[0].startsWith("s3.") || pair.length < 2) {
            throw new IllegalArgumentException("Unknown argument " + args[i]);
          }
          s3Properties.put(pair[0], pair[1]);
        }
      }
    }

    Semaphore go = watchStandardInput();
    Storage storage =
        directory.scheme().equals("s3")
            ? Storages.forLocation(directory, s3Properties)
            : new LocalStorage();
    if (staging != null) {
      storage = new StagingStorage(storage, staging, 1L << 30, FileNames::mayBeOriginal);
    }
    CompactionRunner runner =
        new CompactionRunner(
            storage,
            options(originals, lease, directory),
            new Stopper(stopAt, occurrence, trace, resume ? go : null));
    if (awaitGo) {
      // Load what taking the lease needs before the start signal, so both runs race on the lease.
      Class.forName(Lease.class.getName());
      Class.forName(StateJson.class.getName());
      System.out.println("READY");
      System.out.flush();
      if (!go.tryAcquire(MAX_SLEEP.toSeconds(), TimeUnit.SECONDS)) {
        System.exit(EXIT_ORPHANED);
      }
    }
    try {
      CompactionResult result = runner.run(directory);
      System.out.println(
          "DONE "
              + result.status()
              + " files_processed="
              + result.filesProcessed()
              + " files_created="
              + result.filesCreated()
              + " recovered="
              + result.recovered().size());
      System.out.flush();
      System.exit(result.status() == CompactionResult.Status.SUCCESS ? 0 : 2);
    } catch (LeaseHeldException e) {
      System.out.println("LEASE_HELD " + e.getMessage());
      System.out.flush();
      System.exit(EXIT_LEASE_HELD);
    }
  }

  /**
   * Reads standard input in the background: each line {@code GO} releases one permit of the
   * returned semaphore; the end of input means the test process is gone, and the child exits.
   */
  private static Semaphore watchStandardInput() {
    Semaphore go = new Semaphore(0);
    Thread watcher =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.equals("GO")) {
                    go.release();
                  }
                }
              } catch (java.io.IOException e) {
                // treated as the end of input
              }
              System.exit(EXIT_ORPHANED);
            },
            "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return go;
  }

  /**
   * Stops the run at the chosen event: prints where, then sleeps until killed, or, when resuming,
   * until told to go on.
   */
  private static final class Stopper implements CompactionListener {
    private final String stopAt;
    private final int occurrence;
    private final boolean trace;
    private final Semaphore resume;
    private final AtomicInteger seen = new AtomicInteger();

    Stopper(String stopAt, int occurrence, boolean trace, Semaphore resume) {
      this.stopAt = stopAt;
      this.occurrence = occurrence;
      this.trace = trace;
      this.resume = resume;
    }

    @Override
    public void step(ProtocolStep step, Location subject) {
      if (trace) {
        System.out.println("STEP " + step + " " + System.currentTimeMillis());
        System.out.flush();
      }
      if (step.name().equals(stopAt)) {
        reached(subject.toString());
      }
    }

    @Override
    public void rowGroupWritten(long rows, long inputBytes) {
      if (stopAt.equals(ROW_GROUP)) {
        reached(rows + " rows");
      }
    }

    private void reached(String subject) {
      if (seen.incrementAndGet() != occurrence) {
        return;
      }
      System.out.println("AT " + stopAt + " " + subject);
      System.out.flush();
      try {
        if (resume != null && resume.tryAcquire(MAX_SLEEP.toSeconds(), TimeUnit.SECONDS)) {
          System.out.println("RESUMED " + stopAt);
          System.out.flush();
          return;
        }
        Thread.sleep(MAX_SLEEP.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.exit(EXIT_ORPHANED);
    }
  }
}
