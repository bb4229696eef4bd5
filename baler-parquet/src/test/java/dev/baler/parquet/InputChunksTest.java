package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a merge keeps of an input's column chunks: the footer's figures, packed, given back. */
class InputChunksTest {
  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void of_givesBackWhatTheFooterSaysOfEveryChunk(Fixtures.Writer writer) throws IOException {
    int carryCandidates = 0;
    for (Path path : Fixtures.of(writer).copyTo(directory)) {
      ParquetMetadata footer = footer(path);
      // carry candidates need the output codec to be theirs: take the first chunk's
      CompressionCodecName outputCodec = footer.getBlocks().get(0).getColumns().get(0).getCodec();
      carryCandidates += assertKeepsEveryChunk(footer, outputCodec);
    }
    if (writer == Fixtures.Writer.POLARS) {
      // pyarrow and DuckDB write a dictionary into every chunk of these files; polars does not
      assertThat(carryCandidates).as("chunks with statistics kept").isPositive();
    }
  }

  @Test
  void statistics_keepNullCountsBoundsAndNanCountsOfPlainChunks() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            """
            message reading {
              required int64 id;
              optional double value;
              optional binary note (STRING);
            }
            """);
    Path path =
        writePlain(
            "plain.parquet",
            schema,
            (group, row) -> {
              group.add("id", (long) row - 1000);
              if (row % 3 == 0) {
                group.add("value", row % 7 == 0 ? Double.NaN : row / 10.0);
              }
              // every note null: statistics without bounds
            });
    ParquetMetadata footer = footer(path);
    assertThat(footer.getBlocks()).as("row groups").hasSizeGreaterThan(1);

    int carryCandidates = assertKeepsEveryChunk(footer, CompressionCodecName.UNCOMPRESSED);

    assertThat(carryCandidates).isEqualTo(footer.getBlocks().size() * 3);
  }

  /**
   * Chunks past 2 GiB into a file: figures that do not fit in an int are kept as longs, whole. A
   * footer's chunks are moved 3 GiB further into the file, their column indexes too.
   */
  @Test
  void of_keepsFiguresPastTwoGibibytes() throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType("message far { optional int64 id; }");
    Path path = writePlain("far.parquet", schema, (group, row) -> group.add("id", (long) row));
    ParquetMetadata footer = footer(path);
    long shift = 3L << 30;
    List<BlockMetaData> moved = new ArrayList<>();
    for (BlockMetaData block : footer.getBlocks()) {
      BlockMetaData far = new BlockMetaData();
      far.setRowCount(block.getRowCount());
      far.setTotalByteSize(block.getTotalByteSize());
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        ColumnChunkMetaData farChunk =
            ColumnChunkMetaData.get(
                chunk.getPath(),
                chunk.getPrimitiveType(),
                chunk.getCodec(),
                chunk.getEncodingStats(),
                chunk.getEncodings(),
                chunk.getStatistics(),
                chunk.getFirstDataPageOffset() + shift,
                chunk.getDictionaryPageOffset() > 0 ? chunk.getDictionaryPageOffset() + shift : 0,
                chunk.getValueCount(),
                chunk.getTotalSize(),
                chunk.getTotalUncompressedSize());
        IndexReference index = chunk.getColumnIndexReference();
        if (index != null) {
          farChunk.setColumnIndexReference(
              new IndexReference(index.getOffset() + shift, index.getLength()));
        }
        far.addColumn(farChunk);
      }
      moved.add(far);
    }

    int carryCandidates =
        assertKeepsEveryChunk(
            new ParquetMetadata(footer.getFileMetaData(), moved),
            CompressionCodecName.UNCOMPRESSED);

    assertThat(moved.get(0).getColumns().get(0).getStartingPos()).isGreaterThan(shift);
    assertThat(carryCandidates).isEqualTo(moved.size());
  }

  @Test
  void builder_takesExactlyTheChunksAnnounced() {
    List<ColumnDescriptor> columns =
        MessageTypeParser.parseMessageType("message m { required int64 id; }").getColumns();
    ChunkMetadata chunk = new ChunkMetadata(4, 0, 100, 10, -1, 0, CompressionCodecName.SNAPPY, 0);
    InputChunks.Builder two = new InputChunks.Builder(columns, CompressionCodecName.SNAPPY, 2);
    two.add(chunk, () -> null);

    assertThatThrownBy(two::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("1 chunks added, 2 announced");
    two.add(chunk, () -> null);
    assertThat(two.build().rowGroups()).isEqualTo(2);
    assertThatThrownBy(() -> two.add(chunk, () -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("More than the 2 chunks announced");
  }

  /**
   * The rules for carrying a chunk and merging its dictionary read {@link ChunkMetadata}; they must
   * decide as the rules before it, which read parquet-java's {@link ColumnChunkMetaData} (kept here
   * as {@link #carriedByTheOldRule} and {@link #mergedByTheOldRule}), for every combination of
   * encoding statistics, list of encodings, codec and type.
   */
  @Test
  void candidateRulesDecideAsTheRulesOnParquetJavasMetadataDid() {
    Encoding[] dataEncodings = {
      Encoding.PLAIN,
      Encoding.PLAIN_DICTIONARY,
      Encoding.RLE_DICTIONARY,
      Encoding.DELTA_BINARY_PACKED
    };
    List<Set<Encoding>> listed =
        List.of(
            Set.of(Encoding.PLAIN, Encoding.RLE),
            Set.of(Encoding.PLAIN_DICTIONARY, Encoding.RLE),
            Set.of(Encoding.PLAIN, Encoding.RLE_DICTIONARY, Encoding.RLE));
    Statistics<?> complete =
        Statistics.getBuilderForReading(Types.optional(PrimitiveTypeName.INT64).named("x"))
            .withNumNulls(0)
            .withMin(new byte[8])
            .withMax(new byte[8])
            .build();
    int cases = 0;
    for (PrimitiveTypeName type :
        List.of(PrimitiveTypeName.INT64, PrimitiveTypeName.BOOLEAN, PrimitiveTypeName.INT96)) {
      for (int stats = -1; stats < 1 << (dataEncodings.length + 2); stats++) {
        EncodingStats encodingStats = null;
        if (stats >= 0) {
          EncodingStats.Builder builder = new EncodingStats.Builder();
          if ((stats & 1) != 0) {
            builder.addDictEncoding(Encoding.PLAIN);
          }
          if ((stats & 2) != 0) {
            builder.withV2Pages();
          }
          for (int e = 0; e < dataEncodings.length; e++) {
            if ((stats & 4 << e) != 0) {
              builder.addDataEncoding(dataEncodings[e]);
            }
          }
          encodingStats = builder.build();
        }
        for (Set<Encoding> encodings : listed) {
          for (CompressionCodecName codec :
              List.of(CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD)) {
            ColumnChunkMetaData chunk =
                ColumnChunkMetaData.get(
                    ColumnPath.get("x"),
                    Types.optional(type).named("x"),
                    codec,
                    encodingStats,
                    encodings,
                    complete,
                    1000,
                    stats >= 0 && (stats & 1) != 0 ? 4 : 0,
                    10,
                    996,
                    2000);
            String name = type + " " + encodingStats + " " + encodings + " " + codec;
            ChunkMetadata metadata = ChunkMetadata.of(chunk);
            ColumnDescriptor column =
                new ColumnDescriptor(new String[] {"x"}, Types.optional(type).named("x"), 0, 1);
            InputChunks chunks =
                new InputChunks.Builder(List.of(column), CompressionCodecName.SNAPPY, 1)
                    .add(metadata, chunk::getStatistics)
                    .build();

            assertThat(chunks.carryCandidate(0, 0))
                .as(name)
                .isEqualTo(carriedByTheOldRule(chunk, CompressionCodecName.SNAPPY));
            assertThat(chunks.mergeCandidate(0, 0)).as(name).isEqualTo(mergedByTheOldRule(chunk));
            assertThat(metadata.hasDictionaryPage()).as(name).isEqualTo(chunk.hasDictionaryPage());
            assertThat(metadata.start()).as(name).isEqualTo(chunk.getStartingPos());
            cases++;
          }
        }
      }
    }
    assertThat(cases).isEqualTo(3 * 65 * 3 * 2);
  }

  /** The rule for carrying a chunk over as it read parquet-java's metadata before ChunkMetadata. */
  private static boolean carriedByTheOldRule(
      ColumnChunkMetaData chunk, CompressionCodecName outputCodec) {
    if (chunk.getCodec() != outputCodec || chunk.hasDictionaryPage()) {
      return false;
    }
    EncodingStats encodings = chunk.getEncodingStats();
    if (encodings != null
        && (encodings.hasDictionaryPages()
            || encodings.hasDictionaryEncodedPages()
            || encodings.usesV2Pages())) {
      return false;
    }
    for (Encoding encoding : chunk.getEncodings()) {
      if (encoding.usesDictionary()) {
        return false;
      }
    }
    return CarriedChunk.complete(chunk.getStatistics(), chunk.getValueCount());
  }

  /** The rule for merging a chunk's dictionary as it read parquet-java's metadata before. */
  private static boolean mergedByTheOldRule(ColumnChunkMetaData chunk) {
    EncodingStats encodings = chunk.getEncodingStats();
    PrimitiveTypeName type = chunk.getPrimitiveType().getPrimitiveTypeName();
    return chunk.hasDictionaryPage()
        && encodings != null
        && encodings.hasDictionaryPages()
        && !encodings.hasNonDictionaryEncodedPages()
        && !encodings.usesV2Pages()
        && type != PrimitiveTypeName.BOOLEAN
        && type != PrimitiveTypeName.INT96;
  }

  /**
   * Asserts that {@link InputChunks} of the footer's chunks gives back each chunk's figures, and
   * the statistics of those it may carry over.
   *
   * @return the chunks it may carry over
   */
  private static int assertKeepsEveryChunk(
      ParquetMetadata footer, CompressionCodecName outputCodec) {
    List<ColumnDescriptor> columns = footer.getFileMetaData().getSchema().getColumns();
    List<BlockMetaData> blocks = footer.getBlocks();
    InputChunks chunks = InputChunks.of(blocks, columns, outputCodec);
    assertThat(chunks.rowGroups()).isEqualTo(blocks.size());
    int carryCandidates = 0;
    for (int rowGroup = 0; rowGroup < blocks.size(); rowGroup++) {
      for (int column = 0; column < columns.size(); column++) {
        ColumnChunkMetaData chunk = blocks.get(rowGroup).getColumns().get(column);
        String name = "row group " + rowGroup + ", column " + chunk.getPath();
        List<Object> kept = new ArrayList<>();
        kept.add(chunks.start(rowGroup, column));
        kept.add(chunks.size(rowGroup, column));
        kept.add(chunks.values(rowGroup, column));
        kept.add(chunks.codec(rowGroup, column));
        kept.add(chunks.carryCandidate(rowGroup, column));
        kept.add(chunks.mergeCandidate(rowGroup, column));
        kept.add(chunks.dictionaryPageBytes(rowGroup, column));
        kept.add(chunks.columnIndexOffset(rowGroup, column));
        kept.add(chunks.columnIndexLength(rowGroup, column));
        IndexReference index = chunk.getColumnIndexReference();
        boolean carry = carriedByTheOldRule(chunk, outputCodec);
        assertThat(kept)
            .as(name)
            .containsExactly(
                chunk.getStartingPos(),
                chunk.getTotalSize(),
                chunk.getValueCount(),
                chunk.getCodec(),
                carry,
                mergedByTheOldRule(chunk),
                chunk.hasDictionaryPage() && chunk.getDictionaryPageOffset() > 0
                    ? chunk.getFirstDataPageOffset() - chunk.getDictionaryPageOffset()
                    : 0L,
                index == null ? -1L : index.getOffset(),
                index == null ? 0 : index.getLength());
        Statistics<?> statistics =
            chunks.statistics(rowGroup, column, columns.get(column).getPrimitiveType());
        if (carry) {
          carryCandidates++;
          Statistics<?> expected = chunk.getStatistics();
          assertThat(statistics).as(name).isEqualTo(expected);
          assertThat(statistics.hasNonNullValue()).as(name).isEqualTo(expected.hasNonNullValue());
          assertThat(statistics.isNanCountSet()).as(name).isEqualTo(expected.isNanCountSet());
          if (expected.isNanCountSet()) {
            assertThat(statistics.getNanCount()).as(name).isEqualTo(expected.getNanCount());
          }
        } else {
          assertThat(statistics).as(name).isNull();
        }
      }
    }
    return carryCandidates;
  }

  /**
   * A file of 2,000 rows without dictionaries, in row groups of about 4 KiB and pages of 1 KiB,
   * each row filled by {@code fill} from its index.
   */
  private Path writePlain(String name, MessageType schema, ObjIntConsumer<Group> fill)
      throws IOException {
    Path path = directory.resolve(name);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                new ParquetOutputFile(storage.newOutputFile(Location.local(path))))
            .withType(schema)
            .withDictionaryEncoding(false)
            .withRowGroupSize(4096L)
            .withPageSize(1024)
            .build()) {
      for (int row = 0; row < 2000; row++) {
        Group group = new SimpleGroup(schema);
        fill.accept(group, row);
        writer.write(group);
      }
    }
    return path;
  }

  private ParquetMetadata footer(Path path) throws IOException {
    ParquetInputFile file = new ParquetInputFile(storage.newInputFile(Location.local(path)));
    return ParquetFileReader.readFooter(file, ParquetRuntime.footerOptions(), file.newStream());
  }
}
