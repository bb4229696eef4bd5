package dev.baler.parquet;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.parquet.VersionParser;
import org.apache.parquet.VersionParser.ParsedVersion;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The engine's inner loop: walks one column chunk value by value, with repetition and definition
 * levels, optionally writing each value to a column writer, skipping whole rows, and folding each
 * value into its row's two hash lanes.
 *
 * <p>Rows are found by their repetition level: a value with repetition level 0 starts a row.
 */
final class ColumnCopier {
  private static final long ROW_SEED1 = 0x2545F4914F6CDD1DL;
  private static final long ROW_SEED2 = 0x7FB5D329728EA185L;

  private ColumnCopier() {}

  /**
   * Hash lanes of the rows of one row group being written or read, in arrays that may be longer
   * than the row group. A merge or a read-back reuses one instance from row group to row group
   * ({@link #reset}): the lanes live as long as their row group, long enough to outlive young
   * collections, so that arrays made anew for each row group (2 MB for 131,072 rows) filled the old
   * generation with garbage. Not thread-safe.
   */
  static final class RowHashes {
    private static final long POSITION_SEED1 = 0x3C6EF372FE94F82BL;
    private static final long POSITION_SEED2 = 0xA54FF53A5F1D36F1L;

    long[] lane1;
    long[] lane2;
    private int rows;
    // Sums of the digests of column chunks verified by their bytes (addVerbatim), if any.
    private boolean verbatim;
    private long verbatim1;
    private long verbatim2;

    RowHashes(int rows) {
      lane1 = new long[rows];
      lane2 = new long[rows];
      this.rows = rows;
    }

    /** Hashes of no rows yet, whose arrays grow at the first {@link #reset}. */
    RowHashes() {
      this(0);
    }

    /**
     * Makes these the empty hashes of {@code rows} rows, in the arrays held already when they are
     * long enough.
     *
     * @return this
     */
    RowHashes reset(int rows) {
      if (rows > lane1.length) {
        lane1 = new long[rows];
        lane2 = new long[rows];
      } else {
        Arrays.fill(lane1, 0, rows, 0L);
        Arrays.fill(lane2, 0, rows, 0L);
      }
      this.rows = rows;
      verbatim = false;
      verbatim1 = 0;
      verbatim2 = 0;
      return this;
    }

    /**
     * Adds the digest of a column chunk whose pages are not folded into the rows but compared by
     * their bytes ({@link PageDigest}): the chunks a merge carried over verbatim, and the same
     * chunks of its output read back. The row group's fingerprint then binds every row's hash to
     * the row's position ({@link #fingerprint(int)}), as a chunk's pages hold their values in
     * order: a row's values in the other columns must be found in the same row.
     */
    void addVerbatim(int column, PageDigest digest) {
      verbatim = true;
      verbatim1 += Hashing.mix(digest.lane1() ^ ((long) column * Hashing.LANE2));
      verbatim2 += Hashing.mix(digest.lane2() + ((long) column * Hashing.LANE1));
    }

    int rows() {
      return rows;
    }

    long finalLane1(int row) {
      return Hashing.mix(lane1[row] ^ ROW_SEED1);
    }

    long finalLane2(int row) {
      return Hashing.mix(lane2[row] + ROW_SEED2);
    }

    /** Folds a number's bits (a float's or an int's sign-extended) into {@code row}. */
    void foldNumber(int row, long bits, long tag) {
      fold(row, numberElement1(bits, tag), numberElement2(bits, tag));
    }

    /** Folds a byte string, given by its two {@link Hashing.Bytes} lanes, into {@code row}. */
    void foldBytes(int row, long bytes1, long bytes2, long tag) {
      fold(row, bytesElement1(bytes1, tag), bytesElement2(bytes2, tag));
    }

    /** Folds a null (a value below the column's maximum definition level) into {@code row}. */
    void foldNull(int row, long tag) {
      fold(row, nullElement1(tag), nullElement2(tag));
    }

