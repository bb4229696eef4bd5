package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * What a merge keeps of an input's footer as the input opens: read from the footer's bytes where
 * they lie ({@link FooterLayouts#readInput}), or converted from parquet-java's metadata ({@link
 * #of}) when that read leaves a footer to parquet-java. Either way the same file gives equal
 * figures.
 *
 * @param schema the file's schema
 * @param columns the schema's leaf columns, in order: {@code schema.getColumns()}, kept rather than
 *     made anew for each input (made anew, they were 2% of the CPU of a compaction of 20,000 files)
 * @param layout the file's layout (each row group's rows and bytes), to be checked against the one
 *     planned
 * @param createdBy the writer, as the footer's {@code created_by} says; null if it does not
 * @param keyValueMetadata the footer's key-value metadata (a value may be null); never null
 * @param chunks what the merge needs of each column chunk
 */
record InputFooter(
    MessageType schema,
    List<ColumnDescriptor> columns,
    FileLayout layout,
    String createdBy,
    Map<String, String> keyValueMetadata,
    InputChunks chunks) {

  InputFooter {
    requireNonNull(schema, "schema is null");
    requireNonNull(columns, "columns is null");
    requireNonNull(layout, "layout is null");
    requireNonNull(keyValueMetadata, "keyValueMetadata is null");
    requireNonNull(chunks, "chunks is null");
  }

  /**
   * The same of parquet-java's metadata of a footer.
   *
   * @param footer the footer, whose row groups' column chunks follow {@code columns} in order (the
   *     caller checks that)
   * @param columns the leaf columns of the footer's schema, or of a schema equal to it
   * @param schemaKey the key of the footer's schema ({@link ParquetSchemas#key})
   * @param outputCodec the codec of the merge's output
   */
  static InputFooter of(
      Footer footer,
      List<ColumnDescriptor> columns,
      String schemaKey,
      CompressionCodecName outputCodec) {
    ParquetMetadata metadata = footer.metadata();
    List<BlockMetaData> blocks = metadata.getBlocks();
    return new InputFooter(
        footer.schema(),
        columns,
        footer.layout(schemaKey),
        metadata.getFileMetaData().getCreatedBy(),
        metadata.getFileMetaData().getKeyValueMetaData(),
        InputChunks.of(blocks, columns, outputCodec));
  }
}
