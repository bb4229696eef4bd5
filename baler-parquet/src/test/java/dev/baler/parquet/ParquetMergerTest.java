package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.FileEntry;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.SeekableInputStream;
import dev.baler.testing.ForwardingInputFile;
import dev.baler.testing.ForwardingSeekableInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.parquet.format.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParquetMergerTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");

  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void merge_keepsRowMultisetAndSchema() throws IOException {
    List<MergeInput> inputs = writeInputs(12, 300);
    RowFingerprint expected = fingerprintOf(inputs);

    Location output = DIRECTORY.resolve("out.c.parquet");
    MergeResult result =
        new ParquetMerger(WriteOptions.defaults())
            .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);

    assertThat(result.rows()).isEqualTo(12 * 300);
    assertMergedRows(output, result, expected);
    Footer footer = Footer.read(storage.newInputFile(output));
    assertThat(footer.schemaKey()).isEqualTo(inputs.get(0).layout().schemaKey());
    assertThat(footer.rowGroups()).hasSize(1);
    assertThat(footer.rows()).isEqualTo(3600);
  }

  @Test
  void merge_cutsRowGroupsAtRowLimitWithoutSplittingInputRowGroups() throws IOException {
    List<MergeInput> inputs = writeInputs(10, 100);
    Location output = DIRECTORY.resolve("out.c.parquet");

    MergeResult result =
        new ParquetMerger(WriteOptions.builder().rowGroupRows(250).build())
            .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);

    Footer footer = Footer.read(storage.newInputFile(output));
    assertThat(result.rowGroups()).isEqualTo(5);
    assertThat(footer.rowGroups())
        .allSatisfy(rowGroup -> assertThat(rowGroup.getRowCount()).isEqualTo(200));
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(fingerprintOf(inputs));
  }

  @Test
  void merge_skipsRowsAndFingerprintsOnlyKeptRows() throws IOException {
    List<MergeInput> inputs = writeInputs(2, 50);
    BitSet skip = new BitSet();
    skip.set(0, 10);
    List<MergeInput> withSkips =
        List.of(
            new MergeInput(inputs.get(0).file(), inputs.get(0).layout(), Optional.of(skip)),
            inputs.get(1));
    Location output = DIRECTORY.resolve("out.c.parquet");

    MergeResult result =
        new ParquetMerger(WriteOptions.defaults())
            .merge(withSkips, storage.newOutputFile(output), MergeListener.NONE);

    assertThat(result.rows()).isEqualTo(90);
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(result.fingerprint());
    assertThat(result.fingerprint()).isNotEqualTo(fingerprintOf(inputs));
  }

  @Test
  void duplicateFinder_marksRepeatedRowsAcrossFiles() throws IOException {
    List<MergeInput> inputs = writeInputs(3, 40);
    List<MergeInput> doubled = new ArrayList<>(inputs);
    doubled.addAll(inputs); // the same files again: every row of the copies is a duplicate

    List<BitSet> duplicates = DuplicateFinder.scanAll(doubled);

    assertThat(duplicates.subList(0, 3)).allSatisfy(bits -> assertThat(bits.isEmpty()).isTrue());
    assertThat(duplicates.subList(3, 6))
        .allSatisfy(bits -> assertThat(bits.cardinality()).isEqualTo(40));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void merge_roundTripsEveryAvailableCodec(Codec codec) throws IOException {
    List<MergeInput> inputs = writeInputs(3, 200);
    Location output = DIRECTORY.resolve("out-" + codec.displayName() + ".c.parquet");
    Optional<String> unavailable = codec.unavailableReason();
    if (unavailable.isPresent()) {
      // a codec that cannot round-trip must be refused with a reason, and must really fail
      assertThat(codec).isIn(Codec.LZO, Codec.BROTLI);
      assertThat(unavailable.get()).contains("Baler does not ship");
      assertThatThrownBy(
              () ->
                  new ParquetMerger(WriteOptions.builder().codec(codec).build())
                      .merge(inputs, storage.newOutputFile(output), MergeListener.NONE))
          .isInstanceOf(RuntimeException.class);
      assertThat(storage.newInputFile(output).exists()).isFalse();
      return;
    }

    new ParquetMerger(WriteOptions.builder().codec(codec).build())
        .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);

    Footer footer = Footer.read(storage.newInputFile(output));
    assertThat(footer.codecs()).containsExactly(codec);
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(fingerprintOf(inputs));
  }

  /**
   * Key-value metadata all inputs share goes to the output, whatever the others hold; a pair
   * without a value (Thrift's value is optional) is a pair like any other, shared only if every
   * input has it. A pair without a value made the merge fail on a null.
   */
  @Test
  void merge_keepsTheKeyValueMetadataAllInputsShareAndPairsWithoutValues() throws IOException {
    List<MergeInput> written = writeInputs(3, 20);
    List<MergeInput> inputs = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      Location location = written.get(i).file().location();
      String own = "input " + i;
      byte[] file =
          TestFiles.withFooter(
              storage.bytes(location),
              metadata -> {
                metadata.addToKey_value_metadata(new KeyValue("unset"));
                if (!own.equals("input 2")) {
                  metadata.addToKey_value_metadata(new KeyValue("unset-in-some"));
                }
                KeyValue valueOrNone = new KeyValue("value-or-none");
                metadata.addToKey_value_metadata(
                    own.equals("input 1") ? valueOrNone : valueOrNone.setValue("x"));
                metadata.addToKey_value_metadata(new KeyValue("shared").setValue("yes"));
                metadata.addToKey_value_metadata(new KeyValue("own").setValue(own));
              });
      storage.newOutputFile(location).write(file);
      var input = storage.newInputFile(location);
      inputs.add(MergeInput.of(input, Footer.read(input).layout()));
    }
    Location output = DIRECTORY.resolve("out.c.parquet");

    new ParquetMerger(WriteOptions.defaults())
        .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);

    Map<String, String> kept = Footer.read(storage.newInputFile(output)).keyValueMetadata();
    assertThat(kept)
        .containsEntry("shared", "yes")
        .doesNotContainKey("own")
        .doesNotContainKey("unset-in-some")
        .doesNotContainKey("value-or-none");
    assertThat(kept).containsKey("unset");
    assertThat(kept.get("unset")).isNull();
  }

  @Test
  void merge_refusesMixedSchemas() throws IOException {
    List<MergeInput> inputs = new ArrayList<>(writeInputs(1, 10));
    Location other = DIRECTORY.resolve("other.parquet");
    storage.newOutputFile(other).write(TestFiles.otherSchemaFile());
    inputs.add(
        MergeInput.of(
            storage.newInputFile(other), Footer.read(storage.newInputFile(other)).layout()));

    assertThatThrownBy(
            () ->
                new ParquetMerger(WriteOptions.defaults())
                    .merge(
                        inputs,
                        storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                        MergeListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot merge memory://test/data/other.parquet into memory://test/data/out.c.parquet: ");
  }

  /**
   * An input rewritten after planning is refused by name: with more rows, or with another schema at
   * the length planned, whose key is its own and not the first input's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"rows", "schema"})
  void merge_refusesAnInputThatChangedSinceItWasPlanned(String change) throws IOException {
    List<MergeInput> inputs = writeInputs(3, 10);
    MergeInput changed = inputs.get(1);
    Location location = changed.file().location();
    byte[] rewritten =
        change.equals("rows")
            ? storage.bytes(
                writeInputs(DIRECTORY.resolve("longer/"), 1, 20).get(0).file().location())
            : TestFiles.paddedTo(
                sized(TestFiles.otherSchemaFile(), changed.layout().dataBytes()),
                Math.toIntExact(changed.layout().length()));
    storage.newOutputFile(location).write(rewritten);
    // as planning left them: the length listed then
    List<MergeInput> planned = new ArrayList<>();
    for (MergeInput input : inputs) {
      planned.add(
          MergeInput.of(
              storage.newInputFile(input.file().location(), input.layout().length()),
              input.layout()));
    }

    assertThatThrownBy(
            () ->
                new ParquetMerger(WriteOptions.defaults())
                    .merge(
                        planned,
                        storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                        MergeListener.NONE))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageContaining(location.toString())
        .hasMessageContaining("changed since it was planned");
  }

  /**
   * A one-row-group file whose footer says its chunks take {@code bytes} in all (its first chunk's
   * size changed), so that only its schema tells it from a file planned with that size.
   */
  private static byte[] sized(byte[] file, long bytes) throws IOException {
    return TestFiles.withFooter(
        file,
        metadata -> {
          var chunks = metadata.getRow_groups().get(0).getColumns();
          long total =
              chunks.stream().mapToLong(c -> c.getMeta_data().getTotal_compressed_size()).sum();
          var first = chunks.get(0).getMeta_data();
          first.setTotal_compressed_size(first.getTotal_compressed_size() + bytes - total);
        });
  }

  @Test
  void footer_explainsInvalidFiles() throws IOException {
    List<MergeInput> inputs = writeInputs(1, 10);
    Location empty = DIRECTORY.resolve("empty.parquet");
    storage.newOutputFile(empty).write(new byte[0]);
    Location text = DIRECTORY.resolve("text.parquet");
    storage.newOutputFile(text).write("this is not parquet at all, just text".getBytes());
    byte[] whole = storage.bytes(inputs.get(0).file().location());
    Location truncated = DIRECTORY.resolve("truncated.parquet");
    storage.newOutputFile(truncated).write(java.util.Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> Footer.read(storage.newInputFile(empty)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessage("Cannot read memory://test/data/empty.parquet: empty file (0 bytes)");
    assertThatThrownBy(() -> Footer.read(storage.newInputFile(text)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessage(
            "Cannot read memory://test/data/text.parquet: not a Parquet file: no PAR1 magic number at its start or end");
    assertThatThrownBy(() -> Footer.read(storage.newInputFile(truncated)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessage(
            "Cannot read memory://test/data/truncated.parquet: truncated: it starts as Parquet but has no footer at its end");
  }

  @ParameterizedTest
  @EnumSource(WriteOptions.Pages.class)
  void merge_keepsAnInputReadWholeIntactInTheNextOutputRowGroup(WriteOptions.Pages pages)
      throws IOException {
    // a (row groups of 10 and 5 rows), then b (5 rows), in output row groups of at most 10 rows:
    // a's first, then a's second and b. a is read whole into the merge's windows for the first;
    // b's bytes, read for the second, would land on a's second row group unless a kept its own.
    MergeInput a = withRowGroups("a", 10, 5);
    List<MergeInput> inputs = new ArrayList<>();
    inputs.add(a);
    inputs.addAll(writeInputs(DIRECTORY.resolve("b/"), 1, 5));
    assertThat(inputs.get(1).layout().length())
        .as("b reaches a's second row group")
        .isGreaterThan(Footer.read(a.file()).rowGroups().get(1).getStartingPos());
    Location output = DIRECTORY.resolve("out.c.parquet");

    MergeResult result =
        new ParquetMerger(WriteOptions.builder().rowGroupRows(10).pages(pages).build())
            .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);

    assertThat(result.rowGroups()).isEqualTo(2);
    assertMergedRows(output, result, fingerprintOf(inputs));
  }

  @ParameterizedTest
  @EnumSource(WriteOptions.Pages.class)
  void merge_readsAnOutputRowGroupLargerThanTheWindowBytesInColumnGroups(WriteOptions.Pages pages)
      throws IOException {
    // 40 files of 2,000 rows, about 4.7 MB, make one output row group: with 1 MiB of window bytes
    // its columns go in groups of at most 1 MiB, but for a column that takes more on its own
    List<MergeInput> inputs = writeInputs(40, 2000);
    WriteOptions options = WriteOptions.builder().pages(pages).build();
    Location whole = DIRECTORY.resolve("whole.c.parquet");
    Location grouped = DIRECTORY.resolve("grouped.c.parquet");
    List<CountingFile> counted = new ArrayList<>();
    List<MergeInput> countedInputs =
        counted(inputs, counted, new AtomicInteger(), new AtomicInteger());

    new ParquetMerger(options).merge(inputs, storage.newOutputFile(whole), MergeListener.NONE);
    MergeResult result =
        new ParquetMerger(options, 1 << 20)
            .merge(countedInputs, storage.newOutputFile(grouped), MergeListener.NONE);

    assertThat(result.rowGroups()).isEqualTo(1);
    assertMergedRows(grouped, result, fingerprintOf(inputs));
    assertThat(storage.newInputFile(grouped).readAllBytes())
        .as("the same output as a merge that holds every input whole")
        .isEqualTo(storage.newInputFile(whole).readAllBytes());
    // the first input is read whole as the merge starts, before any row group is planned
    assertThat(counted.get(0).streams).isEqualTo(1);
    assertThat(counted.get(0).reads).isEqualTo(1);
    List<CountingFile> rest = counted.subList(1, counted.size());
    assertThat(rest).allSatisfy(file -> assertThat(file.streams).isEqualTo(1));
    assertThat(rest.stream().map(file -> file.reads).distinct().toList())
        .as("reads of each input: one as it opens, one for each later group")
        .singleElement()
        .satisfies(reads -> assertThat(reads).isBetween(2, 5));
  }

  @ParameterizedTest
  @EnumSource(WriteOptions.Pages.class)
  void merge_inColumnGroupsClosesTheFilesItFindsNoRoomForAndOpensThemForEachGroup(
      WriteOptions.Pages pages) throws IOException {
    // as above, 40 inputs in column groups, but room for 5 open files
    List<MergeInput> inputs = writeInputs(40, 2000);
    WriteOptions options = WriteOptions.builder().pages(pages).build();
    Location whole = DIRECTORY.resolve("whole.c.parquet");
    Location grouped = DIRECTORY.resolve("grouped.c.parquet");
    AtomicInteger openNow = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    List<CountingFile> counted = new ArrayList<>();
    List<MergeInput> countedInputs = counted(inputs, counted, openNow, mostOpen);
    OpenFileBudget openFiles = new OpenFileBudget(5);

    new ParquetMerger(options).merge(inputs, storage.newOutputFile(whole), MergeListener.NONE);
    MergeResult result =
        new ParquetMerger(options, 1 << 20, openFiles)
            .merge(countedInputs, storage.newOutputFile(grouped), MergeListener.NONE);

    assertMergedRows(grouped, result, fingerprintOf(inputs));
    assertThat(storage.newInputFile(grouped).readAllBytes())
        .as("the same output as a merge that holds every input open")
        .isEqualTo(storage.newInputFile(whole).readAllBytes());
    assertThat(openNow).as("files open after the merge").hasValue(0);
    assertThat(openFiles.free()).as("room given back").isEqualTo(5);
    assertThat(mostOpen.get())
        .as("files open at once: the 5 with room, and those being opened by the opener threads")
        .isLessThanOrEqualTo(5 + ParquetMerger.OPEN_THREADS);
    List<CountingFile> rest = counted.subList(1, counted.size());
    assertThat(rest.stream().filter(file -> file.streams == 1).count())
        .as("inputs that kept their file open")
        .isEqualTo(5);
    assertThat(rest)
        .filteredOn(file -> file.streams > 1)
        .hasSize(34)
        .allSatisfy(file -> assertThat(file.streams).as("a stream per read").isEqualTo(file.reads));
  }

  @Test
  void merge_closesTheFileOfAnInputWithoutRoomAfterReadingItsNextRowGroupWhole()
      throws IOException {
    // s, 1,000 rows; a, row groups of 45,000 (about 2.6 MB), 5,000 and 45,000 rows. Output row
    // groups of at most 45,000 rows: s; a's first, merged in column groups (2 MiB of window
    // bytes), where a finds no room to keep its file open; a's second, loaded with one read, after
    // which a's file must be closed again, as a goes on to the next; a's third.
    MergeInput small = writeInputs(DIRECTORY.resolve("s/"), 1, 1_000).get(0);
    MergeInput a = withRowGroups("a", 45_000, 5_000, 45_000);
    assertThat(a.layout().rowGroupBytes(0)).isGreaterThan(2 << 20);
    assertThat(a.layout().rowGroupBytes(1)).isLessThan(1 << 19);
    AtomicInteger openNow = new AtomicInteger();
    List<MergeInput> inputs =
        List.of(
            small,
            MergeInput.of(new CountingFile(a.file(), openNow, new AtomicInteger()), a.layout()));
    List<Integer> openAfterRowGroups = new ArrayList<>();

    MergeResult result =
        new ParquetMerger(
                WriteOptions.builder().rowGroupRows(45_000).build(), 2 << 20, new OpenFileBudget(0))
            .merge(
                inputs,
                storage.newOutputFile(DIRECTORY.resolve("out.c.parquet")),
                (rows, inputBytes) -> openAfterRowGroups.add(openNow.get()));

    assertThat(result.rowGroups()).isEqualTo(4);
    assertMergedRows(DIRECTORY.resolve("out.c.parquet"), result, fingerprintOf(List.of(small, a)));
    assertThat(openAfterRowGroups).as("a's file open after each output row group").containsOnly(0);
  }

  @Test
  void merge_interruptedWhileOpeningInputsClosesEveryInputAndGivesItsRoomBack() throws Exception {
    List<MergeInput> inputs = writeInputs(40, 2000);
    AtomicInteger openNow = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    CountDownLatch opening = new CountDownLatch(1);
    List<MergeInput> slowInputs = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      InputFile counted = new CountingFile(inputs.get(i).file(), openNow, mostOpen);
      // the first input opens on the merging thread; the others on the opener threads, slowly
      InputFile file =
          i == 0
              ? counted
              : new ForwardingInputFile(counted) {
                @Override
                public SeekableInputStream newStream() throws IOException {
                  opening.countDown();
                  // 50 ms that an interrupt does not cut short, as a blocking read on a socket
                  long until = System.nanoTime() + 50_000_000L;
                  boolean interrupted = false;
                  for (long left; (left = until - System.nanoTime()) > 0; ) {
                    try {
                      TimeUnit.NANOSECONDS.sleep(left);
                    } catch (InterruptedException e) {
                      interrupted = true;
                    }
                  }
                  if (interrupted) {
                    Thread.currentThread().interrupt();
                  }
                  return super.newStream();
                }
              };
      slowInputs.add(MergeInput.of(file, inputs.get(i).layout()));
    }
    OpenFileBudget openFiles = new OpenFileBudget(5);
    Location output = DIRECTORY.resolve("interrupted.c.parquet");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread merging =
        new Thread(
            () -> {
              try {
                new ParquetMerger(WriteOptions.builder().build(), 1 << 20, openFiles)
                    .merge(slowInputs, storage.newOutputFile(output), MergeListener.NONE);
              } catch (Throwable e) {
                thrown.set(e);
              }
            });

    merging.start();
    assertThat(opening.await(10, TimeUnit.SECONDS)).as("inputs being opened").isTrue();
    merging.interrupt();
    merging.join(10_000);

    assertThat(merging.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(openNow).as("files open after the merge").hasValue(0);
    assertThat(openFiles.free()).as("room given back").isEqualTo(5);
    assertThat(storage.newInputFile(output).exists()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(WriteOptions.Pages.class)
  void merge_inColumnGroupsReadsLargeInputsAndOnesThatSpanOutputRowGroups(WriteOptions.Pages pages)
      throws IOException {
    // a: two row groups of 30,000 rows, about 3.5 MB, too large to be read whole as it opens; b
    // and c: 30,000 rows each. Output row groups of at most 45,000 rows: a's first, a's second
    // (a stays open from one to the next), b, c; each over 1 MiB, so merged in column groups.
    MergeInput a = withRowGroups("a", 30_000, 30_000);
    assertThat(a.layout().length()).isGreaterThan(ParquetMerger.WHOLE_FILE_BYTES);
    assertThat(a.layout().rowGroupBytes(1)).isGreaterThan(1 << 20);
    List<MergeInput> inputs = new ArrayList<>();
    inputs.add(a);
    inputs.addAll(writeInputs(DIRECTORY.resolve("bc/"), 2, 30_000));
    assertThat(inputs.get(1).layout().rowGroupBytes(0)).isGreaterThan(1 << 20);
    WriteOptions options = WriteOptions.builder().rowGroupRows(45_000).pages(pages).build();
    Location whole = DIRECTORY.resolve("whole.c.parquet");
    Location grouped = DIRECTORY.resolve("grouped.c.parquet");

    new ParquetMerger(options).merge(inputs, storage.newOutputFile(whole), MergeListener.NONE);
    MergeResult result =
        new ParquetMerger(options, 1 << 20)
            .merge(inputs, storage.newOutputFile(grouped), MergeListener.NONE);

    assertThat(result.rowGroups()).isEqualTo(4);
    assertMergedRows(grouped, result, fingerprintOf(inputs));
    assertThat(storage.newInputFile(grouped).readAllBytes())
        .as("the same output as a merge that holds every input whole")
        .isEqualTo(storage.newInputFile(whole).readAllBytes());
  }

  /**
   * The inputs, each read through a {@link CountingFile} that is added to {@code counted}, all
   * sharing {@code openNow} and {@code mostOpen}.
   */
  private static List<MergeInput> counted(
      List<MergeInput> inputs,
      List<CountingFile> counted,
      AtomicInteger openNow,
      AtomicInteger mostOpen) {
    List<MergeInput> countedInputs = new ArrayList<>();
    for (MergeInput input : inputs) {
      CountingFile file = new CountingFile(input.file(), openNow, mostOpen);
      counted.add(file);
      countedInputs.add(MergeInput.of(file, input.layout()));
    }
    return countedInputs;
  }

  /**
   * An input file that counts the streams opened on it and the reads that reach it, and the streams
   * open now of all files that share its counters.
   */
  private static final class CountingFile extends ForwardingInputFile {
    private final AtomicInteger openNow;
    private final AtomicInteger mostOpen;
    int streams;
    int reads;

    CountingFile(InputFile file, AtomicInteger openNow, AtomicInteger mostOpen) {
      super(file);
      this.openNow = openNow;
      this.mostOpen = mostOpen;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      streams++;
      mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
      return new ForwardingSeekableInputStream(super.newStream()) {
        @Override
        public int read() throws IOException {
          reads++;
          return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          reads++;
          return super.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
          openNow.decrementAndGet();
          super.close();
        }
      };
    }
  }

  /**
   * An input of one row group for each of {@code rows}, of that many rows, at {@code
   * name/name.parquet} below the directory.
   */
  private MergeInput withRowGroups(String name, int... rows) throws IOException {
    List<MergeInput> parts = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      parts.addAll(writeInputs(DIRECTORY.resolve(name + (i + 1) + "/"), 1, rows[i]));
    }
    Location location = DIRECTORY.resolve(name + "/" + name + ".parquet");
    // row groups of at most the smallest part's rows: each part makes a row group of its own
    int smallest = Arrays.stream(rows).min().orElseThrow();
    new ParquetMerger(WriteOptions.builder().rowGroupRows(smallest).build())
        .merge(parts, storage.newOutputFile(location), MergeListener.NONE);
    var file = storage.newInputFile(location);
    Footer footer = Footer.read(file);
    assertThat(footer.rowGroups()).hasSize(rows.length);
    return MergeInput.of(file, footer.layout());
  }

  private List<MergeInput> writeInputs(int files, int rowsPerFile) throws IOException {
    return writeInputs(DIRECTORY, files, rowsPerFile);
  }

  private List<MergeInput> writeInputs(Location directory, int files, int rowsPerFile)
      throws IOException {
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(rowsPerFile)
        .threads(1)
        .build()
        .write(storage, directory);
    List<MergeInput> inputs = new ArrayList<>();
    for (FileEntry entry : storage.list(directory).toList()) {
      if (entry.location().fileName().endsWith(".parquet")
          && !entry.location().fileName().contains(".c.")) {
        var file = storage.newInputFile(entry.location(), entry.length());
        inputs.add(MergeInput.of(file, Footer.read(file).layout()));
      }
    }
    return inputs;
  }

  /**
   * The output holds the inputs' rows ({@code expected}, their multiset), and reads back as the
   * merge's verification reads it: the merge's fingerprint, with its verbatim chunks by their
   * bytes.
   */
  private void assertMergedRows(Location output, MergeResult result, RowFingerprint expected)
      throws IOException {
    assertThat(
            RowFingerprint.of(
                storage.newInputFile(output),
                ParquetMerger.DEFAULT_WINDOW_BYTES,
                result.verbatim()))
        .as("read back as verified")
        .isEqualTo(result.fingerprint());
    assertThat(RowFingerprint.of(storage.newInputFile(output))).isEqualTo(expected);
  }

  private static RowFingerprint fingerprintOf(List<MergeInput> inputs) throws IOException {
    RowFingerprint fingerprint = RowFingerprint.EMPTY;
    for (MergeInput input : inputs) {
      fingerprint = fingerprint.plus(RowFingerprint.of(input.file()));
    }
    return fingerprint;
  }
}
