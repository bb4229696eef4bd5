package dev.baler.parquet;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;

/**
 * What a merge needs of an input's column chunks, taken from its footer as the input opens (walked
 * where it lies, or parsed by parquet-java and then let go; see {@link InputFooter}): for each
 * chunk, where it is, how many values it holds, its codec, whether it may be carried over or its
 * dictionary merged, the size of its dictionary page, its statistics (kept only when it may be
 * carried over, as only carried chunks need them) and its column index's place.
 *
 * <p>An output row group of small files holds hundreds to thousands of inputs open at once (with
 * 100,000 files of ten columns and 40 rows, two bins hold 6,552), so this keeps every chunk's
 * figures in a few arrays per input rather than objects per chunk: six numbers per chunk, as ints
 * (24 bytes) unless one does not fit, as in a file of 2 GiB or more (48 bytes), one byte of codec
 * and flags and four of statistics place, and the statistics of a chunk that may be carried over in
 * 24 bytes and its bounds. Heap dumps of that run counted about 850 bytes per input with the
 * numbers as longs and codec and flags apart, where a record, an {@code IndexReference} and a
 * {@code Statistics} object per chunk took about 1.5 KB.
 *
 * <p>Chunks are addressed by row group and column, both from 0, as in the footer. Immutable and
 * safe to share between threads.
 */
final class InputChunks {
  private static final int START = 0;
  private static final int SIZE = 1;
  private static final int VALUES = 2;
  private static final int DICTIONARY_PAGE_BYTES = 3;
  private static final int COLUMN_INDEX_OFFSET = 4;
  private static final int COLUMN_INDEX_LENGTH = 5;
  private static final int NUMBERS = 6;

  /** Low four bits of a chunk's byte: its codec's ordinal; then its flags. */
  private static final int CODEC_BITS = 0x0F;

  private static final int CARRY_CANDIDATE = 0x10;
  private static final int MERGE_CANDIDATE = 0x20;

  private static final CompressionCodecName[] CODECS = CompressionCodecName.values();

  static {
    if (CODECS.length > CODEC_BITS + 1) {
      throw new IllegalStateException(
          CODECS.length + " codecs do not fit in " + Integer.bitCount(CODEC_BITS) + " bits");
    }
  }

  private final int columns;

  /**
   * {@value #NUMBERS} numbers per chunk, in row group order and within it column order, when every
   * number of the file fits in an int, as in any file under 2 GiB; null otherwise.
   */
  private final int[] intNumbers;

  /** The same numbers as longs, when some do not fit in an int; null otherwise. */
  private final long[] longNumbers;

  /**
   * Per chunk: its codec's ordinal ({@link #CODEC_BITS}) and its {@link #CARRY_CANDIDATE} and
   * {@link #MERGE_CANDIDATE} bits.
   */
  private final byte[] codecsAndFlags;

  /** Per chunk: where its statistics start in {@link #statistics}, -1 if they were not kept. */
  private final int[] statisticsAt;

  /**
   * The kept statistics, one after another: null count, NaN count (-1 if unset), then the minimum
   * and the maximum as stored, each after its length (-1 for both when no value is non-null).
   */
  private final byte[] statistics;

  private InputChunks(
      int columns, long[] numbers, byte[] codecsAndFlags, int[] statisticsAt, byte[] statistics) {
    this.columns = columns;
    this.intNumbers = asInts(numbers);
    this.longNumbers = intNumbers == null ? numbers : null;
    this.codecsAndFlags = codecsAndFlags;
    this.statisticsAt = statisticsAt;
    this.statistics = statistics;
  }

  /** The numbers as ints, or null if one does not fit. */
  private static int[] asInts(long[] numbers) {
    int[] ints = new int[numbers.length];
    for (int i = 0; i < numbers.length; i++) {
      if (numbers[i] != (int) numbers[i]) {
        return null;
      }
      ints[i] = (int) numbers[i];
    }
    return ints;
  }

