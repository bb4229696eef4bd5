package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.Codec;
import dev.baler.parquet.Footer;
import dev.baler.storage.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * What one Parquet file's footer says, as {@code baler inspect FILE} shows it: schema, writer, row
 * groups with their column chunks, and key-value metadata. Immutable.
 *
 * @param location the file
 * @param length its size in bytes
 * @param rows rows over all row groups
 * @param createdBy the writer, as the footer's {@code created_by} says
 * @param schema the schema in Parquet's message syntax
 * @param rowGroups the row groups, in file order
 * @param keyValueMetadata the footer's key-value metadata, sorted by key, values shortened
 */
public record InspectionFile(
    Location location,
    long length,
    long rows,
    String createdBy,
    String schema,
    List<RowGroup> rowGroups,
    List<KeyValue> keyValueMetadata) {
  /** Characters of a key-value metadata value kept; longer values are cut and end in "...". */
  public static final int VALUE_CHARS = 80;

  public InspectionFile {
    requireNonNull(location, "location is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(schema, "schema is null");
    rowGroups = List.copyOf(rowGroups);
    keyValueMetadata = List.copyOf(keyValueMetadata);
  }

  /** The inspection of a footer. */
  public static InspectionFile of(Footer footer) {
    List<RowGroup> rowGroups = new ArrayList<>();
    for (BlockMetaData block : footer.rowGroups()) {
      List<ColumnChunk> columns = new ArrayList<>();
      for (ColumnChunkMetaData column : block.getColumns()) {
        columns.add(ColumnChunk.of(column));
      }
      rowGroups.add(
          new RowGroup(
              rowGroups.size(),
              block.getRowCount(),
              block.getCompressedSize(),
              block.getTotalByteSize(),
              columns));
    }
    List<KeyValue> keyValues = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(footer.keyValueMetadata()).entrySet()) {
      String value = entry.getValue();
      keyValues.add(
          value == null
              ? new KeyValue(entry.getKey(), 0, null)
              : new KeyValue(
                  entry.getKey(),
                  value.length(),
                  value.length() <= VALUE_CHARS ? value : value.substring(0, VALUE_CHARS) + "..."));
    }
    return new InspectionFile(
        footer.location(),
        footer.length(),
        footer.rows(),
        footer.createdBy(),
        footer.schema().toString(),
        rowGroups,
        keyValues);
  }

  /**
   * One row group.
   *
   * @param index its position in the file, from 0
   * @param rows rows in it
   * @param compressedBytes its column chunks' bytes as stored
   * @param uncompressedBytes its column chunks' bytes before compression
   * @param columns its column chunks, in schema order
   */
  public record RowGroup(
      int index,
      long rows,
      long compressedBytes,
      long uncompressedBytes,
      List<ColumnChunk> columns) {
    public RowGroup {
      columns = List.copyOf(columns);
    }
  }

  /**
   * One column chunk.
   *
   * @param path the column's dotted path, such as {@code tags.list.element}
   * @param type its physical type, such as {@code INT64}
   * @param codec its codec's name, such as {@code snappy}
   * @param encodings its encodings, level encodings included, such as {@code RLE_DICTIONARY}
   * @param pageVersion {@code v1} or {@code v2} data pages, or {@code unknown} when the footer has
   *     no encoding statistics
   * @param hasStatistics whether the footer holds statistics (min, max or null count) for it
   * @param compressedBytes its bytes as stored
   * @param values values in it, nulls included
   */
  public record ColumnChunk(
      String path,
      String type,
      String codec,
      List<String> encodings,
      String pageVersion,
      boolean hasStatistics,
      long compressedBytes,
      long values) {
    public ColumnChunk {
      requireNonNull(path, "path is null");
      requireNonNull(type, "type is null");
      requireNonNull(codec, "codec is null");
      encodings = List.copyOf(encodings);
      requireNonNull(pageVersion, "pageVersion is null");
    }

    static ColumnChunk of(ColumnChunkMetaData column) {
      Statistics<?> statistics = column.getStatistics();
      return new ColumnChunk(
          column.getPath().toDotString(),
          column.getPrimitiveType().getPrimitiveTypeName().name(),
          Codec.of(column.getCodec()).displayName(),
          column.getEncodings().stream().map(Encoding::name).sorted().toList(),
          pageVersionOf(column),
          statistics != null && !statistics.isEmpty(),
          column.getTotalSize(),
          column.getValueCount());
    }
  }

  /** {@code v1}, {@code v2} or {@code unknown}: the data page version of a column chunk. */
  static String pageVersionOf(ColumnChunkMetaData column) {
    EncodingStats stats = column.getEncodingStats();
    if (stats == null) {
      return "unknown";
    }
    return stats.usesV2Pages() ? "v2" : "v1";
  }

  /**
   * One key-value metadata entry.
   *
   * @param key the key, such as {@code ARROW:schema}
   * @param valueChars the length of the whole value, in characters
   * @param value the value, cut to {@value #VALUE_CHARS} characters and "..." when longer; null for
   *     a pair without a value (Thrift's value is optional), whose {@code valueChars} is 0
   */
  public record KeyValue(String key, int valueChars, String value) {
    public KeyValue {
      requireNonNull(key, "key is null");
    }
  }
}
