package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * What a Parquet file's footer says: its schema, row groups, codecs and key-value metadata.
 *
 * @param location the file
 * @param length the file's size in bytes
 * @param metadata parquet-java's view of the footer
 */
public record Footer(Location location, long length, ParquetMetadata metadata) {
  private static final int MAGIC_AND_LENGTH = 8;
  private static final int SMALLEST_FILE = 12; // "PAR1" + footer length + "PAR1"

  public Footer {
    requireNonNull(location, "location is null");
    requireNonNull(metadata, "metadata is null");
  }

  /**
   * Reads a file's footer.
   *
   * @throws InvalidParquetFileException if the file is empty, too short, not Parquet, has a corrupt
   *     footer, or uses a codec Baler cannot decode; the reason says which
   * @throws IOException if the store cannot be read
   */
  public static Footer read(InputFile file) throws IOException {
    Location location = file.location();
    long length = file.length();
    if (length == 0) {
      throw new InvalidParquetFileException(location, "empty file (0 bytes)", null);
    }
    if (length < SMALLEST_FILE) {
      throw new InvalidParquetFileException(
          location, "truncated: " + length + " bytes is shorter than any Parquet file", null);
    }
    ParquetMetadata metadata;
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ParquetInputFile(file), ParquetRuntime.readOptions())) {
      metadata = reader.getFooter();
    } catch (FileNotFoundException e) {
      throw e;
    } catch (EOFException e) {
      throw new InvalidParquetFileException(
          location, "truncated: the footer runs past the end of the file", e);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      String reason =
          message.contains("magic number")
              ? (startsWithMagic(file)
                  ? "truncated: it starts as Parquet but has no footer at its end"
                  : "not a Parquet file: no PAR1 magic number at its start or end")
              : "corrupt footer (" + e.getClass().getSimpleName() + ": " + message + ")";
      throw new InvalidParquetFileException(location, reason, e);
    } catch (IOException e) {
      // A footer that does not parse is the file's fault; anything else (a reset connection, a
      // store error after the SDK's retries) is the store's, and must not make a good file
      // look bad.
      if (!ParquetRuntime.isCorruptData(e)) {
        throw e;
      }
      throw new InvalidParquetFileException(location, "corrupt footer (" + e.getMessage() + ")", e);
    }
    Footer footer = new Footer(location, length, metadata);
    for (Codec codec : footer.codecs()) {
      var reason = codec.unavailableReason();
      if (reason.isPresent()) {
        throw new InvalidParquetFileException(
            location, "unsupported codec " + codec.displayName() + ": " + reason.get(), null);
      }
    }
    return footer;
  }

  private static boolean startsWithMagic(InputFile file) {
    byte[] head = new byte[4];
    try (var stream = file.newStream()) {
      stream.readFully(head, 0, head.length);
      return head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1';
    } catch (IOException e) {
      return false;
    }
  }

  /** The file's schema. */
  public MessageType schema() {
    return metadata.getFileMetaData().getSchema();
  }

  /** Rows in the file, the sum over its row groups. */
  public long rows() {
    long rows = 0;
    for (BlockMetaData block : metadata.getBlocks()) {
      rows += block.getRowCount();
    }
    return rows;
  }

  /** The row groups, in file order. */
  public List<BlockMetaData> rowGroups() {
    return metadata.getBlocks();
  }

  /** The codecs its column chunks use. */
  public Set<Codec> codecs() {
    Set<Codec> codecs = new LinkedHashSet<>();
    for (BlockMetaData block : metadata.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        codecs.add(Codec.of(column.getCodec()));
      }
    }
    return codecs;
  }

  /** The footer's key-value metadata, such as {@code ARROW:schema}; never null. */
  public Map<String, String> keyValueMetadata() {
    return metadata.getFileMetaData().getKeyValueMetaData();
  }

  /** The writer that made the file, as it says in {@code created_by}. */
  public String createdBy() {
    return String.valueOf(metadata.getFileMetaData().getCreatedBy());
  }

  /** The slim summary planning keeps of this footer. */
  public FileLayout layout() {
    return layout(schemaKey());
  }

  /**
   * The file's layout, with {@code schemaKey} as its schema's key: the key of a schema equal to
   * this file's, known already.
   */
  FileLayout layout(String schemaKey) {
    return new FileLayout(
        length,
        schemaKey,
        rowGroups().stream()
            .map(
                block ->
                    new FileLayout.RowGroupSize(block.getRowCount(), block.getCompressedSize()))
            .toList());
  }

  /**
   * A key that is equal for two files exactly when their schemas are the same apart from the root's
   * name (writers name it differently): column names, order, physical and logical types, repetition
   * and field ids.
   */
  public String schemaKey() {
    return ParquetSchemas.key(schema());
  }
}
