package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Selection of date partitions ({@code date=YYYY-MM-DD}) and originals moved to a backup directory,
 * the two things {@code baler consolidate} adds to the compaction engine.
 */
class DatePartitionsTest {
  private static final Location BASE = Location.of("s3://bucket/telemetry/");
  private static final LocalDate DAY = LocalDate.of(2025, 8, 15);

  private final MemoryStorage storage = EventFiles.memory();

  @Test
  void plan_takesOnlyTheSelectedDatePartitions() throws IOException {
    writeDay(DAY.minusDays(2), 3);
    writeDay(DAY.minusDays(1), 3);
    writeDay(DAY, 3);
    writeDay(DAY.plusDays(1), 3);
    EventFiles.put(storage, BASE.resolve("other/a.parquet"), EventFiles.events(0, 10));
    EventFiles.put(storage, BASE.resolve("other/b.parquet"), EventFiles.events(10, 10));

    CompactionPlan plan =
        new CompactionPlanner(storage, options(DAY.minusDays(1), DAY).build()).plan(BASE);

    assertThat(plan.bins())
        .extracting(bin -> bin.partition().toString())
        .containsExactly(partition(DAY.minusDays(1)).toString(), partition(DAY).toString());
    assertThat(plan.inputFiles()).isEqualTo(6);
    assertThat(plan.leftAlone()).isEmpty();
    assertThat(plan.skipped()).isEmpty();
  }

  @Test
  void plan_leavesAlonePartitionsWithTooFewFiles() throws IOException {
    writeDay(DAY.minusDays(1), 2);
    List<Location> enough = writeDay(DAY, 5);

    CompactionPlan plan =
        new CompactionPlanner(storage, options(DAY.minusDays(1), DAY).minFiles(5).build())
            .plan(BASE);

    assertThat(plan.bins()).singleElement().satisfies(bin -> assertThat(bin.inputs()).hasSize(5));
    assertThat(plan.bins().get(0).inputs())
        .extracting(InputEntry::location)
        .containsExactlyInAnyOrderElementsOf(enough);
    assertThat(plan.leftAlone()).hasSize(2);
  }

  @Test
  void plan_refusesDatePartitionsOfAKeyPrefix() {
    CompactionPlanner planner = new CompactionPlanner(storage, options(DAY, DAY).build());

    assertThatThrownBy(() -> planner.plan(Location.of("s3://bucket/telemetry/sensor")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot select date partitions of s3://bucket/telemetry/sensor: it is not a directory");
  }

  @Test
  void run_movesOriginalsToTheBackupDirectoryAtTheirRelativePaths() throws IOException {
    List<Location> originals = writeDay(DAY, 4);
    var before = EventFiles.fingerprint(storage, originals);
    Location backup = Location.of("s3://bucket/backup/telemetry/");

    CompactionResult result =
        new CompactionRunner(
                storage,
                options(DAY, DAY).backUpOriginalsTo(backup).build(),
                CompactionListener.NONE)
            .run(BASE);

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.deletionFailures()).isEmpty();
    List<Location> backedUp = new ArrayList<>();
    for (Location original : originals) {
      assertThat(storage.newInputFile(original).exists()).isFalse();
      assertThat(storage.newInputFile(FileNames.marker(original)).exists()).isFalse();
      backedUp.add(backup.resolve("date=2025-08-15/" + original.fileName()));
    }
    assertThat(EventFiles.fingerprint(storage, backedUp)).isEqualTo(before);
    assertThat(EventFiles.fingerprint(storage, result.outputs())).isEqualTo(before);
  }

  @Test
  void run_reportsEachPartition() throws IOException {
    writeDay(DAY.minusDays(1), 3);
    writeDay(DAY, 4);

    CompactionResult result =
        new CompactionRunner(
                storage, options(DAY.minusDays(1), DAY).build(), CompactionListener.NONE)
            .run(BASE);

    assertThat(result.partitions())
        .extracting(
            PartitionResult::partition,
            PartitionResult::filesProcessed,
            PartitionResult::filesCreated,
            PartitionResult::recordsConsolidated,
            PartitionResult::failedBins)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(partition(DAY.minusDays(1)), 3, 1, 30L, 0),
            org.assertj.core.groups.Tuple.tuple(partition(DAY), 4, 1, 40L, 0));
    assertThat(result.partitions())
        .allSatisfy(
            partition -> {
              assertThat(partition.duration()).isPositive();
              assertThat(partition.filesPerSecond()).isPositive();
              assertThat(partition.outputBytes()).isPositive();
              assertThat(partition.inputBytes()).isPositive();
            });
  }

