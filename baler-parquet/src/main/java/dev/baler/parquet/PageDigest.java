package dev.baler.parquet;

import java.nio.charset.StandardCharsets;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;

/**
 * A 128-bit digest of one column chunk's data pages as a reader finds them: the column as the
 * schema gives it (path, physical type and length, repetition, field id, logical type, maximum
 * levels), the chunk's codec, and in order, each page's stored (compressed) bytes, its value count,
 * uncompressed size and the encodings of its levels and values. Codecs and encodings count by their
 * numbers in the Parquet format, not by parquet-java's enums, so that digests recorded by one build
 * compare with another's. Two chunks with equal digests decode to the same values, up to a hash
 * collision (about 2^-64 for a given pair).
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

  /**
   * The digest of a chunk of {@code descriptor}'s column of no pages yet, compressed with {@code
   * codec}.
   */
  PageDigest(ColumnDescriptor descriptor, CompressionCodecName codec) {
    PrimitiveType type = descriptor.getPrimitiveType();
    // Named field by field, not by PrimitiveType.toString, whose form parquet-java has changed
    // between releases (a column order, for one): a journal's digest must compare with the same
    // column's digest made by a later build.
    byte[] column =
        String.join(
                "\u0000",
                String.join(".", descriptor.getPath()),
                type.getPrimitiveTypeName().name(),
                Integer.toString(type.getTypeLength()),
                type.getRepetition().name(),
                String.valueOf(type.getId()),
                String.valueOf(type.getLogicalTypeAnnotation()),
                Integer.toString(descriptor.getMaxRepetitionLevel()),
                Integer.toString(descriptor.getMaxDefinitionLevel()))
            .getBytes(StandardCharsets.UTF_8);
    body.hash(column, 0, column.length);
    long codecValue = codec.getParquetCompressionCodec().getValue();
    lane1 = Hashing.mix(SEED1 ^ codecValue ^ body.lane1);
    lane2 = Hashing.mix(SEED2 + codecValue + body.lane2);
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
        ((long) formatValue(repetitionEncoding) << 16)
            | ((long) formatValue(definitionEncoding) << 8)
            | formatValue(valuesEncoding);
    lane1 = (lane1 ^ Hashing.mix(body.lane1 + sizes * Hashing.LANE2 + encodings)) * Hashing.LANE1;
    lane2 =
        (lane2 + Hashing.mix(body.lane2 ^ Long.rotateLeft(sizes, 17) ^ (encodings * Hashing.LANE1)))
            * Hashing.LANE2;
  }

  /** An encoding's number in the Parquet format. */
  private static int formatValue(Encoding encoding) {
    return org.apache.parquet.format.Encoding.valueOf(encoding.name()).getValue();
  }

  long lane1() {
    return Hashing.mix(lane1);
  }

  long lane2() {
    return Hashing.mix(lane2 ^ SEED1);
  }
}
