package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.SeekableInputStream;
import dev.baler.testing.ForwardingInputFile;
import dev.baler.testing.ForwardingSeekableInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A row fingerprint is a stable function of the rows: a journal record keeps the fingerprint of a
 * verified output, and the recovery of a killed run, perhaps by a newer Baler, compares the
 * output's fingerprint with it. A change of the hash functions, or of how a value is folded into
 * its row, must fail here; the figures were computed by the fingerprint as first released.
 */
class RowFingerprintTest {
  @ParameterizedTest
  @CsvSource({
    "false, PARQUET_1_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f",
    "true, PARQUET_1_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f",
    "true, PARQUET_2_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f"
  })
  void of_givesTheSameFingerprintAsEveryEarlierVersion(
      boolean dictionary, WriterVersion version, String expected) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://test/wide.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(ColumnHasherTest.SCHEMA)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withPageSize(4096)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
      for (int i = 0; i < 3000; i++) {
        writer.write(ColumnHasherTest.row(groups, i));
      }
    }

    assertThat(RowFingerprint.of(storage.newInputFile(location))).hasToString(expected);
  }

  /**
   * Reading back an output holds a bounded window of it, not a whole row group: each read of column
   * chunks takes at most the window bytes, or one chunk when a chunk is larger, and the fingerprint
   * does not depend on the window.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 16 << 10, 32 << 20})
  void of_readsColumnChunksInGroupsOfAtMostTheWindowBytes(long windowBytes) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://test/wide.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(ColumnHasherTest.SCHEMA)
            .withPageSize(4096)
            .withRowGroupSize(64 << 10)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
      for (int i = 0; i < 3000; i++) {
        writer.write(ColumnHasherTest.row(groups, i));
      }
    }
    Footer footer = Footer.read(storage.newInputFile(location));
    int chunks = 0;
    long largestChunk = 0;
    long dataEnd = 0;
    for (BlockMetaData block : footer.rowGroups()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        chunks++;
        largestChunk = Math.max(largestChunk, chunk.getTotalSize());
        dataEnd = Math.max(dataEnd, chunk.getStartingPos() + chunk.getTotalSize());
      }
    }
    assertThat(footer.rowGroups()).hasSizeGreaterThan(1);
    RecordingFile recording = new RecordingFile(storage.newInputFile(location));

    RowFingerprint fingerprint = RowFingerprint.of(recording, windowBytes);

    assertThat(fingerprint).hasToString("rows=3000 cd8cc51e78895483:b90c19b23fd6805f");
    long end = dataEnd;
    long mostBytes = Math.max(windowBytes, largestChunk);
    List<long[]> dataReads =
        recording.reads.stream().filter(read -> read[0] < end && read[1] > 0).toList();
    assertThat(dataReads).allSatisfy(read -> assertThat(read[1]).isLessThanOrEqualTo(mostBytes));
    if (windowBytes == 1) {
      assertThat(dataReads).hasSize(chunks);
    } else if (windowBytes == 32 << 20) {
      assertThat(dataReads).hasSize(footer.rowGroups().size());
    } else {
      assertThat(dataReads.size()).isBetween(footer.rowGroups().size() + 1, chunks - 1);
    }
  }

  /**
   * A footer whose column chunks do not follow its schema (the first chunk's path changed from
   * {@code status} to {@code name}) is refused as invalid Parquet, an IOException as documented,
   * not as a bare runtime exception.
   */
  @Test
  void of_refusesChunksThatDoNotFollowTheSchemaAsInvalidParquet() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    byte[] file = TestFiles.withFirstChunkPath(TestFiles.otherSchemaFile(), "name");
    Location mismatched = Location.of("memory://test/mismatched.parquet");
    storage.newOutputFile(mismatched).write(file);

    assertThatThrownBy(() -> RowFingerprint.of(storage.newInputFile(mismatched)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining("do not follow the schema");
  }

  /** Records each read as a position and the bytes read from it until the next seek. */
  private static final class RecordingFile extends ForwardingInputFile {
    final List<long[]> reads = new ArrayList<>();

    RecordingFile(InputFile file) {
      super(file);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return new ForwardingSeekableInputStream(super.newStream()) {
        @Override
        public void seek(long position) throws IOException {
          super.seek(position);
          reads.add(new long[] {position, 0});
        }

        @Override
        public int read() throws IOException {
          int read = super.read();
          counted(read < 0 ? 0 : 1);
          return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int read = super.read(buffer, offset, length);
          counted(Math.max(read, 0));
          return read;
        }

        private void counted(int bytes) throws IOException {
          if (reads.isEmpty()) {
            reads.add(new long[] {position() - bytes, 0});
          }
          reads.get(reads.size() - 1)[1] += bytes;
        }
      };
    }
  }
}
