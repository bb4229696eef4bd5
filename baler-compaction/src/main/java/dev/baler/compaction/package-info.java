/**
 * Compaction: turning many small Parquet files into few large ones without losing or duplicating a
 * row.
 *
 * <p>The steps are named types: {@link dev.baler.compaction.CompactionPlanner} lists and selects
 * files and bin-packs them into an immutable {@link dev.baler.compaction.CompactionPlan}; {@link
 * dev.baler.compaction.CompactionRunner} executes it under a {@link dev.baler.compaction.Lease},
 * recording each bin in a journal under {@code _baler/}, verifying every output against its inputs
 * before any marker is written or any original deleted, and returns a {@link
 * dev.baler.compaction.CompactionResult}. A run that is killed at any point is finished or rolled
 * back by the next run's recovery.
 */
package dev.baler.compaction;
