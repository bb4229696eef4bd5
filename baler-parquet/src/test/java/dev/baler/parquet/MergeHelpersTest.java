package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.FileEntry;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A merge that hands part of its row groups to a waiting thread ({@link MergeHelpers}). */
@Timeout(120)
class MergeHelpersTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");

  private final MemoryStorage storage = new MemoryStorage();
  private final MergeHelpers helpers = new MergeHelpers();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> helperFailure = new AtomicReference<>();
  private Thread helper;

  @BeforeEach
  void startHelper() throws InterruptedException {
    helper =
        new Thread(
            () -> {
              try {
                helpers.help(stop::get);
              } catch (Throwable e) {
                helperFailure.set(e);
              }
            },
            "test-helper");
    helper.start();
    // at most 10 s for the thread to start waiting
    for (int i = 0; i < 1000 && !helpers.anyWaiting(); i++) {
      Thread.sleep(10);
    }
    assertThat(helpers.anyWaiting()).as("the helper waits").isTrue();
  }

  @AfterEach
  void stopHelper() throws InterruptedException {
    stop.set(true);
    helper.join(10_000);
    assertThat(helper.isAlive()).as("the helper stopped").isFalse();
    assertThat(helperFailure.get()).isNull();
  }

  @Test
  void merge_handsTheLaterHalfToAWaitingThreadAndWritesWhatOneThreadWrites() throws IOException {
    // 12 files of 300 rows in row groups of 600: 6 row groups, the last 3 handed over at the start
    List<MergeInput> inputs = writeInputs(12, 300);
    WriteOptions options =
        WriteOptions.builder().rowGroupRows(600).bloomFilterColumns(Set.of("trace_id")).build();
    Location alone = DIRECTORY.resolve("alone.c.parquet");
    Location helped = DIRECTORY.resolve("helped.c.parquet");
    MergeResult byOne =
        new ParquetMerger(options).merge(inputs, storage.newOutputFile(alone), MergeListener.NONE);
    Set<Path> temporaryBefore = mergeDirectories();

    MergeResult byTwo =
        new ParquetMerger(options)
            .withHelpers(helpers)
            .merge(inputs, storage.newOutputFile(helped), MergeListener.NONE);

    assertThat(byOne.handedOverRowGroups()).isZero();
    assertThat(byTwo.handedOverRowGroups()).isEqualTo(3);
    assertThat(byTwo.rowGroups()).isEqualTo(6);
    assertThat(byTwo.fingerprint()).isEqualTo(byOne.fingerprint());
    assertThat(
            RowFingerprint.of(
                storage.newInputFile(helped), ParquetMerger.DEFAULT_WINDOW_BYTES, byTwo.verbatim()))
        .as("read back as verified")
        .isEqualTo(byTwo.fingerprint());
    assertThat(rowsOf(helped)).as("the same rows in the same order").isEqualTo(rowsOf(alone));
    List<BlockMetaData> oneThread = Footer.read(storage.newInputFile(alone)).rowGroups();
    List<BlockMetaData> twoThreads = Footer.read(storage.newInputFile(helped)).rowGroups();
    assertThat(twoThreads).hasSameSizeAs(oneThread);
    try (ParquetFileReader reader = open(helped)) {
      for (int rowGroup = 0; rowGroup < twoThreads.size(); rowGroup++) {
        assertThat(twoThreads.get(rowGroup).getRowCount())
            .isEqualTo(oneThread.get(rowGroup).getRowCount());
        for (ColumnChunkMetaData chunk : twoThreads.get(rowGroup).getColumns()) {
          String at = "row group " + rowGroup + ", " + chunk.getPath();
          assertThat(reader.readColumnIndex(chunk)).as("column index of " + at).isNotNull();
          assertThat(reader.readOffsetIndex(chunk)).as("offset index of " + at).isNotNull();
          assertThat(chunk.getStatistics().getNumNulls())
              .as("null count of " + at)
              .isEqualTo(
                  oneThread.get(rowGroup).getColumns().stream()
                      .filter(other -> other.getPath().equals(chunk.getPath()))
                      .findFirst()
                      .orElseThrow()
                      .getStatistics()
                      .getNumNulls());
          if (chunk.getPath().toDotString().equals("trace_id")) {
            assertThat(reader.readBloomFilter(chunk)).as("bloom filter of " + at).isNotNull();
          }
        }
      }
    }
    assertThat(mergeDirectories()).as("the handed-over file deleted").isEqualTo(temporaryBefore);
  }

  @Test
  void merge_namesADamagedInputOfTheHandedOverRowGroups() throws Exception {
    List<MergeInput> inputs = writeInputs(12, 300);
    MergeInput last = inputs.get(inputs.size() - 1);
    byte[] bytes = new byte[Math.toIntExact(last.file().length())];
    try (var stream = last.file().newStream()) {
      stream.readFully(bytes, 0, bytes.length);
    }
    ColumnChunkMetaData chunk = Footer.read(last.file()).rowGroups().get(0).getColumns().get(0);
    for (long at = chunk.getStartingPos();
        at < chunk.getStartingPos() + chunk.getTotalSize();
        at++) {
      bytes[(int) at] = 0x55;
    }
    try (var stream = storage.newOutputFile(last.file().location()).create()) {
      stream.write(bytes);
    }
    Set<Path> temporaryBefore = mergeDirectories();

    assertThatThrownBy(
            () ->
                new ParquetMerger(WriteOptions.builder().rowGroupRows(600).build())
                    .withHelpers(helpers)
                    .merge(
                        inputs,
                        storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                        MergeListener.NONE))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(last.file().location().toString());
    assertThat(storage.newInputFile(DIRECTORY.resolve("out.c.parquet")).exists()).isFalse();
    // the helping thread deletes its file as it ends, which may come just after the merge's end
    for (int i = 0; i < 1000 && !mergeDirectories().equals(temporaryBefore); i++) {
      Thread.sleep(10);
    }
    assertThat(mergeDirectories()).as("the handed-over file deleted").isEqualTo(temporaryBefore);
  }

  private List<MergeInput> writeInputs(int files, int rowsPerFile) throws IOException {
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(rowsPerFile)
        .threads(1)
        .build()
        .write(storage, DIRECTORY);
    List<MergeInput> inputs = new ArrayList<>();
    for (FileEntry entry : storage.list(DIRECTORY).toList()) {
      if (!entry.location().fileName().contains(".c.")) {
        InputFile file = storage.newInputFile(entry.location(), entry.length());
        inputs.add(MergeInput.of(file, Footer.read(file).layout()));
      }
    }
    return inputs;
  }

  private ParquetFileReader open(Location location) throws IOException {
    return ParquetFileReader.open(
        new ParquetInputFile(storage.newInputFile(location)), ParquetRuntime.readOptions());
  }

  /** Every row of a file, in order, as parquet-java's example records print it. */
  private List<String> rowsOf(Location location) throws IOException {
    List<String> rows = new ArrayList<>();
    try (ParquetFileReader reader = open(location)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long row = 0; row < pages.getRowCount(); row++) {
          rows.add(records.read().toString());
        }
      }
    }
    return rows;
  }

  /** The directories merges hand row groups over in, in {@code java.io.tmpdir}. */
  private static Set<Path> mergeDirectories() throws IOException {
    try (Stream<Path> paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return Set.copyOf(
          paths.filter(path -> path.getFileName().toString().startsWith("baler-merge-")).toList());
    }
  }
}