    /**
     * Folds a value's two elements into {@code row}: the elements of the fold methods, computed
     * ahead by {@link ColumnElements} for values that recur.
     */
    void fold(int row, long element1, long element2) {
      lane1[row] = (lane1[row] ^ element1) * Hashing.LANE1;
      lane2[row] = (lane2[row] + element2) * Hashing.LANE2;
    }

    static long numberElement1(long bits, long tag) {
      return Hashing.mix(bits * Hashing.LANE1 + tag);
    }

    static long numberElement2(long bits, long tag) {
      return Hashing.mix(Long.rotateLeft(bits, 31) ^ (tag * Hashing.LANE2) ^ 0x5BD1E995L);
    }

    static long bytesElement1(long bytes1, long tag) {
      return Hashing.mix(bytes1 + tag);
    }

    static long bytesElement2(long bytes2, long tag) {
      return Hashing.mix(bytes2 ^ (tag * Hashing.LANE2));
    }

    static long nullElement1(long tag) {
      return Hashing.mix(tag ^ 0x1B873593L);
    }

    static long nullElement2(long tag) {
      return Hashing.mix(tag * Hashing.LANE1 + 0xCC9E2D51L);
    }

    /**
     * The tag that places a value in its row's hash: the column's index and the value's repetition
     * and definition levels.
     */
    static long tag(int column, int repetition, int definition) {
      return ((long) column << 20) | ((long) repetition << 10) | definition;
    }

    /**
     * The fingerprint of these rows, whose values were all folded into them.
     *
     * @throws IllegalStateException if a chunk was added by its digest ({@link #addVerbatim})
     */
    RowFingerprint fingerprint() {
      if (verbatim) {
        throw new IllegalStateException("rows with verbatim chunks have a positional fingerprint");
      }
      return fingerprint(0);
    }

    /**
     * The fingerprint of these rows as the row group {@code rowGroup} of a file: as {@link
     * #fingerprint()} when every value was folded into the rows; otherwise each row's hash is bound
     * to its position (row group and row), and the chunks' digests are added, bound to the row
     * group.
     */
    RowFingerprint fingerprint(int rowGroup) {
      long sum1 = 0;
      long sum2 = 0;
      if (!verbatim) {
        for (int row = 0; row < rows; row++) {
          sum1 += finalLane1(row);
          sum2 += finalLane2(row);
        }
        return new RowFingerprint(rows, sum1, sum2);
      }
      long group = (long) rowGroup << 32;
      for (int row = 0; row < rows; row++) {
        long position = group | row;
        sum1 += Hashing.mix(lane1[row] ^ ROW_SEED1 ^ Hashing.mix(position ^ POSITION_SEED1));
        sum2 += Hashing.mix(lane2[row] + ROW_SEED2 + Hashing.mix(position + POSITION_SEED2));
      }
      sum1 += Hashing.mix(verbatim1 ^ Hashing.mix(group ^ POSITION_SEED2));
      sum2 += Hashing.mix(verbatim2 + Hashing.mix(group + POSITION_SEED1));
      return new RowFingerprint(rows, sum1, sum2);
    }
  }

  /**
   * Where copied values go: a column writer and its store, which must hear of each finished record
   * so that it cuts pages on record boundaries. Not thread-safe.
   */
  static final class ColumnSink {
    private final ColumnWriteStore store;
    private final ColumnWriter writer;
    private boolean recordOpen;

    ColumnSink(ColumnWriteStore store, ColumnWriter writer) {
      this.store = store;
      this.writer = writer;
    }

    void startRecord() {
      if (recordOpen) {
        store.endRecord();
      }
      recordOpen = true;
    }

    /** Ends the last record and writes out the buffered pages to the page store. */
    void finish() {
      if (recordOpen) {
        store.endRecord();
        recordOpen = false;
      }
      store.flush();
    }
  }

