package dev.baler.cli;

import dev.baler.compaction.RepackListener;
import dev.baler.compaction.RepackResult;
import dev.baler.storage.Location;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for {@code baler repack}: files done of files found, with rows written
 * and failures beside it. Thread-safe.
 */
final class RepackProgress implements RepackListener, AutoCloseable {
  private final PrintStream stderr;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile ProgressBar bar;

  RepackProgress(PrintStream stderr) {
    this.stderr = stderr;
  }

  @Override
  public void listed(int files, long bytes) {
    if (files == 0) {
      return;
    }
    bar =
        new ProgressBarBuilder()
            .setTaskName("repack")
            .setInitialMax(files)
            .setUnit(" files", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(stderr))
            .setUpdateIntervalMillis(250)
            .build();
  }

  @Override
  public void rowsWritten(long written) {
    rows.addAndGet(written);
  }

  @Override
  public void fileFinished(Location source, RepackResult.Outcome outcome) {
    if (outcome == RepackResult.Outcome.FAILED) {
      failed.incrementAndGet();
    }
    ProgressBar current = bar;
    if (current != null) {
      current.step();
      current.setExtraMessage(rows.get() + " rows, " + failed.get() + " failed");
    }
  }

  @Override
  public void close() {
    ProgressBar current = bar;
    if (current != null) {
      current.close();
    }
  }
}
