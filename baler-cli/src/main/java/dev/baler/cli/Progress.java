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
 * Progress bars on stderr: while planning, the footers read so far; then the merge, in MiB of
 * input, with files done beside it. Shown only when stderr is a terminal, so logs and pipes stay
 * clean. Thread-safe.
 */
final class Progress implements CompactionListener, AutoCloseable {
  private final PrintStream stderr;
  private final AtomicLong files = new AtomicLong();
  private volatile ProgressBar planning;
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

  /**
   * Moves the planning bar, shown from the first footer read, with no end: how many files there are
   * is known only once the listing ends. Called from the planning thread.
   */
  @Override
  public void footersRead(int read) {
    ProgressBar current = planning;
    if (current == null) {
      current = newBar("plan", -1, " files");
      planning = current;
    }
    current.stepTo(read);
  }

  /** Where the planning bar is, in footers read; 0 before it is shown and once it is closed. */
  long footersShown() {
    ProgressBar current = planning;
    return current == null ? 0 : current.getCurrent();
  }

  @Override
  public void planned(CompactionPlan plan) {
    closePlanning();
    totalFiles = plan.inputFiles();
    if (plan.bins().isEmpty()) {
      return;
    }
    start(plan.inputBytes());
  }

  /** Shows the bar, for {@code inputBytes} bytes of input to merge. */
  void start(long inputBytes) {
    bar = newBar("compact", Math.max(1, inputBytes >> 20), " MiB");
  }

  private ProgressBar newBar(String task, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max) // -1: no end
        .setUnit(unit, 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(stderr))
        .setUpdateIntervalMillis(250)
        .build();
  }

  private void closePlanning() {
    ProgressBar current = planning;
    if (current != null) {
      planning = null;
      current.close();
    }
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
    closePlanning();
    ProgressBar current = bar;
    if (current != null) {
      current.stepTo(current.getMax());
      current.close();
    }
  }
}
