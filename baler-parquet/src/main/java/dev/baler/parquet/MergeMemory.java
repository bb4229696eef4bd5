package dev.baler.parquet;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The large arrays a merge, or the read-back of an output, works in for as long as it runs: the
 * memory its window arena cuts windows from, its row hashes, its dictionary merges' buffers and the
 * arrays their input pages are decompressed into, together about 10 MiB on local disk with pages of
 * small files (more on S3, where windows are larger; the page arrays may keep up to 16 MiB with
 * inputs of many large pages, see {@link PageArrays}). They live as long as a bin's merge, long
 * enough to reach the old generation; made anew for every merge they lay dead there once the next
 * began, and over a run of many bins the heap grew by their size, young collections promoting 10 to
 * 20 MiB at bin changes that the next full collection found dead (GC logs of 34,000 files in 29
 * bins). Taken from a process-wide pool as a merge starts and given back as it ends, they serve the
 * next merge or read-back on any thread.
 *
 * <p>Given back only by a merge or read-back that finished normally: one that failed leaves its
 * memory to the collector, so that nothing a failure left half-done (an interrupted open waits for
 * the opens under way, but a merge need not rely on that) can reach the next merge. At most {@value
 * #MOST_IDLE} entries wait in the pool, held softly, so that a process that has finished compacting
 * can have the memory back when it needs it. A taken entry belongs to one merge; its {@link #bytes}
 * are not safe to call from two threads at once (the arena calls it under its own lock).
 */
final class MergeMemory {
  /** The most entries the pool keeps: more than a process runs merges at once. */
  static final int MOST_IDLE = 8;

  private static final ConcurrentLinkedDeque<SoftReference<MergeMemory>> IDLE =
      new ConcurrentLinkedDeque<>();

  /** Row hashes of the row group being merged or read back; see {@link ColumnCopier.RowHashes}. */
  final ColumnCopier.RowHashes rowHashes = new ColumnCopier.RowHashes();

  /** The dictionary merges' buffers; see {@link DictionaryMerge.Buffers}. */
  final DictionaryMerge.Buffers dictionaryBuffers = new DictionaryMerge.Buffers();

  /** The arrays those merges' input pages are decompressed into; see {@link PageArrays}. */
  final PageArrays pageArrays = new PageArrays();

  private byte[] bytes = new byte[0];

  private MergeMemory() {}

  /** An entry of the pool, the one given back last if any is there; else a new one. */
  static MergeMemory take() {
    SoftReference<MergeMemory> idle;
    while ((idle = IDLE.pollFirst()) != null) {
      MergeMemory memory = idle.get();
      if (memory != null) {
        return memory;
      }
    }
    return new MergeMemory();
  }

  /** Puts this entry back in the pool, unless the pool is full; it must not be used after. */
  void giveBack() {
    if (IDLE.size() < MOST_IDLE) {
      IDLE.addFirst(new SoftReference<>(this));
    }
  }

  /** The entries waiting in the pool, for tests. */
  static int idle() {
    return IDLE.size();
  }

  /**
   * An array of at least {@code length} bytes: the one held already when it is long enough, else a
   * new one that is held from now on. Its contents are whatever the last user left.
   */
  byte[] bytes(int length) {
    if (bytes.length < length) {
      bytes = new byte[length];
    }
    return bytes;
  }
}
