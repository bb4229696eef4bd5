package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import shaded.parquet.org.apache.thrift.TBase;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;

/**
 * Reads footers the way planning needs them (the {@link FileLayout} and the schema, nothing else)
 * and the way a merge needs them ({@link InputFooter}). Planning reads every input's footer, and
 * with 20,000 small files {@link Footer#read} spent most of the plan converting each footer into
 * parquet-java's metadata (a schema, statistics and encoding sets per column chunk, about 65 KB of
 * objects per file) only to keep a few numbers; a merge then read each footer again. Here a footer
 * is walked where it lies for those numbers ({@link CompactProtocolReader}), and a schema is parsed
 * and converted once per distinct schema. Planning reads a file's tail in one read (the last
 * {@value #TAIL_BYTES} bytes, or the whole file if smaller); a merge walks the footer of a file it
 * holds whole.
 *
 * <p>Anything out of the ordinary (a tail without {@code PAR1}, a footer length out of range, a
 * footer that does not parse, a row group whose column chunks are not the schema's leaf columns in
 * order, a column chunk without metadata, a codec Baler cannot decode) is handed to parquet-java's
 * reader ({@link Footer#read} for planning, {@code ParquetFileReader.readFooter} for a merge), so
 * that a bad file is refused with the same reason whichever way it was read. The layout and schema
 * are those {@link Footer#layout()} and {@link Footer#schema()} give, and a merge's figures those
 * {@link InputFooter#of} takes from parquet-java's metadata.
 *
 * <p>Thread-safe: one per plan, shared by the threads reading its footers, and one per merge.
 */
public final class FooterLayouts {
  /** The bytes read from a file's end at once: footers of small files fit several times over. */
  static final int TAIL_BYTES = 64 << 10;

  /**
   * Each planning thread's array for the tails it reads, reused from file to file: an array per
   * file was 126 of the 1,036 MB a run of the reference set allocated. Nothing read keeps it (a
   * schema kept is copied out of it).
   */
  private static final ThreadLocal<byte[]> TAILS =
      ThreadLocal.withInitial(() -> new byte[TAIL_BYTES]);

  /**
   * The most schemas converted once and kept; beyond it each is converted anew. A schema with
   * column orders takes two: the walk converts it without them too, for its columns' paths.
   */
  private static final int MAX_SCHEMAS = 2048;

  private static final int SMALLEST_FILE = 12;

  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  /**
   * Reads what a merge keeps of the footer of a file held whole in memory, walking the footer's
   * bytes where they lie as planning does, with the schema converted once per distinct schema.
   * Statistics are converted by parquet-java ({@code
   * ParquetMetadataConverter.fromParquetStatistics}, which knows which writers' statistics to
   * distrust and which sort orders their bounds follow), and only for the chunks that may be
   * carried over, the only ones whose statistics a merge uses.
   *
   * <p>Nothing returned refers to {@code file}'s array, which the caller may reuse.
   *
   * @param file holds the whole file from its start, {@code length} bytes of it
   * @param outputCodec the codec of the merge's output
   * @return empty for anything out of the ordinary (as {@link #readFast} leaves to {@link
   *     Footer#read}, and key-value metadata that Thrift would refuse), which parquet-java's reader
   *     is then to read or refuse with its own reason
   */
  Optional<InputFooter> readInput(byte[] file, int length, CompressionCodecName outputCodec) {
    int footerLength = footerLength(file, length, length);
    if (footerLength < 0) {
      return Optional.empty();
    }
    try {
      return walk(file, length - 8 - footerLength, length - 8, length, outputCodec)
          .map(Walked::input);
    } catch (RuntimeException | TException e) {
      return Optional.empty();
    }
  }

  /**
   * The footer length that the last 8 of {@code bytes} (which end where the file of {@code
   * fileLength} bytes ends) give; -1 without {@code PAR1} or for a length that cannot be.
   */
  private static int footerLength(byte[] bytes, int end, long fileLength) {
    if (end < 8
        || bytes[end - 4] != 'P'
        || bytes[end - 3] != 'A'
        || bytes[end - 2] != 'R'
        || bytes[end - 1] != '1') {
      return -1;
    }
    int footerLength =
        (bytes[end - 8] & 0xFF)
            | (bytes[end - 7] & 0xFF) << 8
            | (bytes[end - 6] & 0xFF) << 16
            | (bytes[end - 5] & 0xFF) << 24;
    return footerLength <= 0 || footerLength > fileLength - SMALLEST_FILE ? -1 : footerLength;
  }

