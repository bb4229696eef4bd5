package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;

/**
 * The part of a column chunk's metadata that a merge reads ({@link InputChunks}), whether taken
 * from parquet-java's {@link ColumnChunkMetaData} ({@link #of}) or from a footer's bytes ({@link
 * FooterLayouts#readInput}): where the chunk lies, its values, its codec, and what its encodings
 * and encoding statistics say of dictionaries and page versions, as bits. The rules that decide
 * whether a chunk may be carried over ({@link CarriedChunk#metadataAllows}) or have its dictionary
 * merged ({@link DictionaryMerge#isCandidate}) read only this, so that both ways of reading a
 * footer decide alike.
 *
 * @param firstDataPageOffset the file offset of the chunk's first data page ({@code
 *     data_page_offset})
 * @param dictionaryPageOffset the file offset of its dictionary page ({@code
 *     dictionary_page_offset}), 0 when not set, as parquet-java reads it
 * @param size the chunk's bytes as stored ({@code total_compressed_size})
 * @param values its values, nulls included ({@code num_values})
 * @param columnIndexOffset where its column index starts, -1 for none (parquet-java takes a column
 *     index only when both its offset and its length are set)
 * @param columnIndexLength the column index's bytes, 0 for none
 * @param codec its codec
 * @param encodingBits the {@link #ENCODING_STATS} to {@link #DICTIONARY_ENCODINGS} bits that hold
 */
record ChunkMetadata(
    long firstDataPageOffset,
    long dictionaryPageOffset,
    long size,
    long values,
    long columnIndexOffset,
    int columnIndexLength,
    CompressionCodecName codec,
    int encodingBits) {

  /** The chunk's metadata has encoding statistics ({@code encoding_stats}). */
  static final int ENCODING_STATS = 1;

  /** The encoding statistics count a dictionary page. */
  static final int DICTIONARY_PAGES = 1 << 1;

  /** The encoding statistics count a data page in a dictionary encoding. */
  static final int DICTIONARY_ENCODED_PAGES = 1 << 2;

  /** The encoding statistics count a data page in an encoding other than a dictionary's. */
  static final int OTHER_ENCODED_PAGES = 1 << 3;

  /** The encoding statistics count a V2 data page. */
  static final int V2_PAGES = 1 << 4;

  /** The chunk's list of encodings ({@code encodings}) names a dictionary encoding. */
  static final int DICTIONARY_ENCODINGS = 1 << 5;

  ChunkMetadata {
    requireNonNull(codec, "codec is null");
  }

  /** The same figures of parquet-java's metadata of a chunk. */
  static ChunkMetadata of(ColumnChunkMetaData chunk) {
    int bits = usesDictionary(chunk.getEncodings()) ? DICTIONARY_ENCODINGS : 0;
    EncodingStats stats = chunk.getEncodingStats();
    if (stats != null) {
      bits |= ENCODING_STATS;
      bits |= stats.hasDictionaryPages() ? DICTIONARY_PAGES : 0;
      bits |= stats.hasDictionaryEncodedPages() ? DICTIONARY_ENCODED_PAGES : 0;
      bits |= stats.hasNonDictionaryEncodedPages() ? OTHER_ENCODED_PAGES : 0;
      bits |= stats.usesV2Pages() ? V2_PAGES : 0;
    }
    IndexReference columnIndex = chunk.getColumnIndexReference();
    return new ChunkMetadata(
        chunk.getFirstDataPageOffset(),
        chunk.getDictionaryPageOffset(),
        chunk.getTotalSize(),
        chunk.getValueCount(),
        columnIndex == null ? -1 : columnIndex.getOffset(),
        columnIndex == null ? 0 : columnIndex.getLength(),
        chunk.getCodec(),
        bits);
  }

  private static boolean usesDictionary(Set<Encoding> encodings) {
    for (Encoding encoding : encodings) {
      if (encoding.usesDictionary()) {
        return true;
      }
    }
    return false;
  }

  /** Whether all of {@code bits} hold. */
  boolean has(int bits) {
    return (encodingBits & bits) == bits;
  }

  /**
   * Whether the chunk has a dictionary page, as parquet-java's {@code
   * ColumnChunkMetaData.hasDictionaryPage} decides it: by its encoding statistics, a dictionary
   * page and a data page that uses it, or without them by its list of encodings.
   */
  boolean hasDictionaryPage() {
    return has(ENCODING_STATS)
        ? has(DICTIONARY_PAGES | DICTIONARY_ENCODED_PAGES)
        : has(DICTIONARY_ENCODINGS);
  }

  /**
   * The chunk's first byte: its dictionary page's when that comes before the first data page, as
   * parquet-java's {@code ColumnChunkMetaData.getStartingPos} gives it.
   */
  long start() {
    return dictionaryPageOffset > 0 && dictionaryPageOffset < firstDataPageOffset
        ? dictionaryPageOffset
        : firstDataPageOffset;
  }

  /** The bytes of its dictionary page, 0 if it has none or they are unknown. */
  long dictionaryPageBytes() {
    return hasDictionaryPage() && dictionaryPageOffset > 0
        ? firstDataPageOffset - dictionaryPageOffset
        : 0;
  }
}
