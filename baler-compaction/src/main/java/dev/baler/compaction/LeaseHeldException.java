package dev.baler.compaction;

import dev.baler.storage.Location;
import java.time.Instant;

/** Another run holds the lease on a directory; this run must wait or stop. */
public final class LeaseHeldException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final Instant expiresAt;

  /**
   * @param lease the lease file held
   * @param owner who holds it: host and process id
   * @param expiresAt when it expires unless renewed
   */
  public LeaseHeldException(Location lease, String owner, Instant expiresAt) {
    super(
        "Cannot take the lease "
            + lease
            + ": held by "
            + owner
            + " until "
            + expiresAt
            + " unless renewed; wait for that run to end, or, if it was killed, for the lease to expire");
    this.expiresAt = expiresAt;
  }

  /** When the lease expires unless its holder renews it; a scheduler may retry after it. */
  public Instant expiresAt() {
    return expiresAt;
  }
}
