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
  /** Every input has its {@code .processed} marker. */
  MARKERS_WRITTEN,
  /** The inputs (and then their markers) were deleted, when originals are deleted. */
  ORIGINALS_DELETED,
  /** The bin's journal record is gone: the bin is done. */
  JOURNAL_CLOSED
}
