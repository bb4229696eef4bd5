package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.Footer;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * Whatever the files, compaction keeps the row multiset of the directory: the sum of the files'
 * {@link RowFingerprint}s is the same before and after, and with deduplication it is that of the
 * distinct rows of the compacted inputs plus the files left alone.
 */
class CompactionPropertyTest {
  private static final Location DIRECTORY = Location.of("memory://property/data/");

  @Property(tries = 20)
  void compaction_keepsTheRowMultiset(
      @ForAll("rowsPerFile") List<Integer> rowsPerFile,
      @ForAll("payloadBytes") int payloadBytes,
      @ForAll("inputRowGroupRows") int inputRowGroupRows,
      @ForAll("targetBytes") long targetBytes,
      @ForAll("rowGroupRows") long rowGroupRows,
      @ForAll @IntRange(min = 1, max = 4) int parallelism,
      @ForAll long seed)
      throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Map<Location, List<Long>> files =
        writeFiles(storage, rowsPerFile, payloadBytes, inputRowGroupRows, seed);
    RowFingerprint before = fingerprint(storage, List.copyOf(files.keySet()));
    long largestInputRowGroup = largestRowGroup(storage, files.keySet());
    AtomicReference<CompactionPlan> planned = new AtomicReference<>();
    CompactionOptions options =
        CompactionOptions.builder()
            .targetBytes(targetBytes)
            .parallelism(parallelism)
            .writeOptions(WriteOptions.builder().rowGroupRows(rowGroupRows).build())
            // small files: hand row groups over whatever their size, so that the property holds
            // of runs whose bins are merged by more than one thread too
            .handOverBytes(0)
            .build();

    CompactionResult result =
        new CompactionRunner(storage, options, listener(planned)).run(DIRECTORY);

