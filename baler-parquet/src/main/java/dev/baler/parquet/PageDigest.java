package dev.baler.parquet;

import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A 128-bit digest of one column chunk's data pages as a reader finds them: the chunk's codec, and
 * in order, each page's stored (compressed) bytes, its value count, uncompressed size and the
 * encodings of its levels and values. Two chunks of one column with equal digests decode to the
 * same values, up to a hash collision (about 2^-64 for a given pair).
 *
 * <p>This is how a merge verifies the output column chunks it carries over verbatim (their pages
 * copied as stored, under new headers): it digests the input pages it copies, the read-back digests
 * the output chunk's pages, and the two go into the fingerprints compared ({@link
 * ColumnCopier.RowHashes#addVerbatim}). Hashing a page's bytes costs a small part of decompressing
 * and hashing its values one by one, which the verification otherwise does on both sides.
 *
 * <p>Not thread-safe: one instance per chunk.
 */
final class PageDigest {
  private static final long SEED1 = 0x6A09E667F3BCC908L;
  private static final long SEED2 = 0xBB67AE8584CAA73BL;

  private final Hashing.Bytes body = new Hashing.Bytes();
  private long lane1;
  private long lane2;

  /** The digest of a chunk of no pages yet, compressed with {@code codec}. */
  PageDigest(CompressionCodecName codec) {
    lane1 = Hashing.mix(SEED1 ^ codec.ordinal());
    lane2 = Hashing.mix(SEED2 + codec.ordinal());
  }

  /**
   * Adds the chunk's next data page (V1).
   *
   * @param stored holds the page's stored bytes (after its header) from {@code offset}, {@code
   *     length} of them
   * @param values the page's values, nulls included, from its header
   * @param uncompressedSize the page's uncompressed size in bytes, from its header
   */
  void addPage(
      byte[] stored,
      int offset,
      int length,
      int values,
      int uncompressedSize,
      Encoding repetitionEncoding,
      Encoding definitionEncoding,
      Encoding valuesEncoding) {
    body.hash(stored, offset, length);
    long sizes = ((long) values << 32) | (uncompressedSize & 0xFFFFFFFFL);
    long encodings =
        ((long) repetitionEncoding.ordinal() << 16)
            | ((long) definitionEncoding.ordinal() << 8)
            | valuesEncoding.ordinal();
    lane1 = (lane1 ^ Hashing.mix(body.lane1 + sizes * Hashing.LANE2 + encodings)) * Hashing.LANE1;
    lane2 =
        (lane2 + Hashing.mix(body.lane2 ^ Long.rotateLeft(sizes, 17) ^ (encodings * Hashing.LANE1)))
            * Hashing.LANE2;
  }

  long lane1() {
    return Hashing.mix(lane1);
  }

  long lane2() {
    return Hashing.mix(lane2 ^ SEED1);
  }
}