  /**
   * Walks one column chunk.
   *
   * @param reader the chunk's reader, at its start
   * @param column the column's index in the schema, folded into hashes
   * @param skipRows rows of this chunk to leave out (indexes from the chunk's first row), or null
   * @param firstSkipRow the index in {@code skipRows} of the chunk's first row
   * @param sink where values go, or null to only hash
   * @param hashes row hashes to fold values into
   * @param bloomFilter the bloom filter to add the kept values to, or null
   * @param firstRow the index in {@code hashes} of the first row kept
   * @param chunkRows the rows the chunk must hold, kept or not (its row group's), or -1 if not
   *     known: with rows left out, the rows kept alone may add up while the chunk holds one row too
   *     many and one too few in places
   * @return the number of rows kept
   * @throws IllegalStateException if the chunk starts within a row (its first value repeats the row
   *     before), or holds other than {@code chunkRows} rows
   */
  static int walk(
      ColumnReader reader,
      ColumnDescriptor descriptor,
      int column,
      BitSet skipRows,
      long firstSkipRow,
      ColumnSink sink,
      RowHashes hashes,
      ColumnBloomFilter bloomFilter,
      int firstRow,
      long chunkRows) {
    final PrimitiveTypeName type = descriptor.getPrimitiveType().getPrimitiveTypeName();
    final int maxDefinition = descriptor.getMaxDefinitionLevel();
    final ColumnWriter writer = sink == null ? null : sink.writer;
    final Hashing.Bytes bytesHash = new Hashing.Bytes();
    long total = reader.getTotalValueCount();
    long row = firstSkipRow - 1;
    int out = firstRow - 1;
    boolean skipping = false;
    for (long i = 0; i < total; i++) {
      int repetition = reader.getCurrentRepetitionLevel();
      int definition = reader.getCurrentDefinitionLevel();
      if (i == 0 && repetition != 0) {
        throw new IllegalStateException(
            "the column chunk starts within a row: its first value's repetition level is "
                + repetition);
      }
      if (repetition == 0) {
        row++;
        skipping = skipRows != null && skipRows.get((int) row);
        if (!skipping) {
          out++;
          if (sink != null) {
            sink.startRecord();
          }
        }
      }
      if (skipping) {
        if (definition == maxDefinition) {
          reader.skip();
        }
        reader.consume();
        continue;
      }
      long tag = RowHashes.tag(column, repetition, definition);
      if (definition == maxDefinition) {
        long bits;
        switch (type) {
          case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> {
            Binary value = reader.getBinary();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            ByteBuffer bytes = value.toByteBuffer();
            if (bloomFilter != null) {
              bloomFilter.addBytes(bytes.duplicate());
            }
            bytesHash.hash(bytes);
            hashes.foldBytes(out, bytesHash.lane1, bytesHash.lane2, tag);
            reader.consume();
            continue;
          }
          case INT64 -> {
            long value = reader.getLong();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            bits = value;
          }
          case INT32 -> {
            int value = reader.getInteger();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            bits = value;
          }
          case DOUBLE -> {
            double value = reader.getDouble();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            bits = Double.doubleToRawLongBits(value);
          }
          case FLOAT -> {
            float value = reader.getFloat();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            bits = Float.floatToRawIntBits(value);
          }
          case BOOLEAN -> {
            boolean value = reader.getBoolean();
            if (writer != null) {
              writer.write(value, repetition, definition);
            }
            bits = value ? 1 : 0;
          }
          default -> throw new IllegalStateException("Unknown physical type " + type);
        }
        if (bloomFilter != null) {
          bloomFilter.addNumber(bits, type);
        }
        hashes.foldNumber(out, bits, tag);
      } else {
        if (writer != null) {
          writer.writeNull(repetition, definition);
        }
        hashes.foldNull(out, tag);
      }
      reader.consume();
    }
    long walked = row - firstSkipRow + 1;
    if (chunkRows >= 0 && walked != chunkRows) {
      throw new IllegalStateException(
          "the column chunk holds " + walked + " rows where its row group has " + chunkRows);
    }
    return out - firstRow + 1;
  }