  /** What planning keeps of a footer. */
  public record Read(FileLayout layout, MessageType schema) {
    public Read {
      requireNonNull(layout, "layout is null");
      requireNonNull(schema, "schema is null");
    }
  }

  /**
   * A footer's schema and column orders as their bytes: the same bytes are the same schema. A key
   * looked up views the footer's bytes where they lie (every planned file makes one); {@link
   * #copy()} makes the key kept in the cache, with arrays of its own.
   */
  private static final class SchemaBytes {
    private final byte[] bytes;
    private final int start;
    private final int end;
    private final int ordersStart; // -1 for no column orders
    private final int ordersEnd;
    private final int hash;

    SchemaBytes(byte[] bytes, int start, int end, int ordersStart, int ordersEnd) {
      this.bytes = bytes;
      this.start = start;
      this.end = end;
      this.ordersStart = ordersStart;
      this.ordersEnd = ordersEnd;
      this.hash =
          31 * hash(bytes, start, end)
              + (ordersStart < 0 ? -1 : hash(bytes, ordersStart, ordersEnd));
    }

    /** The same key over a copy of its bytes, the schema's then the column orders'. */
    SchemaBytes copy() {
      int schema = end - start;
      byte[] copy = Arrays.copyOfRange(bytes, start, end + Math.max(0, ordersEnd - ordersStart));
      if (ordersStart >= 0) {
        System.arraycopy(bytes, ordersStart, copy, schema, ordersEnd - ordersStart);
        return new SchemaBytes(copy, 0, schema, schema, copy.length);
      }
      return new SchemaBytes(copy, 0, schema, -1, -1);
    }

    private static int hash(byte[] bytes, int from, int to) {
      int hash = 1;
      for (int i = from; i < to; i++) {
        hash = 31 * hash + bytes[i];
      }
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof SchemaBytes that
          && hash == that.hash
          && Arrays.equals(bytes, start, end, that.bytes, that.start, that.end)
          && (ordersStart < 0
              ? that.ordersStart < 0
              : that.ordersStart >= 0
                  && Arrays.equals(
                      bytes, ordersStart, ordersEnd, that.bytes, that.ordersStart, that.ordersEnd));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * A converted schema, its key, its leaf columns, their paths as UTF-8 names, and the bytes that
   * parquet-java reads of each column's statistics bounds ({@link #boundWidth}), in order.
   */
  private record Schema(
      MessageType type,
      String key,
      List<ColumnDescriptor> columns,
      byte[][][] paths,
      int[] boundWidths) {}

  /**
   * The bytes parquet-java reads of a statistics bound of a column of {@code type} as it converts
   * statistics: a boolean's first byte, an int's or float's four, a long's or double's eight, a
   * fixed-length array's length (a FLOAT16's bounds are read as two bytes); none for other arrays.
   * A shorter bound makes the conversion fail, and parquet-java refuses the footer.
   */
  private static int boundWidth(PrimitiveType type) {
    return switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> 1;
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      case FIXED_LEN_BYTE_ARRAY -> type.getTypeLength();
      case INT96, BINARY -> 0;
    };
  }

  private final Map<SchemaBytes, Schema> schemas = new ConcurrentHashMap<>();

  /**
   * Reads a file's layout and schema.
   *
   * @throws InvalidParquetFileException as {@link Footer#read} does, with the same reasons
   * @throws IOException if the store cannot be read
   */
  public Read read(InputFile file) throws IOException {
    Optional<Read> read = readFast(file);
    if (read.isPresent()) {
      return read.get();
    }
    Footer footer = Footer.read(file);
    return new Read(footer.layout(), footer.schema());
  }

  /**
   * The fast read of {@link #read}: empty for anything out of the ordinary, which {@link
   * Footer#read} is then to read or refuse.
   *
   * @throws IOException if the store cannot be read
   */
  Optional<Read> readFast(InputFile file) throws IOException {
    long length = file.length();
    if (length < SMALLEST_FILE) {
      return Optional.empty();
    }
    int tail = (int) Math.min(length, TAIL_BYTES);
    byte[] bytes = TAILS.get();
    int footerStart;
    int footerLength;
    try (SeekableInputStream stream = file.newStream()) {
      stream.seek(length - tail);
      stream.readFully(bytes, 0, tail);
      footerLength = footerLength(bytes, tail, length);
      if (footerLength < 0) {
        return Optional.empty();
      }
      if (footerLength <= tail - 8) {
        footerStart = tail - 8 - footerLength;
      } else {
        bytes = new byte[footerLength];
        stream.seek(length - 8 - footerLength);
        stream.readFully(bytes, 0, footerLength);
        footerStart = 0;
      }
    } catch (EOFException e) {
      return Optional.empty(); // shorter than listed: Footer.read says how
    }
    try {
      return walk(bytes, footerStart, footerStart + footerLength, length, null).map(Walked::read);
    } catch (RuntimeException | TException e) {
      return Optional.empty();
    }
  }

