package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.Location;
import dev.baler.storage.StagingStorage;
import dev.baler.storage.Storage;
import dev.baler.testing.FaultInjectingProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many S3 requests a compaction costs, counted by a proxy that injects no faults. Requests, not
 * bytes, are what small files cost on S3: each is a round trip, and billed.
 */
class S3RequestsIT {
  private static final String BUCKET = "baler-requests";
  private static final int FILES = 40;

  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  @TempDir Path staging;

  @Test
  void compaction_readsEachSmallInputTwiceAndWritesNoMarkerForDeletedOriginals()
      throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/events/");
    RowFingerprint before = writeInputs(directory);

    Map<String, Long> requests;
    CompactionResult result;
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(bucket.endpoint(), Map.of(), 1);
        Storage counted = bucket.through(proxy, Map.of())) {
      result =
          new CompactionRunner(
                  counted, CompactionOptions.builder().build(), CompactionListener.NONE)
              .run(directory);
      requests = proxy.forwardedByMethod();
    }

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(FILES);
    assertThat(fingerprint(bucket.direct(), parquetFiles(bucket.direct(), directory)))
        .isEqualTo(before);
    // Per input: its footer's tail in planning, then the whole file as the merge opens it. The
    // rest is per run or per output: listings, the lease and journal records, the output read
    // back for verification.
    assertThat(requests.getOrDefault("GET", 0L))
        .as("GETs: %s", requests)
        .isBetween(2L * FILES, 2L * FILES + 15);
    // No marker is written for an original that is deleted: only the lease, the journal record
    // and the output's upload are written.
    assertThat(requests.getOrDefault("PUT", 0L)).as("PUTs: %s", requests).isLessThan(10);
  }

  @Test
  void compaction_throughStagingReadsEachSmallInputOnce() throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/staged/");
    RowFingerprint before = writeInputs(directory);

    Map<String, Long> requests;
    CompactionResult result;
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(bucket.endpoint(), Map.of(), 1);
        Storage counted = bucket.through(proxy, Map.of());
        StagingStorage staged =
            new StagingStorage(counted, staging, 1L << 30, FileNames::mayBeOriginal)) {
      result =
          new CompactionRunner(staged, CompactionOptions.builder().build(), CompactionListener.NONE)
              .run(directory);
      requests = proxy.forwardedByMethod();
      // the originals are deleted, and their copies with them
      assertThat(staged.stagedBytes()).isZero();
    }

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(FILES);
    assertThat(fingerprint(bucket.direct(), parquetFiles(bucket.direct(), directory)))
        .isEqualTo(before);
    // Per input: the whole file once, as planning reads its footer; the merge reads the copy.
    // The output is read back from S3 itself, never from a copy.
    assertThat(requests.getOrDefault("GET", 0L))
        .as("GETs: %s", requests)
        .isBetween((long) FILES, FILES + 15L);
    try (Stream<Path> left = Files.list(staging)) {
      assertThat(left).as("staging directories left").isEmpty();
    }
  }

  /**
   * Writes {@value #FILES} files of about 110 KB below {@code directory}: above the 64 KiB a footer
   * read fetches, so that planning without staging fetches only their tails, and below the size a
   * merge reads whole as it opens a file.
   *
   * @return the fingerprint of their rows
   */
  private static RowFingerprint writeInputs(Location directory) throws IOException {
    TelemetryDataset.builder()
        .files(FILES)
        .rowsPerFile(2_000)
        .seed(5)
        .threads(2)
        .build()
        .write(bucket.direct(), directory);
    return fingerprint(bucket.direct(), parquetFiles(bucket.direct(), directory));
  }
}
