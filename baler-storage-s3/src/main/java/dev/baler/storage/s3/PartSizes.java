package dev.baler.storage.s3;

/**
 * The sizes of a multipart upload's parts, which grow as the file does: the first {@code perSize}
 * parts have {@code first} bytes, each next {@code perSize} twice the size of those before, up to
 * {@link #MAX_SIZE}. S3 takes at most {@link #MAX_PARTS} parts in one upload, each but the last of
 * at least 5 MiB and at most 5 GiB; a file too large for that many parts cannot be written. With
 * the defaults ({@link #of(int)}) and 5 MiB first parts, files up to about 5 GiB are sent in 5 MiB
 * parts, as they were before parts grew, and 10,000 parts hold about 2.1 TiB, where at 5 MiB
 * throughout they held 48.8 GiB.
 *
 * @param first the size in bytes of the first parts, at least 1
 * @param perSize how many parts are sent at one size before it doubles, at least 1
 * @param most the most parts of one upload, at least 1
 */
record PartSizes(int first, int perSize, int most) {

  /** S3's most parts in one multipart upload. */
  static final int MAX_PARTS = 10_000;

  /** Parts sent at one size before the size doubles. */
  static final int PER_SIZE = 1_000;

  /**
   * The largest size in bytes parts grow to, 512 MiB: a tenth of S3's largest part, so that the
   * three parts a stream may hold fit in a Java array each and in a heap of a few GiB.
   */
  static final int MAX_SIZE = 512 * 1024 * 1024;

  PartSizes {
    if (first < 1 || perSize < 1 || most < 1) {
      throw new IllegalArgumentException(
          "Invalid part sizes: first " + first + ", per size " + perSize + ", most " + most);
    }
  }

  /** Parts of {@code first} bytes at first, doubled every 1,000 parts, at most 10,000 of them. */
  static PartSizes of(int first) {
    return new PartSizes(first, PER_SIZE, MAX_PARTS);
  }

  /**
   * The size in bytes of part {@code partNumber} (from 1): {@code first} doubled once for every
   * {@code perSize} parts before it, no more than {@link #MAX_SIZE}, never less than {@code first}.
   */
  int sizeOf(int partNumber) {
    int doublings = Math.min(30, (partNumber - 1) / perSize);
    long grown = Math.min((long) first << doublings, MAX_SIZE);
    return (int) Math.max(first, grown);
  }
}