  /**
   * Walks a footer's bytes for what planning keeps, and with an output codec for what a merge
   * keeps, without making Thrift's structures of it ({@link CompactProtocolReader}): a footer of
   * the benchmark's files, parsed by Thrift, was about 35 KB of objects, and for a merge of 100,000
   * files of 40 rows parsing and converting every footer this way was a fifth of the CPU time (on
   * the tenth session's host). The schema's bytes are the key of a schema converted before, so that
   * only a new schema is parsed (by Thrift) and converted. Row groups that follow the schema, as
   * writers write them, are walked in the one pass over the footer's fields, with the paths of the
   * schema without its column orders (which follow them and name no column); others after it.
   *
   * <p>Fields that Thrift's reader requires (FileMetaData's version, schema, num_rows and
   * row_groups; a row group's columns, total_byte_size and num_rows; a column chunk's file_offset;
   * a column's type, encodings, path_in_schema, codec, num_values, sizes and data_page_offset) must
   * be there with their types, the enumerations read (type, codec, encodings, and the page types
   * and encodings of encoding_stats) must be values parquet-format knows, or the footer is left to
   * parquet-java's reader; so is one with encryption, a column chunk with a file_path (parquet-java
   * refuses chunks of one row group in different files), or a row group of no column chunks (which
   * parquet-java fails on). Fields are read as Thrift reads them: ids as shorts, a later field of
   * the same id and type in place of an earlier one, a field of another type skipped; and the
   * schema's elements and column orders, which Thrift parses when a schema is new, must end where
   * the walk ends them (Thrift ends a union after its first member). What parquet-java would refuse
   * in the parts the walk does not keep is left to it too: a sorting column or a column's key-value
   * pair without a field Thrift requires, and a statistics bound shorter than parquet-java reads it
   * ({@link #boundWidth}); so are geospatial statistics, whose conversion the walk does not follow.
   * So whether a footer is read here does not depend on which chunks a merge may carry over. A
   * merge's walk also reads the file's key-value metadata (each pair needs its key, as Thrift
   * requires) and has Thrift parse and parquet-java convert the statistics of the chunks that may
   * be carried over. Structures skipped whole otherwise (size statistics, which have no required
   * field, and planning's key-value metadata) are checked for their framing only; a merge reads
   * key-value metadata as Thrift does.
   *
   * @param outputCodec the codec of the merge's output, or null for planning's walk, which reads no
   *     key-value metadata and of statistics only their bounds' lengths
   */
  private Optional<Walked> walk(
      byte[] bytes, int start, int end, long length, CompressionCodecName outputCodec)
      throws TException {
    CompactProtocolReader footer = new CompactProtocolReader(bytes, start, end);
    int schemaStart = -1;
    int schemaEnd = -1;
    int rowGroupsStart = -1;
    int keyValuesStart = -1;
    int createdByStart = -1;
    int ordersStart = -1;
    int ordersEnd = -1;
    boolean version = false;
    boolean rows = false;
    boolean collect = outputCodec != null;
    RowGroups walked = null;
    int id = 0;
    int type;
    while ((type = footer.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = footer.fieldId();
      int at = footer.position();
      if (id == 2 && walked != null) {
        return Optional.empty(); // a schema after the row groups walked with an earlier one's paths
      }
      if (id == 4 && type == CompactProtocolReader.LIST && schemaEnd >= 0) {
        // the row groups after the schema, as writers write them: walked here, in one pass, with
        // the paths of the schema without its column orders (which come later and name no column)
        rowGroupsStart = at;
        walked = rowGroups(footer, schema(bytes, schemaStart, schemaEnd, -1, -1), collect);
        if (walked == null) {
          return Optional.empty();
        }
        continue;
      }
      switch (id) {
        // version (i32), schema (list), num_rows (i64), row_groups (list), key_value_metadata
        // (list), created_by (string), column_orders (list); a field of another type is skipped
        // by Thrift, which keeps what it read before
        case 1 -> version |= type == CompactProtocolReader.I32;
        case 2 -> schemaStart = type == CompactProtocolReader.LIST ? at : schemaStart;
        case 3 -> rows |= type == CompactProtocolReader.I64;
        case 4 -> rowGroupsStart = type == CompactProtocolReader.LIST ? at : rowGroupsStart;
        case 5 -> keyValuesStart = type == CompactProtocolReader.LIST ? at : keyValuesStart;
        case 6 -> createdByStart = type == CompactProtocolReader.BINARY ? at : createdByStart;
        case 7 -> ordersStart = type == CompactProtocolReader.LIST ? at : ordersStart;
        // encryption_algorithm, footer_signing_key_metadata
        case 8, 9 -> {
          return Optional.empty();
        }
        default -> {}
      }
      footer.skip(type);
      if (id == 2 && type == CompactProtocolReader.LIST) {
        schemaEnd = footer.position();
      } else if (id == 7 && type == CompactProtocolReader.LIST) {
        ordersEnd = footer.position();
      }
    }
    if (!version || !rows || schemaStart < 0 || rowGroupsStart < 0) {
      return Optional.empty();
    }
    Schema schema = schema(bytes, schemaStart, schemaEnd, ordersStart, ordersEnd);
    if (walked == null) {
      walked = rowGroups(new CompactProtocolReader(bytes, rowGroupsStart, end), schema, collect);
      if (walked == null) {
        return Optional.empty();
      }
    }
    String createdBy = null;
    Map<String, String> keyValues = Map.of();
    Input input = null;
    if (outputCodec != null) {
      if (createdByStart >= 0) {
        createdBy = new CompactProtocolReader(bytes, createdByStart, end).readString();
      }
      if (keyValuesStart >= 0) {
        Map<String, String> read = keyValues(new CompactProtocolReader(bytes, keyValuesStart, end));
        if (read == null) {
          return Optional.empty();
        }
        keyValues = Collections.unmodifiableMap(read);
      }
      input = new Input(bytes, schema, createdBy, outputCodec, walked.chunks().size());
      int columns = schema.columns().size();
      for (int chunk = 0; chunk < walked.chunks().size(); chunk++) {
        input.add(walked.chunks().get(chunk), chunk % columns);
      }
    }
    FileLayout layout = new FileLayout(length, schema.key(), walked.sizes());
    return Optional.of(
        new Walked(
            schema,
            layout,
            input == null
                ? null
                : new InputFooter(
                    schema.type(),
                    schema.columns(),
                    layout,
                    createdBy,
                    keyValues,
                    input.chunks.build())));
  }

  /**
   * The row groups walked: each one's rows and column chunk bytes, and for a merge's walk each
   * chunk's fields, in row group order and within it column order (null for planning's).
   */
  private record RowGroups(List<FileLayout.RowGroupSize> sizes, List<ChunkFields> chunks) {}

  /**
   * Walks the list of row groups at the reader's position, checking each chunk's path against
   * {@code schema}'s; null for one to leave to parquet-java's reader.
   *
   * @param collect whether to keep each chunk's fields, as a merge's walk needs them
   */
  private static RowGroups rowGroups(CompactProtocolReader reader, Schema schema, boolean collect) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.STRUCT) {
      return null;
    }
    List<FileLayout.RowGroupSize> sizes = new ArrayList<>(count);
    // grown as chunks are read: the count is the footer's word, and times the columns it could ask
    // for gigabytes before the first row group is found missing
    List<ChunkFields> chunks = collect ? new ArrayList<>() : null;
    ChunkFields reused = new ChunkFields();
    for (int i = 0; i < count; i++) {
      FileLayout.RowGroupSize size = rowGroup(reader, schema, reused, chunks);
      if (size == null) {
        return null;
      }
      sizes.add(size);
    }
    return new RowGroups(sizes, chunks);
  }

