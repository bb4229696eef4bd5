package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;

/**
 * Reads footers the way planning needs them: the {@link FileLayout} and the schema, nothing else.
 * Planning reads every input's footer, and with 20,000 small files {@link Footer#read} spent most
 * of the plan converting each footer into parquet-java's metadata (a schema, statistics and
 * encoding sets per column chunk, about 65 KB of objects per file) only to keep a few numbers. Here
 * a footer is read with the file's tail in one read (the last {@value #TAIL_BYTES} bytes, or the
 * whole file if smaller), parsed into parquet-format's Thrift structures, and the schema is
 * converted once per distinct schema.
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
   * @param file the whole file, and nothing else
   * @return empty for anything out of the ordinary (no {@code PAR1} at the end, such as an
   *     encrypted footer, a length out of range, bytes that do not parse, encrypted columns), which
   *     parquet-java's reader is then to read or refuse with its own reason
   */
  static Optional<ParquetMetadata> readInMemory(byte[] file) {
    int footerLength = footerLength(file, file.length, file.length);
    if (footerLength < 0 || footerLength > file.length - 8) {
      return Optional.empty();
    }
    FileMetaData metadata = new FileMetaData();
    try {
      metadata.read(
          new TCompactProtocol(
              new ArrayTransport(file, file.length - 8 - footerLength, file.length - 8)));
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

  private record SchemaId(List<SchemaElement> elements, List<ColumnOrder> columnOrders) {}

  /** A converted schema, its key, and its leaf columns' paths, in order. */
  private record Schema(MessageType type, String key, List<List<String>> paths) {}

  private final Map<SchemaId, Schema> schemas = new ConcurrentHashMap<>();

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
    byte[] bytes = new byte[tail];
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
    // Parsed where it lies, as page headers are (ArrayTransport): parquet-java's Util reads
    // through an InputStream a byte at a time, which with 20,000 small files was 8% of a run.
    FileMetaData metadata = new FileMetaData();
    try {
      metadata.read(
          new TCompactProtocol(new ArrayTransport(bytes, footerStart, footerStart + footerLength)));
    } catch (TException | RuntimeException e) {
      return Optional.empty();
    }
    try {
      Schema schema = schema(metadata);
      List<FileLayout.RowGroupSize> rowGroups = new ArrayList<>();
      for (RowGroup rowGroup : metadata.getRow_groups()) {
        if (rowGroup.getColumns().size() != schema.paths().size()) {
          return Optional.empty();
        }
        long compressed = 0;
        for (int i = 0; i < rowGroup.getColumns().size(); i++) {
          ColumnChunk chunk = rowGroup.getColumns().get(i);
          if (!chunk.isSetMeta_data()
              || !chunk.getMeta_data().getPath_in_schema().equals(schema.paths().get(i))) {
            return Optional.empty();
          }
          ColumnMetaData column = chunk.getMeta_data();
          if (Codec.of(CompressionCodecName.fromParquet(column.getCodec()))
              .unavailableReason()
              .isPresent()) {
            return Optional.empty();
          }
          compressed += column.getTotal_compressed_size();
        }
        rowGroups.add(new FileLayout.RowGroupSize(rowGroup.getNum_rows(), compressed));
      }
      return Optional.of(new Read(new FileLayout(length, schema.key(), rowGroups), schema.type()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Schema schema(FileMetaData metadata) {
    SchemaId id = new SchemaId(metadata.getSchema(), metadata.getColumn_orders());
    Schema known = schemas.get(id);
    if (known != null) {
      return known;
    }
    // parquet-java converts a schema only as part of a whole footer: give it one without row groups
    FileMetaData schemaOnly = new FileMetaData(1, id.elements(), 0, List.of());
    if (id.columnOrders() != null) {
      schemaOnly.setColumn_orders(id.columnOrders());
    }
    MessageType type;
    try {
      type = CONVERTER.fromParquetMetadata(schemaOnly).getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid schema: " + e.getMessage(), e);
    }
    List<List<String>> paths = new ArrayList<>();
    for (String[] path : type.getPaths()) {
      paths.add(List.of(path));
    }
    Schema schema = new Schema(type, ParquetSchemas.key(type), List.copyOf(paths));
    if (schemas.size() < MAX_SCHEMAS) {
      schemas.putIfAbsent(id, schema);
    }
    return schema;
  }
}
