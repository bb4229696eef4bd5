package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import shaded.parquet.org.apache.thrift.TBase;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;

/**
 * Reads footers the way planning needs them: the {@link FileLayout} and the schema, nothing else.
 * Planning reads every input's footer, and with 20,000 small files {@link Footer#read} spent most
 * of the plan converting each footer into parquet-java's metadata (a schema, statistics and
 * encoding sets per column chunk, about 65 KB of objects per file) only to keep a few numbers. Here
 * a footer is read with the file's tail in one read (the last {@value #TAIL_BYTES} bytes, or the
 * whole file if smaller) and walked where it lies for those numbers ({@link
 * CompactProtocolReader}), and a schema is parsed and converted once per distinct schema.
 *
 * <p>Anything out of the ordinary (a tail without {@code PAR1}, a footer length out of range, a
 * footer that does not parse, a row group whose column chunks are not the schema's leaf columns in
 * order, a column chunk without metadata, a codec Baler cannot decode) is handed to {@link
 * Footer#read}, so that a bad file is refused with the same reason whichever way it was read. The
 * layout and schema are those {@link Footer#layout()} and {@link Footer#schema()} give.
 *
 * <p>Thread-safe: one per plan, shared by the threads reading its footers.
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

  /** The most distinct schemas converted once and kept; beyond it each is converted anew. */
  private static final int MAX_SCHEMAS = 1024;

  private static final int SMALLEST_FILE = 12;

  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  /**
   * Parses the footer of a file held whole in memory into parquet-java's metadata, as {@code
   * ParquetFileReader.readFooter} would, but with the Thrift structures read where they lie ({@link
   * ArrayTransport}) rather than a byte at a time through a stream; the conversion is
   * parquet-java's own ({@code ParquetMetadataConverter.fromParquetMetadata}). Row groups carry no
   * row index offset, which merges do not use, and strings are not interned as parquet-java's
   * reader interns them: an open input keeps none but its writer's name.
   *
   * <p>Nothing returned refers to {@code file}'s array (statistics' bounds are copied out of it),
   * which the caller may reuse.
   *
   * @param file holds the whole file from its start, {@code length} bytes of it
   * @return empty for anything out of the ordinary (no {@code PAR1} at the end, such as an
   *     encrypted footer, a length out of range, bytes that do not parse, encrypted columns), which
   *     parquet-java's reader is then to read or refuse with its own reason
   */
  static Optional<ParquetMetadata> readInMemory(byte[] file, int length) {
    int footerLength = footerLength(file, length, length);
    if (footerLength < 0 || footerLength > length - 8) {
      return Optional.empty();
    }
    FileMetaData metadata = new FileMetaData();
    try {
      metadata.read(
          new TCompactProtocol(new ArrayTransport(file, length - 8 - footerLength, length - 8)));
      if (metadata.isSetEncryption_algorithm()) {
        return Optional.empty();
      }
      for (RowGroup rowGroup : metadata.getRow_groups()) {
        for (ColumnChunk chunk : rowGroup.getColumns()) {
          if (chunk.isSetCrypto_metadata() || chunk.isSetEncrypted_column_metadata()) {
            return Optional.empty();
          }
          if (chunk.isSetMeta_data()) {
            ArrayTransport.ownBounds(chunk.getMeta_data().getStatistics());
          }
        }
      }
      return Optional.of(CONVERTER.fromParquetMetadata(metadata));
    } catch (TException | IOException | RuntimeException e) {
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

  /** A converted schema, its key, and its leaf columns' paths as UTF-8 names, in order. */
  private record Schema(MessageType type, String key, byte[][][] paths) {}

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
      return layout(bytes, footerStart, footerStart + footerLength, length);
    } catch (RuntimeException | TException e) {
      return Optional.empty();
    }
  }

  /**
   * Walks a footer's bytes for what planning keeps, without making Thrift's structures of it
   * ({@link CompactProtocolReader}): a footer of the benchmark's files, parsed by Thrift, was about
   * 35 KB of objects. The schema's bytes are the key of a schema converted before, so that only a
   * new schema is parsed (by Thrift) and converted.
   *
   * <p>Fields that Thrift's reader requires (FileMetaData's version, schema, num_rows and
   * row_groups; a row group's columns, total_byte_size and num_rows; a column chunk's file_offset;
   * a column's type, encodings, path_in_schema, codec, num_values, sizes and data_page_offset) must
   * be there with their types, the enumerations read (type, codec, encodings, and the page types
   * and encodings of encoding_stats) must be values parquet-format knows, or the footer is left to
   * {@link Footer#read}; so is one with encryption, a column chunk with a file_path, or a row group
   * of no column chunks (parquet-java refuses both). Fields are read as Thrift reads them: ids as
   * shorts, a later field of the same id and type in place of an earlier one, a field of another
   * type skipped; and the schema's elements and column orders, which Thrift parses when a schema is
   * new, must end where the walk ends them (Thrift ends a union after its first member). Structures
   * skipped whole (statistics, key-value metadata) are not checked: a footer whose statistics
   * Thrift would refuse is planned, and its merge then leaves it out with parquet-java's reason, as
   * it does a file that changed since planning.
   */
  private Optional<Read> layout(byte[] bytes, int start, int end, long length) throws TException {
    CompactProtocolReader footer = new CompactProtocolReader(bytes, start, end);
    int schemaStart = -1;
    int schemaEnd = -1;
    int rowGroupsStart = -1;
    int ordersStart = -1;
    int ordersEnd = -1;
    boolean version = false;
    boolean rows = false;
    int id = 0;
    int type;
    while ((type = footer.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = footer.fieldId();
      int at = footer.position();
      switch (id) {
        // version (i32), schema (list), num_rows (i64), row_groups (list), column_orders (list)
        // a field of another type is skipped by Thrift, which keeps what it read before
        case 1 -> version |= type == CompactProtocolReader.I32;
        case 2 -> schemaStart = type == CompactProtocolReader.LIST ? at : schemaStart;
        case 3 -> rows |= type == CompactProtocolReader.I64;
        case 4 -> rowGroupsStart = type == CompactProtocolReader.LIST ? at : rowGroupsStart;
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
    CompactProtocolReader rowGroups = new CompactProtocolReader(bytes, rowGroupsStart, end);
    int count = rowGroups.readListHeader();
    if (rowGroups.elementType() != CompactProtocolReader.STRUCT) {
      return Optional.empty();
    }
    List<FileLayout.RowGroupSize> sizes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      FileLayout.RowGroupSize size = rowGroup(rowGroups, schema);
      if (size == null) {
        return Optional.empty();
      }
      sizes.add(size);
    }
    return Optional.of(new Read(new FileLayout(length, schema.key(), sizes), schema.type()));
  }

  /** A row group's rows and column chunk bytes; null for one to leave to {@link Footer#read}. */
  private static FileLayout.RowGroupSize rowGroup(CompactProtocolReader reader, Schema schema) {
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
            || reader.elementType() != CompactProtocolReader.STRUCT) {
          return null;
        }
        compressed = 0;
        for (int column = 0; column < columns; column++) {
          long bytes = columnChunk(reader, schema.paths()[column]);
          if (bytes < 0) {
            return null;
          }
          compressed += bytes;
        }
      } else if (id == 2 && type == CompactProtocolReader.I64) { // total_byte_size
        reader.skip(type);
        totalByteSize = true;
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
   * A column chunk's compressed bytes; -1 for one without metadata, with encryption, of another
   * column than {@code path}, in a codec Baler cannot decode, or missing a field Thrift requires.
   */
  private static long columnChunk(CompactProtocolReader reader, byte[][] path) {
    long compressed = -1;
    boolean fileOffset = false;
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      if (id == 2 && type == CompactProtocolReader.I64) { // file_offset
        reader.skip(type);
        fileOffset = true;
      } else if (id == 3 && type == CompactProtocolReader.STRUCT) { // meta_data
        compressed = columnMetaData(reader, path);
        if (compressed < 0) {
          return -1;
        }
      } else if (id == 1 || id == 8 || id == 9) {
        // file_path (parquet-java refuses chunks of one row group in different files),
        // crypto_metadata, encrypted_column_metadata
        return -1;
      } else {
        reader.skip(type);
      }
    }
    return fileOffset ? compressed : -1;
  }

  /** What {@link #columnChunk} gives, from the chunk's ColumnMetaData. */
  private static long columnMetaData(CompactProtocolReader reader, byte[][] path) {
    long compressed = -1;
    int required = 0; // one bit per field Thrift requires, by field id
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      int expected =
          switch (id) {
            case 1, 4 -> CompactProtocolReader.I32; // type, codec
            case 2, 3, 13 -> CompactProtocolReader.LIST; // encodings, path, encoding_stats
            case 5, 6, 7, 9 -> CompactProtocolReader.I64; // values, sizes, data_page_offset
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
            return -1;
          }
        }
        case 2 -> {
          if (!encodings(reader)) {
            return -1;
          }
        }
        case 13 -> {
          if (!encodingStats(reader)) {
            return -1;
          }
        }
        case 3 -> {
          if (reader.readListHeader() != path.length
              || reader.elementType() != CompactProtocolReader.BINARY) {
            return -1;
          }
          for (byte[] name : path) {
            if (!reader.readBinaryEquals(name)) {
              return -1;
            }
          }
        }
        case 4 -> {
          if (!readable(reader.readInt())) {
            return -1;
          }
        }
        case 7 -> compressed = reader.readInteger();
        default -> reader.skip(type);
      }
    }
    return (required & ~(1 << 13)) == REQUIRED_COLUMN_FIELDS ? compressed : -1;
  }

  /** Whether a list of encodings holds only encodings parquet-format knows. */
  private static boolean encodings(CompactProtocolReader reader) {
    int count = reader.readListHeader();
    if (reader.elementType() != CompactProtocolReader.I32) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (Encoding.findByValue(reader.readInt()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a list of PageEncodingStats is one Thrift reads: each with a known page type and
   * encoding and a count (the fields it requires).
   */
  private static boolean encodingStats(CompactProtocolReader reader) {
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
        if (type != CompactProtocolReader.I32 || id < 1 || id > 3) {
          reader.skip(type);
          continue;
        }
        int value = reader.readInt();
        boolean known =
            switch (id) {
              case 1 -> PageType.findByValue(value) != null;
              case 2 -> Encoding.findByValue(value) != null;
              default -> true; // count
            };
        if (!known) {
          return false;
        }
        fields |= 1 << id;
      }
      if (fields != 0b1110) {
        return false;
      }
    }
    return true;
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
    Schema schema = new Schema(type, ParquetSchemas.key(type), paths);
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