  /**
   * What a walk found: the schema and layout, and for a merge's walk what the merge keeps (null for
   * planning's).
   */
  private record Walked(Schema schema, FileLayout layout, InputFooter input) {
    Read read() {
      return new Read(layout, schema.type());
    }
  }

  /**
   * What a merge's walk needs beyond planning's: the footer's bytes, which the statistics are
   * parsed from, the writer, which parquet-java's conversion of statistics asks, and the chunks
   * collected.
   */
  private static final class Input {
    final byte[] bytes;
    final Schema schema;
    final String createdBy;
    final InputChunks.Builder chunks;

    Input(
        byte[] bytes,
        Schema schema,
        String createdBy,
        CompressionCodecName outputCodec,
        int chunkCount) {
      this.bytes = bytes;
      this.schema = schema;
      this.createdBy = createdBy;
      this.chunks = new InputChunks.Builder(schema.columns(), outputCodec, chunkCount);
    }

    /** Adds the chunk of {@code column} just walked. */
    void add(ChunkFields fields, int column) {
      ChunkMetadata chunk = fields.metadata();
      chunks.add(chunk, () -> statistics(fields, column));
    }

    /** The chunk's statistics as parquet-java converts them; null if it has none. */
    private Statistics<?> statistics(ChunkFields fields, int column) {
      if (fields.statisticsStart < 0) {
        return null;
      }
      org.apache.parquet.format.Statistics read = new org.apache.parquet.format.Statistics();
      try {
        read.read(
            new TCompactProtocol(
                new ArrayTransport(bytes, fields.statisticsStart, fields.statisticsEnd)));
      } catch (TException e) {
        throw new IllegalArgumentException("Statistics Thrift does not read: " + e, e);
      }
      // parquet-java's conversion takes the bounds' arrays whole: views of the footer would be
      // the whole footer
      ArrayTransport.ownBounds(read);
      return CONVERTER.fromParquetStatistics(
          createdBy, read, schema.columns().get(column).getPrimitiveType());
    }
  }