  @Test
  void run_refusesABackupDirectoryInsideTheData() throws IOException {
    List<Location> originals = writeDay(DAY, 3);
    CompactionRunner runner =
        new CompactionRunner(
            storage,
            options(DAY, DAY).backUpOriginalsTo(BASE.resolve("backup/")).build(),
            CompactionListener.NONE);

    assertThatThrownBy(() -> runner.run(BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid backup directory s3://bucket/telemetry/backup/: it is inside the data"
                + " directory, so later runs would take its files; choose one outside it, or a"
                + " hidden one such as s3://bucket/telemetry/_backup/");
    assertThat(EventFiles.dataFiles(storage, BASE)).containsExactlyInAnyOrderElementsOf(originals);
  }

  @Test
  void run_acceptsAHiddenBackupDirectoryInsideTheData() throws IOException {
    writeDay(DAY, 3);

    CompactionResult result =
        new CompactionRunner(
                storage,
                options(DAY, DAY).backUpOriginalsTo(BASE.resolve("_backup/")).build(),
                CompactionListener.NONE)
            .run(BASE);

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(storage.list(BASE.resolve("_backup/")).toList()).hasSize(3);
  }

  @Test
  void run_refusesABackupDirectoryAboveTheDataOrOnAnotherStore() {
    for (Location backup :
        List.of(Location.of("s3://bucket/"), Location.of("s3://other-bucket/backup/"))) {
      CompactionRunner runner =
          new CompactionRunner(
              storage,
              options(DAY, DAY).backUpOriginalsTo(backup).build(),
              CompactionListener.NONE);

      assertThatThrownBy(() -> runner.run(BASE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid backup directory " + backup);
    }
  }

  @Test
  void run_refusesTheTrashOfAStoreWithout() throws IOException {
    List<Location> originals = writeDay(DAY, 3);
    CompactionRunner runner =
        new CompactionRunner(
            storage,
            options(DAY, DAY).originals(CompactionOptions.Originals.TRASH).build(),
            CompactionListener.NONE);

    assertThatThrownBy(() -> runner.run(BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot move originals to the trash: " + BASE + " has no trash enabled");
    assertThat(EventFiles.dataFiles(storage, BASE)).containsExactlyInAnyOrderElementsOf(originals);
  }

  @Test
  void options_backUpNeedsADirectory() {
    assertThatThrownBy(
            () ->
                CompactionOptions.builder().originals(CompactionOptions.Originals.BACK_UP).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backup directory");
  }

  @Test
  void dateRange_refusesAnEndBeforeItsStart() {
    assertThatThrownBy(() -> new CompactionOptions.DateRange(DAY, DAY.minusDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid date range: 2025-08-14 is before 2025-08-15");
  }

  private static CompactionOptions.Builder options(LocalDate first, LocalDate last) {
    return CompactionOptions.builder()
        .minFiles(2)
        .partitionDates(new CompactionOptions.DateRange(first, last));
  }

  private static Location partition(LocalDate date) {
    return BASE.resolve("date=" + date + "/");
  }

  /** Writes {@code files} files of 10 rows into the partition of {@code date}. */
  private List<Location> writeDay(LocalDate date, int files) throws IOException {
    List<Location> written = new ArrayList<>();
    for (int file = 0; file < files; file++) {
      long firstId = date.toEpochDay() * 1000 + file * 10L;
      written.add(
          EventFiles.put(
              storage,
              partition(date).resolve("telemetry-" + date + "-writer-" + file + ".parquet"),
              EventFiles.events(firstId, 10)));
    }
    return written;
  }
}
