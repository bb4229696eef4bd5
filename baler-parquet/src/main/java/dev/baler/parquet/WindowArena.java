package dev.baler.parquet;

/**
 * The memory a merge cuts its windows from ({@link WindowedStream}): one array, reused from one
 * output row group to the next, and sized for the row group (or, where a row group is merged in
 * column groups, the group) that reads the most. Windows live for a row group, long enough to
 * outlive young collections, so that allocated one by one they were copied to the old generation
 * and freed there by full collections; and the merge copied each column chunk out of its window
 * before parsing it. Cut from one array, which {@link MergeMemory} hands from merge to merge,
 * windows are not allocated once a process has merged a bin, and chunks are parsed where they lie:
 * in a compaction of the reference data set, 0.3 of its 2.6 GB of allocations.
 *
 * <p>A window the arena cannot hold gets an array of its own: the arena serves what fits and
 * refuses the rest, and {@link #reset()} makes all of it free again, so a window must not be read
 * after the reset that follows its row group (see {@link WindowedStream#detach()}).
 *
 * <p>Thread-safe: a merge opens its inputs, and reads their windows, on several threads.
 */
final class WindowArena {
  private final int capacity;
  private final MergeMemory source;
  private byte[] memory;
  private int used;

  /**
   * @param capacity the arena's bytes, taken when a window first fits in them
   * @param source where the arena's array comes from: {@link MergeMemory#bytes}, an array of the
   *     merge's memory reused from merge to merge
   */
  WindowArena(int capacity, MergeMemory source) {
    this.capacity = capacity;
    this.source = source;
  }

  /**
   * The array every window of the arena is a part of; null until {@link #take} first returns an
   * offset.
   */
  synchronized byte[] memory() {
    return memory;
  }

  /**
   * Takes {@code length} bytes.
   *
   * @return the offset of the bytes in {@link #memory()}, or -1 if fewer are left
   */
  synchronized int take(int length) {
    if (length > capacity - used) {
      return -1;
    }
    if (memory == null) {
      memory = source.bytes(capacity);
    }
    int offset = used;
    used += length;
    return offset;
  }

  /** Makes every byte free again: the windows cut so far must not be read any more. */
  synchronized void reset() {
    used = 0;
  }
}
