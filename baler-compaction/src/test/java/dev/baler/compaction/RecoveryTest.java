package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.parquet.Footer;
import dev.baler.parquet.MergeInput;
import dev.baler.parquet.MergeListener;
import dev.baler.parquet.ParquetMerger;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.StorageOutputStream;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of verified bins whose records or outputs are not what this version writes. */
class RecoveryTest {
  @TempDir Path directory;

  private final LocalStorage storage = new LocalStorage();
  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @Test
  void run_setsAsideAVerifiedOutputThatChangedWhileEveryInputIsIntact() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    RowMultiset rows = duckDb.rows(parquetFiles());
    // The record's output holds other rows than those verified (here the first input's), and
    // every input is still there with its marker, as a run killed before the first removal left.
    Location output = outputOf(data);
    Files.copy(inputs.get(0).toLocalPath(), output.toLocalPath());
    for (Location input : inputs) {
      Files.write(FileNames.marker(input).toLocalPath(), "{}".getBytes(StandardCharsets.UTF_8));
    }
    writeRecord(data, output, inputs, "VERIFIED", 400, "rows=400 0:0", Optional.of(""));

    CompactionResult result = run(data);

    assertThat(result.recovered())
        .singleElement()
        .satisfies(
            recovery ->
                assertThat(recovery.action())
                    .isEqualTo(
                        "rolled back: verified output "
                            + output
                            + " changed and was moved to "
                            + output
                            + ".unverified; every input is intact (delete it once checked)"));
    assertThat(result.filesProcessed()).as("markers deleted too").isEqualTo(inputs.size());
    assertThat(duckDb.rows(parquetFiles())).isEqualTo(rows);
    assertThat(directory.resolve("sensor_data.1.c.parquet.unverified")).exists();
  }

  @Test
  void run_setsAsideAnOutputOfTheRightRowCountWhoseFingerprintDiffers() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    RowMultiset rows = duckDb.rows(parquetFiles());
    Location output = outputOf(data);
    merge(inputs, output);
    // the record's fingerprint is another's: the rows are the same in number, not in value
    writeRecord(data, output, inputs, "VERIFIED", 400, "rows=400 1:1", Optional.of(""));

    CompactionResult result = run(data);

    assertThat(result.recovered())
        .singleElement()
        .satisfies(recovery -> assertThat(recovery.action()).contains("changed and was moved to"));
    assertThat(duckDb.rows(parquetFiles())).isEqualTo(rows);
  }

  @Test
  void run_stopsAtAChangedOutputOnceAnInputIsGone() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    Location output = outputOf(data);
    merge(inputs, output);
    Files.delete(inputs.get(0).toLocalPath());
    writeRecord(data, output, inputs, "VERIFIED", 400, "rows=400 1:1", Optional.of(""));
    byte[] before = Files.readAllBytes(output.toLocalPath());

    assertThatThrownBy(() -> run(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot recover")
        .hasMessageContaining("some inputs were already deleted");
    assertThat(Files.readAllBytes(output.toLocalPath())).isEqualTo(before);
  }

  @Test
  void run_stopsAtARecordOfNoInputsRatherThanTakingThemForIntact() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    Location output = outputOf(data);
    merge(inputs, output);
    writeRecord(data, output, List.of(), "VERIFIED", 400, "rows=400 1:1", Optional.of(""));

    assertThatThrownBy(() -> run(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot recover");
    assertThat(output.toLocalPath()).exists();
  }

  @Test
  void run_stopsAtAVerifiedRecordThatNamesVerbatimChunks() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    Location output = outputOf(data);
    writeRecord(data, output, inputs, "VERIFIED", 400, "rows=400 0:0", Optional.of("0:1"));

    assertThatThrownBy(() -> run(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("only VERIFIED_VERBATIM does");
  }

  /** A run of the default options on {@code data}, which recovers its journal first. */
  private CompactionResult run(Location data) throws IOException {
    return new CompactionRunner(
            storage, CompactionOptions.builder().build(), CompactionListener.NONE)
        .run(data);
  }

  /**
   * The output that the records these tests write by hand name: a compacted file's name ({@code
   * .c.parquet}) in the data directory, beside the inputs.
   */
  private static Location outputOf(Location data) {
    return data.resolve("sensor_data.1.c.parquet");
  }

  /** Merges {@code inputs} into {@code output} as a bin would. */
  private void merge(List<Location> inputs, Location output) throws IOException {
    List<MergeInput> merged = new ArrayList<>();
    for (Location input : inputs) {
      Footer footer = Footer.read(storage.newInputFile(input));
      merged.add(new MergeInput(storage.newInputFile(input), footer.layout(), Optional.empty()));
    }
    new ParquetMerger(WriteOptions.defaults())
        .merge(merged, storage.newOutputFile(output), MergeListener.NONE);
  }

  @Test
  void run_finishesAVerifiedBinOfARecordWrittenBeforeVerbatimChunks() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    RowMultiset rows = duckDb.rows(parquetFiles());
    Location output = outputOf(data);
    merge(inputs, output);
    // such a record has no verbatim_chunks, and its fingerprint hashes every value
    String fingerprint = RowFingerprint.of(storage.newInputFile(output)).toString();
    writeRecord(data, output, inputs, "VERIFIED", 400, fingerprint, Optional.empty());

    CompactionResult result = run(data);

    assertThat(result.recovered())
        .singleElement()
        .satisfies(
            recovery -> assertThat(recovery.action()).isEqualTo("finished: 4 of 4 inputs deleted"));
    assertThat(parquetFiles()).containsExactly(output.toLocalPath());
    assertThat(duckDb.rows(parquetFiles())).isEqualTo(rows);
  }

  @Test
  void run_finishingMarkingDeletesWhatAKilledMarkerWriteLeft() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    Location output = outputOf(data);
    merge(inputs, output);
    String fingerprint = RowFingerprint.of(storage.newInputFile(output)).toString();
    // killed while marking: two markers written, the third only as far as the store's temporary
    // file, as a marker being written and never closed leaves it
    for (Location input : inputs.subList(0, 2)) {
      Files.write(FileNames.marker(input).toLocalPath(), "{}".getBytes(StandardCharsets.UTF_8));
    }
    StorageOutputStream cut = storage.newOutputFile(FileNames.marker(inputs.get(2))).create();
    cut.write('{');
    cut.flush();
    List<Path> temporary;
    try (Stream<Path> hidden = Files.list(directory)) {
      temporary =
          hidden
              .filter(
                  path -> path.getFileName().toString().startsWith("." + inputs.get(2).fileName()))
              .toList();
    }
    assertThat(temporary).as("the marker's temporary file").hasSize(1);
    Path leftover = temporary.get(0);
    // hidden files that are not a marker's leftovers stay
    Path otherTemporary = directory.resolve(".sensor_data.9.parquet.processed.x.tmp");
    Path otherHidden = directory.resolve("." + inputs.get(3).fileName() + ".processed");
    Files.write(otherTemporary, new byte[1]);
    Files.write(otherHidden, new byte[1]);
    writeRecord(data, output, inputs, "VERIFIED", "KEEP", 400, fingerprint, Optional.empty());

    CompactionResult result = run(data);

    assertThat(result.recovered())
        .singleElement()
        .satisfies(
            recovery -> assertThat(recovery.action()).isEqualTo("finished: 4 of 4 inputs marked"));
    assertThat(leftover).doesNotExist();
    assertThat(otherTemporary).exists();
    assertThat(otherHidden).exists();
    for (Location input : inputs) {
      assertThat(FileNames.marker(input).toLocalPath()).exists();
    }
    cut.abort();
  }

  @Test
  void run_deletesJournalRecordsTemporaryFilesOlderThanALeaseLasts() throws IOException {
    Location data = Location.local(directory).asDirectory();
    telemetry(data);
    Path journal = Files.createDirectories(directory.resolve("_baler/journal"));
    // as a run killed while it wrote a record leaves one on local disk, written an hour ago
    Path abandoned =
        journal.resolve(".20261207093000-1a2b3c4d-000000.json.5f0c6a1e-1c2b-4d6e-9f3a.tmp");
    Files.write(abandoned, "{".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    // one written just now may be that of a run that lost its lease and has not noticed yet
    Path recent =
        journal.resolve(".20261207103000-5e6f7a8b-000000.json.0b1c2d3e-4f50-4d6e-9f3a.tmp");
    Files.write(recent, "{".getBytes(StandardCharsets.UTF_8));
    Path other = journal.resolve(".notes.txt");
    Files.write(other, new byte[1]);
    Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

    CompactionResult result = run(data);

    assertThat(result.filesProcessed()).isEqualTo(4);
    assertThat(abandoned).doesNotExist();
    assertThat(recent).exists();
    assertThat(other).as("not a temporary file").exists();
  }

  @Test
  void run_stopsAtARecordWhoseVerbatimChunksItCannotRead() throws IOException {
    Location data = Location.local(directory).asDirectory();
    List<Location> inputs = telemetry(data);
    Location output = outputOf(data);
    writeRecord(data, output, inputs, "VERIFIED_VERBATIM", 400, "rows=400 0:0", Optional.of("0:x"));

    assertThatThrownBy(() -> run(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("0:x")
        .hasMessageContaining("check the output and inputs it names, then delete it");
    assertThat(parquetFiles()).hasSize(inputs.size());
  }

  /** Four telemetry files of 100 rows in {@code data}, in name order. */
  private List<Location> telemetry(Location data) throws IOException {
    TelemetryDataset.builder().files(4).rowsPerFile(100).seed(7).build().write(storage, data);
    return parquetFiles().stream().map(Location::local).toList();
  }

  private List<Path> parquetFiles() throws IOException {
    return DuckDbVerifier.parquetFilesUnder(directory).stream().sorted().toList();
  }

  /** A record as a run killed after verifying its bin leaves it, the JSON written by hand. */
  private void writeRecord(
      Location data,
      Location output,
      List<Location> inputs,
      String state,
      long rows,
      String fingerprint,
      Optional<String> verbatimChunks)
      throws IOException {
    writeRecord(data, output, inputs, state, "DELETE", rows, fingerprint, verbatimChunks);
  }

  /** As above, with what becomes of the originals ({@code DELETE}, {@code KEEP}, ...). */
  private void writeRecord(
      Location data,
      Location output,
      List<Location> inputs,
      String state,
      String originals,
      long rows,
      String fingerprint,
      Optional<String> verbatimChunks)
      throws IOException {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("run_id", "killed");
    record.put("bin", 0);
    record.put("state", state);
    record.put("output", output.toString());
    record.put("inputs", inputs.stream().map(Location::toString).toList());
    record.put("originals", originals);
    record.put("backup_directory", "");
    record.put("rows", rows);
    record.put("fingerprint", fingerprint);
    verbatimChunks.ifPresent(chunks -> record.put("verbatim_chunks", chunks));
    Path path = data.resolve(Journal.DIRECTORY + "killed-000000.json").toLocalPath();
    Files.createDirectories(path.getParent());
    Files.write(path, StateJson.write(record));
  }
}
