package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pages read from a chunk's bytes give the rows parquet-java's reader gives. */
class ChunkPagesTest {
  private static final Location FILE = Location.of("memory://test/wide.parquet");

  private final MemoryStorage storage = new MemoryStorage();

  @ParameterizedTest
  @CsvSource({"true, PARQUET_1_0, SNAPPY", "true, PARQUET_2_0, SNAPPY", "false, PARQUET_2_0, GZIP"})
  void read_hashesEveryChunkAsParquetJavasReaderDoes(
      boolean dictionary, WriterVersion version, CompressionCodecName codec) throws IOException {
    byte[] file = write(dictionary, version, codec);
    Footer footer = Footer.read(storage.newInputFile(FILE));
    List<ColumnDescriptor> columns = footer.schema().getColumns();
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new ParquetInputFile(storage.newInputFile(FILE)), ParquetRuntime.readOptions())) {
      for (BlockMetaData block : footer.rowGroups()) {
        PageReadStore expected = reader.readNextRowGroup();
        int rows = Math.toIntExact(block.getRowCount());
        for (int column = 0; column < columns.size(); column++) {
          ColumnDescriptor descriptor = columns.get(column);
          ColumnChunkMetaData chunk = block.getColumns().get(column);
          PageList pages =
              ChunkPages.read(
                  footer.createdBy(),
                  descriptor,
                  file,
                  Math.toIntExact(chunk.getStartingPos()),
                  Math.toIntExact(chunk.getTotalSize()),
                  chunk.getValueCount(),
                  rows,
                  codecs.getDecompressor(chunk.getCodec()),
                  null);
          ColumnCopier.RowHashes ours = new ColumnCopier.RowHashes(rows);
          ColumnCopier.RowHashes theirs = new ColumnCopier.RowHashes(rows);
          ColumnHasher.hash(pages, footer.createdBy(), descriptor, column, ours, 0);
          ColumnHasher.hash(expected, footer.createdBy(), descriptor, column, theirs, 0);
          assertThat(ours.lane1).as("column %s", descriptor).isEqualTo(theirs.lane1);
          assertThat(ours.lane2).as("column %s", descriptor).isEqualTo(theirs.lane2);
        }
      }
    } finally {
      codecs.release();
    }
  }

  @ParameterizedTest
  @CsvSource({"true, PARQUET_1_0, SNAPPY", "true, PARQUET_2_0, SNAPPY", "false, PARQUET_2_0, GZIP"})
  void hash_foldsEveryChunkAsParquetJavasReaderDoes_throughOneReusedBuffer(
      boolean dictionary, WriterVersion version, CompressionCodecName codec) throws IOException {
    byte[] file = write(dictionary, version, codec);
    Footer footer = Footer.read(storage.newInputFile(FILE));
    List<ColumnDescriptor> columns = footer.schema().getColumns();
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    PageBuffer buffer = new PageBuffer();
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new ParquetInputFile(storage.newInputFile(FILE)), ParquetRuntime.readOptions())) {
      for (BlockMetaData block : footer.rowGroups()) {
        PageReadStore expected = reader.readNextRowGroup();
        int rows = Math.toIntExact(block.getRowCount());
        ColumnCopier.RowHashes ours = new ColumnCopier.RowHashes(rows);
        ColumnCopier.RowHashes theirs = new ColumnCopier.RowHashes(rows);
        for (int column = 0; column < columns.size(); column++) {
          ColumnDescriptor descriptor = columns.get(column);
          ColumnChunkMetaData chunk = block.getColumns().get(column);
          int hashed =
              ChunkPages.hash(
                  footer.createdBy(),
                  descriptor,
                  column,
                  file,
                  Math.toIntExact(chunk.getStartingPos()),
                  Math.toIntExact(chunk.getTotalSize()),
                  chunk.getValueCount(),
                  rows,
                  codecs.getDecompressor(chunk.getCodec()),
                  buffer,
                  ours,
                  null,
                  0);
          ColumnHasher.hash(expected, footer.createdBy(), descriptor, column, theirs, 0);
          assertThat(hashed).as("rows of column %s", descriptor).isEqualTo(rows);
        }
        assertThat(ours.lane1).isEqualTo(theirs.lane1);
        assertThat(ours.lane2).isEqualTo(theirs.lane2);
      }
    } finally {
      codecs.release();
    }
  }

  // a GZIP chunk's pages, and V2 pages, take arrays of their own even with PageArrays: a control
  @ParameterizedTest
  @CsvSource({
    "true, PARQUET_1_0, SNAPPY",
    "false, PARQUET_1_0, SNAPPY",
    "false, PARQUET_2_0, GZIP"
  })
  void read_intoReusedArraysGivesEachPageItsOwnBytes(
      boolean dictionary, WriterVersion version, CompressionCodecName codec) throws IOException {
    byte[] file = write(dictionary, version, codec);
    Footer footer = Footer.read(storage.newInputFile(FILE));
    List<ColumnDescriptor> columns = footer.schema().getColumns();
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    PageArrays arrays = new PageArrays();
    // arrays that hold another chunk's bytes, past where each page of these ends
    for (int page = 0; page < PageArrays.MOST_KEPT; page++) {
      Arrays.fill(arrays.take(PageArrays.MOST_KEPT_BYTES), (byte) 0x5A);
    }
    try {
      for (BlockMetaData block : footer.rowGroups()) {
        for (int column = 0; column < columns.size(); column++) {
          ColumnDescriptor descriptor = columns.get(column);
          ColumnChunkMetaData chunk = block.getColumns().get(column);
          List<byte[]> expected = pageBytes(file, footer, block, descriptor, chunk, codecs, null);

          List<byte[]> reused = pageBytes(file, footer, block, descriptor, chunk, codecs, arrays);

          assertThat(reused).as("column %s", descriptor).hasSameSizeAs(expected);
          for (int page = 0; page < expected.size(); page++) {
            assertThat(reused.get(page))
                .as("page %d of %s", page, descriptor)
                .isEqualTo(expected.get(page));
          }
        }
      }
    } finally {
      codecs.release();
    }
  }

  /** Each data page's bytes, as the page gives them, read from the chunk with {@code arrays}. */
  private static List<byte[]> pageBytes(
      byte[] file,
      Footer footer,
      BlockMetaData block,
      ColumnDescriptor descriptor,
      ColumnChunkMetaData chunk,
      CompressionCodecFactory codecs,
      PageArrays arrays)
      throws IOException {
    PageList pages =
        ChunkPages.read(
            footer.createdBy(),
            descriptor,
            file,
            Math.toIntExact(chunk.getStartingPos()),
            Math.toIntExact(chunk.getTotalSize()),
            chunk.getValueCount(),
            block.getRowCount(),
            codecs.getDecompressor(chunk.getCodec()),
            arrays);
    List<byte[]> bytes = new ArrayList<>();
    PageReader reader = pages.getPageReader(descriptor);
    for (DataPage page = reader.readPage(); page != null; page = reader.readPage()) {
      bytes.add(
          page instanceof DataPageV1 v1
              ? v1.getBytes().toByteArray()
              : ((DataPageV2) page).getData().toByteArray());
    }
    return bytes;
  }

  @Test
  void read_reportsAPageThatRunsPastTheBytesGiven() throws IOException {
    byte[] file = write(true, WriterVersion.PARQUET_1_0, CompressionCodecName.SNAPPY);
    Footer footer = Footer.read(storage.newInputFile(FILE));
    ColumnDescriptor descriptor = footer.schema().getColumns().get(0);
    ColumnChunkMetaData chunk = footer.rowGroups().get(0).getColumns().get(0);
    CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
    try {
      assertThatThrownBy(
              () ->
                  ChunkPages.read(
                      footer.createdBy(),
                      descriptor,
                      file,
                      Math.toIntExact(chunk.getStartingPos()),
                      Math.toIntExact(chunk.getTotalSize()) - 1,
                      chunk.getValueCount(),
                      footer.rowGroups().get(0).getRowCount(),
                      codecs.getDecompressor(chunk.getCodec()),
                      null))
          .isInstanceOf(ChunkPages.Overrun.class)
          .hasMessage("a page of column 'small' runs past its chunk");
    } finally {
      codecs.release();
    }
  }

  private byte[] write(boolean dictionary, WriterVersion version, CompressionCodecName codec)
      throws IOException {
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(FILE)))
            .withType(ColumnHasherTest.SCHEMA)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withCompressionCodec(codec)
            .withPageSize(2048)
            .withRowGroupSize(64L * 1024)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
      for (int i = 0; i < 3000; i++) {
        writer.write(ColumnHasherTest.row(groups, i));
      }
    }
    return storage.newInputFile(FILE).readAllBytes();
  }
}
