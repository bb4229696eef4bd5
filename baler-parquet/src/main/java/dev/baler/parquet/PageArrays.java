package dev.baler.parquet;

/**
 * Arrays that the snappy data pages of one column chunk are decompressed into ({@link
 * ChunkPages#read}), given out again for the next chunk read with them. A merge that dictionary-
 * encodes a column reads its inputs' chunks one after another and is done with each chunk's pages
 * before it reads the next ({@link DictionaryMerge}: levels and indexes are decoded into its own
 * arrays, new strings copied out); decompressed into arrays of their own, those pages were 46% of
 * what a compaction of the 20,000-file plain data set allocated, and most of its young collections.
 * Each page of a chunk gets an array of its own, so a chunk's pages may all be held at once.
 *
 * <p>Pages read with these arrays are valid only until the next chunk is read with them: a caller
 * that keeps pages longer, such as parquet-java's column reader, whose values may refer to their
 * page's bytes, must read without. A page's array may be longer than the page and hold the bytes of
 * an earlier page past its end: a reader of such a page must bound its reads by the page's size,
 * not the array's.
 *
 * <p>Memory: at most {@value #MOST_KEPT} arrays are kept, each of at most {@value #MOST_KEPT_BYTES}
 * bytes (parquet-java's default page size); a larger page, or a page past that count, gets an array
 * of its own that is not kept. Not thread-safe: one per merging thread.
 */
final class PageArrays {
  /** The most arrays kept for the next chunk. */
  static final int MOST_KEPT = 16;

  /** The largest array kept for the next chunk, 1 MiB. */
  static final int MOST_KEPT_BYTES = 1 << 20;

  private final byte[][] arrays = new byte[MOST_KEPT][];
  private int taken;

  /** Starts a chunk: the arrays the previous chunk's pages were given are given out again. */
  void reset() {
    taken = 0;
  }

  /**
   * An array of at least {@code size} bytes that no other page of the chunk holds.
   *
   * @param size the page's decompressed size, in bytes, at least 0
   */
  byte[] take(int size) {
    if (taken == MOST_KEPT || size > MOST_KEPT_BYTES) {
      return new byte[size];
    }
    byte[] array = arrays[taken];
    if (array == null || array.length < size) {
      int grown = array == null ? size : Math.max(size, array.length + array.length / 2);
      array = new byte[Math.min(grown, MOST_KEPT_BYTES)];
      arrays[taken] = array;
    }
    taken++;
    return array;
  }
}
