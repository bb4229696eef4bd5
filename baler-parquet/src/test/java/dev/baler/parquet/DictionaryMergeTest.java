package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionary merge: dictionary-encoded inputs come out dictionary-encoded, with the values,
 * statistics and row fingerprints that re-encoding value by value gives.
 */
class DictionaryMergeTest {
  private static final int FILES = 5;
  private static final int ROWS = 9_000;

  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();

  @Test
  void merge_mergesDictionariesWithTheValuesAndStatisticsOfReencoding() throws IOException {
    List<MergeInput> inputs = writeInputs();

    Path merged = MergeChecks.merge(inputs, WriteOptions.Pages.CARRY_OVER, directory, "merged");
    Path reencoded = MergeChecks.merge(inputs, WriteOptions.Pages.REENCODE, directory, "reencoded");

    List<ColumnChunkMetaData> mergedChunks = MergeChecks.onlyRowGroup(merged).getColumns();
    List<ColumnChunkMetaData> reencodedChunks = MergeChecks.onlyRowGroup(reencoded).getColumns();
    List<ColumnChunkMetaData> inputChunks =
        MergeChecks.onlyRowGroup(MergeChecks.pathOf(inputs.get(0))).getColumns();
    List<String> dictionaryMerges = new ArrayList<>();
    for (int column = 0; column < mergedChunks.size(); column++) {
      ColumnChunkMetaData chunk = mergedChunks.get(column);
      assertThat(chunk.getStatistics())
          .as("statistics of %s", chunk.getPath())
          .isEqualTo(reencodedChunks.get(column).getStatistics());
      assertThat(chunk.getValueCount()).isEqualTo(reencodedChunks.get(column).getValueCount());
      ColumnChunkMetaData input = inputChunks.get(column);
      if (DictionaryMerge.isCandidate(
          ChunkMetadata.of(input), input.getPrimitiveType().getPrimitiveTypeName())) {
        dictionaryMerges.add(chunk.getPath().toDotString());
        assertThat(chunk.hasDictionaryPage()).isTrue();
        assertThat(chunk.getEncodingStats().hasNonDictionaryEncodedPages()).isFalse();
        // pages of at most 20,000 rows, as parquet-java cuts them
        assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(Encoding.PLAIN_DICTIONARY))
            .isEqualTo((FILES * ROWS + DictionaryMerge.PAGE_ROWS - 1) / DictionaryMerge.PAGE_ROWS);
      }
    }
    // numbers, strings, and a repeated column among them
    assertThat(dictionaryMerges).contains("small", "label", "pairs.key");
    MergeChecks.assertSameRows(inputs, merged);
  }

  /** Files of the wide schema, each with a different part of the rows, so dictionaries differ. */
  private List<MergeInput> writeInputs() throws IOException {
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.local(directory.resolve("in-" + file + ".parquet"));
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
              .withType(ColumnHasherTest.SCHEMA)
              .withDictionaryEncoding(true)
              .build()) {
        SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
        for (int i = 0; i < ROWS; i++) {
          writer.write(ColumnHasherTest.row(groups, i * FILES + file));
        }
      }
      Footer footer = Footer.read(storage.newInputFile(location));
      inputs.add(new MergeInput(storage.newInputFile(location), footer.layout(), Optional.empty()));
    }
    return inputs;
  }
}