    CompactionPlan plan = planned.get();
    Statistics.label("bins").collect(Math.min(plan.bins().size(), 3));
    Statistics.label("files left alone").collect(files.size() > plan.inputFiles());
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.skipped()).isEmpty();
    assertThat(result.filesProcessed()).isEqualTo(plan.inputFiles());
    assertThat(result.filesCreated()).isEqualTo(plan.bins().size());
    assertThat(result.recordsConsolidated()).isEqualTo(plan.inputRows());
    for (Bin bin : plan.bins()) {
      assertThat(bin.inputs()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(bin.inputBytes()).isLessThanOrEqualTo(targetBytes);
    }
    List<Location> after = parquetFiles(storage, DIRECTORY);
    assertThat(fingerprint(storage, after)).isEqualTo(before);
    assertThat(after).hasSize(files.size() - plan.inputFiles() + plan.bins().size());
    assertThat(EventFiles.dataFiles(storage, DIRECTORY)).isEqualTo(after); // no markers left
    long largestAllowed = Math.max(rowGroupRows, largestInputRowGroup);
    for (Location output : result.outputs()) {
      for (BlockMetaData rowGroup : Footer.read(storage.newInputFile(output)).rowGroups()) {
        assertThat(rowGroup.getRowCount()).isBetween(1L, largestAllowed);
      }
    }
  }

  @Property(tries = 20)
  void deduplication_leavesTheDistinctRowsOfTheCompactedInputs(
      @ForAll("rowsPerFile") List<Integer> rowsPerFile,
      @ForAll("payloadBytes") int payloadBytes,
      @ForAll("targetBytes") long targetBytes,
      @ForAll("rowGroupRows") long rowGroupRows,
      @ForAll long seed)
      throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Map<Location, List<Long>> files = writeFiles(storage, rowsPerFile, payloadBytes, 50, seed);
    AtomicReference<CompactionPlan> planned = new AtomicReference<>();
    CompactionOptions options =
        CompactionOptions.builder()
            .targetBytes(targetBytes)
            .deduplicate()
            .writeOptions(WriteOptions.builder().rowGroupRows(rowGroupRows).build())
            // small files: hand row groups over whatever their size, so that the property holds
            // of runs whose bins are merged by more than one thread too
            .handOverBytes(0)
            .build();

    CompactionResult result =
        new CompactionRunner(storage, options, listener(planned)).run(DIRECTORY);

    // Rows are functions of their ids: the distinct rows of the compacted inputs are their ids.
    CompactionPlan plan = planned.get();
    Statistics.label("bins").collect(Math.min(plan.bins().size(), 3));
    Set<Long> distinct = new LinkedHashSet<>();
    long compactedRows = 0;
    List<Location> leftAlone = new ArrayList<>(files.keySet());
    for (Bin bin : plan.bins()) {
      for (InputEntry input : bin.inputs()) {
        List<Long> ids = files.get(input.location());
        distinct.addAll(ids);
        compactedRows += ids.size();
        leftAlone.remove(input.location());
      }
    }
    RowFingerprint expected =
        fingerprint(storage, leftAlone)
            .plus(
                distinct.isEmpty()
                    ? RowFingerprint.EMPTY
                    : RowFingerprint.of(
                        storage.newInputFile(
                            EventFiles.put(
                                storage,
                                Location.of("memory://property/expected.parquet"),
                                EventFiles.events(List.copyOf(distinct), payloadBytes, 0)))));
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.duplicateRecordsEliminated()).isEqualTo(compactedRows - distinct.size());
    assertThat(result.recordsConsolidated()).isEqualTo(distinct.size());
    assertThat(fingerprint(storage, parquetFiles(storage, DIRECTORY))).isEqualTo(expected);
  }

  /** 2 to 30 files of 1 to 300 rows, sizes drawn evenly rather than biased to small ones. */
  @Provide
  Arbitrary<List<Integer>> rowsPerFile() {
    return Arbitraries.integers()
        .between(1, 300)
        .withDistribution(RandomDistribution.uniform())
        .list()
        .ofMinSize(2)
        .ofMaxSize(30)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  /** Payload bytes per row: with up to 300 rows, files of up to about 600 kB. */
  @Provide
  Arbitrary<Integer> payloadBytes() {
    return Arbitraries.integers().between(0, 2_000).withDistribution(RandomDistribution.uniform());
  }

  /** Rows per input row group, 0 for one row group per file; evenly, as small ones are slow. */
  @Provide
  Arbitrary<Integer> inputRowGroupRows() {
    return Arbitraries.integers().between(0, 150).withDistribution(RandomDistribution.uniform());
  }

  /** Rows per output row group; evenly, as small ones are slow, with 1 among the edge cases. */
  @Provide
  Arbitrary<Long> rowGroupRows() {
    return Arbitraries.longs().between(1, 2_000).withDistribution(RandomDistribution.uniform());
  }

  /** Target sizes from the smallest allowed, 1 MiB, to 2 MiB, so that bins fill up. */
  @Provide
  Arbitrary<Long> targetBytes() {
    return Arbitraries.longs()
        .between(1 << 20, 2 << 20)
        .withDistribution(RandomDistribution.uniform());
  }

  /**
   * Writes one file per entry of {@code rowsPerFile}, named one second apart, whose ids are drawn
   * from a range small enough that rows repeat within and across files.
   *
   * @return each file's ids in row order
   */
  private static Map<Location, List<Long>> writeFiles(
      MemoryStorage storage,
      List<Integer> rowsPerFile,
      int payloadBytes,
      int inputRowGroupRows,
      long seed)
      throws IOException {
    Random random = new Random(seed);
    int idRange = Math.max(1, rowsPerFile.stream().mapToInt(Integer::intValue).sum() * 3 / 4);
    Map<Location, List<Long>> files = new HashMap<>();
    for (int file = 0; file < rowsPerFile.size(); file++) {
      List<Long> ids = new ArrayList<>();
      for (int row = 0; row < rowsPerFile.get(file); row++) {
        ids.add((long) random.nextInt(idRange));
      }
      Location location =
          DIRECTORY.resolve(EventFiles.name("events", EventFiles.T0 + 1_000L * file));
      EventFiles.put(storage, location, EventFiles.events(ids, payloadBytes, inputRowGroupRows));
      files.put(location, ids);
    }
    return files;
  }

  private static long largestRowGroup(MemoryStorage storage, Set<Location> files)
      throws IOException {
    long largest = 0;
    for (Location file : files) {
      for (BlockMetaData rowGroup : Footer.read(storage.newInputFile(file)).rowGroups()) {
        largest = Math.max(largest, rowGroup.getRowCount());
      }
    }
    return largest;
  }

  private static CompactionListener listener(AtomicReference<CompactionPlan> planned) {
    return new CompactionListener() {
      @Override
      public void planned(CompactionPlan plan) {
        planned.set(plan);
      }
    };
  }
}
