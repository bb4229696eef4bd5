package dev.baler.compaction;

import dev.baler.storage.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that logs what the listener it wraps throws, so that a faulty progress bar or metric
 * never stops a bin half-way through the protocol.
 */
final class GuardedListener implements CompactionListener {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

  private final CompactionListener delegate;

  GuardedListener(CompactionListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void footersRead(int read) {
    guard(() -> delegate.footersRead(read));
  }

  @Override
  public void planned(CompactionPlan plan) {
    guard(() -> delegate.planned(plan));
  }

  @Override
  public void step(ProtocolStep step, Location subject) {
    guard(() -> delegate.step(step, subject));
  }

  @Override
  public void rowGroupWritten(long rows, long inputBytes) {
    guard(() -> delegate.rowGroupWritten(rows, inputBytes));
  }

  @Override
  public void binFinished(Bin bin, boolean committed) {
    guard(() -> delegate.binFinished(bin, committed));
  }

  @Override
  public void recovered(Location journalRecord, String action) {
    guard(() -> delegate.recovered(journalRecord, action));
  }

  private static void guard(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("A compaction listener failed: {}", e.toString());
    }
  }
}
