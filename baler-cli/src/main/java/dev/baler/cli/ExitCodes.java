package dev.baler.cli;

import dev.baler.compaction.LeaseHeldException;
import dev.baler.compaction.LeaseLostException;

/**
 * What {@code baler}'s exit status means. One place maps errors to codes, so scripts can rely on
 * them:
 *
 * <ul>
 *   <li>{@value #SUCCESS}: done; files skipped as unreadable and deletion failures are reported in
 *       the JSON but do not fail the run;
 *   <li>{@value #FAILED}: the run could not be done (storage unreachable, no bin committed, an
 *       unexpected error); nothing was lost;
 *   <li>{@value #USAGE}: invalid command line or option value;
 *   <li>{@value #PARTIAL}: some bins were committed, others failed; run again to retry them;
 *   <li>{@value #LEASE_HELD}: another run holds the directory's lease (or this run lost it).
 * </ul>
 */
final class ExitCodes {
  static final int SUCCESS = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int PARTIAL = 3;
  static final int LEASE_HELD = 4;

  private ExitCodes() {}

  static int of(Throwable error) {
    if (error instanceof LeaseHeldException || error instanceof LeaseLostException) {
      return LEASE_HELD;
    }
    if (error instanceof IllegalArgumentException) {
      return USAGE;
    }
    return FAILED;
  }
}
