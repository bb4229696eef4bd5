package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.dataFiles;
import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.compaction.CompactionOptions.Originals;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.StagingStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compactor process killed mid-run on S3, reading its inputs through staged copies as {@code
 * baler compact} does there: the next run recovers the bin and leaves exactly the original rows,
 * and the copies the killed run left behind are deleted. Run against S3Proxy ({@link
 * S3CrashRecoveryIT}) and moto ({@link S3CrashRecoveryMotoIT}).
 */
abstract class S3CrashRecoveryScenarios {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** The bucket the scenarios run in, on the server of the subclass. */
  abstract S3Bucket bucket();

  @TempDir Path temp;

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(strings = {CompactionChild.ROW_GROUP, "OUTPUT_VERIFIED", "ORIGINALS_DELETED"})
  void killedRunThroughStagedCopies_nextRunLeavesExactlyTheOriginalRows(String stopAt)
      throws Exception {
    Location directory = Location.of("s3://" + bucket().name() + "/" + stopAt.toLowerCase() + "/");
    TelemetryDataset.builder()
        .files(12)
        .rowsPerFile(2_000)
        .seed(11)
        .threads(2)
        .build()
        .write(bucket().direct(), directory);
    RowFingerprint before =
        fingerprint(bucket().direct(), parquetFiles(bucket().direct(), directory));
    Path staging = Files.createDirectory(temp.resolve("staging"));

    List<String> arguments =
        new ArrayList<>(
            List.of(directory.toString(), stopAt, Originals.DELETE.name(), "staging=" + staging));
    bucket().storageProperties().forEach((key, value) -> arguments.add(key + "=" + value));
    try (ChildJvm child = ChildJvm.start("child", temp, arguments)) {
      child.awaitLine("AT " + stopAt + " ", STEP_TIMEOUT);
      child.kill();
    }
    assertThat(children(staging)).as("the killed run's staging directory").hasSize(1);
    Map<Location, Journal.State> open = new HashMap<>();
    for (var record : Journal.openRecords(bucket().direct(), directory)) {
      open.put(record.getKey(), record.getValue().state());
    }

    CompactionResult result;
    try (StagingStorage staged =
        new StagingStorage(bucket().direct(), staging, 1L << 30, FileNames::mayBeOriginal)) {
      result =
          new CompactionRunner(
                  staged,
                  CompactionChild.options(
                      Originals.DELETE, CompactionOptions.DEFAULT_LEASE_DURATION, directory),
                  CompactionListener.NONE)
              .run(directory);
    }

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    // the stopped bin's record, and maybe a neighbour's (see CrashRecoveryIT): each rolled back
    // before it said verified, finished after
    assertThat(result.recovered())
        .extracting(CompactionResult.Recovery::journalRecord)
        .containsExactlyInAnyOrderElementsOf(open.keySet());
    for (CompactionResult.Recovery recovery : result.recovered()) {
      assertThat(recovery.action())
          .startsWith(
              open.get(recovery.journalRecord()) == Journal.State.WRITING
                  ? "rolled back: unverified output"
                  : "finished: ");
    }
    assertThat(result.recovered())
        .extracting(CompactionResult.Recovery::action)
        .anySatisfy(
            action ->
                assertThat(action)
                    .startsWith(
                        stopAt.equals(CompactionChild.ROW_GROUP)
                            ? "rolled back: unverified output"
                            : "finished: "));
    List<Location> files = parquetFiles(bucket().direct(), directory);
    assertThat(files)
        .allSatisfy(file -> assertThat(FileNames.isCompacted(file.fileName())).isTrue());
    assertThat(fingerprint(bucket().direct(), files)).isEqualTo(before);
    assertThat(dataFiles(bucket().direct(), directory)).isEqualTo(files); // no marker left
    assertThat(bucket().direct().list(directory.resolve("_baler/journal/")).toList())
        .extracting(FileEntry::location)
        .isEmpty();
    assertThat(children(staging)).as("staging directories left").isEmpty();
  }

  private static List<Path> children(Path directory) throws IOException {
    try (Stream<Path> paths = Files.list(directory)) {
      return paths.toList();
    }
  }
}
