package dev.baler.compaction;

/**
 * The steps of the compaction protocol, in order, as a {@link CompactionListener} hears of them. A
 * run killed after any step leaves the directory in a state the next run's recovery finishes or
 * rolls back.
 */
public enum ProtocolStep {
  /** The run holds the directory's lease. */
  LEASE_TAKEN,
  /** A bin's journal record exists, in state {@code writing}. */
  JOURNAL_OPENED,
  /** The bin's output file is published, not yet verified. */
  OUTPUT_WRITTEN,
  /** The output was read back and matched its inputs; the journal record says {@code verified}. */
  OUTPUT_VERIFIED,
  /**
   * The originals were deleted, backed up or moved to the trash, as far as they could be; not heard
   * when originals are kept.
   */
  ORIGINALS_DELETED,
  /**
   * The inputs that stay in place have their {@code .processed} markers: every input when originals
   * are kept, otherwise those that could not be removed (often none).
   */
  MARKERS_WRITTEN,
  /** The bin's journal record is gone: the bin is done. */
  JOURNAL_CLOSED
}
