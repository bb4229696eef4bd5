package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baler.parquet.Codec;
import dev.baler.parquet.Footer;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.DeleteFailure;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.Storage;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.Fixtures;
import dev.baler.testing.ForwardingStorage;
import dev.baler.testing.RowMultiset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionRunnerTest {
  /** Four files of the telemetry data set over one day: a slice is 6 hours. */
  private static final long SLICE = 21_600_000L;

  private static final long T0 = EventFiles.T0;

  /**
   * How the reason begins for a file whose first page header is {@link #garbled}; Thrift's detail
   * that follows names an object by its identity hash.
   */
  private static final String CORRUPT_PAGE_HEADER =
      "cannot read row group 0 (java.io.IOException: can not read class"
          + " org.apache.parquet.format.PageHeader: ";

  private final LocalStorage storage = new LocalStorage();
  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path directory;

  @Test
  void run_deleteRemovesOriginalsAndTheirMarkersAfterSuccess() throws IOException {
    List<Path> inputs = telemetry(4, 100);
    RowMultiset before = duckDb.rows(inputs);
    long inputBytes = bytes(inputs);
    StepRecorder steps = new StepRecorder();

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), steps).run(source());

    Path output = directory.resolve("sensor_data." + (T0 + 4 * SLICE) + ".c.parquet");
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(4);
    assertThat(result.filesCreated()).isEqualTo(1);
    assertThat(result.recordsConsolidated()).isEqualTo(400);
    assertThat(result.duplicateRecordsEliminated()).isZero();
    assertThat(result.outputs()).containsExactly(Location.local(output));
    assertThat(result.skipped()).isEmpty();
    assertThat(result.failedBins()).isEmpty();
    assertThat(result.deletionFailures()).isEmpty();
    assertThat(result.recovered()).isEmpty();
    assertThat(result.bytesSaved()).isEqualTo(inputBytes - Files.size(output));
    assertThat(dataFiles()).containsExactly(output);
    assertThat(journalRecords()).isEmpty();
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
    assertThat(steps.steps)
        .containsExactly(
            ProtocolStep.LEASE_TAKEN,
            ProtocolStep.JOURNAL_OPENED,
            ProtocolStep.OUTPUT_WRITTEN,
            ProtocolStep.OUTPUT_VERIFIED,
            ProtocolStep.ORIGINALS_DELETED,
            ProtocolStep.MARKERS_WRITTEN,
            ProtocolStep.JOURNAL_CLOSED);
  }

  @Test
  void run_ofOneBinHandsPartOfItsRowGroupsToTheSecondThread() throws IOException {
    // one bin of 40 row groups (4.7 MB): the second thread, with no bin of its own, takes the later
    // half, more than the 1 MiB worth handing over
    List<Path> inputs = telemetry(40, 2000);
    RowMultiset before = duckDb.rows(inputs);
    Map<Long, Long> rowsByThread = new ConcurrentHashMap<>();
    AtomicBoolean first = new AtomicBoolean(true);
    CompactionListener listener =
        new CompactionListener() {
          @Override
          public void rowGroupWritten(long rows, long inputBytes) {
            if (first.getAndSet(false)) {
              // time for the second thread to start waiting, before the merge's next row group
              sleepQuietly(500);
            }
            rowsByThread.merge(Thread.currentThread().getId(), rows, Long::sum);
          }
        };
    CompactionOptions options =
        CompactionOptions.builder()
            .parallelism(2)
            .writeOptions(WriteOptions.builder().rowGroupRows(2000).build())
            .build();

    CompactionResult result = new CompactionRunner(storage, options, listener).run(source());

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesCreated()).isEqualTo(1);
    Path output = dataFiles().get(0);
    assertThat(Footer.read(storage.newInputFile(Location.local(output))).rowGroups()).hasSize(40);
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
    assertThat(rowsByThread).as("rows written by each thread").hasSize(2);
    assertThat(rowsByThread.values()).allSatisfy(rows -> assertThat(rows).isGreaterThan(0L));
  }

  @Test
  void run_mergesTheNextBinWhileTheOriginalsOfTheLastAreDeleted() throws Exception {
    List<Path> inputs = telemetry(24, 2000); // 2.8 MB: three bins of 1 MiB
    RowMultiset before = duckDb.rows(inputs);
    // one bin thread: the second bin's output can only be written while the first bin's originals
    // are being deleted if their deletion has left that thread
    CountDownLatch secondOutputWritten = new CountDownLatch(2);
    AtomicBoolean deletionSawIt = new AtomicBoolean();
    AtomicBoolean firstDeletion = new AtomicBoolean(true); // of originals
    Storage slowDelete =
        new ForwardingStorage(storage) {
          @Override
          public List<DeleteFailure> deleteFiles(Collection<Location> locations)
              throws IOException {
            boolean originals =
                locations.stream().anyMatch(location -> inputs.contains(location.toLocalPath()));
            if (originals && firstDeletion.getAndSet(false)) {
              try {
                deletionSawIt.set(secondOutputWritten.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.deleteFiles(locations);
          }
        };
    CompactionListener listener =
        new CompactionListener() {
          @Override
          public void step(ProtocolStep step, Location subject) {
            if (step == ProtocolStep.OUTPUT_WRITTEN) {
              secondOutputWritten.countDown();
            }
          }
        };
    CompactionOptions options =
        CompactionOptions.builder().targetBytes(1 << 20).parallelism(1).build();

    CompactionResult result = new CompactionRunner(slowDelete, options, listener).run(source());

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesCreated()).isGreaterThanOrEqualTo(2);
    assertThat(deletionSawIt)
        .as("the second bin's output was written while the first bin's deletion waited")
        .isTrue();
    assertThat(dataFiles()).hasSize(result.filesCreated());
    assertThat(journalRecords()).isEmpty();
    assertThat(duckDb.rows(dataFiles())).isEqualTo(before);
  }

  @Test
  void run_whoseRetiringIsSlowerThanItsMerging_keepsAtMostOneBinWaitingPerThread()
      throws IOException {
    List<Path> inputs = telemetry(48, 2000); // 5.6 MB: five or six bins of 1 MiB
    RowMultiset before = duckDb.rows(inputs);
    Storage slowDelete =
        new ForwardingStorage(storage) {
          @Override
          public List<DeleteFailure> deleteFiles(Collection<Location> locations)
              throws IOException {
            if (locations.stream().anyMatch(location -> inputs.contains(location.toLocalPath()))) {
              sleepQuietly(300);
            }
            return super.deleteFiles(locations);
          }
        };
    AtomicInteger open = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    CompactionListener records =
        new CompactionListener() {
          @Override
          public void step(ProtocolStep step, Location subject) {
            if (step == ProtocolStep.JOURNAL_OPENED) {
              mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            } else if (step == ProtocolStep.JOURNAL_CLOSED) {
              open.decrementAndGet();
            }
          }
        };
    CompactionOptions options =
        CompactionOptions.builder().targetBytes(1 << 20).parallelism(1).build();

    CompactionResult result = new CompactionRunner(slowDelete, options, records).run(source());

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesCreated()).isGreaterThanOrEqualTo(4);
    // one bin merged, one waiting to be retired: a run killed meanwhile leaves two records at most
    assertThat(mostOpen.get()).isEqualTo(2);
    assertThat(duckDb.rows(dataFiles())).isEqualTo(before);
  }

  @Test
  void run_thatLosesItsLeaseAfterVerifying_leavesTheOriginalsToTheNextRunsRecovery()
      throws IOException {
    List<Path> inputs = telemetry(4, 100);
    RowMultiset before = duckDb.rows(inputs);
    CompactionListener takeOver =
        new CompactionListener() {
          private volatile Location lease;

          @Override
          public void step(ProtocolStep step, Location subject) {
            if (step == ProtocolStep.LEASE_TAKEN) {
              lease = subject;
            } else if (step == ProtocolStep.OUTPUT_VERIFIED) {
              // as when another run finds the lease expired and takes the directory over
              try {
                Files.delete(lease.toLocalPath());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }
        };

    CompactionResult first =
        new CompactionRunner(storage, CompactionOptions.builder().build(), takeOver).run(source());

    Path output = directory.resolve("sensor_data." + (T0 + 4 * SLICE) + ".c.parquet");
    assertThat(first.outputs()).containsExactly(Location.local(output));
    assertThat(first.failedBins())
        .singleElement()
        .satisfies(bin -> assertThat(bin.reason()).contains("committed, but not finished"));
    assertThat(dataFiles()).containsAll(inputs).contains(output);
    assertThat(journalRecords()).hasSize(1);

    CompactionResult second =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(second.recovered()).hasSize(1);
    assertThat(dataFiles()).containsExactly(output);
    assertThat(journalRecords()).isEmpty();
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void run_marksOnlyTheOriginalThatCannotBeDeletedAndALaterRunSkipsIt() throws IOException {
    List<Path> inputs = telemetry(4, 100);
    RowMultiset before = duckDb.rows(inputs);
    Location stuck = Location.local(inputs.get(1));
    List<Location> markersWritten = new CopyOnWriteArrayList<>();
    Storage stubbornDelete =
        new ForwardingStorage(storage) {
          @Override
          public List<DeleteFailure> deleteFiles(Collection<Location> locations)
              throws IOException {
            List<Location> others = locations.stream().filter(l -> !l.equals(stuck)).toList();
            List<DeleteFailure> failures = new ArrayList<>(super.deleteFiles(others));
            if (others.size() < locations.size()) {
              failures.add(new DeleteFailure(stuck, "Permission denied"));
            }
            return failures;
          }

          @Override
          public OutputFile newOutputFile(Location location) {
            if (location.fileName().endsWith(FileNames.MARKER_SUFFIX)) {
              markersWritten.add(location);
            }
            return super.newOutputFile(location);
          }
        };

    CompactionResult first =
        new CompactionRunner(
                stubbornDelete, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    Path output = directory.resolve("sensor_data." + (T0 + 4 * SLICE) + ".c.parquet");
    assertThat(first.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(first.deletionFailures())
        .containsExactly(new DeleteFailure(stuck, "Permission denied"));
    assertThat(markersWritten).containsExactly(FileNames.marker(stuck));
    assertThat(dataFiles())
        .containsExactlyInAnyOrder(
            output, inputs.get(1), Path.of(inputs.get(1) + FileNames.MARKER_SUFFIX));
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);

    CompactionResult second =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(second.filesProcessed()).isZero();
    assertThat(dataFiles())
        .containsExactlyInAnyOrder(
            output, inputs.get(1), Path.of(inputs.get(1) + FileNames.MARKER_SUFFIX));
  }

  @Test
  void run_leavesAloneTheInputsOfABinLeftOpenInADirectoryBelow() throws IOException {
    Location day = Location.local(directory.resolve("day")).asDirectory();
    List<Location> inputs = telemetryIn(day);
    // a run on day/ was killed while deleting the originals of its verified bin: two are left
    Location record = openVerifiedRecord(day, inputs.subList(0, 2));

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertLeftAlone(result, inputs.subList(0, 2), record, day);
    assertThat(result.filesProcessed()).isEqualTo(2);
  }

  @Test
  void run_leavesAloneTheInputsOfABinLeftOpenInADirectoryAbove() throws IOException {
    Location day = Location.local(directory.resolve("day")).asDirectory();
    List<Location> inputs = telemetryIn(day);
    // a run on the parent directory was killed while deleting the originals of its verified bin
    Location record = openVerifiedRecord(source(), inputs.subList(0, 2));

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(day);

    assertLeftAlone(result, inputs.subList(0, 2), record, source());
    assertThat(result.filesProcessed()).isEqualTo(2);
  }

  /** Writes four telemetry files into {@code day}; returns them in name order. */
  private List<Location> telemetryIn(Location day) throws IOException {
    TelemetryDataset.builder().files(4).rowsPerFile(100).seed(4).build().write(storage, day);
    return DuckDbVerifier.parquetFilesUnder(day.toLocalPath()).stream()
        .map(Location::local)
        .sorted(java.util.Comparator.comparing(Location::toString))
        .toList();
  }

  /** Leaves an open record in the journal of {@code data}: a verified bin of {@code inputs}. */
  private Location openVerifiedRecord(Location data, List<Location> inputs) throws IOException {
    Location record = data.resolve(Journal.DIRECTORY + "killed-000000.json");
    storage
        .newOutputFile(record)
        .write(
            StateJson.write(
                new Journal.Entry(
                    "killed",
                    0,
                    Journal.State.VERIFIED,
                    data.resolve("sensor_data.1.c.parquet").toString(),
                    inputs.stream().map(Location::toString).toList(),
                    CompactionOptions.Originals.DELETE,
                    "",
                    200,
                    "rows=200 0:0",
                    "")));
    return record;
  }

  private void assertLeftAlone(
      CompactionResult result, List<Location> inputs, Location record, Location data) {
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.skipped())
        .extracting(SkippedFile::location, SkippedFile::reason)
        .containsExactlyInAnyOrderElementsOf(
            inputs.stream()
                .map(
                    input ->
                        tuple(
                            input,
                            "in a bin left unfinished by "
                                + record
                                + "; the next run on "
                                + data
                                + " finishes it"))
                .toList());
    assertThat(inputs).allSatisfy(input -> assertThat(input.toLocalPath()).exists());
    assertThat(record.toLocalPath()).exists();
  }

  @Test
  void run_keepLeavesOriginalsWithMarkersAndASecondRunDoesNothing() throws IOException {
    List<Path> inputs = telemetry(4, 100);
    RowMultiset before = duckDb.rows(inputs);
    CompactionOptions keep =
        CompactionOptions.builder().originals(CompactionOptions.Originals.KEEP).build();
    StepRecorder steps = new StepRecorder();

    CompactionResult first = new CompactionRunner(storage, keep, steps).run(source());

    Path output = directory.resolve("sensor_data." + (T0 + 4 * SLICE) + ".c.parquet");
    assertThat(first.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(first.filesProcessed()).isEqualTo(4);
    assertThat(first.outputs()).containsExactly(Location.local(output));
    List<Path> expected = new ArrayList<>(inputs);
    inputs.forEach(input -> expected.add(Path.of(input + ".processed")));
    expected.add(output);
    assertThat(dataFiles()).containsExactlyInAnyOrderElementsOf(expected);
    for (Path input : inputs) {
      var marker =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(Files.readAllBytes(Path.of(input + ".processed")));
      assertThat(marker.get("compacted_into").asText())
          .isEqualTo(Location.local(output).toString());
      assertThat(java.time.Instant.parse(marker.get("at").asText()))
          .isBeforeOrEqualTo(java.time.Instant.now());
    }
    assertThat(duckDb.rows(inputs)).isEqualTo(before);
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
    assertThat(steps.steps).doesNotContain(ProtocolStep.ORIGINALS_DELETED);

    Map<Path, String> states = states(dataFiles());
    CompactionResult second =
        new CompactionRunner(storage, keep, CompactionListener.NONE).run(source());

    assertThat(second.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(second.filesProcessed()).isZero();
    assertThat(second.filesCreated()).isZero();
    assertThat(second.recordsConsolidated()).isZero();
    assertThat(second.bytesSaved()).isZero();
    assertThat(second.outputs()).isEmpty();
    assertThat(second.skipped()).isEmpty();
    assertThat(second.lastProcessedTimestamp()).isEmpty();
    assertThat(states(dataFiles())).isEqualTo(states);

    // Nor does a run that deletes originals take marked files again.
    CompactionResult third =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());
    assertThat(third.filesProcessed()).isZero();
    assertThat(states(dataFiles())).isEqualTo(states);
  }

  @Test
  void run_lastProcessedTimestampIsTheLatestInputAndAsNextStartSelectsOnlyNewerFiles()
      throws IOException {
    List<Path> inputs = telemetry(6, 50);
    byte[] lateContent = Files.readAllBytes(inputs.get(0));
    long slice = 86_400_000L / 6;
    long third = T0 + 3 * slice;

    CompactionResult first =
        new CompactionRunner(
                storage,
                CompactionOptions.builder().endMillis(third).build(),
                CompactionListener.NONE)
            .run(source());

    assertThat(first.filesProcessed()).isEqualTo(3);
    assertThat(first.lastProcessedTimestamp()).hasValue(Instant.ofEpochMilli(third));
    assertThat(first.outputs())
        .containsExactly(Location.local(directory.resolve("sensor_data." + third + ".c.parquet")));
    // A file that arrives late, older than the checkpoint, and the files not yet processed.
    Path late = directory.resolve("sensor_data." + (T0 + slice + 1) + ".parquet");
    Files.write(late, lateContent);
    RowMultiset newer = duckDb.rows(inputs.subList(3, 6));

    CompactionResult second =
        new CompactionRunner(
                storage,
                CompactionOptions.builder()
                    .startMillis(first.lastProcessedTimestamp().orElseThrow().toEpochMilli())
                    .build(),
                CompactionListener.NONE)
            .run(source());

    Path secondOutput = directory.resolve("sensor_data." + (T0 + 6 * slice) + ".c.parquet");
    assertThat(second.filesProcessed()).isEqualTo(3);
    assertThat(second.outputs()).containsExactly(Location.local(secondOutput));
    assertThat(second.lastProcessedTimestamp()).hasValue(Instant.ofEpochMilli(T0 + 6 * slice));
    assertThat(duckDb.rows(List.of(secondOutput))).isEqualTo(newer);
    assertThat(dataFiles())
        .containsExactlyInAnyOrder(
            late, directory.resolve("sensor_data." + third + ".c.parquet"), secondOutput);
  }

  @Test
  void run_bytesSavedIsInputBytesLessOutputBytesOverAllBins() throws IOException {
    // Two partitions, so two bins and two outputs.
    TelemetryDataset.builder()
        .files(8)
        .rowsPerFile(100)
        .seed(3)
        .days(2)
        .layout(TelemetryDataset.Layout.DATE)
        .build()
        .write(storage, source());
    List<Path> inputs = DuckDbVerifier.parquetFilesUnder(directory);
    long inputBytes = bytes(inputs);
    RowMultiset before = duckDb.rows(inputs);

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    List<Path> outputs = result.outputs().stream().map(Location::toLocalPath).toList();
    assertThat(outputs)
        .containsExactlyInAnyOrder(
            directory.resolve("date=2024-01-01/sensor_data.1704153600000.c.parquet"),
            directory.resolve("date=2024-01-02/sensor_data.1704240000000.c.parquet"));
    assertThat(result.filesProcessed()).isEqualTo(8);
    assertThat(result.filesCreated()).isEqualTo(2);
    assertThat(result.bytesSaved()).isEqualTo(inputBytes - bytes(outputs));
    assertThat(dataFiles()).containsExactlyInAnyOrderElementsOf(outputs);
    assertThat(duckDb.rows(outputs)).isEqualTo(before);
  }

  @Test
  void run_writesRowGroupsAndCodecAsWriteOptionsSay() throws IOException {
    List<Path> inputs = telemetry(10, 100);
    RowMultiset before = duckDb.rows(inputs);
    WriteOptions write = WriteOptions.builder().rowGroupRows(250).codec(Codec.ZSTD).build();

    CompactionResult result =
        new CompactionRunner(
                storage,
                CompactionOptions.builder().writeOptions(write).build(),
                CompactionListener.NONE)
            .run(source());

    Location output = result.outputs().get(0);
    Footer footer = Footer.read(storage.newInputFile(output));
    // Whole input row groups of 100 rows, as many as fit 250.
    assertThat(footer.rowGroups())
        .extracting(BlockMetaData::getRowCount)
        .containsExactly(200L, 200L, 200L, 200L, 200L);
    assertThat(footer.codecs()).containsExactly(Codec.ZSTD);
    assertThat(duckDb.rows(List.of(output.toLocalPath()))).isEqualTo(before);
  }

  @Test
  void run_writesOneRowGroupWhenTheRowGroupSizeHoldsEveryRow() throws IOException {
    telemetry(10, 100);

    CompactionResult result =
        new CompactionRunner(
                storage,
                CompactionOptions.builder()
                    .writeOptions(WriteOptions.builder().rowGroupRows(1_000).build())
                    .build(),
                CompactionListener.NONE)
            .run(source());

    Footer footer = Footer.read(storage.newInputFile(result.outputs().get(0)));
    assertThat(footer.rowGroups()).extracting(BlockMetaData::getRowCount).containsExactly(1_000L);
    assertThat(footer.codecs()).containsExactly(Codec.SNAPPY);
  }

  @Test
  void run_skipsBadFilesWithTheirReasonsNeverDeletesThemAndCompactsTheRest() throws IOException {
    List<Path> good = telemetry(4, 100);
    RowMultiset before = duckDb.rows(good);
    byte[] valid = Files.readAllBytes(good.get(0));
    Map<Path, byte[]> bad = new LinkedHashMap<>();
    bad.put(file(T0 + 1), new byte[0]);
    bad.put(file(T0 + 2), Arrays.copyOf(valid, valid.length / 2));
    bad.put(file(T0 + 3), "timestamp,status\n2024-01-01,200\n".getBytes(StandardCharsets.UTF_8));
    bad.put(file(T0 + 4), EventFiles.otherSchema(10));
    bad.put(file(T0 + 5), EventFiles.events(0, 0));
    bad.put(file(T0 + 6), Arrays.copyOf(valid, 8));
    for (var entry : bad.entrySet()) {
      Files.write(entry.getKey(), entry.getValue());
    }

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.skipped())
        .extracting(skipped -> skipped.location().toLocalPath(), SkippedFile::reason)
        .containsExactly(
            tuple(file(T0 + 1), "empty file (0 bytes)"),
            tuple(file(T0 + 2), "truncated: it starts as Parquet but has no footer at its end"),
            tuple(file(T0 + 3), "not a Parquet file: no PAR1 magic number at its start or end"),
            tuple(
                file(T0 + 4),
                "schema differs from the partition's (column 1 is 'status', expected"
                    + " 'timestamp')"),
            tuple(file(T0 + 5), "no rows"),
            tuple(file(T0 + 6), "truncated: 8 bytes is shorter than any Parquet file"));
    for (var entry : bad.entrySet()) {
      assertThat(entry.getKey()).exists().hasBinaryContent(entry.getValue());
      assertThat(Path.of(entry.getKey() + ".processed")).doesNotExist();
    }
    Path output = directory.resolve("sensor_data." + (T0 + 4 * SLICE) + ".c.parquet");
    assertThat(result.filesProcessed()).isEqualTo(4);
    assertThat(result.outputs()).containsExactly(Location.local(output));
    assertThat(dataFiles())
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(bad.keySet().stream(), Stream.of(output)).toList());
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
  }

  @Test
  void run_skipsAFileWhosePageHeaderIsCorruptBehindAValidFooterAndCompactsTheRest()
      throws IOException {
    List<Path> good = telemetry(4, 100);
    Path corrupt = good.get(1);
    byte[] bytes = garbled(corrupt, 4, 256);
    RowMultiset rest = duckDb.rows(List.of(good.get(0), good.get(2), good.get(3)));

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.failedBins()).isEmpty();
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.skipped())
        .singleElement()
        .satisfies(
            skipped -> {
              assertThat(skipped.location()).isEqualTo(Location.local(corrupt));
              assertThat(skipped.reason()).startsWith(CORRUPT_PAGE_HEADER);
            });
    assertThat(result.filesProcessed()).isEqualTo(3);
    assertThat(corrupt).hasBinaryContent(bytes);
    assertThat(Path.of(corrupt + ".processed")).doesNotExist();
    assertThat(result.outputs()).hasSize(1);
    assertThat(dataFiles())
        .containsExactlyInAnyOrder(corrupt, result.outputs().get(0).toLocalPath());
    assertThat(duckDb.rows(List.of(result.outputs().get(0).toLocalPath()))).isEqualTo(rest);
  }

  @Test
  void run_thatMergesABinAgainWithoutAnUndecodableInput_tellsItsRowsOnce() throws IOException {
    List<Path> good = telemetry(4, 100);
    // the second input: the first attempt writes the first's row group, then fails; the second
    // attempt writes it again, then those of the last two
    garbled(good.get(1), 4, 256);
    // as their footers give them: the originals are gone once compacted
    long threeInputs = 0;
    for (Path input : List.of(good.get(0), good.get(2), good.get(3))) {
      threeInputs +=
          Footer.read(storage.newInputFile(Location.local(input))).layout().rowGroupBytes(0);
    }
    AtomicLong rowsTold = new AtomicLong();
    AtomicLong bytesTold = new AtomicLong();
    CompactionListener listener =
        new CompactionListener() {
          @Override
          public void rowGroupWritten(long rows, long inputBytes) {
            rowsTold.addAndGet(rows);
            bytesTold.addAndGet(inputBytes);
          }
        };

    CompactionResult result =
        new CompactionRunner(
                storage,
                CompactionOptions.builder()
                    .writeOptions(WriteOptions.builder().rowGroupRows(100).build())
                    .build(),
                listener)
            .run(source());

    assertThat(result.skipped())
        .singleElement()
        .extracting(SkippedFile::location)
        .isEqualTo(Location.local(good.get(1)));
    assertThat(Footer.read(storage.newInputFile(result.outputs().get(0))).rowGroups()).hasSize(3);
    assertThat(rowsTold).hasValue(300);
    assertThat(bytesTold).hasValue(threeInputs);
  }

  @Test
  void run_deduplicatingSkipsAFileWhosePageHeaderIsCorruptAndCompactsTheRest() throws IOException {
    List<Path> good = telemetry(4, 100);
    Path corrupt = good.get(2);
    byte[] bytes = garbled(corrupt, 4, 256);
    RowMultiset rest = duckDb.distinctRows(List.of(good.get(0), good.get(1), good.get(3)));

    CompactionResult result =
        new CompactionRunner(
                storage, CompactionOptions.builder().deduplicate().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.failedBins()).isEmpty();
    assertThat(result.skipped())
        .singleElement()
        .satisfies(
            skipped -> {
              assertThat(skipped.location()).isEqualTo(Location.local(corrupt));
              assertThat(skipped.reason()).startsWith(CORRUPT_PAGE_HEADER);
            });
    assertThat(result.filesProcessed()).isEqualTo(3);
    assertThat(corrupt).hasBinaryContent(bytes);
    assertThat(duckDb.rows(List.of(result.outputs().get(0).toLocalPath()))).isEqualTo(rest);
  }

  @Test
  void run_skipsAFileWhosePageDataIsCorruptAndCompactsTheRest() throws IOException {
    List<Path> good = telemetry(4, 100);
    Path corrupt = good.get(3);
    // The second half of the trace_id column chunk: snappy-compressed page data.
    ColumnChunkMetaData traceId =
        Footer.read(storage.newInputFile(Location.local(corrupt)))
            .rowGroups()
            .get(0)
            .getColumns()
            .stream()
            .filter(column -> column.getPath().toDotString().equals("trace_id"))
            .findFirst()
            .orElseThrow();
    int start = Math.toIntExact(traceId.getStartingPos());
    int size = Math.toIntExact(traceId.getTotalSize());
    byte[] bytes = garbled(corrupt, start + size / 2, size / 2);
    RowMultiset rest = duckDb.rows(good.subList(0, 3));

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.failedBins()).isEmpty();
    assertThat(result.skipped())
        .singleElement()
        .satisfies(
            skipped -> {
              assertThat(skipped.location()).isEqualTo(Location.local(corrupt));
              // parquet-java stores page checksums by default: the damage is caught by the CRC
              assertThat(skipped.reason())
                  .isEqualTo(
                      "cannot read row group 0 (org.apache.parquet.io.ParquetDecodingException:"
                          + " could not verify page integrity, CRC checksum verification failed)");
            });
    assertThat(result.filesProcessed()).isEqualTo(3);
    assertThat(corrupt).hasBinaryContent(bytes);
    assertThat(duckDb.rows(List.of(result.outputs().get(0).toLocalPath()))).isEqualTo(rest);
  }

  @Test
  void run_deduplicatesExactlyTheManifestsDuplicateRows() throws IOException {
    Fixtures fixtures = Fixtures.of(Fixtures.Writer.PYARROW);
    List<Path> inputs = fixtures.copyTo(directory);
    RowMultiset distinct = duckDb.distinctRows(inputs);
    assertThat(distinct.rows()).isEqualTo(fixtures.distinctRows());

    CompactionResult result =
        new CompactionRunner(
                storage, CompactionOptions.builder().deduplicate().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(3);
    assertThat(result.duplicateRecordsEliminated()).isEqualTo(fixtures.duplicateRows());
    assertThat(result.duplicateRecordsEliminated()).isEqualTo(5);
    assertThat(result.recordsConsolidated()).isEqualTo(fixtures.distinctRows());
    Path output = directory.resolve("events.1704067320000.c.parquet");
    assertThat(result.outputs()).containsExactly(Location.local(output));
    assertThat(duckDb.rows(List.of(output))).isEqualTo(distinct);
  }

  @Test
  void run_keepsDuplicateRowsWhenNotDeduplicating() throws IOException {
    Fixtures fixtures = Fixtures.of(Fixtures.Writer.PYARROW);
    List<Path> inputs = fixtures.copyTo(directory);
    RowMultiset before = duckDb.rows(inputs);

    CompactionResult result =
        new CompactionRunner(storage, CompactionOptions.builder().build(), CompactionListener.NONE)
            .run(source());

    assertThat(result.duplicateRecordsEliminated()).isZero();
    assertThat(result.recordsConsolidated()).isEqualTo(fixtures.rows());
    assertThat(duckDb.rows(List.of(result.outputs().get(0).toLocalPath()))).isEqualTo(before);
  }

  @Test
  void run_refusesDeduplicationThatNeedsMoreMemoryThanAllowedAndTouchesNothing()
      throws IOException {
    // 32,770 rows need a table of 131,072 slots of 16 bytes: 2 MiB.
    TelemetryDataset.builder()
        .files(2)
        .rowsPerFile(16_385)
        .seed(5)
        .build()
        .write(storage, source());
    Map<Path, String> before = states(dataFiles());
    CompactionOptions options =
        CompactionOptions.builder().deduplicate().deduplicationMemoryBytes(1 << 20).build();

    assertThatThrownBy(
            () -> new CompactionRunner(storage, options, CompactionListener.NONE).run(source()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot deduplicate 32770 rows within 1048576 bytes: it needs 2097152; narrow the run"
                + " with --start/--end or raise --deduplication-memory");

    assertThat(states(dataFiles())).isEqualTo(before);
    assertThat(journalRecords()).isEmpty();
    // The refused run released its lease: the next run goes ahead.
    CompactionResult next =
        new CompactionRunner(
                storage, CompactionOptions.builder().deduplicate().build(), CompactionListener.NONE)
            .run(source());
    assertThat(next.filesProcessed()).isEqualTo(2);
    assertThat(next.recordsConsolidated()).isEqualTo(32_770);
  }

  @Test
  void run_neverReplacesAnExistingFileOutsideTheKeyPrefix() throws IOException {
    List<Path> inputs = telemetry(2, 100);
    RowMultiset before = duckDb.rows(inputs);
    // An earlier run's output for another key prefix, under the output prefix this run uses.
    long latest = T0 + 2 * (86_400_000L / 2);
    Path earlier = directory.resolve("compacted." + latest + ".c.parquet");
    Files.write(earlier, EventFiles.events(1_000, 25));
    byte[] earlierBytes = Files.readAllBytes(earlier);

    CompactionResult result =
        new CompactionRunner(
                storage,
                CompactionOptions.builder().outputPrefix("compacted").build(),
                CompactionListener.NONE)
            .run(Location.local(directory).asDirectory().resolve("sensor_data"));

    Path output = directory.resolve("compacted." + (latest + 1) + ".c.parquet");
    assertThat(result.outputs()).containsExactly(Location.local(output));
    assertThat(earlier).hasBinaryContent(earlierBytes);
    assertThat(duckDb.rows(List.of(output))).isEqualTo(before);
  }

  /**
   * Overwrites {@code length} bytes of {@code file} from {@code offset} with a fixed pattern and
   * returns the new content.
   */
  private static byte[] garbled(Path file, int offset, int length) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (int i = offset; i < offset + length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    Files.write(file, bytes);
    return bytes;
  }

  private Location source() {
    return Location.local(directory).asDirectory();
  }

  /** Writes {@code files} telemetry files of {@code rows} rows over one day; returns them. */
  private List<Path> telemetry(int files, int rows) throws IOException {
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(rows)
        .seed(files)
        .build()
        .write(storage, source());
    return DuckDbVerifier.parquetFilesUnder(directory);
  }

  private Path file(long millis) {
    return directory.resolve(EventFiles.name("sensor_data", millis));
  }

  /** Every file below the directory outside Baler's state directory. */
  private List<Path> dataFiles() throws IOException {
    return EventFiles.dataFiles(storage, source()).stream().map(Location::toLocalPath).toList();
  }

  private List<Path> journalRecords() throws IOException {
    Path journal = directory.resolve("_baler/journal");
    if (!Files.exists(journal)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.toList();
    }
  }

  private static long bytes(List<Path> files) throws IOException {
    long sum = 0;
    for (Path file : files) {
      sum += Files.size(file);
    }
    return sum;
  }

  /** Each file's size, modification time and content hash, to see that nothing changed. */
  private static Map<Path, String> states(List<Path> files) throws IOException {
    Map<Path, String> states = new LinkedHashMap<>();
    for (Path file : files) {
      states.put(
          file,
          Files.size(file)
              + " bytes, modified "
              + Files.getLastModifiedTime(file)
              + ", hash "
              + Arrays.hashCode(Files.readAllBytes(file)));
    }
    return states;
  }

  /** Records the protocol steps a run goes through. */
  private static final class StepRecorder implements CompactionListener {
    final List<ProtocolStep> steps = new CopyOnWriteArrayList<>();

    @Override
    public void step(ProtocolStep step, Location subject) {
      steps.add(step);
    }
  }
}