  /** A reader for one column of a row group read into memory. */
  static ColumnReader columnReader(
      PageReadStore rowGroup, String createdBy, ColumnDescriptor descriptor) {
    return new ColumnReaderImpl(
        descriptor,
        rowGroup.getPageReader(descriptor),
        NO_OP_CONVERTER,
        writerVersion(createdBy).orElse(null));
  }

  /** Receives nothing: the engine reads values straight from column readers. */
  private static final PrimitiveConverter NO_OP_CONVERTER = new PrimitiveConverter() {};

  /**
   * Writer versions parsed so far, by {@code created_by}: few, and bounded in {@link
   * #writerVersion}.
   */
  private static final Map<String, Optional<ParsedVersion>> WRITER_VERSIONS =
      new ConcurrentHashMap<>();

  private static final int MOST_WRITER_VERSIONS = 256;

  /**
   * A file's writer, as parquet-java's column readers take it (to work around bugs of old writers),
   * parsed from {@code created_by} once per writer: parsing runs a regular expression, and a merge
   * makes a column reader for every input chunk it re-encodes. Empty if it does not parse.
   */
  static Optional<ParsedVersion> writerVersion(String createdBy) {
    if (createdBy == null) {
      return Optional.empty();
    }
    Optional<ParsedVersion> known = WRITER_VERSIONS.get(createdBy);
    if (known != null) {
      return known;
    }
    Optional<ParsedVersion> parsed;
    try {
      parsed = Optional.of(VersionParser.parse(createdBy));
    } catch (RuntimeException | VersionParser.VersionParseException e) {
      parsed = Optional.empty();
    }
    if (WRITER_VERSIONS.size() < MOST_WRITER_VERSIONS) {
      WRITER_VERSIONS.put(createdBy, parsed);
    }
    return parsed;
  }

  /** Hashes every row of every row group of one row group store. */
  static RowHashes hashRowGroup(PageReadStore rowGroup, MessageType schema, String createdBy) {
    RowHashes hashes = new RowHashes(Math.toIntExact(rowGroup.getRowCount()));
    List<ColumnDescriptor> columns = schema.getColumns();
    for (int column = 0; column < columns.size(); column++) {
      ColumnHasher.hash(rowGroup, createdBy, columns.get(column), column, hashes, 0);
    }
    return hashes;
  }

  /**
   * Reads every row of a Parquet file and fingerprints them. A row group's column chunks are read
   * in groups of neighbours, each group with one read of at most {@code windowBytes} (a chunk
   * larger than that is a group of its own), into one array sized for the file's largest group and
   * reused for every group; each chunk's pages are hashed one at a time ({@link ChunkPages#hash}),
   * or digested by their bytes if the chunk is in {@code verbatim} ({@link ChunkPages#digest}).
   *
   * <p>With {@code helpers}, whenever a thread waits there before a row group and at least two are
   * left, the later half of those left goes to it, read with a stream of its own; the row groups'
   * fingerprints add up the same in any order.
   *
   * @param windowBytes the most bytes one read takes, unless a single column chunk is larger
   * @param verbatim the chunks digested by their pages' bytes; see {@link RowHashes#addVerbatim}
   * @param helpers where threads wait to take row groups, or null
   * @throws InvalidParquetFileException if the file's data cannot be decoded, or a column chunk
   *     holds other rows than its row group
   * @throws IOException if the file cannot be read or is not valid Parquet
   */
  static RowFingerprint fingerprint(
      InputFile file, long windowBytes, VerbatimChunks verbatim, MergeHelpers helpers)
      throws IOException {
    Footer footer = Footer.read(file);
    MessageType schema = footer.schema();
    List<ColumnDescriptor> columns = schema.getColumns();
    List<List<ChunkGroup>> groups = new ArrayList<>(footer.rowGroups().size());
    int largest = 0;
    try {
      for (BlockMetaData block : footer.rowGroups()) {
        List<ChunkGroup> blockGroups = ChunkGroup.of(block.getColumns(), columns, windowBytes);
        for (ChunkGroup group : blockGroups) {
          largest = Math.max(largest, group.span());
        }
        groups.add(blockGroups);
      }
    } catch (RuntimeException e) {
      throw new InvalidParquetFileException(
          file.location(), "cannot decode its data (" + e + ")", e);
    }
    // set when the read-back fails, so that the row groups handed over stop being read
    AtomicBoolean cancelled = new AtomicBoolean();
    try {
      return fingerprint(
          file, footer, groups, largest, verbatim, 0, groups.size(), helpers, cancelled);
    } catch (IOException | RuntimeException | Error e) {
      cancelled.set(true);
      throw e;
    }
  }

