package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.RowGroupPlan.Slice;
import dev.baler.storage.DaemonThreads;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.ScratchDirectories;
import dev.baler.storage.StorageOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges Parquet files of one schema into one file of large row groups, column by column.
 *
 * <p>Output row groups are made of whole input row groups, in input order, up to {@link
 * WriteOptions#rowGroupRows()} rows and {@link WriteOptions#rowGroupBytes()} input bytes. For each
 * output row group the engine holds its inputs' bytes (each input's row group, or whole file when
 * small) and a few numbers per input column chunk ({@link InputChunks}), then writes one output
 * column chunk at a time, in one of three ways decided per column chunk: it carries the input
 * chunks' pages over as stored ({@link CarriedChunk}), merges their dictionaries ({@link
 * DictionaryMerge}), or decodes the column's values from every input chunk and encodes them into
 * the output chunk, reading one input chunk's pages at a time ({@link ChunkPages}). Memory is
 * therefore one output column chunk, plus the input bytes the merge reads ahead: an output row
 * group's input row groups (small files whole) in one read each ({@link WindowedStream}), cut from
 * one array per merge ({@link WindowArena}), up to the window bytes; where they take more, its
 * columns are merged in groups that each take about the window bytes (see {@link
 * #ParquetMerger(WriteOptions, long)}).
 *
 * <p>Every value is fingerprinted as it is copied, so the result carries the {@link RowFingerprint}
 * of the rows written, which a verifier compares with the output read back. Output column chunks
 * whose pages are carried over verbatim (as stored, not joined) are fingerprinted by their pages'
 * bytes instead, after each page is checked to decode ({@link CarriedChunk#check}); the result
 * lists them ({@link MergeResult#verbatim}), so that the read-back digests the same chunks.
 *
 * <p>The output appears at its location only when the merge succeeds; on failure it is aborted. A
 * merger is stateless; a merge runs on the calling thread, and parallel merges are safe. A merger
 * {@link #withHelpers with helpers} may hand the later half of a merge's row groups to a waiting
 * thread and append what that thread wrote (see {@link MergeHelpers}).
 */
public final class ParquetMerger {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetMerger.class);

  /**
   * The default of {@link #ParquetMerger(WriteOptions, long)}'s window bytes, 32 MiB: for stores
   * where each read is a request (S3, HDFS), so that an output row group of small files, which
   * rarely takes more, reads each input once.
   */
  public static final long DEFAULT_WINDOW_BYTES = 32L << 20;

  /**
   * Window bytes for inputs on local disk or in memory, 4 MiB: a read costs a system call there, so
   * an output row group that takes more is read in column groups. An output row group of the
   * reference data set's 2,000-row files takes 7 MB of input, one of 200-row files 8.2 MB, one of
   * 40-row files 10.5 MB. Against 8 MiB, the largest live heap went from 44 to 38 MiB at 2,000
   * files and from 53 to 48 MiB at 20,000, at no cost in time measured on the reference set (three
   * interleaved pairs of runs) and about 8% more CPU with 100,000 files of 40 rows (two pairs).
   */
  public static final long LOCAL_WINDOW_BYTES = 4L << 20;

  private final WriteOptions options;
  private final long windowBytes;
  private final OpenFileBudget openFiles;

  /** Where threads wait to take part of a merge's row groups, or null. */
  private final MergeHelpers helpers;

  /** A merger that writes with {@code options}, with {@link #DEFAULT_WINDOW_BYTES}. */
  public ParquetMerger(WriteOptions options) {
    this(options, DEFAULT_WINDOW_BYTES);
  }

  /**
   * A merger that writes with {@code options} and holds at most about {@code windowBytes} of an
   * output row group's input in memory at once. An output row group whose inputs take more is
   * merged in column groups, each about {@code windowBytes} of input: its inputs are read once per
   * group (a system call each on disk, a request each on S3) rather than once, and the memory a
   * merge takes no longer grows with how many small files an output row group gathers. Their files
   * stay open from group to group while the process's {@link OpenFileBudget} has room; those that
   * find none are closed after each read and opened again for the next.
   *
   * @param windowBytes at least 1 MiB; see {@link #DEFAULT_WINDOW_BYTES} and {@link
   *     #LOCAL_WINDOW_BYTES}
   * @throws IllegalArgumentException if {@code windowBytes} is less than 1 MiB
   */
  public ParquetMerger(WriteOptions options, long windowBytes) {
    this(options, windowBytes, OpenFileBudget.PROCESS);
  }

  /**
   * A merger as {@link #ParquetMerger(WriteOptions, long)} makes, whose merges in column groups
   * keep at most {@code openFiles} of their inputs' files open between reads (with those of the
   * other merges that share it); the process's merges share {@link OpenFileBudget#PROCESS}.
   */
  ParquetMerger(WriteOptions options, long windowBytes, OpenFileBudget openFiles) {
    this(options, windowBytes, openFiles, null);
  }

  private ParquetMerger(
      WriteOptions options, long windowBytes, OpenFileBudget openFiles, MergeHelpers helpers) {
    this.helpers = helpers;
    this.options = requireNonNull(options, "options is null");
    if (windowBytes < 1 << 20) {
      throw new IllegalArgumentException(
          "Invalid window bytes " + windowBytes + ": expected at least 1 MiB");
    }
    this.windowBytes = windowBytes;
    this.openFiles = requireNonNull(openFiles, "openFiles is null");
  }

  /**
   * A merger as this one, whose merges hand the later half of their row groups left to a thread
   * waiting in {@code helpers}, whenever one waits before an output row group and at least two are
   * left. That thread merges them into a file of its own in the helpers' scratch directory (handing
   * part of them on in turn), and the merge appends its row groups, in row group order, as written,
   * with their column indexes and bloom filters: the output holds the same row groups as a merge by
   * one thread, in the same order, though a handed-over row group may choose its encodings afresh
   * (a dictionary tried anew where the earlier half gave up on one), and its chunks lose the size
   * statistics parquet-java writes for chunks it encodes value by value (its {@code
   * appendColumnChunk} keeps a chunk's statistics, encodings and page indexes, not those). Where
   * the helping thread fails for another reason than an input that cannot be decoded (its scratch
   * file on a full disk, say), the merge merges those row groups itself.
   *
   * @param helpers shared by the merges of a run and the threads that have none left
   */
  public ParquetMerger withHelpers(MergeHelpers helpers) {
    return new ParquetMerger(
        options, windowBytes, openFiles, requireNonNull(helpers, "helpers is null"));
  }

  /**
   * Merges {@code inputs} into {@code output}.
   *
   * @param inputs at least one file, all with the schema key of the first (see {@link
   *     Footer#schemaKey()}); the output takes the first file's schema and the key-value metadata
   *     entries that all inputs share
   * @param listener told of each output row group once, as it is written, from the thread that
   *     wrote it (a helping thread's too): by the time this returns, of every row group of the
   *     output
   * @throws IllegalArgumentException if there are no inputs or their schemas differ
   * @throws InvalidParquetFileException if an input's data cannot be decoded
   * @throws IOException if reading or writing fails; then nothing is published
   */
  public MergeResult merge(List<MergeInput> inputs, OutputFile output, MergeListener listener)
      throws IOException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Cannot merge into " + output.location() + ": no inputs");
    }
    String schemaKey = inputs.get(0).layout().schemaKey();
    for (MergeInput input : inputs) {
      if (!input.layout().schemaKey().equals(schemaKey)) {
        throw new IllegalArgumentException(
            "Cannot merge "
                + input.file().location()
                + " into "
                + output.location()
                + ": its schema differs from the first input's");
      }
    }

    RowGroupPlan plan =
        RowGroupPlan.of(inputs, options.rowGroupRows(), options.rowGroupBytes(), CHUNK_SLACK_BYTES);
    Part part =
        mergeRowGroups(
            inputs,
            plan,
            0,
            plan.size(),
            output,
            new RowGroupProgress(listener, plan.size()),
            helpers,
            () -> false);
    return new MergeResult(
        output.location(),
        plan.size(),
        part.fingerprint(),
        VerbatimChunks.of(part.verbatim()),
        part.handedOver());
  }

  /**
   * What a merge of some of a plan's row groups wrote.
   *
   * @param fingerprint the rows of those row groups, each bound to its index in the plan
   * @param verbatim per row group, the columns whose chunk went verbatim
   * @param handedOver how many of the row groups another thread merged (see {@link MergeHelpers})
   */
  private record Part(RowFingerprint fingerprint, List<BitSet> verbatim, int handedOver) {}

  /**
   * Merges row groups {@code from} to {@code to} (exclusive) of {@code plan} into {@code output},
   * which holds those row groups alone, in order. With {@code helpers}, whenever a thread waits
   * there before a row group and at least two are left, hands it the later half of those left, and
   * appends what each such thread wrote, in row group order, before the footer; a thread handed row
   * groups may hand part of them on in turn.
   */
  private Part mergeRowGroups(
      List<MergeInput> inputs,
      RowGroupPlan plan,
      int from,
      int to,
      OutputFile output,
      RowGroupProgress progress,
      MergeHelpers helpers,
      BooleanSupplier cancelled)
      throws IOException {
    ParquetProperties properties = options.parquetProperties();
    ParquetProperties plainProperties = options.parquetProperties(false);
    ParquetOutputFile parquetOutput = new ParquetOutputFile(output);
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    CompressionCodecFactory decompressors = ParquetRuntime.newCodecFactory();
    Map<Integer, OpenInput> open = new HashMap<>();
    PageBuffer pageBuffer = new PageBuffer();
    MergeMemory memory = MergeMemory.take();
    ColumnCopier.RowHashes rowHashes = memory.rowHashes;
    DictionaryMerge.Buffers dictionaryBuffers = memory.dictionaryBuffers;
    PageArrays pageArrays = memory.pageArrays;
    boolean finished = false;
    // in row group order: each handover takes row groups just before the one handed over before
    List<HandedOver> handedOver = new ArrayList<>();
    ExecutorService opener =
        Executors.newFixedThreadPool(OPEN_THREADS, DaemonThreads.named("baler-open-input"));
    // each opening thread reads the files it opens whole into one array (see openAll)
    ThreadLocal<WindowedStream.Scratch> scratch =
        ThreadLocal.withInitial(WindowedStream.Scratch::new);
    try {
      FooterReading footers = new FooterReading(new FooterLayouts(), options.codec().parquetName());
      // The first input, read before the arena is sized, keeps its window in an array of its own.
      // The whole file's first input, as the output takes its schema (and a plan of no row groups,
      // every row skipped, still writes an empty file); a handed-over part's, its first slice's.
      int firstInput = from == 0 ? 0 : plan.slices(from).get(0).input();
      OpenInput first =
          OpenInput.open(
              inputs.get(firstInput),
              footers,
              inputs.get(firstInput).layout().length() <= WHOLE_FILE_BYTES,
              false,
              Integer.MAX_VALUE,
              null,
              null,
              openFiles,
              null);
      open.put(firstInput, first);
      MessageType schema = first.schema;
      double[] columnShares = first.columnShares();
      // Where a row group's inputs take more than the window bytes, its columns go in groups.
      List<int[]> groupEndsOf = new ArrayList<>();
      for (int i = 0; i < plan.size(); i++) {
        groupEndsOf.add(columnGroups(columnShares, plan.inputBytes(i)));
      }
      WindowArena arena =
          new WindowArena(arenaBytes(plan, from, to, groupEndsOf, columnShares), memory);
      Map<String, String> sharedMetadata = new LinkedHashMap<>(first.takeKeyValueMetadata());
      BytesInputCompressor compressor = codecs.getCompressor(options.codec().parquetName());
      PageCoalescer coalescer =
          new PageCoalescer(compressor, options.pageBytes(), options.smallPageBytes());
      ParquetFileWriter writer =
          new ParquetFileWriter(
              parquetOutput,
              schema,
              ParquetFileWriter.Mode.OVERWRITE,
              options.rowGroupBytes(),
              0,
              null,
              properties);
      writer.start();
      List<ColumnDescriptor> columns = schema.getColumns();
      List<MessageType> columnSchemas = new ArrayList<>();
      for (ColumnDescriptor column : columns) {
        columnSchemas.add(schemaOfColumn(schema, column));
      }
      // Plain numbers and strings are tried with a dictionary until, in a row group, they repeat
      // too little; numbers that can be neither carried nor merged, the same
      // (DictionaryMerge.encodeMixed).
      boolean[] tryDictionary = new boolean[columns.size()];
      boolean[] tryMixed = new boolean[columns.size()];
      for (int column = 0; column < columns.size(); column++) {
        ColumnDescriptor descriptor = columns.get(column);
        boolean numbers = DictionaryMerge.mayEncodeNumbers(descriptor);
        boolean strings =
            options.stringDictionaries() && DictionaryMerge.mayEncodeStrings(descriptor);
        tryDictionary[column] = options.dictionaryEncoding() && (numbers || strings);
        tryMixed[column] = options.dictionaryEncoding() && numbers;
      }
      RowFingerprint fingerprint = RowFingerprint.EMPTY;
      List<BitSet> verbatim = new ArrayList<>(to - from);
      int sliceOrdinal = 0;
      for (int rowGroupIndex = 0; rowGroupIndex < from; rowGroupIndex++) {
        sliceOrdinal += plan.slices(rowGroupIndex).size();
      }
      int end = to;
      int rowGroupIndex = from;
      int handedOverRowGroups = 0;
      while (rowGroupIndex < to) {
        if (cancelled.getAsBoolean()) {
          throw new InterruptedIOException(
              "Merging row groups "
                  + from
                  + " to "
                  + to
                  + " of "
                  + output.location()
                  + " was cancelled: the merge that handed them over failed");
        }
        if (rowGroupIndex == end) {
          // Row groups handed over come next, those of the first thread's from here.
          HandedOver tail = handedOver.remove(0);
          try {
            Optional<Part> part = tail.await();
            if (part.isEmpty()) {
              // The thread could not merge them (its scratch file failed, say): they are merged
              // here.
              end = tail.to;
              continue;
            }
            keepShared(sharedMetadata, RowGroupAppender.append(writer, schema, tail.file()));
            fingerprint = fingerprint.plus(part.get().fingerprint());
            verbatim.addAll(part.get().verbatim());
            handedOverRowGroups += tail.to - tail.from;
            for (int skipped = tail.from; skipped < tail.to; skipped++) {
              sliceOrdinal += plan.slices(skipped).size();
            }
            rowGroupIndex = tail.to;
            end = tail.to;
          } finally {
            tail.release();
          }
          continue;
        }
        if (helpers != null && end - rowGroupIndex >= 2 && helpers.anyWaiting()) {
          int split = rowGroupIndex + (end - rowGroupIndex + 1) / 2;
          long tailBytes = 0;
          for (int later = split; later < end; later++) {
            tailBytes += plan.inputBytes(later);
          }
          HandedOver tail = new HandedOver(inputs, plan, split, end, progress, cancelled);
          if (helpers.worthHandingOver(tailBytes) && helpers.handOver(tail)) {
            handedOver.add(0, tail);
            end = split;
          }
        }
        List<Slice> rowGroup = plan.slices(rowGroupIndex);
        if (rowGroupIndex > from) {
          // The inputs still open from the last row group keep their windows (whole files) in
          // arrays of their own; the rest of the arena is free for this row group's windows.
          for (OpenInput held : open.values()) {
            held.stream.detach();
          }
          arena.reset();
        }
        List<OpenInput> sources = new ArrayList<>();
        long loadedBytes = 0;
        int rows = 0;
        for (Slice slice : rowGroup) {
          rows += slice.keptRows();
        }
        int[] groupEnds = groupEndsOf.get(rowGroupIndex);
        boolean byGroups = groupEnds.length > 1;
        Set<Integer> rowGroupInputs = inputsOf(rowGroup);
        long heldBytes = 0; // whole files of inputs open already, read in an earlier row group
        if (!byGroups) {
          for (int input : rowGroupInputs) {
            OpenInput held = open.get(input);
            heldBytes += held == null ? 0 : held.stream.windowBytes();
          }
        }
        for (OpenInput opened :
            openAll(
                rowGroup,
                inputs,
                open,
                footers,
                first,
                opener,
                scratch,
                arena,
                byGroups ? Long.MAX_VALUE : windowBytes - heldBytes,
                byGroups ? groupEnds[0] : Integer.MAX_VALUE)) {
          keepShared(sharedMetadata, opened.takeKeyValueMetadata());
        }
        for (Slice slice : rowGroup) {
          sources.add(open.get(slice.input()));
        }
        if (!byGroups) {
          // windows held already: the files read whole as they opened
          for (int input : rowGroupInputs) {
            loadedBytes += open.get(input).stream.windowBytes();
          }
          for (int i = 0; i < rowGroup.size(); i++) {
            loadedBytes +=
                sources.get(i).loadRowGroup(rowGroup.get(i).rowGroup(), windowBytes - loadedBytes);
          }
        }
        ColumnCopier.RowHashes hashes = rowHashes.reset(rows);
        BitSet verbatimColumns = new BitSet();
        verbatim.add(verbatimColumns);
        Map<String, ColumnBloomFilter> bloomFilters = new LinkedHashMap<>();
        writer.startBlock(rows);
        int group = 0;
        for (int column = 0; column < columns.size(); column++) {
          if (byGroups && (column == 0 || column == groupEnds[group - 1])) {
            loadColumnGroup(rowGroup, open, arena, column, groupEnds[group], group > 0);
            group++;
          }
          ColumnDescriptor descriptor = columns.get(column);
          ColumnBloomFilter bloomFilter = newBloomFilter(descriptor);
          if (bloomFilter != null) {
            bloomFilters.put(String.join(".", descriptor.getPath()), bloomFilter);
          }
          // Numbers and strings that repeat get a dictionary (encodePlain); plain chunks are
          // carried; dictionary-encoded ones merged (read); numbers of both kinds encoded
          // (encodeMixed).
          boolean carryable = mayCarry(sources, rowGroup, column);
          Optional<DictionaryMerge> encoded = Optional.empty();
          if (carryable && tryDictionary[column]) {
            long values = columnValues(sources, rowGroup, column);
            encoded =
                readDictionary(
                    sources,
                    rowGroup,
                    descriptor,
                    column,
                    decompressors,
                    pageArrays,
                    stores ->
                        DictionaryMerge.encodePlain(
                            descriptor, stores, values, options.pageBytes(), dictionaryBuffers));
            // Its values repeat too little: its pages are carried, here and from now on.
            tryDictionary[column] = encoded.isPresent();
          }
          if (encoded.isEmpty() && carryable) {
            // Checked as read where the last row group's chunk went verbatim, as this one's
            // likely will: where pages are joined instead, the check would be work thrown away.
            Optional<List<CarriedChunk>> carried =
                readCarried(
                    sources,
                    rowGroup,
                    descriptor,
                    column,
                    decompressors,
                    pageBuffer,
                    rowGroupIndex > from && verbatim.get(rowGroupIndex - from - 1).get(column));
            if (carried.isPresent()) {
              boolean copied =
                  carry(
                      writer,
                      descriptor,
                      column,
                      sources,
                      rowGroup,
                      carried.get(),
                      hashes,
                      bloomFilter,
                      decompressors,
                      pageBuffer,
                      coalescer,
                      output);
              if (copied) {
                verbatimColumns.set(column);
              }
              continue;
            }
          }
          boolean dictionary =
              options.dictionaryEncoding() && worthADictionary(sources, rowGroup, column);
          if (encoded.isEmpty() && dictionary && mayMergeDictionaries(sources, rowGroup, column)) {
            // Where the merge fails, the column is re-encoded value by value below.
            encoded =
                readDictionary(
                    sources,
                    rowGroup,
                    descriptor,
                    column,
                    decompressors,
                    pageArrays,
                    stores ->
                        DictionaryMerge.read(
                            descriptor, stores, options.pageBytes(), dictionaryBuffers));
          } else if (encoded.isEmpty()
              && tryMixed[column]
              && !carryable
              && everyChunkWhole(
                  sources, rowGroup, column, (chunks, inputRowGroup, inputColumn) -> true)) {
            // Not tried where the chunks could be carried or merged and were not: encodeMixed
            // takes them with tighter limits. Where it fails (its values repeat too little, or a
            // page does not allow it) the column goes value by value, here and from now on.
            long values = columnValues(sources, rowGroup, column);
            encoded =
                readDictionary(
                    sources,
                    rowGroup,
                    descriptor,
                    column,
                    decompressors,
                    pageArrays,
                    stores ->
                        DictionaryMerge.encodeMixed(
                            descriptor, stores, values, options.pageBytes(), dictionaryBuffers));
            tryMixed[column] = encoded.isPresent();
          }
          if (encoded.isPresent()) {
            writeDictionaryEncoded(
                encoded.get(), writer, compressor, hashes, column, bloomFilter, rows, output);
            continue;
          }
          MessageType columnSchema = columnSchemas.get(column);
          ColumnChunkPageWriteStore pages =
              new ColumnChunkPageWriteStore(
                  compressor,
                  columnSchema,
                  properties.getAllocator(),
                  properties.getColumnIndexTruncateLength(),
                  properties.getPageWriteChecksumEnabled());
          ParquetProperties columnProperties = dictionary ? properties : plainProperties;
          ColumnWriteStore store = columnProperties.newColumnWriteStore(columnSchema, pages);
          ColumnCopier.ColumnSink sink =
              new ColumnCopier.ColumnSink(store, store.getColumnWriter(descriptor));
          int row = 0;
          for (int i = 0; i < rowGroup.size(); i++) {
            Slice slice = rowGroup.get(i);
            OpenInput source = sources.get(i);
            BitSet skip = source.input.skipRows().orElse(null);
            // one input's pages decompressed at a time
            PageReadStore chunkPages =
                source.readColumn(slice.rowGroup(), column, descriptor, decompressors, null);
            try {
              int chunkRows =
                  ColumnCopier.walk(
                      ColumnCopier.columnReader(chunkPages, source.createdBy, descriptor),
                      descriptor,
                      column,
                      skip,
                      slice.firstRow(),
                      sink,
                      hashes,
                      bloomFilter,
                      row,
                      chunkPages.getRowCount());
              checkChunkRows(chunkRows, slice);
              row += chunkRows;
            } catch (RuntimeException e) {
              throw cannotDecode(source, descriptor, e);
            }
          }
          checkRows(descriptor, row, rows, output);
          sink.finish();
          pages.flushToFileWriter(writer);
          store.close();
        }
        // The writer keeps a row group's filters and writes them all before the footer.
        for (Map.Entry<String, ColumnBloomFilter> bloomFilter : bloomFilters.entrySet()) {
          writer.addBloomFilter(bloomFilter.getKey(), bloomFilter.getValue().build());
        }
        writer.endBlock();
        fingerprint = fingerprint.plus(hashes.fingerprint(rowGroupIndex));
        for (OpenInput source : sources) {
          source.stream.dropWindow();
        }
        for (Slice slice : rowGroup) {
          if (plan.lastSliceOf(slice.input()) == sliceOrdinal) {
            open.remove(slice.input()).close();
          }
          sliceOrdinal++;
        }
        progress.written(rowGroupIndex, rows, plan.inputBytes(rowGroupIndex));
        rowGroupIndex++;
      }
      writer.end(sharedMetadata);
      finished = true;
      return new Part(fingerprint, verbatim, handedOverRowGroups);
    } catch (IOException | RuntimeException | Error e) {
      parquetOutput.stream().ifPresent(stream -> abortQuietly(stream, e));
      throw e;
    } finally {
      for (HandedOver tail : handedOver) {
        tail.release();
      }
      opener.shutdownNow();
      try {
        closeAll(open.values());
      } finally {
        codecs.release();
        decompressors.release();
        if (finished) {
          memory.giveBack(); // a failed merge's memory is left to the collector, not reused
        }
      }
    }
  }

  /**
   * Opens the inputs of an output row group that are not open yet, {@value #OPEN_THREADS} at a
   * time, and adds them to {@code open}: opening reads a footer, and one read after another would
   * leave a bin waiting on the store most of the time. Inputs already open stay as they are. A file
   * of at most {@value #WHOLE_FILE_BYTES} bytes is read whole as it opens, while the files read
   * whole add up to at most {@code wholeFileBudget} bytes: its footer and its data then cost one
   * read (on S3 one GET) rather than two.
   *
   * @param scratch each of {@code opener}'s threads' array to read files whole into
   * @param keptColumns what the window of a file read whole keeps: the chunks of the columns before
   *     this one; when that is fewer than all, the file stays open for the rest
   * @return the inputs opened by this call, in the row group's order
   * @throws IOException the first failure in the row group's order, once every open has ended; the
   *     inputs that did open are in {@code open}, to be closed with the rest
   */
  private List<OpenInput> openAll(
      List<Slice> rowGroup,
      List<MergeInput> inputs,
      Map<Integer, OpenInput> open,
      FooterReading footers,
      OpenInput first,
      ExecutorService opener,
      ThreadLocal<WindowedStream.Scratch> scratch,
      WindowArena arena,
      long wholeFileBudget,
      int keptColumns)
      throws IOException {
    Map<Integer, Future<OpenInput>> opening = new LinkedHashMap<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    boolean keepOpen = keptColumns < first.columns.size();
    long wholeFileBytes = 0;
    for (Slice slice : rowGroup) {
      if (!open.containsKey(slice.input()) && !opening.containsKey(slice.input())) {
        MergeInput input = inputs.get(slice.input());
        long length = input.layout().length();
        boolean whole = length <= WHOLE_FILE_BYTES && wholeFileBytes + length <= wholeFileBudget;
        if (whole) {
          wholeFileBytes += length;
        }
        opening.put(
            slice.input(),
            opener.submit(
                () ->
                    abandoned.get()
                        ? null
                        : OpenInput.open(
                            input,
                            footers,
                            whole,
                            keepOpen,
                            keptColumns,
                            first,
                            arena,
                            openFiles,
                            scratch.get())));
      }
    }
    List<OpenInput> opened = new ArrayList<>();
    Throwable failure = null;
    boolean interrupted = false;
    for (var entry : opening.entrySet()) {
      Future<OpenInput> future = entry.getValue();
      while (true) {
        try {
          OpenInput input = future.get();
          if (input != null) {
            open.put(entry.getKey(), input);
            opened.add(input);
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          }
        } catch (InterruptedException e) {
          // Opens not started yet are abandoned; those under way end, and go into open to be
          // closed with the rest, so that none keeps its file, or its room in the open file budget.
          // (Cancelling would drop the result of an open under way, and with it its file.)
          interrupted = true;
          abandoned.set(true);
          continue;
        }
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while opening inputs");
    }
    if (failure != null) {
      throw Failures.asIoException(failure, "Cannot open the inputs of an output row group");
    }
    return opened;
  }

  /**
   * The bytes a row group's windows can take at most, for the row group of {@code from} to {@code
   * to} (exclusive) that has the most, up to the window bytes: its inputs' column data, all their
   * row groups (as the files read whole keep it) and a little slack; of one merged in column
   * groups, the largest group's share of its input bytes, and the slack. An output row group of the
   * reference data set's 2,000-row files needs 7 MB; one of 200-row files, 8.2 MB, in groups of at
   * most 4 MiB on local disk.
   */
  private int arenaBytes(
      RowGroupPlan plan, int from, int to, List<int[]> groupEndsOf, double[] columnShares) {
    long most = 0;
    for (int i = from; i < to; i++) {
      int[] groupEnds = groupEndsOf.get(i);
      long inputBytes = plan.inputBytes(i);
      long bytes = 0;
      if (groupEnds.length == 1) {
        bytes = plan.fileBytes(i);
      } else {
        int start = 0;
        for (int end : groupEnds) {
          double share = 0;
          for (int column = start; column < end; column++) {
            share += columnShares[column];
          }
          bytes = Math.max(bytes, (long) (share * inputBytes));
          start = end;
        }
        bytes += (long) plan.inputs(i) * CHUNK_SLACK_BYTES;
      }
      most = Math.max(most, bytes);
    }
    return (int) Math.min(windowBytes, most);
  }

  /**
   * Where the column groups of an output row group end, as exclusive column indexes, the last being
   * the column count: one group when its inputs take at most the window bytes; else the fewest
   * groups of at most the window bytes each (a column that takes more makes a group of its own),
   * cut so that the largest holds as small a share of the bytes as that count allows (the columns'
   * shares as in the merge's first input).
   */
  private int[] columnGroups(double[] shares, long inputBytes) {
    if (inputBytes <= windowBytes) {
      return new int[] {shares.length};
    }
    int groups = cutColumns(shares, (double) windowBytes / inputBytes).length;
    // the smallest largest share that cuts the columns into that many groups, within 2^-30
    double low = 0;
    double high = 1;
    for (int i = 0; i < 30; i++) {
      double most = (low + high) / 2;
      if (cutColumns(shares, most).length <= groups) {
        high = most;
      } else {
        low = most;
      }
    }
    return cutColumns(shares, high);
  }

  /**
   * Cuts the columns into groups in order, each taking columns while their shares add up to at most
   * {@code most} (and at least one), and returns where each ends.
   */
  private static int[] cutColumns(double[] shares, double most) {
    List<Integer> ends = new ArrayList<>();
    double sum = 0;
    for (int column = 0; column < shares.length; column++) {
      if (column > 0 && sum + shares[column] > most + 1e-9) {
        ends.add(column);
        sum = 0;
      }
      sum += shares[column];
    }
    ends.add(shares.length);
    return ends.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Makes the windows of a row group merged in column groups hold the chunks of one group, columns
   * {@code firstColumn} to {@code endColumn} (exclusive): one read per input. Before a group that
   * follows another, the windows of the last are let go and the arena made free.
   */
  private static void loadColumnGroup(
      List<Slice> rowGroup,
      Map<Integer, OpenInput> open,
      WindowArena arena,
      int firstColumn,
      int endColumn,
      boolean releaseLast)
      throws IOException {
    Map<Integer, List<Integer>> rowGroupsOfInput = new LinkedHashMap<>();
    for (Slice slice : rowGroup) {
      rowGroupsOfInput
          .computeIfAbsent(slice.input(), input -> new ArrayList<>())
          .add(slice.rowGroup());
    }
    if (releaseLast) {
      for (int input : rowGroupsOfInput.keySet()) {
        open.get(input).stream.releaseArena();
      }
      arena.reset();
    }
    for (var entry : rowGroupsOfInput.entrySet()) {
      open.get(entry.getKey()).loadColumns(entry.getValue(), firstColumn, endColumn);
    }
  }

  /** The inputs of a row group's slices, each once, in order. */
  private static Set<Integer> inputsOf(List<Slice> rowGroup) {
    Set<Integer> inputs = new LinkedHashSet<>();
    for (Slice slice : rowGroup) {
      inputs.add(slice.input());
    }
    return inputs;
  }

  /**
   * Whether every input chunk of an output column chunk may be carried over, as far as their
   * metadata tells: see {@link CarriedChunk}.
   */
  private boolean mayCarry(List<OpenInput> sources, List<Slice> rowGroup, int column) {
    return everyChunkWhole(sources, rowGroup, column, InputChunks::carryCandidate);
  }

  /**
   * Whether the dictionaries of an output column chunk's input chunks may be merged, as far as
   * their metadata tells: see {@link DictionaryMerge}.
   */
  private boolean mayMergeDictionaries(List<OpenInput> sources, List<Slice> rowGroup, int column) {
    return everyChunkWhole(sources, rowGroup, column, InputChunks::mergeCandidate);
  }

  /**
   * Whether pages are carried over or dictionaries merged at all, and every input chunk of the
   * column has none of its rows left out and passes {@code test}.
   */
  private boolean everyChunkWhole(
      List<OpenInput> sources, List<Slice> rowGroup, int column, ChunkTest test) {
    return switch (options.pages()) {
      case REENCODE -> false;
      case CARRY_OVER -> {
        for (int i = 0; i < rowGroup.size(); i++) {
          Slice slice = rowGroup.get(i);
          OpenInput source = sources.get(i);
          if (slice.keptRows() != source.rows(slice.rowGroup())
              || !test.test(source.chunks, slice.rowGroup(), column)) {
            yield false;
          }
        }
        yield true;
      }
    };
  }

  /** A test of one input column chunk's metadata. */
  @FunctionalInterface
  private interface ChunkTest {
    boolean test(InputChunks chunks, int rowGroup, int column);
  }

  /**
   * Reads one column of every slice into a dictionary-encoded chunk by {@code read} (a merge of the
   * inputs' dictionaries, or a dictionary of plain values). Empty when {@code read} says no, and
   * also when the data cannot be decoded: the path the column takes next meets it again and names
   * the input, which its bin then leaves out, rather than failing the bin. The inputs' pages are
   * decompressed into {@code arrays}: {@code read} must be done with each input's pages before it
   * takes the next input's, as {@link DictionaryMerge}'s readers are.
   *
   * @throws IOException if an input cannot be read
   */
  private static Optional<DictionaryMerge> readDictionary(
      List<OpenInput> sources,
      List<Slice> rowGroup,
      ColumnDescriptor descriptor,
      int column,
      CompressionCodecFactory decompressors,
      PageArrays arrays,
      Function<List<PageReadStore>, Optional<DictionaryMerge>> read)
      throws IOException {
    try {
      return read.apply(readColumn(sources, rowGroup, descriptor, column, decompressors, arrays));
    } catch (ColumnReadFailure e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The values, nulls included, of one column of every slice, from the inputs' footers. */
  private static long columnValues(List<OpenInput> sources, List<Slice> rowGroup, int column) {
    long values = 0;
    for (int i = 0; i < rowGroup.size(); i++) {
      values += sources.get(i).chunks.values(rowGroup.get(i).rowGroup(), column);
    }
    return values;
  }

  /**
   * Hashes a dictionary-encoded column's rows, feeds {@code bloomFilter} (if not null) its entries,
   * and writes it.
   */
  private static void writeDictionaryEncoded(
      DictionaryMerge encoded,
      ParquetFileWriter writer,
      BytesInputCompressor compressor,
      ColumnCopier.RowHashes hashes,
      int column,
      ColumnBloomFilter bloomFilter,
      int rows,
      OutputFile output)
      throws IOException {
    checkRows(encoded.descriptor(), encoded.hash(hashes, column), rows, output);
    if (bloomFilter != null) {
      encoded.addEntriesTo(bloomFilter);
    }
    encoded.write(writer, compressor);
  }

  /**
   * One column of every slice, each input's chunk read from the bytes the input holds as the list
   * reaches it, so that one input's pages are decompressed at a time, into {@code arrays}: an
   * input's pages are valid until the list reaches the next. A read that fails throws {@link
   * ColumnReadFailure}, to be unwrapped by the caller.
   */
  private static List<PageReadStore> readColumn(
      List<OpenInput> sources,
      List<Slice> rowGroup,
      ColumnDescriptor descriptor,
      int column,
      CompressionCodecFactory decompressors,
      PageArrays arrays) {
    return new AbstractList<>() {
      @Override
      public PageReadStore get(int i) {
        try {
          return sources
              .get(i)
              .readColumn(rowGroup.get(i).rowGroup(), column, descriptor, decompressors, arrays);
        } catch (IOException e) {
          throw new ColumnReadFailure(e);
        }
      }

      @Override
      public int size() {
        return rowGroup.size();
      }
    };
  }

  /** An input chunk's read failure, carried through code that takes a list of stores. */
  private static final class ColumnReadFailure extends RuntimeException {
    ColumnReadFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  /**
   * The pages of one column of every slice, or empty if one of them cannot be carried over; with
   * {@code checkAsRead}, pages decompressed as they are read are checked too, for a chunk likely to
   * be carried verbatim ({@link CarriedChunk#read}).
   */
  private static Optional<List<CarriedChunk>> readCarried(
      List<OpenInput> sources,
      List<Slice> rowGroup,
      ColumnDescriptor descriptor,
      int column,
      CompressionCodecFactory decompressors,
      PageBuffer pageBuffer,
      boolean checkAsRead)
      throws IOException {
    List<CarriedChunk> chunks = new ArrayList<>();
    // the pages of a repeated column are decompressed as they are read, to count their rows, and
    // checked while they are: a chunk carried verbatim is then not decompressed again
    ColumnHasher checker =
        checkAsRead && descriptor.getMaxRepetitionLevel() > 0
            ? ColumnHasher.forChunk(descriptor, column, null, pageBuffer)
            : null;
    for (int i = 0; i < rowGroup.size(); i++) {
      Optional<CarriedChunk> chunk =
          sources
              .get(i)
              .readCarried(
                  rowGroup.get(i).rowGroup(),
                  column,
                  descriptor,
                  decompressors,
                  pageBuffer,
                  checker);
      if (chunk.isEmpty()) {
        return Optional.empty();
      }
      chunks.add(chunk.get());
    }
    return Optional.of(chunks);
  }

  /**
   * A bloom filter for the output chunk of {@code descriptor}, or null if none is asked for it or
   * its type has none (BOOLEAN).
   */
  private ColumnBloomFilter newBloomFilter(ColumnDescriptor descriptor) {
    if (!options.bloomFilterColumns().contains(String.join(".", descriptor.getPath()))
        || !ParquetSchemas.mayHaveBloomFilter(descriptor.getPrimitiveType())) {
      return null;
    }
    return new ColumnBloomFilter(options.bloomFilterFpp(), WriteOptions.MAX_BLOOM_FILTER_BYTES);
  }

  /**
   * Writes the pages of carried chunks as they are, or joined where they are small ({@link
   * PageCoalescer}). Pages written as they are, of a column without a bloom filter, are checked
   * ({@link CarriedChunk#check}) and digested by their bytes into the row group's fingerprint
   * ({@link ColumnCopier.RowHashes#addVerbatim}), which the read-back compares with its digest of
   * the output chunk's pages; otherwise the chunks' values are hashed into their rows, and fed to
   * {@code bloomFilter} if it is not null.
   *
   * @return whether the output chunk was written verbatim and digested by its bytes
   */
  private boolean carry(
      ParquetFileWriter writer,
      ColumnDescriptor descriptor,
      int column,
      List<OpenInput> sources,
      List<Slice> rowGroup,
      List<CarriedChunk> chunks,
      ColumnCopier.RowHashes hashes,
      ColumnBloomFilter bloomFilter,
      CompressionCodecFactory decompressors,
      PageBuffer pageBuffer,
      PageCoalescer coalescer,
      OutputFile output)
      throws IOException {
    int row = 0;
    List<Statistics<?>> statistics = new ArrayList<>();
    ColumnHasher checker = ColumnHasher.forChunk(descriptor, column, null, pageBuffer);
    boolean verbatim = bloomFilter == null && !coalescer.applies(descriptor, chunks);
    for (CarriedChunk chunk : chunks) {
      verbatim &= chunk.checkableBy(checker);
    }
    PageDigest digest = verbatim ? new PageDigest(descriptor, options.codec().parquetName()) : null;
    for (int i = 0; i < rowGroup.size(); i++) {
      OpenInput source = sources.get(i);
      CarriedChunk chunk = chunks.get(i);
      int inputRowGroup = rowGroup.get(i).rowGroup();
      int chunkRows;
      try {
        if (verbatim) {
          chunkRows =
              chunk.check(
                  checker,
                  decompressors.getDecompressor(source.chunks.codec(inputRowGroup, column)),
                  pageBuffer,
                  digest);
        } else {
          chunkRows =
              ChunkPages.hash(
                  source.createdBy,
                  descriptor,
                  column,
                  chunk.stored(),
                  chunk.start(),
                  chunk.size(),
                  chunk.values(),
                  chunk.rows(),
                  decompressors.getDecompressor(source.chunks.codec(inputRowGroup, column)),
                  pageBuffer,
                  hashes,
                  bloomFilter,
                  row);
        }
        checkChunkRows(chunkRows, rowGroup.get(i));
      } catch (RuntimeException e) {
        throw cannotDecode(source, descriptor, e);
      }
      row += chunkRows;
      statistics.add(
          source.chunks.statistics(inputRowGroup, column, descriptor.getPrimitiveType()));
    }
    checkRows(descriptor, row, hashes.rows(), output);
    if (verbatim) {
      hashes.addVerbatim(column, digest);
    }
    CarriedChunk.write(
        writer,
        descriptor,
        options.codec().parquetName(),
        chunks,
        statistics,
        coalescer,
        decompressors.getDecompressor(options.codec().parquetName()));
    return verbatim;
  }

  private static InvalidParquetFileException cannotDecode(
      OpenInput source, ColumnDescriptor descriptor, RuntimeException e) {
    return new InvalidParquetFileException(
        source.input.file().location(),
        "cannot decode column " + CarriedChunk.pathOf(descriptor) + " (" + e + ")",
        e);
  }

  /**
   * Checks that an input column chunk gave the rows its slice keeps: with one row too many in one
   * input's chunk and one too few in the next's, the output chunk's total would agree with its row
   * group while every row between them paired values of different input rows.
   *
   * @throws IllegalStateException if not
   */
  private static void checkChunkRows(int chunkRows, Slice slice) {
    if (chunkRows != slice.keptRows()) {
      throw new IllegalStateException(
          "the column chunk holds "
              + chunkRows
              + " rows where its row group keeps "
              + slice.keptRows());
    }
  }

  private static void checkRows(
      ColumnDescriptor descriptor, int rows, int expected, OutputFile output) {
    if (rows != expected) {
      throw new IllegalStateException(
          "Column "
              + CarriedChunk.pathOf(descriptor)
              + " of "
              + output.location()
              + " has "
              + rows
              + " rows, expected "
              + expected);
    }
  }

  /** A read of row group data, which may fail as parquet-java's reads do. */
  @FunctionalInterface
  private interface RowGroupRead<T> {
    T run() throws IOException;
  }

  /**
   * Keeps of {@code shared} the key-value pairs that {@code other} holds too: the same key with an
   * equal value, where two pairs without a value (Thrift's value is optional) are equal.
   */
  private static void keepShared(Map<String, String> shared, Map<String, String> other) {
    shared
        .entrySet()
        .removeIf(
            entry ->
                !other.containsKey(entry.getKey())
                    || !Objects.equals(entry.getValue(), other.get(entry.getKey())));
  }

  /**
   * How a merge reads its inputs' footers: the codec its output is written in, which decides which
   * chunks may be carried over, and one cache of the schemas its inputs' footers hold, shared by
   * its opening threads.
   */
  private record FooterReading(FooterLayouts layouts, CompressionCodecName outputCodec) {
    /** {@link FooterLayouts#readInput} of a file held whole. */
    Optional<InputFooter> walk(byte[] file, int length) {
      return layouts.readInput(file, length, outputCodec);
    }
  }

  /** Bytes read after a column chunk's end when a page runs past it; see OpenInput.readColumn. */
  private static final int CHUNK_SLACK_BYTES = 256;

  /** The largest input file read whole as it opens; see {@link #openAll}. */
  static final long WHOLE_FILE_BYTES = 1 << 20;

  /** Inputs of an output row group opened at once; see {@link #openAll}. */
  static final int OPEN_THREADS = 8;

  /** The most bytes of column indexes read from one input file at once. */
  private static final int MAX_COLUMN_INDEX_BYTES = 16 << 20;

  /**
   * An input being read. Its footer is checked against the planned layout as it opens and then let
   * go: the input keeps only what the merge needs of it (a few numbers and flags per column chunk,
   * {@link InputChunks}), so that the hundreds of small inputs of one output row group do not each
   * hold a parsed footer, and its chunks are read from the bytes it holds by {@link ChunkPages}.
   */
  private static final class OpenInput implements AutoCloseable {
    final MergeInput input;

    /** The schema: the first input's, shared by the rest, whose schemas equal it. */
    final MessageType schema;

    /**
     * The schema's leaf columns, the first input's too, and the schema's key ({@link
     * ParquetSchemas#key}), as its footer gave them: made from a schema anew on each call, they
     * were 2% of the CPU samples of a compaction of 20,000 files.
     */
    private final List<ColumnDescriptor> columns;

    private final String schemaKey;

    final String createdBy;
    private final long length;

    /** The file's layout, the planned one, which its footer was checked to give. */
    private final FileLayout layout;

    final InputChunks chunks;
    private final WindowedStream stream;

    /** The budget this input took room for an open file in, or null. */
    private final OpenFileBudget room;

    /** Whether it closes its file after each read, having found no room to keep it open. */
    private final boolean park;

    private Map<String, String> keyValueMetadata;

    /**
     * The span of the file that holds the column indexes of the chunks that may be carried over
     * (start not below end if none has one), and those bytes once read.
     */
    private final long columnIndexesStart;

    private final long columnIndexesEnd;
    private byte[] columnIndexes;

    /**
     * @param footer what the merge keeps of the input's footer
     * @param first the merge's first input, whose schema this one's equals and whose created-by
     *     string it shares when equal (one instance for hundreds of inputs); null for the first
     */
    private OpenInput(
        MergeInput input,
        InputFooter footer,
        OpenInput first,
        WindowedStream stream,
        OpenFileBudget room,
        boolean park) {
      this.input = input;
      this.room = room;
      this.park = park;
      this.schema = first == null ? footer.schema() : first.schema;
      this.columns = first == null ? footer.columns() : first.columns;
      this.schemaKey = footer.layout().schemaKey();
      String writer = footer.createdBy();
      this.createdBy =
          first != null && Objects.equals(writer, first.createdBy) ? first.createdBy : writer;
      this.length = input.layout().length();
      this.stream = stream;
      this.keyValueMetadata = footer.keyValueMetadata();
      this.layout = input.layout();
      this.chunks = footer.chunks();
      int columns = this.columns.size();
      long indexStart = Long.MAX_VALUE;
      long indexEnd = 0;
      for (int block = 0; block < layout.rowGroupCount(); block++) {
        for (int column = 0; column < columns; column++) {
          // only a carried chunk's column index is read (readCarried), and only a candidate is
          // carried: with none, as in files with a dictionary in every chunk, none is kept
          long offset = chunks.columnIndexOffset(block, column);
          if (offset >= 0 && chunks.carryCandidate(block, column)) {
            indexStart = Math.min(indexStart, offset);
            indexEnd = Math.max(indexEnd, offset + chunks.columnIndexLength(block, column));
          }
        }
      }
      this.columnIndexesStart = indexStart;
      this.columnIndexesEnd = indexEnd;
    }

    /**
     * Opens an input and reads its footer.
     *
     * @param footers how the merge reads its inputs' footers
     * @param whole whether to read the whole file into the stream's window first, footer and data
     * @param keepOpen whether a file read whole stays open, for reads of what the window lets go
     * @param keptColumns of a file read whole, the window keeps the chunks of the columns before
     *     this one (all, if it is the column count or more)
     * @param first the merge's first input, whose schema this one's equals and is replaced by; null
     *     when opening the first
     * @param arena where the input's windows are cut from while it has room
     * @param openFiles where an input that keeps its file open takes room; one that finds none
     *     closes its file after each read and opens it again for the next
     * @param scratch the opening thread's array to read a file whole into, from which its column
     *     data is then moved; null for an array of the file's own
     */
    static OpenInput open(
        MergeInput input,
        FooterReading footers,
        boolean whole,
        boolean keepOpen,
        int keptColumns,
        OpenInput first,
        WindowArena arena,
        OpenFileBudget openFiles,
        WindowedStream.Scratch scratch)
        throws IOException {
      var location = input.file().location();
      OpenFileBudget room = keepOpen && openFiles.tryTake() ? openFiles : null;
      boolean park = keepOpen && room == null;
      // One stream for the footer and every chunk: one open file, and on S3 one response (or one
      // whole-object read) rather than several.
      WindowedStream stream;
      try {
        stream = new WindowedStream(input.file(), arena);
      } catch (IOException | RuntimeException | Error e) {
        giveBack(room);
        throw e;
      }
      try {
        if (whole) {
          try {
            stream.loadWhole(input.layout().length(), keepOpen, scratch);
          } catch (EOFException e) {
            throw new InvalidParquetFileException(
                location, "the file changed since it was planned: it is shorter", e);
          }
        }
        byte[] file = stream.wholeFile();
        Optional<InputFooter> walked =
            file == null
                ? Optional.empty()
                : footers.walk(file, Math.toIntExact(stream.windowBytes()));
        InputFooter footer =
            walked.isPresent()
                ? walked.get()
                : readFooter(input, stream, first, footers.outputCodec());
        if (!footer.layout().equals(input.layout())) {
          throw new InvalidParquetFileException(
              location, "the file changed since it was planned", null);
        }
        OpenInput opened = new OpenInput(input, footer, first, stream, room, park);
        if (whole) {
          opened.keepColumnData(keptColumns);
        }
        opened.fileRead();
        return opened;
      } catch (RuntimeException e) {
        InvalidParquetFileException invalid =
            new InvalidParquetFileException(location, "cannot read its footer (" + e + ")", e);
        closeAfterFailure(stream, room, invalid);
        throw invalid;
      } catch (IOException | Error e) {
        closeAfterFailure(stream, room, e);
        throw e;
      }
    }

    /**
     * Reads an input's footer with parquet-java's reader, from the stream's window or the file:
     * what {@link FooterReading#walk} leaves to it.
     *
     * @throws InvalidParquetFileException if the footer runs past the length planned, or its row
     *     groups' column chunks do not follow its schema's columns
     */
    private static InputFooter readFooter(
        MergeInput input, WindowedStream stream, OpenInput first, CompressionCodecName outputCodec)
        throws IOException {
      var location = input.file().location();
      ParquetMetadata metadata;
      try {
        metadata =
            ParquetFileReader.readFooter(
                new ParquetInputFile(input.file()),
                ParquetRuntime.footerOptions(),
                ParquetInputFile.wrap(stream));
      } catch (EOFException e) {
        // a footer that says it runs past the length planned: rewritten since, longer, as a file
        // read whole (at that length) shows, or damaged
        throw new InvalidParquetFileException(
            location, "the file changed since it was planned, or its footer is damaged", e);
      }
      Footer footer = new Footer(location, input.layout().length(), metadata);
      // a schema equal to the first input's has its key and columns (equal schemas have equal
      // keys; the key leaves out the root's name, which equality counts)
      boolean asFirst = first != null && footer.schema().equals(first.schema);
      List<ColumnDescriptor> columns = asFirst ? first.columns : footer.schema().getColumns();
      for (BlockMetaData block : metadata.getBlocks()) {
        List<ColumnChunkMetaData> chunks = block.getColumns();
        boolean follow = chunks.size() == columns.size();
        for (int i = 0; follow && i < chunks.size(); i++) {
          follow = Arrays.equals(chunks.get(i).getPath().toArray(), columns.get(i).getPath());
        }
        if (!follow) {
          throw new InvalidParquetFileException(
              location, "its column chunks do not follow its schema's columns", null);
        }
      }
      return InputFooter.of(
          footer, columns, asFirst ? first.schemaKey : footer.schemaKey(), outputCodec);
    }

    /** Closes a stream whose input failed to open, and gives its room back, whatever happens. */
    private static void closeAfterFailure(
        WindowedStream stream, OpenFileBudget room, Throwable failure) {
      try {
        stream.close();
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      } finally {
        giveBack(room);
      }
    }

    private static void giveBack(OpenFileBudget room) {
      if (room != null) {
        room.giveBack();
      }
    }

    /** Closes the file after a read if the input found no room to keep it open. */
    private void fileRead() throws IOException {
      if (park) {
        stream.closeFile();
      }
    }

    /**
     * Keeps, of a file read whole, only what the merge reads from now on: its column indexes, in an
     * array of their own, and the chunks of its first {@code keptColumns} columns (and {@value
     * #CHUNK_SLACK_BYTES} bytes after them) in the window, not its footer. With files of a few
     * hundred rows the footer is a tenth of each, and an output row group reads hundreds of them.
     */
    private void keepColumnData(int keptColumns) throws IOException {
      if (columnIndexesStart < columnIndexesEnd) {
        readColumnIndexes();
      }
      long start = Long.MAX_VALUE;
      long end = 0;
      int columns = this.columns.size();
      for (int rowGroup = 0; rowGroup < layout.rowGroupCount(); rowGroup++) {
        for (int column = 0; column < Math.min(keptColumns, columns); column++) {
          start = Math.min(start, chunks.start(rowGroup, column));
          end = Math.max(end, chunks.start(rowGroup, column) + chunks.size(rowGroup, column));
        }
      }
      end = Math.min(length, end + CHUNK_SLACK_BYTES);
      if (start >= end || start < 0) {
        start = 0;
        end = 0;
      }
      stream.keepOnly(start, end);
    }

    /**
     * Each column's share of the input's column chunk bytes, over all its row groups; equal shares
     * if it has none.
     */
    double[] columnShares() {
      double[] shares = new double[columns.size()];
      long total = 0;
      for (int rowGroup = 0; rowGroup < layout.rowGroupCount(); rowGroup++) {
        for (int column = 0; column < shares.length; column++) {
          shares[column] += chunks.size(rowGroup, column);
          total += chunks.size(rowGroup, column);
        }
      }
      for (int column = 0; column < shares.length; column++) {
        shares[column] = total > 0 ? shares[column] / total : 1.0 / shares.length;
      }
      return shares;
    }

    /**
     * Makes the window hold the input's chunks of columns {@code firstColumn} to {@code endColumn}
     * (exclusive) in {@code rowGroups}, with one read of the span from the first to the last, in
     * place of what it held, unless it holds them already.
     */
    void loadColumns(List<Integer> rowGroups, int firstColumn, int endColumn) throws IOException {
      long start = Long.MAX_VALUE;
      long end = 0;
      for (int rowGroup : rowGroups) {
        for (int column = firstColumn; column < endColumn; column++) {
          start = Math.min(start, chunks.start(rowGroup, column));
          end = Math.max(end, chunks.start(rowGroup, column) + chunks.size(rowGroup, column));
        }
      }
      if (start >= end || end > length || stream.covers(start, end)) {
        return;
      }
      stream.dropWindow();
      stream.include(start, end);
      fileRead();
    }

    /** The rows of one of the input's row groups. */
    long rows(int rowGroup) {
      return layout.rowGroupRows(rowGroup);
    }

    /** The file's key-value metadata, once: the merge takes it as the input opens. */
    Map<String, String> takeKeyValueMetadata() {
      Map<String, String> taken = keyValueMetadata;
      keyValueMetadata = null;
      return taken == null ? Map.of() : taken;
    }

    /**
     * Reads one column chunk's pages, decompressed.
     *
     * @param arrays where its pages are decompressed, valid until the next chunk read with them
     *     ({@link PageArrays}); null for arrays of each page's own
     */
    PageReadStore readColumn(
        int rowGroup,
        int column,
        ColumnDescriptor descriptor,
        CompressionCodecFactory decompressors,
        PageArrays arrays)
        throws IOException {
      return corruptAsInvalid(
          rowGroup,
          () -> {
            try {
              return readPages(rowGroup, column, 0, descriptor, decompressors, arrays);
            } catch (ChunkPages.Overrun e) {
              // an old parquet-mr file whose chunk size left the dictionary page's header out, as
              // parquet-java's reader allows: read a little past the chunk and try again
              return readPages(
                  rowGroup, column, CHUNK_SLACK_BYTES, descriptor, decompressors, arrays);
            }
          });
    }

    private PageList readPages(
        int rowGroup,
        int column,
        int slack,
        ColumnDescriptor descriptor,
        CompressionCodecFactory decompressors,
        PageArrays arrays)
        throws IOException {
      Stored stored = stored(rowGroup, column, slack);
      return ChunkPages.read(
          createdBy,
          descriptor,
          stored.bytes(),
          stored.offset(),
          stored.length(),
          chunks.values(rowGroup, column),
          layout.rowGroupRows(rowGroup),
          decompressors.getDecompressor(chunks.codec(rowGroup, column)),
          arrays);
    }

    /** {@code length} bytes of an input, from {@code offset} in {@code bytes}. */
    record Stored(byte[] bytes, int offset, int length) {}

    /**
     * A chunk's bytes as stored, and up to {@code slack} bytes after it: in the window when it
     * holds them, which stays valid for the row group, else read from the file.
     */
    private Stored stored(int rowGroup, int column, int slack) throws IOException {
      long start = chunks.start(rowGroup, column);
      long chunkSize = chunks.size(rowGroup, column);
      long end = Math.min(length, start + chunkSize + slack);
      int size = Math.toIntExact(Math.max(chunkSize, end - start));
      byte[] window = stream.windowArray(start, size);
      if (window != null) {
        return new Stored(window, stream.windowOffset(start), size);
      }
      byte[] stored = new byte[size];
      stream.seek(start);
      stream.readFully(stored, 0, size);
      fileRead();
      return new Stored(stored, 0, size);
    }

    /**
     * Runs a read of a row group's data, reporting data that cannot be decoded (not a failing
     * store) as an {@link InvalidParquetFileException} that names the row group: parquet-java
     * reports it as a runtime exception, or as an {@code IOException} from Thrift.
     */
    private <T> T corruptAsInvalid(int rowGroup, RowGroupRead<T> read) throws IOException {
      try {
        return read.run();
      } catch (RuntimeException e) {
        throw new InvalidParquetFileException(
            input.file().location(), "cannot read row group " + rowGroup + " (" + e + ")", e);
      } catch (IOException e) {
        if (!ParquetRuntime.isCorruptData(e)) {
          throw e;
        }
        throw new InvalidParquetFileException(
            input.file().location(), "cannot read row group " + rowGroup + " (" + e + ")", e);
      }
    }

    /**
     * Reads a row group's column chunks into memory with one read, if they take at most {@code
     * budget} bytes, so that the reads of its chunks are served from there.
     *
     * @return the bytes read, 0 if none
     */
    long loadRowGroup(int rowGroup, long budget) throws IOException {
      long start = Long.MAX_VALUE;
      long end = 0;
      for (int column = 0; column < columns.size(); column++) {
        start = Math.min(start, chunks.start(rowGroup, column));
        end = Math.max(end, chunks.start(rowGroup, column) + chunks.size(rowGroup, column));
      }
      if (start >= end || stream.covers(start, end)) {
        return 0;
      }
      if (end - start > budget || end > length) {
        return 0;
      }
      stream.include(start, end);
      fileRead();
      return end - start;
    }

    /**
     * Reads one column chunk as stored, for carrying over; empty if a page cannot be. {@code
     * checker}, if not null, checks the pages decompressed as they are read ({@link
     * CarriedChunk#read}).
     */
    Optional<CarriedChunk> readCarried(
        int rowGroup,
        int column,
        ColumnDescriptor descriptor,
        CompressionCodecFactory decompressors,
        PageBuffer pageBuffer,
        ColumnHasher checker)
        throws IOException {
      Stored stored = stored(rowGroup, column, 0);
      Optional<CarriedChunk> carried =
          corruptAsInvalid(
              rowGroup,
              () ->
                  CarriedChunk.read(
                      createdBy,
                      descriptor,
                      chunks.values(rowGroup, column),
                      stored.bytes(),
                      stored.offset(),
                      stored.length(),
                      decompressors.getDecompressor(chunks.codec(rowGroup, column)),
                      pageBuffer,
                      checker));
      if (carried.isPresent() && carried.get().lacksPageStatistics()) {
        return Optional.of(
            carried
                .get()
                .withIndexStatistics(columnIndex(rowGroup, column, descriptor.getPrimitiveType())));
      }
      return carried;
    }

    /**
     * The chunk's column index, or null if the file has none or it cannot be read. Only page
     * statistics come from it; without it the chunk keeps its exact statistics. The column indexes
     * of the file's chunks that may be carried are read together, once: one read rather than one
     * per chunk, which on S3 is one GET.
     */
    private ColumnIndex columnIndex(int rowGroup, int column, PrimitiveType type)
        throws IOException {
      long offset = chunks.columnIndexOffset(rowGroup, column);
      if (offset < 0) {
        return null;
      }
      if (columnIndexes == null) {
        readColumnIndexes();
      }
      long at = offset - columnIndexesStart;
      int indexLength = chunks.columnIndexLength(rowGroup, column);
      if (at < 0 || at + indexLength > columnIndexes.length) {
        return null;
      }
      try {
        return ParquetMetadataConverter.fromParquetColumnIndex(
            type,
            Util.readColumnIndex(new ByteArrayInputStream(columnIndexes, (int) at, indexLength)));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** Reads the span of the file that holds all its column indexes, at most 16 MiB of it. */
    private void readColumnIndexes() throws IOException {
      long start = columnIndexesStart;
      long end = columnIndexesEnd;
      columnIndexes = new byte[0];
      if (start < end && end - start <= MAX_COLUMN_INDEX_BYTES && end <= length) {
        columnIndexes = new byte[(int) (end - start)];
        stream.seek(start);
        stream.readFully(columnIndexes, 0, columnIndexes.length);
        fileRead();
      }
    }

    @Override
    public void close() throws IOException {
      try {
        stream.close();
      } finally {
        giveBack(room);
      }
    }
  }

  /**
   * Whether an output column chunk should be dictionary-encoded, judged from its input chunks'
   * metadata without reading them. parquet-java's writer would try a dictionary on every column and
   * fall back to plain encoding once it passes a page, having hashed every value; for columns of
   * nearly unique values (trace ids, time stamps, measurements) that is most of the write cost. So:
   * no dictionary when most input values sit in chunks that have none (their writer chose or fell
   * back to plain), or in chunks whose dictionary page holds more than 85% of the chunk's bytes
   * (the values are nearly unique).
   */
  private static boolean worthADictionary(
      List<OpenInput> sources, List<Slice> rowGroup, int column) {
    long dictionaryValues = 0;
    long plainValues = 0;
    for (int i = 0; i < rowGroup.size(); i++) {
      InputChunks chunks = sources.get(i).chunks;
      int inputRowGroup = rowGroup.get(i).rowGroup();
      long values = chunks.values(inputRowGroup, column);
      long dictionaryPage = chunks.dictionaryPageBytes(inputRowGroup, column);
      if (dictionaryPage <= 0 || dictionaryPage > chunks.size(inputRowGroup, column) * 85 / 100) {
        plainValues += values;
      } else {
        dictionaryValues += values;
      }
    }
    return dictionaryValues >= plainValues;
  }

  /**
   * Row groups a merge handed over to a helping thread ({@link MergeHelpers}), which merges them
   * into a file of their own in a temporary directory; the merge appends that file's row groups
   * once it has written its own. The directory goes with whichever of the two needs it last: the
   * merge deletes it after appending, or on failure ({@link #release}) a thread still merging
   * deletes it as it ends.
   */
  private final class HandedOver implements Runnable {
    /**
     * The start of the name of the directory that holds the file, below the helpers' scratch
     * directory: then its process's id ({@link ScratchDirectories}), so that the next run deletes
     * it if the process is killed before it can.
     */
    static final String DIRECTORY_PREFIX = "baler-merge-";

    private static final String PART_FILE = "part.parquet";

    private final List<MergeInput> inputs;
    private final RowGroupPlan plan;
    private final int from;
    private final int to;
    private final RowGroupProgress progress;
    private final CompletableFuture<Part> result = new CompletableFuture<>();

    /** Guarded by this: whether a thread is merging them; the directory, once made. */
    private boolean running;

    private Path directory;

    /** Set once, by {@link #release}; read without the lock by the merge, before each row group. */
    private volatile boolean released;

    /** Whether the merge that handed them over was itself cancelled. */
    private final BooleanSupplier ownerCancelled;

    HandedOver(
        List<MergeInput> inputs,
        RowGroupPlan plan,
        int from,
        int to,
        RowGroupProgress progress,
        BooleanSupplier ownerCancelled) {
      this.ownerCancelled = ownerCancelled;
      this.inputs = inputs;
      this.plan = plan;
      this.from = from;
      this.to = to;
      this.progress = progress;
    }

    @Override
    public void run() {
      Path made = null;
      synchronized (this) {
        if (released) {
          return;
        }
        running = true;
      }
      try {
        made = ScratchDirectories.create(helpers.scratchDirectory(), DIRECTORY_PREFIX);
        synchronized (this) {
          directory = made;
        }
        result.complete(
            mergeRowGroups(
                inputs,
                plan,
                from,
                to,
                RowGroupAppender.scratchFile(made.resolve(PART_FILE)),
                progress,
                helpers,
                // its own release, or its owner's, reaches the ranges it hands on in turn
                () -> released || ownerCancelled.getAsBoolean()));
      } catch (IOException | RuntimeException | Error e) {
        result.completeExceptionally(e);
      } finally {
        synchronized (this) {
          running = false;
          if (released) {
            ScratchDirectories.deleteQuietly(made);
          }
        }
      }
    }

    /**
     * The handed-over row groups' result, once merged; empty if their merge failed for another
     * reason than an input that cannot be decoded, such as its scratch file (a full or read-only
     * disk), an interrupt or a store's error: the merge that handed them over then merges them
     * itself, and meets an input's failure again if it lasts.
     *
     * @throws InvalidParquetFileException if an input of theirs cannot be decoded: it names the
     *     input, which the caller's bin leaves out
     * @throws InterruptedIOException if interrupted while waiting
     */
    Optional<Part> await() throws IOException {
      try {
        return Optional.of(result.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while waiting for row groups handed over");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidParquetFileException invalid) {
          throw invalid;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        if (helpers.firstFailure()) {
          LOG.warn(
              "A helping thread could not merge row groups handed over to it ({}); the merges"
                  + " merge them themselves. Is {} writable, with room to spare?",
              cause.toString(),
              helpers.scratchDirectory());
        }
        LOG.debug(
            "Row groups {} to {} handed over were not merged; merging them here", from, to, cause);
        return Optional.empty();
      }
    }

    /** The file the row groups were merged into, once {@link #await} has returned. */
    synchronized Location file() {
      return Location.local(directory.resolve(PART_FILE));
    }

    /**
     * Lets the row groups go: deletes their file, or, while the helping thread is still merging
     * them (the merge failed before appending), cancels that merge, which stops before its next row
     * group and deletes the file as it ends. Cancelled by a flag, not an interrupt: an interrupt
     * during a read closes a file channel for every thread reading it, such as a staging file's.
     */
    synchronized void release() {
      released = true;
      if (!running) {
        ScratchDirectories.deleteQuietly(directory);
      }
    }
  }

  /**
   * Tells a merge's listener of each row group of its plan once: a range handed over to a helping
   * thread that fails part-way is merged again by the thread that handed it over, and the row
   * groups the helper wrote before failing are not counted twice. Thread-safe.
   */
  private static final class RowGroupProgress {
    private final MergeListener listener;
    private final BitSet reported;

    RowGroupProgress(MergeListener listener, int rowGroups) {
      this.listener = listener;
      this.reported = new BitSet(rowGroups);
    }

    /** Row group {@code index} of the plan was written: tells the listener, the first time. */
    void written(int index, long rows, long inputBytes) {
      synchronized (reported) {
        if (reported.get(index)) {
          return;
        }
        reported.set(index);
      }
      listener.rowGroupWritten(rows, inputBytes);
    }
  }

  /** The schema holding only the path to one leaf column, as parquet-java's page stores need. */
  private static MessageType schemaOfColumn(MessageType schema, ColumnDescriptor column) {
    String[] path = column.getPath();
    Type type = schema.getType(path[0]);
    return new MessageType(schema.getName(), narrow(type, path, 1));
  }

  private static Type narrow(Type type, String[] path, int depth) {
    if (depth == path.length) {
      return type;
    }
    GroupType group = type.asGroupType();
    Type child = group.getType(path[depth]);
    return group.withNewFields(narrow(child, path, depth + 1));
  }

  /** Closes every input, each whatever the others do; the first failure, the others suppressed. */
  private static void closeAll(Iterable<OpenInput> inputs) throws IOException {
    IOException failure = null;
    for (OpenInput input : inputs) {
      try {
        input.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void abortQuietly(StorageOutputStream stream, Throwable failure) {
    try {
      stream.abort();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