  /**
   * What the merge needs of the chunks of {@code blocks}, for an output written with {@code
   * outputCodec}.
   *
   * @param blocks the footer's row groups, each with one chunk per column of {@code columns}, in
   *     order (the caller checks that)
   * @param columns the leaf columns of the input's schema
   */
  static InputChunks of(
      List<BlockMetaData> blocks,
      List<ColumnDescriptor> columns,
      CompressionCodecName outputCodec) {
    Builder chunks = new Builder(columns, outputCodec, blocks.size() * columns.size());
    for (BlockMetaData block : blocks) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        chunks.add(ChunkMetadata.of(chunk), chunk::getStatistics);
      }
    }
    return chunks.build();
  }

  /** Gives a chunk's statistics, asked only when they decide whether it may be carried over. */
  @FunctionalInterface
  interface StatisticsSource {
    /**
     * @return the statistics, or null if the chunk has none
     */
    Statistics<?> get();
  }

  /**
   * Collects an input's chunks one by one, in row group order and within it column order. Not
   * thread-safe.
   */
  static final class Builder {
    private final List<ColumnDescriptor> columns;
    private final CompressionCodecName outputCodec;
    private final long[] numbers;
    private final byte[] codecsAndFlags;
    private final int[] statisticsAt;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream(0);
    private final DataOutputStream keptStatistics = new DataOutputStream(kept);
    private int count;

    /**
     * @param columns the leaf columns of the input's schema
     * @param outputCodec the codec of the merge's output, which a chunk must have to be carried
     * @param chunks the chunks the input has, row groups times columns, each to be {@linkplain #add
     *     added}: the arrays made for them are kept as they are filled, without a copy
     */
    Builder(List<ColumnDescriptor> columns, CompressionCodecName outputCodec, int chunks) {
      this.columns = columns;
      this.outputCodec = outputCodec;
      this.numbers = new long[chunks * NUMBERS];
      this.codecsAndFlags = new byte[chunks];
      this.statisticsAt = new int[chunks];
    }

    /**
     * Adds the next chunk.
     *
     * @param statistics asked for the chunk's statistics only if its metadata would otherwise let
     *     it be carried over ({@link CarriedChunk#metadataAllows})
     */
    Builder add(ChunkMetadata chunk, StatisticsSource statistics) {
      if (count == codecsAndFlags.length) {
        throw new IllegalStateException("More than the " + count + " chunks announced");
      }
      int at = count * NUMBERS;
      numbers[at + START] = chunk.start();
      numbers[at + SIZE] = chunk.size();
      numbers[at + VALUES] = chunk.values();
      numbers[at + DICTIONARY_PAGE_BYTES] = chunk.dictionaryPageBytes();
      numbers[at + COLUMN_INDEX_OFFSET] = chunk.columnIndexOffset();
      numbers[at + COLUMN_INDEX_LENGTH] = chunk.columnIndexLength();
      Statistics<?> carried = null;
      if (CarriedChunk.metadataAllows(chunk, outputCodec)) {
        Statistics<?> read = statistics.get();
        carried = CarriedChunk.complete(read, chunk.values()) ? read : null;
      }
      ColumnDescriptor column = columns.get(count % columns.size());
      boolean merge =
          DictionaryMerge.isCandidate(chunk, column.getPrimitiveType().getPrimitiveTypeName());
      codecsAndFlags[count] =
          (byte)
              (chunk.codec().ordinal()
                  | (carried != null ? CARRY_CANDIDATE : 0)
                  | (merge ? MERGE_CANDIDATE : 0));
      statisticsAt[count] = carried != null ? kept.size() : -1;
      if (carried != null) {
        write(carried, keptStatistics);
      }
      count++;
      return this;
    }

    /**
     * The chunks added.
     *
     * @throws IllegalStateException if fewer than the chunks announced were added
     */
    InputChunks build() {
      if (count != codecsAndFlags.length) {
        throw new IllegalStateException(
            count + " chunks added, " + codecsAndFlags.length + " announced");
      }
      return new InputChunks(
          columns.size(), numbers, codecsAndFlags, statisticsAt, kept.toByteArray());
    }
  }

  private static void write(Statistics<?> chunkStatistics, DataOutputStream out) {
    try {
      out.writeLong(chunkStatistics.getNumNulls());
      out.writeLong(chunkStatistics.isNanCountSet() ? chunkStatistics.getNanCount() : -1);
      if (chunkStatistics.hasNonNullValue()) {
        byte[] min = chunkStatistics.getMinBytes();
        byte[] max = chunkStatistics.getMaxBytes();
        out.writeInt(min.length);
        out.write(min);
        out.writeInt(max.length);
        out.write(max);
      } else {
        out.writeInt(-1);
        out.writeInt(-1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  /** The number of row groups. */
  int rowGroups() {
    return codecsAndFlags.length / Math.max(1, columns);
  }

  /** The chunk's first byte in the file. */
  long start(int rowGroup, int column) {
    return number(rowGroup, column, START);
  }

  /** The chunk's bytes as stored. */
  long size(int rowGroup, int column) {
    return number(rowGroup, column, SIZE);
  }

  /** The chunk's values, nulls included. */
  long values(int rowGroup, int column) {
    return number(rowGroup, column, VALUES);
  }

  /** The bytes of the chunk's dictionary page, 0 if it has none or they are unknown. */
  long dictionaryPageBytes(int rowGroup, int column) {
    return number(rowGroup, column, DICTIONARY_PAGE_BYTES);
  }

  /** Where the chunk's column index starts in the file, -1 if it has none. */
  long columnIndexOffset(int rowGroup, int column) {
    return number(rowGroup, column, COLUMN_INDEX_OFFSET);
  }

  /** The bytes of the chunk's column index, 0 if it has none. */
  int columnIndexLength(int rowGroup, int column) {
    return (int) number(rowGroup, column, COLUMN_INDEX_LENGTH);
  }

  /** The chunk's codec. */
  CompressionCodecName codec(int rowGroup, int column) {
    return CODECS[codecsAndFlags[chunk(rowGroup, column)] & CODEC_BITS];
  }

  /**
   * Whether the chunk may be carried over into the merge's output: {@link
   * CarriedChunk#metadataAllows} holds for it and its statistics are {@linkplain
   * CarriedChunk#complete complete}.
   */
  boolean carryCandidate(int rowGroup, int column) {
    return (codecsAndFlags[chunk(rowGroup, column)] & CARRY_CANDIDATE) != 0;
  }

  /** Whether {@link DictionaryMerge#isCandidate} holds for the chunk. */
  boolean mergeCandidate(int rowGroup, int column) {
    return (codecsAndFlags[chunk(rowGroup, column)] & MERGE_CANDIDATE) != 0;
  }

  /**
   * The chunk's statistics, made anew on each call.
   *
   * @param type the column's type in the merge's schema, an equal of the input's own
   * @return the statistics, or null unless the chunk {@linkplain #carryCandidate may be carried}
   */
  Statistics<?> statistics(int rowGroup, int column, PrimitiveType type) {
    int at = statisticsAt[chunk(rowGroup, column)];
    if (at < 0) {
      return null;
    }
    ByteBuffer kept = ByteBuffer.wrap(statistics);
    kept.position(at);
    Statistics.Builder builder = Statistics.getBuilderForReading(type).withNumNulls(kept.getLong());
    long nanCount = kept.getLong();
    int minLength = kept.getInt();
    if (minLength >= 0) {
      builder.withMin(bytes(kept, minLength));
      builder.withMax(bytes(kept, kept.getInt()));
    }
    if (nanCount >= 0) {
      builder.withNanCount(nanCount);
    }
    return builder.build();
  }

  private static byte[] bytes(ByteBuffer buffer, int length) {
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  private long number(int rowGroup, int column, int field) {
    int at = chunk(rowGroup, column) * NUMBERS + field;
    return intNumbers != null ? intNumbers[at] : longNumbers[at];
  }

  private int chunk(int rowGroup, int column) {
    if (column < 0 || column >= columns) {
      throw new IndexOutOfBoundsException("Column " + column + " of " + columns);
    }
    return rowGroup * columns + column;
  }

  @Override
  public String toString() {
    return "InputChunks[rowGroups="
        + rowGroups()
        + ", columns="
        + columns
        + ", numbers="
        + (intNumbers != null ? Arrays.toString(intNumbers) : Arrays.toString(longNumbers))
        + "]";
  }
}
