package dev.baler.compaction;

import dev.baler.storage.Location;

/** This run no longer holds its lease; it must stop before changing anything else. */
public final class LeaseLostException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * @param lease the lease file
   * @param why what happened
   */
  public LeaseLostException(Location lease, String why) {
    super("Lost the lease " + lease + ": " + why + "; stopping before any further change");
  }
}
