package dev.baler.parquet;

import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.schema.PrimitiveType;

/**
 * What a merge needs of one input column chunk, taken from its footer's metadata as the input opens
 * so that the parsed footer, with its encoding statistics maps and its own copy of the schema, can
 * be let go: where the chunk is, how many values it holds, its codec, whether it may be carried
 * over or its dictionary merged, the size of its dictionary page, its statistics (kept only when it
 * may be carried over, as only carried chunks need them), and its column index's place.
 *
 * @param start the chunk's first byte in the file
 * @param size the chunk's bytes
 * @param values the chunk's values
 * @param codec the chunk's codec
 * @param carryCandidate whether {@link CarriedChunk#isCandidate} holds for the merge's output codec
 * @param mergeCandidate whether {@link DictionaryMerge#isCandidate} holds
 * @param dictionaryPageBytes the bytes of its dictionary page, 0 if it has none or they are unknown
 * @param statistics the chunk's statistics when it may be carried over, else null
 * @param columnIndex where its column index is, or null if it has none
 */
record InputChunk(
    long start,
    long size,
    long values,
    CompressionCodecName codec,
    boolean carryCandidate,
    boolean mergeCandidate,
    long dictionaryPageBytes,
    Statistics<?> statistics,
    IndexReference columnIndex) {

  /**
   * What the merge needs of {@code chunk}, for an output written with {@code outputCodec}.
   *
   * @param type the column's type in the merge's schema: the statistics kept are made anew with it,
   *     so that they do not hold on to the type of each input's own copy of the schema
   */
  static InputChunk of(
      ColumnChunkMetaData chunk, CompressionCodecName outputCodec, PrimitiveType type) {
    boolean carry = CarriedChunk.isCandidate(chunk, outputCodec);
    long dictionaryPage =
        chunk.hasDictionaryPage() && chunk.getDictionaryPageOffset() > 0
            ? chunk.getFirstDataPageOffset() - chunk.getDictionaryPageOffset()
            : 0;
    return new InputChunk(
        chunk.getStartingPos(),
        chunk.getTotalSize(),
        chunk.getValueCount(),
        chunk.getCodec(),
        carry,
        DictionaryMerge.isCandidate(chunk),
        dictionaryPage,
        carry ? withType(chunk.getStatistics(), type) : null,
        chunk.getColumnIndexReference());
  }

  /** The same statistics, of {@code type}, an equal type. */
  private static Statistics<?> withType(Statistics<?> statistics, PrimitiveType type) {
    Statistics.Builder builder =
        Statistics.getBuilderForReading(type).withNumNulls(statistics.getNumNulls());
    if (statistics.hasNonNullValue()) {
      builder.withMin(statistics.getMinBytes()).withMax(statistics.getMaxBytes());
    }
    if (statistics.isNanCountSet()) {
      builder.withNanCount(statistics.getNanCount());
    }
    return builder.build();
  }
}
