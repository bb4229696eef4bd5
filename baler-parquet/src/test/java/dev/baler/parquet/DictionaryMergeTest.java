package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
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

    Path merged = merge(inputs, WriteOptions.Pages.CARRY_OVER, "merged");
    Path reencoded = merge(inputs, WriteOptions.Pages.REENCODE, "reencoded");

    List<ColumnChunkMetaData> mergedChunks = onlyRowGroup(merged).getColumns();
    List<ColumnChunkMetaData> reencodedChunks = onlyRowGroup(reencoded).getColumns();
    List<ColumnChunkMetaData> inputChunks =
        onlyRowGroup(Path.of(inputs.get(0).file().location().path())).getColumns();
    List<String> dictionaryMerges = new ArrayList<>();
    for (int column = 0; column < mergedChunks.size(); column++) {
      ColumnChunkMetaData chunk = mergedChunks.get(column);
      assertThat(chunk.getStatistics())
          .as("statistics of %s", chunk.getPath())
          .isEqualTo(reencodedChunks.get(column).getStatistics());
      assertThat(chunk.getValueCount()).isEqualTo(reencodedChunks.get(column).getValueCount());
      if (DictionaryMerge.isCandidate(inputChunks.get(column))) {
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
    assertSameRows(inputs, merged);
  }

  private void assertSameRows(List<MergeInput> inputs, Path output) throws IOException {
    RowFingerprint expected = RowFingerprint.EMPTY;
    List<Path> inputPaths = new ArrayList<>();
    for (MergeInput input : inputs) {
      expected = expected.plus(RowFingerprint.of(input.file()));
      inputPaths.add(Path.of(input.file().location().path()));
    }
    assertThat(RowFingerprint.of(storage.newInputFile(Location.local(output)))).isEqualTo(expected);
    DuckDbVerifier duckDb = new DuckDbVerifier();
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(inputPaths));
  }

  private Path merge(List<MergeInput> inputs, WriteOptions.Pages pages, String name)
      throws IOException {
    Path output = directory.resolve(name + ".c.parquet");
    MergeResult result =
        new ParquetMerger(WriteOptions.builder().pages(pages).build())
            .merge(inputs, storage.newOutputFile(Location.local(output)), MergeListener.NONE);
    assertThat(RowFingerprint.of(storage.newInputFile(Location.local(output))))
        .isEqualTo(result.fingerprint());
    return output;
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

  private static BlockMetaData onlyRowGroup(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new ParquetInputFile(new LocalStorage().newInputFile(Location.local(file))),
            ParquetRuntime.readOptions())) {
      assertThat(reader.getRowGroups()).hasSize(1);
      return reader.getRowGroups().get(0);
    }
  }
}