  /**
   * A column chunk's fields as a walk reads them, into one instance per walk, reset for each chunk.
   */
  private static final class ChunkFields {
    long firstDataPageOffset;
    long dictionaryPageOffset;
    long size;
    long values;
    int codec;
    long columnIndexOffset;
    boolean columnIndexOffsetSet;
    int columnIndexLength;
    boolean columnIndexLengthSet;
    int encodingBits; // ChunkMetadata's bits
    int statisticsStart;
    int statisticsEnd;

    void reset() {
      firstDataPageOffset = 0;
      dictionaryPageOffset = 0;
      size = -1;
      values = 0;
      codec = 0;
      columnIndexOffsetSet = false;
      columnIndexLengthSet = false;
      encodingBits = 0;
      statisticsStart = -1;
      statisticsEnd = -1;
    }

    ChunkMetadata metadata() {
      boolean columnIndex = columnIndexOffsetSet && columnIndexLengthSet;
      return new ChunkMetadata(
          firstDataPageOffset,
          dictionaryPageOffset,
          size,
          values,
          columnIndex ? columnIndexOffset : -1,
          columnIndex ? columnIndexLength : 0,
          CompressionCodecName.fromParquet(CompressionCodec.findByValue(codec)),
          encodingBits);
    }
  }

  /**
   * The key-value metadata whose list starts at the reader's position, as parquet-java keeps it (a
   * later pair in place of an earlier one of the same key); null for a list Thrift would refuse.
   */
  private static Map<String, String> keyValues(CompactProtocolReader reader) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.STRUCT) {
      return null;
    }
    Map<String, String> keyValues = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String key = null;
      String value = null;
      int id = 0;
      int type;
      while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
        id = reader.fieldId();
        if (type != CompactProtocolReader.BINARY || (id != 1 && id != 2)) {
          reader.skip(type);
        } else if (id == 1) {
          key = reader.readString();
        } else {
          value = reader.readString();
        }
      }
      if (key == null) {
        return null;
      }
      keyValues.put(key, value);
    }
    return keyValues;
  }

  /**
   * A row group's rows and column chunk bytes; null for one to leave to parquet-java's reader.
   *
   * @param reused the fields each chunk is read into when they are not kept
   * @param chunks where each chunk's fields are kept, each read into fields of its own; null to
   *     keep none
   */
  private static FileLayout.RowGroupSize rowGroup(
      CompactProtocolReader reader, Schema schema, ChunkFields reused, List<ChunkFields> chunks) {
    long rows = -1;
    long compressed = -1;
    boolean totalByteSize = false;
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      if (id == 1 && type == CompactProtocolReader.LIST) { // columns
        int columns = reader.readListHeader();
        if (columns == 0 // parquet-java takes the first chunk's file_path
            || columns != schema.paths().length
            || reader.elementType() != CompactProtocolReader.STRUCT
            || compressed >= 0) { // a second list of chunks: Thrift keeps it, the walk does not
          return null;
        }
        compressed = 0;
        for (int column = 0; column < columns; column++) {
          ChunkFields chunk = chunks == null ? reused : new ChunkFields();
          chunk.reset();
          if (!columnChunk(reader, schema.paths()[column], schema.boundWidths()[column], chunk)) {
            return null;
          }
          compressed += chunk.size;
          if (chunks != null) {
            chunks.add(chunk);
          }
        }
      } else if (id == 2 && type == CompactProtocolReader.I64) { // total_byte_size
        reader.skip(type);
        totalByteSize = true;
      } else if (id == 4 && type == CompactProtocolReader.LIST) { // sorting_columns
        if (!sortingColumns(reader)) {
          return null;
        }
      } else if (id == 3 && type == CompactProtocolReader.I64) { // num_rows
        rows = reader.readInteger();
      } else {
        reader.skip(type);
      }
    }
    return compressed < 0 || rows < 0 || !totalByteSize
        ? null
        : new FileLayout.RowGroupSize(rows, compressed);
  }

  /**
   * Reads a column chunk into {@code chunk}; false for one without metadata, with encryption, of
   * another column than {@code path}, in a codec Baler cannot decode, or missing a field Thrift
   * requires.
   */
  private static boolean columnChunk(
      CompactProtocolReader reader, byte[][] path, int boundWidth, ChunkFields chunk) {
    boolean metadata = false;
    boolean fileOffset = false;
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      if (id == 2 && type == CompactProtocolReader.I64) { // file_offset
        reader.skip(type);
        fileOffset = true;
      } else if (id == 3 && type == CompactProtocolReader.STRUCT) { // meta_data
        if (metadata || !columnMetaData(reader, path, boundWidth, chunk)) {
          return false; // a second meta_data: Thrift keeps it, the walk does not
        }
        metadata = true;
      } else if (id == 6 && type == CompactProtocolReader.I64) { // column_index_offset
        chunk.columnIndexOffset = reader.readInteger();
        chunk.columnIndexOffsetSet = true;
      } else if (id == 7 && type == CompactProtocolReader.I32) { // column_index_length
        chunk.columnIndexLength = reader.readInt();
        chunk.columnIndexLengthSet = true;
      } else if (id == 1 || id == 8 || id == 9) {
        // file_path (parquet-java refuses chunks of one row group in different files),
        // crypto_metadata, encrypted_column_metadata
        return false;
      } else {
        reader.skip(type);
      }
    }
    return fileOffset && metadata;
  }

  /**
   * Reads a chunk's ColumnMetaData into {@code chunk}, as {@link #columnChunk}; false also for
   * statistics whose bounds are shorter than {@code boundWidth}, key-value metadata that Thrift
   * refuses, and geospatial statistics, which the walk leaves to parquet-java.
   */
  private static boolean columnMetaData(
      CompactProtocolReader reader, byte[][] path, int boundWidth, ChunkFields chunk) {
    int required = 0; // one bit per field Thrift requires, by field id
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      int expected =
          switch (id) {
            case 1, 4 -> CompactProtocolReader.I32; // type, codec
            case 2, 3, 13 -> CompactProtocolReader.LIST; // encodings, path, encoding_stats
            // values, sizes, data_page_offset, dictionary_page_offset
            case 5, 6, 7, 9, 11 -> CompactProtocolReader.I64;
            case 8 -> CompactProtocolReader.LIST; // key_value_metadata
            case 12, 17 -> CompactProtocolReader.STRUCT; // statistics, geospatial_statistics
            default -> -1;
          };
      if (type != expected) {
        reader.skip(type);
        continue;
      }
      required |= 1 << id;
      switch (id) {
        case 1 -> {
          if (Type.findByValue(reader.readInt()) == null) {
            return false;
          }
        }
        case 2 -> {
          int encodings = encodings(reader);
          if (encodings < 0) {
            return false;
          }
          chunk.encodingBits =
              chunk.encodingBits & ~ChunkMetadata.DICTIONARY_ENCODINGS
                  | (usesDictionary(encodings) ? ChunkMetadata.DICTIONARY_ENCODINGS : 0);
        }
        case 13 -> {
          int stats = encodingStats(reader);
          if (stats < 0) {
            return false;
          }
          chunk.encodingBits = chunk.encodingBits & ChunkMetadata.DICTIONARY_ENCODINGS | stats;
        }
        case 3 -> {
          if (reader.readListHeader() != path.length
              || reader.elementType() != CompactProtocolReader.BINARY) {
            return false;
          }
          for (byte[] name : path) {
            if (!reader.readBinaryEquals(name)) {
              return false;
            }
          }
        }
        case 4 -> {
          chunk.codec = reader.readInt();
          if (!readable(chunk.codec)) {
            return false;
          }
        }
        case 5 -> chunk.values = reader.readInteger();
        case 7 -> chunk.size = reader.readInteger();
        case 9 -> chunk.firstDataPageOffset = reader.readInteger();
        case 11 -> chunk.dictionaryPageOffset = reader.readInteger();
        case 8 -> {
          if (keyValues(reader) == null) {
            return false;
          }
        }
        case 12 -> {
          chunk.statisticsStart = reader.position();
          if (!boundsFit(reader, boundWidth)) {
            return false;
          }
          chunk.statisticsEnd = reader.position();
        }
        case 17 -> {
          return false;
        }
        default -> reader.skip(type);
      }
    }
    return (required & REQUIRED_COLUMN_FIELDS) == REQUIRED_COLUMN_FIELDS;
  }

  /**
   * Walks a Statistics structure and says whether each of its bounds (max, min, max_value and
   * min_value) has at least {@code width} bytes, the bytes parquet-java reads of it ({@link
   * #boundWidth}).
   */
  private static boolean boundsFit(CompactProtocolReader reader, int width) {
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      boolean bound = id == 1 || id == 2 || id == 5 || id == 6;
      if (bound && type == CompactProtocolReader.BINARY) {
        if (reader.skipBinary() < width) {
          return false;
        }
      } else {
        reader.skip(type);
      }
    }
    return true;
  }

  /**
   * Whether a list of SortingColumns is one Thrift reads: each with its column_idx, descending and
   * nulls_first, the fields it requires.
   */
  private static boolean sortingColumns(CompactProtocolReader reader) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.STRUCT) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      int fields = 0;
      int id = 0;
      int type;
      while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
        id = reader.fieldId();
        boolean flag =
            type == CompactProtocolReader.BOOLEAN_TRUE
                || type == CompactProtocolReader.BOOLEAN_FALSE;
        if ((id == 1 && type == CompactProtocolReader.I32) || ((id == 2 || id == 3) && flag)) {
          fields |= 1 << id;
        }
        reader.skip(type);
      }
      if (fields != 0b1110) {
        return false;
      }
    }
    return true;
  }

  /**
   * The encodings of a list of encodings, one bit per encoding's Thrift value; -1 for a list with
   * one that parquet-format does not know.
   */
  private static int encodings(CompactProtocolReader reader) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.I32) {
      return -1;
    }
    int encodings = 0;
    for (int i = 0; i < count; i++) {
      int encoding = reader.readInt();
      if (Encoding.findByValue(encoding) == null) {
        return -1;
      }
      encodings |= 1 << encoding;
    }
    return encodings;
  }

  /** Whether a set of encodings, one bit per Thrift value, holds a dictionary encoding. */
  private static boolean usesDictionary(int encodings) {
    return (encodings & DICTIONARY_ENCODINGS) != 0;
  }

  /** PLAIN_DICTIONARY's and RLE_DICTIONARY's bits, by their Thrift values. */
  private static final int DICTIONARY_ENCODINGS =
      1 << Encoding.PLAIN_DICTIONARY.getValue() | 1 << Encoding.RLE_DICTIONARY.getValue();

  /**
   * What a list of PageEncodingStats says, as {@link ChunkMetadata}'s bits from {@link
   * ChunkMetadata#ENCODING_STATS} to {@link ChunkMetadata#V2_PAGES}; -1 for a list Thrift does not
   * read: each must have a known page type and encoding and a count (the fields it requires).
   */
  private static int encodingStats(CompactProtocolReader reader) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.STRUCT) {
      return -1;
    }
    boolean dictionaryPages = false;
    boolean v2Pages = false;
    int dataEncodings = 0;
    for (int i = 0; i < count; i++) {
      int fields = 0;
      int pageType = -1;
      int encoding = -1;
      int id = 0;
      int type;
      while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
        id = reader.fieldId();
        if (type != CompactProtocolReader.I32 || id < 1 || id > 3) {
          reader.skip(type);
          continue;
        }
        int value = reader.readInt();
        switch (id) {
          case 1 -> pageType = value;
          case 2 -> encoding = value;
          default -> {} // count
        }
        fields |= 1 << id;
      }
      if (fields != 0b1110
          || PageType.findByValue(pageType) == null
          || Encoding.findByValue(encoding) == null) {
        return -1;
      }
      // as parquet-java's convertEncodingStats: index pages are not counted
      if (pageType == PageType.DICTIONARY_PAGE.getValue()) {
        dictionaryPages = true;
      } else if (pageType == PageType.DATA_PAGE.getValue()
          || pageType == PageType.DATA_PAGE_V2.getValue()) {
        dataEncodings |= 1 << encoding;
        v2Pages |= pageType == PageType.DATA_PAGE_V2.getValue();
      }
    }
    return ChunkMetadata.ENCODING_STATS
        | (dictionaryPages ? ChunkMetadata.DICTIONARY_PAGES : 0)
        | (usesDictionary(dataEncodings) ? ChunkMetadata.DICTIONARY_ENCODED_PAGES : 0)
        | (otherEncodings(dataEncodings) ? ChunkMetadata.OTHER_ENCODED_PAGES : 0)
        | (v2Pages ? ChunkMetadata.V2_PAGES : 0);
  }

  /**
   * Whether data pages in {@code encodings} (one bit per Thrift value) have, as parquet-java's
   * {@code EncodingStats.hasNonDictionaryEncodedPages} decides it, encodings other than a
   * dictionary's. It takes away RLE_DICTIONARY, or only if that is missing PLAIN_DICTIONARY, and
   * asks whether any is left: pages in both dictionary encodings count as others too.
   */
  private static boolean otherEncodings(int encodings) {
    if (!usesDictionary(encodings)) {
      return encodings != 0;
    }
    int rle = 1 << Encoding.RLE_DICTIONARY.getValue();
    int plain = 1 << Encoding.PLAIN_DICTIONARY.getValue();
    return ((encodings & rle) != 0 ? encodings & ~rle : encodings & ~plain) != 0;
  }

  /** ColumnMetaData's fields 1 to 7 and 9, which Thrift requires, as {@link #columnMetaData}. */
  private static final int REQUIRED_COLUMN_FIELDS = 0b10_1111_1110;

  /**
   * Whether Baler decodes each of parquet-format's codecs, by Thrift value: 0 not asked yet, 1 yes,
   * 2 no. Filled as codecs are met ({@link Codec#unavailableReason} tries a round trip), by any
   * thread: an answer written twice is the same answer.
   */
  private static final byte[] READABLE_CODECS = new byte[32];

  private static boolean readable(int codec) {
    if (codec < 0 || codec >= READABLE_CODECS.length) {
      return false;
    }
    if (READABLE_CODECS[codec] == 0) {
      CompressionCodec known = CompressionCodec.findByValue(codec);
      boolean readable =
          known != null
              && Codec.of(CompressionCodecName.fromParquet(known)).unavailableReason().isEmpty();
      READABLE_CODECS[codec] = (byte) (readable ? 1 : 2);
    }
    return READABLE_CODECS[codec] == 1;
  }

  /**
   * The schema whose list of SchemaElements lies at {@code [start, end)} of {@code bytes}, with the
   * column orders at {@code [ordersStart, ordersEnd)} (-1 for none): one converted before from the
   * same bytes, or these parsed by Thrift and converted.
   */
  private Schema schema(byte[] bytes, int start, int end, int ordersStart, int ordersEnd)
      throws TException {
    SchemaBytes id = new SchemaBytes(bytes, start, end, ordersStart, ordersEnd);
    Schema known = schemas.get(id);
    if (known != null) {
      return known;
    }
    // parquet-java converts a schema only as part of a whole footer: give it one without row groups
    FileMetaData schemaOnly =
        new FileMetaData(1, readList(bytes, start, end, SchemaElement::new), 0, List.of());
    if (ordersStart >= 0) {
      schemaOnly.setColumn_orders(readList(bytes, ordersStart, ordersEnd, ColumnOrder::new));
    }
    MessageType type;
    try {
      type = CONVERTER.fromParquetMetadata(schemaOnly).getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid schema: " + e.getMessage(), e);
    }
    List<String[]> columns = type.getPaths();
    byte[][][] paths = new byte[columns.size()][][];
    for (int i = 0; i < paths.length; i++) {
      String[] path = columns.get(i);
      paths[i] = new byte[path.length][];
      for (int j = 0; j < path.length; j++) {
        paths[i][j] = path[j].getBytes(StandardCharsets.UTF_8);
      }
    }
    List<ColumnDescriptor> leaves = type.getColumns();
    int[] widths = new int[leaves.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = boundWidth(leaves.get(i).getPrimitiveType());
    }
    Schema schema = new Schema(type, ParquetSchemas.key(type), leaves, paths, widths);
    if (schemas.size() < MAX_SCHEMAS) {
      schemas.putIfAbsent(id.copy(), schema);
    }
    return schema;
  }

  /** A Thrift list of structures, each made by {@code make} and read from the bytes. */
  private static <T extends TBase<?, ?>> List<T> readList(
      byte[] bytes, int start, int end, Supplier<T> make) throws TException {
    ArrayTransport transport = new ArrayTransport(bytes, start, end);
    TCompactProtocol protocol = new TCompactProtocol(transport);
    int count = protocol.readListBegin().size;
    List<T> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      T structure = make.get();
      structure.read(protocol);
      list.add(structure);
    }
    if (transport.getBufferPosition() != end) {
      // Thrift framed it otherwise (a union of more than one field): the rest of the footer too
      throw new IllegalArgumentException(
          "Thrift reads the list to byte " + transport.getBufferPosition() + ", not " + end);
    }
    return list;
  }
}
