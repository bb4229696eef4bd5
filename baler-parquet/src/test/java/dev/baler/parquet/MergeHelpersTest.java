package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.FileEntry;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.SeekableInputStream;
import dev.baler.testing.ForwardingInputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A merge that hands part of its row groups to a waiting thread ({@link MergeHelpers}). */
@Timeout(120)
class MergeHelpersTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");

  /** The role of a helping thread, inherited by the threads its merges open inputs on. */
  private static final InheritableThreadLocal<String> ROLE = new InheritableThreadLocal<>();

  private final MemoryStorage storage = new MemoryStorage();

  /** Where the merges' handed-over row groups go, and where none may be left. */
  @TempDir Path scratch;

  private MergeHelpers helpers;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> helperFailure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();

  @BeforeEach
  void startHelper() throws InterruptedException {
    helpers = new MergeHelpers(scratch, 0); // the test files are far smaller than the default
    startHelpers(1);
  }

  /** Starts {@code count} more threads helping in {@link #helpers}, and waits until all wait. */
  private void startHelpers(int count) throws InterruptedException {
    startHelpers(helpers, count);
  }

  /** Starts {@code count} more threads helping in {@code target}, and waits until all wait. */
  private void startHelpers(MergeHelpers target, int count) throws InterruptedException {
    startHelpers(target, count, "helping");
  }

  /**
   * Starts {@code count} more threads helping in {@code target} in {@code role} ({@link #ROLE}),
   * and waits until all wait.
   */
  private void startHelpers(MergeHelpers target, int count, String role)
      throws InterruptedException {
    int waiting = target.waiting() + count;
    for (int i = 0; i < count; i++) {
      Thread thread =
          new Thread(
              () -> {
                ROLE.set(role);
                try {
                  target.help(stop::get);
                } catch (Throwable e) {
                  helperFailure.set(e);
                }
              },
              "test-helper-" + threads.size());
      threads.add(thread);
      thread.start();
    }
    // at most 10 s for the threads to start waiting
    for (int i = 0; i < 1000 && target.waiting() < waiting; i++) {
      Thread.sleep(10);
    }
    assertThat(target.waiting()).as("threads waiting").isEqualTo(waiting);
  }

  @AfterEach
  void stopHelpers() throws InterruptedException {
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as(thread.getName() + " stopped").isFalse();
    }
    assertThat(helperFailure.get()).isNull();
  }

  @Test
  void merge_handsTheLaterHalfToAWaitingThreadAndWritesWhatOneThreadWrites() throws IOException {
    // 12 files of 300 rows in row groups of 600: 6 row groups, the last 3 handed over at the start,
    // and one or two more should the helper be back, waiting, before the merge's last two
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
    assertThat(byTwo.handedOverRowGroups()).isBetween(3, 5);
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
  void merge_spreadsRowGroupsOverSeveralThreadsAndAppendsThemInOrder() throws Exception {
    startHelpers(2); // three in all
    // 16 files of 100 rows, a row group each: half handed over at the start, the rest spread as
    // the threads come to wait (the merge's own row groups slowed so that they do)
    List<MergeInput> inputs = writeInputs(16, 100);
    WriteOptions options = WriteOptions.builder().rowGroupRows(100).build();
    Location alone = DIRECTORY.resolve("alone.c.parquet");
    Location helped = DIRECTORY.resolve("helped.c.parquet");
    MergeResult byOne =
        new ParquetMerger(options).merge(inputs, storage.newOutputFile(alone), MergeListener.NONE);
    Thread merging = Thread.currentThread();
    Map<Thread, Long> rowsByThread = new ConcurrentHashMap<>();
    MergeListener listener =
        (rows, inputBytes) -> {
          rowsByThread.merge(Thread.currentThread(), rows, Long::sum);
          if (Thread.currentThread() == merging) {
            sleep(100);
          }
        };

    MergeResult helpedResult =
        new ParquetMerger(options)
            .withHelpers(helpers)
            .merge(inputs, storage.newOutputFile(helped), listener);

    assertThat(helpedResult.handedOverRowGroups()).isBetween(8, 15);
    assertThat(rowsByThread).as("rows written by each thread").hasSizeGreaterThanOrEqualTo(3);
    assertThat(rowsByThread.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1600);
    assertThat(helpedResult.fingerprint()).isEqualTo(byOne.fingerprint());
    assertThat(
            RowFingerprint.of(
                storage.newInputFile(helped),
                ParquetMerger.DEFAULT_WINDOW_BYTES,
                helpedResult.verbatim()))
        .isEqualTo(helpedResult.fingerprint());
    assertThat(rowsOf(helped)).as("the same rows in the same order").isEqualTo(rowsOf(alone));
  }

  @Test
  void readBack_handsRowGroupsToWaitingThreadsAndAddsUpTheSame() throws Exception {
    startHelpers(2); // three in all
    List<MergeInput> inputs = writeInputs(16, 100);
    Location output = DIRECTORY.resolve("out.c.parquet");
    MergeResult merged =
        new ParquetMerger(WriteOptions.builder().rowGroupRows(100).build())
            .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);
    assertThat(merged.rowGroups()).isEqualTo(16);
    Thread reading = Thread.currentThread();
    AtomicInteger streamsOfOtherThreads = new AtomicInteger();
    InputFile counted =
        new ForwardingInputFile(storage.newInputFile(output)) {
          @Override
          public SeekableInputStream newStream() throws IOException {
            if (Thread.currentThread() != reading) {
              streamsOfOtherThreads.incrementAndGet();
            }
            return super.newStream();
          }
        };

    RowFingerprint readBack =
        RowFingerprint.of(counted, ParquetMerger.DEFAULT_WINDOW_BYTES, merged.verbatim(), helpers);

    assertThat(readBack).isEqualTo(merged.fingerprint());
    assertThat(streamsOfOtherThreads.get()).as("streams read by helping threads").isPositive();
  }

  @Test
  void merge_mergesTheRowGroupsItHandedOverItselfWhenTheHelperCannotWriteThem(@TempDir Path empty)
      throws Exception {
    // a scratch directory below a regular file cannot be made: the helping thread fails
    Path notADirectory = Files.createFile(empty.resolve("file"));
    MergeHelpers failing = new MergeHelpers(notADirectory, 0);
    startHelpers(failing, 1);
    List<MergeInput> inputs = writeInputs(12, 300);
    WriteOptions options = WriteOptions.builder().rowGroupRows(600).build();
    Location alone = DIRECTORY.resolve("alone.c.parquet");
    Location helped = DIRECTORY.resolve("helped.c.parquet");
    MergeResult byOne =
        new ParquetMerger(options).merge(inputs, storage.newOutputFile(alone), MergeListener.NONE);
    AtomicInteger rowGroupsByOthers = new AtomicInteger();
    Thread merging = Thread.currentThread();

    MergeResult result =
        new ParquetMerger(options)
            .withHelpers(failing)
            .merge(
                inputs,
                storage.newOutputFile(helped),
                (rows, inputBytes) -> {
                  if (Thread.currentThread() != merging) {
                    rowGroupsByOthers.incrementAndGet();
                  }
                });

    assertThat(failing.handedOver()).as("row groups handed over").isPositive();
    assertThat(result.handedOverRowGroups()).isZero();
    assertThat(rowGroupsByOthers.get()).as("row groups written by the helper").isZero();
    assertThat(result.fingerprint()).isEqualTo(byOne.fingerprint());
    assertThat(rowsOf(helped)).isEqualTo(rowsOf(alone));
    try (Stream<Path> left = Files.list(empty)) {
      assertThat(left).containsExactly(notADirectory);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void merge_namesADamagedInputOfTheHandedOverRowGroups() throws Exception {
    List<MergeInput> inputs = writeInputs(12, 300);
    MergeInput last = inputs.get(inputs.size() - 1);
    damageFirstChunk(last);
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
    assertThat(helpers.handedOver()).as("row groups handed over").isPositive();
    assertThat(storage.newInputFile(DIRECTORY.resolve("out.c.parquet")).exists()).isFalse();
    // the helping thread deletes its file as it ends, which may come just after the merge's end
    for (int i = 0; i < 1000 && !mergeDirectories().equals(temporaryBefore); i++) {
      Thread.sleep(10);
    }
    assertThat(mergeDirectories()).as("the handed-over file deleted").isEqualTo(temporaryBefore);
  }

  @Test
  void merge_thatFailsCancelsTheRowGroupsItHandedOverAndTheHelperTakesMoreWork() throws Exception {
    // the first input damaged: the merge fails in its first row group while the helper merges
    // the later half (16 row groups of 100 rows; the merge's first row group slowed down)
    List<MergeInput> inputs = writeInputs(16, 100);
    damageFirstChunk(inputs.get(0));
    Thread merging = Thread.currentThread();
    AtomicInteger rowGroupsByTheHelper = new AtomicInteger();

    assertThatThrownBy(
            () ->
                new ParquetMerger(WriteOptions.builder().rowGroupRows(100).build())
                    .withHelpers(helpers)
                    .merge(
                        inputs,
                        storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                        (rows, inputBytes) -> {
                          if (Thread.currentThread() != merging) {
                            rowGroupsByTheHelper.incrementAndGet();
                            sleep(50);
                          }
                        }))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(inputs.get(0).file().location().toString());
    assertThat(helpers.handedOver()).as("row groups handed over").isPositive();

    // the helper stops before its next row group, deletes its file and waits again
    for (int i = 0; i < 1000 && !(mergeDirectories().isEmpty() && helpers.waiting() == 1); i++) {
      Thread.sleep(10);
    }
    assertThat(mergeDirectories()).as("the handed-over file deleted").isEmpty();
    assertThat(helpers.waiting()).as("the helper waiting again").isEqualTo(1);
    assertThat(rowGroupsByTheHelper.get()).as("row groups the helper wrote of 8").isLessThan(8);
    List<MergeInput> rest = inputs.subList(1, inputs.size());
    MergeResult next =
        new ParquetMerger(WriteOptions.builder().rowGroupRows(100).build())
            .withHelpers(helpers)
            .merge(
                rest,
                storage.newOutputFile(DIRECTORY.resolve("next.c.parquet")),
                MergeListener.NONE);
    assertThat(next.rows()).isEqualTo(1500);
    assertThat(next.handedOverRowGroups()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void merge_resumesWhatAFailingHelperWasHandedAndWritesWhatOneThreadWrites(int opensBeforeFailing)
      throws Exception {
    // inputs of two row groups each, in output row groups of 900 rows: inputs span the split
    // points. One more helper, whose reads of inputs fail after a few opens; the merge's own
    // row groups slowed, so that appended, resumed and re-handed-over ranges mix.
    List<MergeInput> singles = writeInputs(28, 300);
    Location pairs = Location.of("memory://test/pairs/");
    for (int i = 0; i + 1 < singles.size(); i += 2) {
      new ParquetMerger(WriteOptions.builder().rowGroupRows(300).build())
          .merge(
              singles.subList(i, i + 2),
              storage.newOutputFile(pairs.resolve("pair." + (100 + i) + ".parquet")),
              MergeListener.NONE);
    }
    AtomicInteger opens = new AtomicInteger();
    List<MergeInput> inputs = new ArrayList<>();
    for (FileEntry entry : storage.list(pairs).toList()) {
      InputFile stored = storage.newInputFile(entry.location(), entry.length());
      InputFile failingOnTheHelper =
          new ForwardingInputFile(stored) {
            @Override
            public SeekableInputStream newStream() throws IOException {
              if ("failing".equals(ROLE.get()) && opens.incrementAndGet() > opensBeforeFailing) {
                throw new IOException("the store failed (test)");
              }
              return super.newStream();
            }
          };
      inputs.add(MergeInput.of(failingOnTheHelper, Footer.read(stored).layout()));
    }
    WriteOptions options = WriteOptions.builder().rowGroupRows(900).build();
    Location alone = DIRECTORY.resolve("alone.c.parquet");
    MergeResult byOne =
        new ParquetMerger(options).merge(inputs, storage.newOutputFile(alone), MergeListener.NONE);
    startHelpers(helpers, 1, "failing");
    Thread merging = Thread.currentThread();
    Location helped = DIRECTORY.resolve("helped.c.parquet");
    AtomicInteger rowGroupsHeard = new AtomicInteger();
    AtomicLong rowsHeard = new AtomicLong();

    MergeResult result =
        new ParquetMerger(options)
            .withHelpers(helpers)
            .merge(
                inputs,
                storage.newOutputFile(helped),
                (rows, inputBytes) -> {
                  rowGroupsHeard.incrementAndGet();
                  rowsHeard.addAndGet(rows);
                  if (Thread.currentThread() == merging) {
                    sleep(20);
                  }
                });

    assertThat(helpers.handedOver()).as("row groups handed over").isPositive();
    // what the failing helper wrote before failing, merged again here, is not heard twice
    assertThat(rowGroupsHeard).as("row groups heard").hasValue(result.rowGroups());
    assertThat(rowsHeard).as("rows heard").hasValue(28 * 300);
    assertThat(result.fingerprint()).isEqualTo(byOne.fingerprint());
    assertThat(
            RowFingerprint.of(
                storage.newInputFile(helped),
                ParquetMerger.DEFAULT_WINDOW_BYTES,
                result.verbatim()))
        .as("read back as verified")
        .isEqualTo(result.fingerprint());
    assertThat(rowsOf(helped)).as("the same rows in the same order").isEqualTo(rowsOf(alone));
    assertThat(mergeDirectories()).as("no handed-over file left").isEmpty();
  }

  @Test
  void merge_keepsRowGroupsTooSmallToBeWorthHandingOver() throws Exception {
    MergeHelpers demanding = new MergeHelpers(scratch, 1L << 40);
    startHelpers(demanding, 1);
    List<MergeInput> inputs = writeInputs(12, 300);

    MergeResult result =
        new ParquetMerger(WriteOptions.builder().rowGroupRows(600).build())
            .withHelpers(demanding)
            .merge(
                inputs,
                storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                MergeListener.NONE);

    assertThat(result.rowGroups()).isEqualTo(6);
    assertThat(result.handedOverRowGroups()).isZero();
    assertThat(demanding.handedOver()).isZero();
    assertThat(demanding.waiting()).as("the helper still waiting").isEqualTo(1);
  }

  @Test
  void merge_ofEveryRowSkippedWritesAnEmptyFile() throws IOException {
    List<MergeInput> inputs = writeInputs(2, 50);
    BitSet all = new BitSet();
    all.set(0, 50);
    List<MergeInput> skipped =
        inputs.stream()
            .map(input -> new MergeInput(input.file(), input.layout(), Optional.of(all)))
            .toList();
    Location output = DIRECTORY.resolve("out.c.parquet");

    MergeResult result =
        new ParquetMerger(WriteOptions.defaults())
            .withHelpers(helpers)
            .merge(skipped, storage.newOutputFile(output), MergeListener.NONE);

    assertThat(result.rows()).isZero();
    assertThat(result.rowGroups()).isZero();
    assertThat(Footer.read(storage.newInputFile(output)).rows()).isZero();
  }

  /** Overwrites the first column chunk of {@code input}'s first row group with 0x55. */
  private void damageFirstChunk(MergeInput input) throws IOException {
    byte[] bytes = new byte[Math.toIntExact(input.file().length())];
    try (var stream = input.file().newStream()) {
      stream.readFully(bytes, 0, bytes.length);
    }
    ColumnChunkMetaData chunk = Footer.read(input.file()).rowGroups().get(0).getColumns().get(0);
    for (long at = chunk.getStartingPos();
        at < chunk.getStartingPos() + chunk.getTotalSize();
        at++) {
      bytes[(int) at] = 0x55;
    }
    try (var stream = storage.newOutputFile(input.file().location()).create()) {
      stream.write(bytes);
    }
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

  /** The directories merges hand row groups over in, in the helpers' scratch directory. */
  private Set<Path> mergeDirectories() throws IOException {
    try (Stream<Path> paths = Files.list(scratch)) {
      return Set.copyOf(
          paths.filter(path -> path.getFileName().toString().startsWith("baler-merge-")).toList());
    }
  }
}
