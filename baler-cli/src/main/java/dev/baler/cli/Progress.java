package dev.baler.cli;

import dev.baler.compaction.Bin;
import dev.baler.compaction.CompactionListener;
import dev.baler.compaction.CompactionPlan;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr, in MiB of input, with files done beside it. Shown only when stderr is a
 * terminal, so logs and pipes stay clean. Thread-safe.
 */
final class Progress implements CompactionListener, AutoCloseable {
  private final PrintStream stderr;
  private final AtomicLong files = new AtomicLong();
  private volatile ProgressBar bar;
  private volatile int totalFiles;
  private long mergedBytes; // guarded by this

  Progress(PrintStream stderr) {
    this.stderr = stderr;
  }

  /**
   * Whether stderr is a terminal: the launcher says so, as Java 17 cannot tell for stderr alone.
   */
  static boolean stderrIsTerminal() {
    String flag = System.getenv("BALER_STDERR_TTY");
    return flag != null ? flag.equals("1") : System.console() != null;
  }

  @Override
  public void planned(CompactionPlan plan) {
    totalFiles = plan.inputFiles();
    if (plan.bins().isEmpty()) {
      return;
    }
    start(plan.inputBytes());
  }

  /** Shows the bar, for {@code inputBytes} bytes of input to merge. */
  void start(long inputBytes) {
    bar =
        new ProgressBarBuilder()
            .setTaskName("compact")
            .setInitialMax(Math.max(1, inputBytes >> 20))
            .setUnit(" MiB", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(stderr))
            .setUpdateIntervalMillis(250)
            .build();
  }

  /**
   * Moves the bar to the input bytes merged so far, in whole MiB: counted in bytes, so that row
   * groups of less than a MiB of input each still move it.
   */
  @Override
  public synchronized void rowGroupWritten(long rows, long inputBytes) {
    ProgressBar current = bar;
    mergedBytes += inputBytes;
    if (current != null) {
      current.stepTo(Math.min(current.getMax(), mergedBytes >> 20));
    }
  }

  /** Where the bar is, in MiB of input merged; 0 before it is shown. */
  long mergedMiB() {
    ProgressBar current = bar;
    return current == null ? 0 : current.getCurrent();
  }

  @Override
  public void binFinished(Bin bin, boolean committed) {
    ProgressBar current = bar;
    if (current != null) {
      current.setExtraMessage(files.addAndGet(bin.inputs().size()) + "/" + totalFiles + " files");
    }
  }

  @Override
  public void close() {
    ProgressBar current = bar;
    if (current != null) {
      current.stepTo(current.getMax());
      current.close();
    }
  }
}
