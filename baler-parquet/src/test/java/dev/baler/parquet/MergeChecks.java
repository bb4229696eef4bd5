package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.testing.DuckDbVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/** Merges of local files, and the checks the carry-over and dictionary tests share. */
final class MergeChecks {
  private static final LocalStorage STORAGE = new LocalStorage();

  private MergeChecks() {}

  /**
   * Merges {@code inputs} into {@code directory/name.c.parquet}, with carried pages written as
   * stored (none joined), and checks that the file read back has the merge's fingerprint.
   */
  static Path merge(List<MergeInput> inputs, WriteOptions.Pages pages, Path directory, String name)
      throws IOException {
    return merge(
        inputs, WriteOptions.builder().pages(pages).smallPageBytes(0).build(), directory, name);
  }

  /**
   * Merges as {@link #merge(List, WriteOptions.Pages, Path, String)} does, with {@code options}.
   */
  static Path merge(List<MergeInput> inputs, WriteOptions options, Path directory, String name)
      throws IOException {
    Path output = directory.resolve(name + ".c.parquet");
    MergeResult result =
        new ParquetMerger(options)
            .merge(inputs, STORAGE.newOutputFile(Location.local(output)), MergeListener.NONE);
    assertThat(
            RowFingerprint.of(
                STORAGE.newInputFile(Location.local(output)),
                ParquetMerger.DEFAULT_WINDOW_BYTES,
                result.verbatim()))
        .as("the output read back as the merge's verification reads it")
        .isEqualTo(result.fingerprint());
    return output;
  }

  /** The merge's fingerprint, the read-back fingerprint and DuckDB all see the inputs' rows. */
  static void assertSameRows(List<MergeInput> inputs, Path output) throws IOException {
    RowFingerprint expected = RowFingerprint.EMPTY;
    List<Path> inputPaths = new ArrayList<>();
    for (MergeInput input : inputs) {
      expected = expected.plus(RowFingerprint.of(input.file()));
      inputPaths.add(pathOf(input));
    }
    assertThat(fingerprint(output)).isEqualTo(expected);
    DuckDbVerifier duckDb = new DuckDbVerifier();
    assertThat(duckDb.rows(List.of(output))).isEqualTo(duckDb.rows(inputPaths));
  }

  static RowFingerprint fingerprint(Path file) throws IOException {
    return RowFingerprint.of(STORAGE.newInputFile(Location.local(file)));
  }

  static Path pathOf(MergeInput input) {
    return Path.of(input.file().location().path());
  }

  /** The file's row group, checking that it has only one. */
  static BlockMetaData onlyRowGroup(Path file) throws IOException {
    try (ParquetFileReader reader = open(file)) {
      assertThat(reader.getRowGroups()).hasSize(1);
      return reader.getRowGroups().get(0);
    }
  }

  static ParquetFileReader open(Path file) throws IOException {
    return ParquetFileReader.open(
        new ParquetInputFile(STORAGE.newInputFile(Location.local(file))),
        ParquetRuntime.readOptions());
  }
}