  /**
   * The fingerprint of row groups {@code from} to {@code to} (exclusive) of a file, whose chunk
   * groups and largest group span are given; see {@link #fingerprint(InputFile, long,
   * VerbatimChunks, MergeHelpers)}.
   */
  private static RowFingerprint fingerprint(
      InputFile file,
      Footer footer,
      List<List<ChunkGroup>> groups,
      int largest,
      VerbatimChunks verbatim,
      int from,
      int to,
      MergeHelpers helpers,
      AtomicBoolean cancelled)
      throws IOException {
    List<ColumnDescriptor> columns = footer.schema().getColumns();
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    PageBuffer pages = new PageBuffer();
    RowFingerprint fingerprint = RowFingerprint.EMPTY;
    MergeMemory memory = MergeMemory.take();
    byte[] stored = memory.bytes(largest);
    RowHashes hashes = memory.rowHashes;
    List<CompletableFuture<RowFingerprint>> handedOver = new ArrayList<>();
    try (SeekableInputStream stream = file.newStream()) {
      int end = to;
      for (int rowGroup = from; rowGroup < end; rowGroup++) {
        if (cancelled.get()) {
          throw new InterruptedIOException(
              "Reading " + file.location() + " back was cancelled: another part of it failed");
        }
        if (helpers != null && end - rowGroup >= 2 && helpers.anyWaiting()) {
          int split = rowGroup + (end - rowGroup + 1) / 2;
          int last = end;
          long tailBytes = 0;
          for (int later = split; later < last; later++) {
            tailBytes += footer.rowGroups().get(later).getCompressedSize();
          }
          CompletableFuture<RowFingerprint> tail = new CompletableFuture<>();
          Runnable read =
              () -> {
                try {
                  tail.complete(
                      fingerprint(
                          file, footer, groups, largest, verbatim, split, last, helpers,
                          cancelled));
                } catch (IOException | RuntimeException | Error e) {
                  // a read-back that fails at all fails: the other ranges may stop
                  cancelled.set(true);
                  tail.completeExceptionally(e);
                }
              };
          if (helpers.worthHandingOver(tailBytes) && helpers.handOver(read)) {
            handedOver.add(tail);
            end = split;
          }
        }
        BlockMetaData block = footer.rowGroups().get(rowGroup);
        List<ColumnChunkMetaData> chunks = block.getColumns();
        hashes.reset(Math.toIntExact(block.getRowCount()));
        for (ChunkGroup group : groups.get(rowGroup)) {
          if (group.span() > 0) {
            stream.seek(group.start());
            stream.readFully(stored, 0, group.span());
          }
          for (int column = group.firstColumn(); column < group.endColumn(); column++) {
            ColumnDescriptor descriptor = columns.get(column);
            ColumnChunkMetaData chunk = chunks.get(column);
            if (verbatim.contains(rowGroup, column)) {
              hashes.addVerbatim(
                  column,
                  ChunkPages.digest(
                      descriptor,
                      stored,
                      Math.toIntExact(chunk.getStartingPos() - group.start()),
                      Math.toIntExact(chunk.getTotalSize()),
                      chunk.getValueCount(),
                      chunk.getCodec()));
              continue;
            }
            int rows =
                ChunkPages.hash(
                    footer.createdBy(),
                    descriptor,
                    column,
                    stored,
                    Math.toIntExact(chunk.getStartingPos() - group.start()),
                    Math.toIntExact(chunk.getTotalSize()),
                    chunk.getValueCount(),
                    block.getRowCount(),
                    codecs.getDecompressor(chunk.getCodec()),
                    pages,
                    hashes,
                    null,
                    0);
            if (rows != block.getRowCount()) {
              throw new IllegalStateException(
                  "column "
                      + CarriedChunk.pathOf(descriptor)
                      + " has "
                      + rows
                      + " rows in a row group of "
                      + block.getRowCount());
            }
          }
        }
        fingerprint = fingerprint.plus(hashes.fingerprint(rowGroup));
      }
    } catch (RuntimeException e) {
      throw new InvalidParquetFileException(
          file.location(), "cannot decode its data (" + e + ")", e);
    } finally {
      codecs.release();
    }
    memory.giveBack();
    for (CompletableFuture<RowFingerprint> tail : handedOver) {
      fingerprint = fingerprint.plus(await(tail));
    }
    return fingerprint;
  }

