package dev.baler.parquet;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.StorageOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * The scratch file of row groups a helping thread merged for a merge ({@link MergeHelpers}), and
 * their appending to the merge's output as they are stored. Stateless.
 */
final class RowGroupAppender {
  private RowGroupAppender() {}

  /**
   * Appends the row groups of {@code file}, written by a merge of the same schema, as they are
   * stored, with their column indexes, offset indexes and bloom filters.
   *
   * @return the file's key-value metadata
   */
  static Map<String, String> append(ParquetFileWriter writer, MessageType schema, Location file)
      throws IOException {
    ParquetInputFile part = new ParquetInputFile(new LocalStorage().newInputFile(file));
    try (ParquetFileReader reader = ParquetFileReader.open(part, ParquetRuntime.readOptions());
        SeekableInputStream stream = part.newStream()) {
      ParquetMetadata footer = reader.getFooter();
      PageIndexes indexes = PageIndexes.read(footer.getBlocks(), stream);
      for (BlockMetaData block : footer.getBlocks()) {
        writer.startBlock(block.getRowCount());
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          writer.appendColumnChunk(
              schema.getColumnDescription(chunk.getPath().toArray()),
              stream,
              chunk,
              chunk.getBloomFilterOffset() >= 0 ? reader.readBloomFilter(chunk) : null,
              indexes.columnIndex(chunk),
              indexes.offsetIndex(chunk));
        }
        writer.endBlock();
      }
      return footer.getFileMetaData().getKeyValueMetaData();
    }
  }

  /**
   * A file's column and offset indexes, read with one read of the span that holds them all:
   * parquet-java's reader parses each from the file a byte at a time, which took 3 ms a chunk.
   */
  private static final class PageIndexes {
    private final byte[] bytes;
    private final long start;

    private PageIndexes(byte[] bytes, long start) {
      this.bytes = bytes;
      this.start = start;
    }

    static PageIndexes read(List<BlockMetaData> blocks, SeekableInputStream stream)
        throws IOException {
      long start = Long.MAX_VALUE;
      long end = 0;
      for (BlockMetaData block : blocks) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          for (IndexReference index :
              Arrays.asList(chunk.getColumnIndexReference(), chunk.getOffsetIndexReference())) {
            if (index != null) {
              start = Math.min(start, index.getOffset());
              end = Math.max(end, index.getOffset() + index.getLength());
            }
          }
        }
      }
      if (start >= end) {
        return new PageIndexes(new byte[0], 0);
      }
      byte[] bytes = new byte[Math.toIntExact(end - start)];
      stream.seek(start);
      stream.readFully(bytes);
      return new PageIndexes(bytes, start);
    }

    ColumnIndex columnIndex(ColumnChunkMetaData chunk) throws IOException {
      IndexReference index = chunk.getColumnIndexReference();
      return index == null
          ? null
          : ParquetMetadataConverter.fromParquetColumnIndex(
              chunk.getPrimitiveType(), Util.readColumnIndex(bytesOf(index)));
    }

    OffsetIndex offsetIndex(ColumnChunkMetaData chunk) throws IOException {
      IndexReference index = chunk.getOffsetIndexReference();
      return index == null
          ? null
          : ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(bytesOf(index)));
    }

    private ByteArrayInputStream bytesOf(IndexReference index) {
      return new ByteArrayInputStream(
          bytes, Math.toIntExact(index.getOffset() - start), index.getLength());
    }
  }

  /**
   * A local file for row groups a helping thread merges: written through a buffer, with neither the
   * fsync nor the rename {@link LocalStorage} makes for an output, as it lives only until the merge
   * that handed them over appends them.
   */
  static OutputFile scratchFile(Path path) {
    Location location = Location.local(path);
    return new OutputFile() {
      @Override
      public Location location() {
        return location;
      }

      @Override
      public StorageOutputStream create() throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        return new StorageOutputStream() {
          private long position;

          @Override
          public long position() {
            return position;
          }

          @Override
          public void write(int b) throws IOException {
            out.write(b);
            position++;
          }

          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            position += length;
          }

          @Override
          public void close() throws IOException {
            out.close();
          }

          @Override
          public void abort() throws IOException {
            try {
              out.close();
            } finally {
              Files.deleteIfExists(path);
            }
          }
        };
      }
    };
  }
}
