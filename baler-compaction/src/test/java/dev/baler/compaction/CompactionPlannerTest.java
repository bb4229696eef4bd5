package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.T0;
import static dev.baler.compaction.EventFiles.events;
import static dev.baler.compaction.EventFiles.name;
import static dev.baler.compaction.EventFiles.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.Storage;
import dev.baler.testing.ForwardingStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {
  private static final Location DIRECTORY = Location.of("memory://test/data/");
  private static final long MIB = 1 << 20;

  private final MemoryStorage storage = new MemoryStorage();
  private long nextId;

  @Test
  void plan_takesOriginalsNamedPrefixTimestampParquetIntoOneBinInTimeOrder() throws IOException {
    original("events.1704067203000.parquet", 10);
    original("events.1704067201000.parquet", 20);
    original("events.1704067202000.parq", 30);

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    Bin bin = plan.bins().get(0);
    assertThat(bin.index()).isZero();
    assertThat(bin.partition()).isEqualTo(DIRECTORY);
    assertThat(names(bin))
        .containsExactly(
            "events.1704067201000.parquet",
            "events.1704067202000.parq",
            "events.1704067203000.parquet");
    assertThat(bin.inputs())
        .extracting(InputEntry::timestampMillis)
        .containsExactly(
            OptionalLong.of(1_704_067_201_000L),
            OptionalLong.of(1_704_067_202_000L),
            OptionalLong.of(1_704_067_203_000L));
    assertThat(bin.output())
        .isEqualTo(Location.of("memory://test/data/events.1704067203000.c.parquet"));
    assertThat(bin.latestTimestampMillis()).hasValue(1_704_067_203_000L);
    assertThat(plan.inputFiles()).isEqualTo(3);
    assertThat(plan.inputRows()).isEqualTo(60);
    assertThat(plan.inputBytes()).isEqualTo(bytesOf(bin));
    assertThat(plan.skipped()).isEmpty();
    assertThat(plan.orphanMarkers()).isEmpty();
  }

  @Test
  void plan_tellsTheListenerOfEachFooterItReads() throws IOException {
    // 40 files to read, more than the reads in flight at once, and one marked processed, not read
    for (int i = 1; i <= 40; i++) {
      original(name("events", T0 + i), 5);
    }
    original(name("events", T0 + 41), 5);
    storage
        .newOutputFile(DIRECTORY.resolve(name("events", T0 + 41) + ".processed"))
        .write(new byte[0]);
    List<Integer> heard = new ArrayList<>();
    CompactionListener listener =
        new CompactionListener() {
          @Override
          public void footersRead(int read) {
            heard.add(read);
          }
        };

    new CompactionPlanner(storage, options().build(), listener).plan(DIRECTORY);

    assertThat(heard).containsExactlyElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
  }

  @Test
  void plan_balancesBinsInsteadOfFillingEachToTheTarget() throws IOException {
    // six files of about 400 kB against a 2 MiB target: filling bins to the target would give
    // five files and then one left alone; equal shares give two bins of three
    for (int i = 1; i <= 6; i++) {
      paddedOriginal(name("events", T0 + i), 400_000);
    }

    CompactionPlan plan = plan(options().targetBytes(2 * MIB).build(), DIRECTORY);

    assertThat(plan.bins()).extracting(bin -> bin.inputs().size()).containsExactly(3, 3);
    assertThat(plan.leftAlone()).isEmpty();
    assertThat(plan.bins())
        .allSatisfy(bin -> assertThat(bytesOf(bin)).isLessThanOrEqualTo(2 * MIB));
  }

  @Test
  void plan_keyPrefixTakesOnlyItsOwnNamesAndNeverMixesNamePrefixes() throws IOException {
    original(name("events", T0 + 1), 5);
    original(name("events", T0 + 2), 5);
    original(name("events_v2", T0 + 3), 5);
    original(name("events_v2", T0 + 4), 5);
    original(name("metrics", T0 + 5), 5);
    original(name("metrics", T0 + 6), 5);
    original(name("other", T0 + 7), 5);

    CompactionPlan byKeyPrefix = plan(options().build(), DIRECTORY.resolve("events"));
    CompactionPlan byDirectory = plan(options().build(), DIRECTORY);

    assertThat(byKeyPrefix.bins()).hasSize(1);
    assertThat(names(byKeyPrefix.bins().get(0)))
        .containsExactly(name("events", T0 + 1), name("events", T0 + 2));
    assertThat(byDirectory.bins())
        .extracting(bin -> bin.output().fileName())
        .containsExactlyInAnyOrder(
            "events." + (T0 + 2) + ".c.parquet",
            "events_v2." + (T0 + 4) + ".c.parquet",
            "metrics." + (T0 + 6) + ".c.parquet");
    assertThat(byDirectory.leftAlone()).containsExactly(DIRECTORY.resolve(name("other", T0 + 7)));
  }

  @Test
  void plan_startIsExclusiveAndEndInclusiveOnTheMillisecondTimestamp() throws IOException {
    long start = T0 + 1_000;
    long end = T0 + 5_000;
    for (long millis :
        new long[] {start - 1, start, start + 1, T0 + 3_000, end - 1, end, end + 1}) {
      original(name("events", millis), 5);
    }
    original("events.parquet", 5);
    original("part-00000-0f1e.snappy.parquet", 5);

    CompactionPlan plan = plan(options().startMillis(start).endMillis(end).build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(names(plan.bins().get(0)))
        .containsExactly(
            "events.1704067201001.parquet",
            "events.1704067203000.parquet",
            "events.1704067204999.parquet",
            "events.1704067205000.parquet");
    assertThat(plan.bins().get(0).output().fileName()).isEqualTo("events.1704067205000.c.parquet");
    // left out by the window, not skipped: nothing is wrong with them
    assertThat(plan.skipped()).isEmpty();
  }

  @Test
  void plan_onlyStartSetTakesEverythingAfterItAndNoUntimedFile() throws IOException {
    for (long millis : new long[] {T0, T0 + 1, T0 + 2}) {
      original(name("events", millis), 5);
    }
    original("events.parquet", 5);

    CompactionPlan plan = plan(options().startMillis(T0).build(), DIRECTORY);

    assertThat(plan.bins())
        .singleElement()
        .satisfies(
            bin ->
                assertThat(names(bin))
                    .containsExactly(
                        "events.1704067200001.parquet", "events.1704067200002.parquet"));
  }

  @Test
  void plan_withoutWindowTakesFilesWithoutTimestampAndNamesOutputAfterTheClock()
      throws IOException {
    original("part-00001.parquet", 5);
    original("part-00000.parquet", 5);
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1_717_171_717_171L), ZoneOffset.UTC);

    CompactionPlan plan = new CompactionPlanner(storage, options().build(), clock).plan(DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    Bin bin = plan.bins().get(0);
    assertThat(names(bin)).containsExactly("part-00000.parquet", "part-00001.parquet");
    assertThat(bin.latestTimestampMillis()).isEmpty();
    assertThat(bin.output()).isEqualTo(DIRECTORY.resolve("part.1717171717171.c.parquet"));
  }

  @Test
  void plan_stepsPastTheNameOfAnOutputAlreadyThere() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    original("events.1704067200002.c.parquet", 5); // an earlier run's output, same newest input

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(plan.bins().get(0).output())
        .isEqualTo(DIRECTORY.resolve("events.1704067200003.c.parquet"));
  }

  @Test
  void plan_neverTakesCompactedOutputsOrFilesWithProcessedMarkers() throws IOException {
    original("events.1704067200001.c.parquet", 5);
    original("events.1704067200002.c.parq", 5);
    Location marked = original("events.1704067200003.parquet", 5);
    put(storage, FileNames.marker(marked), "{}".getBytes(StandardCharsets.UTF_8));
    original("events.1704067200004.parquet", 5);
    original("events.1704067200005.parquet", 5);
    Location orphan =
        put(
            storage,
            DIRECTORY.resolve("events.1704067200000.parquet.processed"),
            "{}".getBytes(StandardCharsets.UTF_8));

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.1704067200004.parquet", "events.1704067200005.parquet");
    assertThat(plan.orphanMarkers()).containsExactly(orphan);
    assertThat(plan.skipped()).isEmpty();
  }

  @Test
  void plan_readsFootersWhileTheListingGoesOn() throws IOException {
    for (int i = 0; i < 40; i++) {
      original(String.format("events.17040672%05d.parquet", i), 5);
    }
    AtomicInteger footerReads = new AtomicInteger();
    // A listing of two pages that fetches its second only once a footer of the first is read, or
    // gives up after 10 s: planning that waited for the whole listing would fail.
    Storage paged =
        new ForwardingStorage(storage) {
          @Override
          public InputFile newInputFile(Location location) {
            footerReads.incrementAndGet();
            return super.newInputFile(location);
          }

          @Override
          public FileIterator list(Location prefix) throws IOException {
            FileIterator entries = super.list(prefix);
            return new FileIterator() {
              private int listed;

              @Override
              public boolean hasNext() throws IOException {
                if (listed == 20) {
                  long deadline = System.nanoTime() + 10_000_000_000L;
                  while (footerReads.get() == 0) {
                    if (System.nanoTime() > deadline) {
                      throw new IOException("no footer read while the listing waited");
                    }
                    LockSupport.parkNanos(1_000_000);
                  }
                }
                return entries.hasNext();
              }

              @Override
              public FileEntry next() throws IOException {
                listed++;
                return entries.next();
              }
            };
          }
        };

    CompactionPlan plan = new CompactionPlanner(paged, options().build()).plan(DIRECTORY);

    assertThat(plan.inputFiles()).isEqualTo(40);
    assertThat(footerReads.get()).as("each footer read once").isEqualTo(40);
  }

  @Test
  void plan_readsNoFooterOfAFileWithAMarker() throws IOException {
    Location marked = original("events.1704067200001.parquet", 5);
    put(storage, FileNames.marker(marked), "{}".getBytes(StandardCharsets.UTF_8));
    original("events.1704067200002.parquet", 5);
    Location lastMarked = original("events.1704067200003.parquet", 5);
    put(storage, FileNames.marker(lastMarked), "{}".getBytes(StandardCharsets.UTF_8));
    original("events.1704067200004.parquet", 5);
    Set<Location> read = ConcurrentHashMap.newKeySet();
    Storage counting =
        new ForwardingStorage(storage) {
          @Override
          public InputFile newInputFile(Location location) {
            read.add(location);
            return super.newInputFile(location);
          }
        };

    CompactionPlan plan = new CompactionPlanner(counting, options().build()).plan(DIRECTORY);

    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.1704067200002.parquet", "events.1704067200004.parquet");
    assertThat(read).doesNotContain(marked, lastMarked).hasSize(2);
  }

  @Test
  void plan_ignoresStateDirectoryHiddenFilesAndHiddenDirectories() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    // Not Parquet at all: were any of them read, it would show among the skipped files.
    byte[] garbage = "not parquet".getBytes(StandardCharsets.UTF_8);
    for (String hidden :
        List.of(
            "_baler/journal/events.1704067200003.parquet",
            "_baler/lease/0000000001.json",
            ".events.1704067200004.parquet",
            "_events.1704067200005.parquet",
            "_SUCCESS",
            ".spark-staging/events.1704067200006.parquet",
            "_temporary/0/events.1704067200007.parquet",
            "date=2024-01-01/.tmp/events.1704067200008.parquet")) {
      put(storage, DIRECTORY.resolve(hidden), garbage);
    }

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.1704067200001.parquet", "events.1704067200002.parquet");
    assertThat(plan.skipped()).isEmpty();
    assertThat(plan.orphanMarkers()).isEmpty();
  }

  @Test
  void plan_keyPrefixSelectsOnlyFilesWhoseNamesStartWithIt() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    original("metrics.1704067200001.parquet", 5);
    original("metrics.1704067200002.parquet", 5);

    CompactionPlan plan = plan(options().build(), Location.of("memory://test/data/events"));

    assertThat(plan.source()).isEqualTo(Location.of("memory://test/data/events"));
    assertThat(plan.bins()).hasSize(1);
    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.1704067200001.parquet", "events.1704067200002.parquet");
    assertThat(plan.bins().get(0).output())
        .isEqualTo(DIRECTORY.resolve("events.1704067200002.c.parquet"));
  }

  @Test
  void plan_neverMixesPartitions() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    original("date=2024-01-01/events.1704067200003.parquet", 5);
    original("date=2024-01-01/events.1704067200004.parquet", 5);
    original("date=2024-01-02/events.1704153600001.parquet", 5);
    original("date=2024-01-02/events.1704153600002.parquet", 5);
    original("date=2024-01-02/events.1704153600003.parquet", 5);
    original("date=2024-01-03/events.1704240000001.parquet", 5);

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(3);
    assertThat(plan.bins()).extracting(Bin::index).containsExactly(0, 1, 2);
    assertThat(plan.bins())
        .extracting(Bin::partition)
        .containsExactly(
            DIRECTORY,
            DIRECTORY.resolve("date=2024-01-01/"),
            DIRECTORY.resolve("date=2024-01-02/"));
    assertThat(plan.bins())
        .extracting(bin -> bin.output().toString())
        .containsExactly(
            "memory://test/data/events.1704067200002.c.parquet",
            "memory://test/data/date=2024-01-01/events.1704067200004.c.parquet",
            "memory://test/data/date=2024-01-02/events.1704153600003.c.parquet");
    for (Bin bin : plan.bins()) {
      assertThat(bin.inputs())
          .allSatisfy(input -> assertThat(input.location().parent()).hasValue(bin.partition()));
    }
    assertThat(names(plan.bins().get(2)))
        .containsExactly(
            "events.1704153600001.parquet",
            "events.1704153600002.parquet",
            "events.1704153600003.parquet");
  }

  @Test
  void plan_packsBinsUpToTargetBytesInTimeOrderNotNameOrder() throws IOException {
    // Names sort 1000, 1050, 1100, 900, 950; time order is 900, 950, 1000, 1050, 1100.
    long[] millis = {1_100, 900, 1_050, 950, 1_000};
    for (long stamp : millis) {
      paddedOriginal(name("events", stamp), 400_000);
    }

    CompactionPlan plan = plan(options().targetBytes(MIB).build(), DIRECTORY);

    // Two files of about 400 kB fit 1 MiB, three do not; the fifth file is alone and left.
    assertThat(plan.bins()).hasSize(2);
    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.900.parquet", "events.950.parquet");
    assertThat(names(plan.bins().get(1)))
        .containsExactly("events.1000.parquet", "events.1050.parquet");
    assertThat(plan.bins())
        .extracting(bin -> bin.output().fileName())
        .containsExactly("events.950.c.parquet", "events.1050.c.parquet");
    assertThat(plan.bins())
        .allSatisfy(bin -> assertThat(bin.inputBytes()).isLessThanOrEqualTo(MIB));
    assertThat(plan.inputFiles()).isEqualTo(4);
  }

  @Test
  void plan_neverAddsToABinPastTargetAndLeavesSingleFilesAlone() throws IOException {
    paddedOriginal(name("events", T0 + 1), 400_000);
    paddedOriginal(name("events", T0 + 2), 1_200_000);
    paddedOriginal(name("events", T0 + 3), 400_000);
    paddedOriginal(name("events", T0 + 4), 400_000);

    CompactionPlan plan = plan(options().targetBytes(MIB).build(), DIRECTORY);

    // [400k] [1.2M] [400k 400k]: only the last group has two files.
    assertThat(plan.bins()).hasSize(1);
    assertThat(names(plan.bins().get(0)))
        .containsExactly("events.1704067200003.parquet", "events.1704067200004.parquet");
    assertThat(plan.bins().get(0).index()).isZero();
  }

  @Test
  void plan_takesWholePartitionIntoOneBinWhenItFitsTheTarget() throws IOException {
    for (int i = 1; i <= 12; i++) {
      original(name("events", T0 + i), 5);
    }

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(plan.bins().get(0).inputs()).hasSize(12);
    assertThat(plan.inputRows()).isEqualTo(60);
  }

  @Test
  void plan_leavesPartitionsWithFewerThanMinFiles() throws IOException {
    original("date=2024-01-01/events.1704067200001.parquet", 5);
    original("date=2024-01-01/events.1704067200002.parquet", 5);
    original("date=2024-01-02/events.1704153600001.parquet", 5);
    original("date=2024-01-02/events.1704153600002.parquet", 5);
    original("date=2024-01-02/events.1704153600003.parquet", 5);

    CompactionPlan plan = plan(options().minFiles(3).build(), DIRECTORY);

    assertThat(plan.bins()).hasSize(1);
    assertThat(plan.bins().get(0).partition()).isEqualTo(DIRECTORY.resolve("date=2024-01-02/"));
    assertThat(plan.bins().get(0).inputs()).hasSize(3);
  }

  @Test
  void plan_minFilesCountsOnlyFilesInsideTheWindow() throws IOException {
    original(name("events", T0 + 1), 5);
    original(name("events", T0 + 2), 5);
    original(name("events", T0 + 3), 5);

    assertThat(plan(options().minFiles(3).endMillis(T0 + 2).build(), DIRECTORY).bins()).isEmpty();
    assertThat(plan(options().minFiles(3).endMillis(T0 + 3).build(), DIRECTORY).bins()).hasSize(1);
  }

  @Test
  void plan_outputNameStepsPastExistingNames() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    original("events.1704067200002.c.parquet", 5);
    original("events.1704067200003.c.parquet", 5);

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins())
        .singleElement()
        .satisfies(
            bin ->
                assertThat(bin.output())
                    .isEqualTo(DIRECTORY.resolve("events.1704067200004.c.parquet")));
  }

  @Test
  void plan_outputNamesOfOnePlanNeverCollide() throws IOException {
    // Both partitions' bins would be called compacted.{T0+2}.c.parquet in their own directory,
    // and the bins of name prefixes e and f in x/ share their latest time stamp.
    original("a.1704067200001.parquet", 5);
    original("a.1704067200002.parquet", 5);
    original("x/e.1704067200001.parquet", 5);
    original("x/e.1704067200002.parquet", 5);
    original("x/f.1704067200001.parquet", 5);
    original("x/f.1704067200002.parquet", 5);

    CompactionPlan plan =
        plan(options().outputPrefix("compacted").targetBytes(MIB).build(), DIRECTORY);

    assertThat(plan.bins())
        .extracting(bin -> bin.output().toString())
        .containsExactly(
            "memory://test/data/compacted.1704067200002.c.parquet",
            "memory://test/data/x/compacted.1704067200002.c.parquet",
            "memory://test/data/x/compacted.1704067200003.c.parquet");
  }

  @Test
  void plan_outputNameStepsPastAnExistingFileOutsideTheListedKeyPrefix() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    // The output of an earlier run of another key prefix with the same output prefix: a key
    // prefix of "events" does not list it, yet the new output must not replace it.
    original("compacted.1704067200002.c.parquet", 5);

    CompactionPlan plan =
        plan(options().outputPrefix("compacted").build(), Location.of("memory://test/data/events"));

    assertThat(plan.bins())
        .singleElement()
        .satisfies(
            bin ->
                assertThat(bin.output())
                    .isEqualTo(DIRECTORY.resolve("compacted.1704067200003.c.parquet")));
  }

  @Test
  void plan_usesOutputPrefixWhenSet() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);

    CompactionPlan plan = plan(options().outputPrefix("daily").build(), DIRECTORY);

    assertThat(plan.bins())
        .singleElement()
        .satisfies(
            bin ->
                assertThat(bin.output())
                    .isEqualTo(DIRECTORY.resolve("daily.1704067200002.c.parquet")));
  }

  @Test
  void plan_skipsFilesWithoutRowsAndFilesOfAnotherSchemaWithReasons() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    original("events.1704067200003.parquet", 5);
    Location empty = put(storage, DIRECTORY.resolve("events.1704067200004.parquet"), events(0, 0));
    Location other =
        put(storage, DIRECTORY.resolve("events.1704067200005.parquet"), EventFiles.otherSchema(3));

    CompactionPlan plan = plan(options().build(), DIRECTORY);

    assertThat(plan.bins())
        .singleElement()
        .satisfies(
            bin ->
                assertThat(names(bin))
                    .containsExactly(
                        "events.1704067200001.parquet",
                        "events.1704067200002.parquet",
                        "events.1704067200003.parquet"));
    assertThat(plan.skipped())
        .containsExactly(
            new SkippedFile(empty, "no rows"),
            new SkippedFile(
                other,
                "schema differs from the partition's (column 1 is 'status', expected 'id')"));
  }

  @Test
  void plan_writesNothing() throws IOException {
    original("events.1704067200001.parquet", 5);
    original("events.1704067200002.parquet", 5);
    var before = storage.list(Location.of("memory://test/")).toList();

    plan(options().build(), DIRECTORY);

    assertThat(storage.list(Location.of("memory://test/")).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void options_refuseAWindowWhoseEndIsNotAfterItsStart() {
    assertThatThrownBy(() -> options().startMillis(T0).endMillis(T0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid time window: end 1704067200000 ms is not after start 1704067200000 ms");
  }

  @Test
  void options_refuseTargetBelowOneMebibyteAndMinFilesBelowTwo() {
    assertThatThrownBy(() -> options().targetBytes(MIB - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid target size 1048575 bytes: must be at least 1048576 (1 MiB)");
    assertThatThrownBy(() -> options().minFiles(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid minimum of 1 files: must be at least 2");
    assertThatThrownBy(() -> options().outputPrefix("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid output prefix 'a/b': use letters, digits, '_', '-' and '.'");
  }

  private static CompactionOptions.Builder options() {
    return CompactionOptions.builder();
  }

  private CompactionPlan plan(CompactionOptions options, Location source) throws IOException {
    return new CompactionPlanner(storage, options).plan(source);
  }

  /** Writes an events file of {@code rows} rows at {@code relativePath} below the directory. */
  private Location original(String relativePath, int rows) throws IOException {
    Location location = DIRECTORY.resolve(relativePath);
    put(storage, location, events(nextId, rows));
    nextId += rows;
    return location;
  }

  /** Writes a one-row events file of about {@code bytes} bytes at {@code relativePath}. */
  private Location paddedOriginal(String relativePath, int bytes) throws IOException {
    Location location = DIRECTORY.resolve(relativePath);
    byte[] file = events(nextId++, 1, bytes, 0);
    assertThat(file.length).isBetween(bytes, bytes + 2_000);
    put(storage, location, file);
    return location;
  }

  private static long bytesOf(Bin bin) {
    return bin.inputs().stream().mapToLong(InputEntry::length).sum();
  }

  private static List<String> names(Bin bin) {
    return bin.inputs().stream().map(input -> input.location().fileName()).toList();
  }
}