  /**
   * The fingerprint of row groups handed over, once read.
   *
   * @throws IOException what their reading threw, or if interrupted while waiting
   */
  private static RowFingerprint await(CompletableFuture<RowFingerprint> tail) throws IOException {
    try {
      return tail.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for row groups handed over");
    } catch (ExecutionException e) {
      throw Failures.asIoException(e.getCause(), "Cannot read row groups handed over");
    }
  }

  /**
   * Neighbouring column chunks of one row group read with one read: columns {@code firstColumn}
   * (inclusive) to {@code endColumn} (exclusive), whose bytes lie from {@code start} for {@code
   * span} bytes.
   */
  record ChunkGroup(int firstColumn, int endColumn, long start, int span) {
    /**
     * Cuts a row group's column chunks, in schema order, into groups of at most {@code windowBytes}
     * from the first chunk's start to the last one's end; a chunk larger than that is a group of
     * its own. A group spans no more than its chunks where they lie in schema order, as every
     * writer lays them out; where they do not, a group spans from its lowest to its highest byte.
     *
     * @throws IllegalStateException if the chunks do not follow the schema's columns
     */
    static List<ChunkGroup> of(
        List<ColumnChunkMetaData> chunks, List<ColumnDescriptor> columns, long windowBytes) {
      if (chunks.size() != columns.size()) {
        throw new IllegalStateException("a row group's column chunks do not follow the schema");
      }
      List<ChunkGroup> groups = new ArrayList<>();
      int first = 0;
      long start = Long.MAX_VALUE;
      long end = 0;
      for (int column = 0; column < chunks.size(); column++) {
        ColumnChunkMetaData chunk = chunks.get(column);
        if (!Arrays.equals(chunk.getPath().toArray(), columns.get(column).getPath())) {
          throw new IllegalStateException("a row group's column chunks do not follow the schema");
        }
        long chunkStart = chunk.getStartingPos();
        long chunkEnd = chunkStart + chunk.getTotalSize();
        long groupStart = Math.min(start, chunkStart);
        long groupEnd = Math.max(end, chunkEnd);
        if (column > first && groupEnd - groupStart > windowBytes) {
          groups.add(new ChunkGroup(first, column, start, Math.toIntExact(end - start)));
          first = column;
          groupStart = chunkStart;
          groupEnd = chunkEnd;
        }
        start = groupStart;
        end = groupEnd;
      }
      if (first < chunks.size()) {
        groups.add(new ChunkGroup(first, chunks.size(), start, Math.toIntExact(end - start)));
      }
      return groups;
    }
  }
}
