package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.fingerprint;
import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.testing.FaultInjectingProxy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How many S3 requests a compaction costs, counted by a proxy that injects no faults. Requests, not
 * bytes, are what small files cost on S3: each is a round trip, and billed.
 */
class S3RequestsIT {
  private static final String BUCKET = "baler-requests";
  private static final int FILES = 40;

  private static S3Bucket bucket;
  private static Storage direct;

  @BeforeAll
  static void startServer() throws IOException {
    bucket = S3Bucket.start(BUCKET);
    direct = bucket.direct();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (bucket != null) {
      bucket.close();
    }
  }

  @Test
  void compaction_readsEachSmallInputTwiceAndWritesNoMarkerForDeletedOriginals()
      throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/events/");
    // files of about 110 KB: above the 64 KiB a footer read fetches, so planning fetches only
    // their tails, and below the size a merge reads whole as it opens a file
    TelemetryDataset.builder()
        .files(FILES)
        .rowsPerFile(2_000)
        .seed(5)
        .threads(2)
        .build()
        .write(direct, directory);
    List<Location> originals = parquetFiles(direct, directory);
    RowFingerprint before = fingerprint(direct, originals);

    Map<String, Long> requests;
    CompactionResult result;
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(bucket.server().endpoint(), Map.of(), 1);
        Storage counted = bucket.through(proxy, Map.of())) {
      result =
          new CompactionRunner(
                  counted, CompactionOptions.builder().build(), CompactionListener.NONE)
              .run(directory);
      requests = proxy.forwardedByMethod();
    }

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.filesProcessed()).isEqualTo(FILES);
    assertThat(fingerprint(direct, parquetFiles(direct, directory))).isEqualTo(before);
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
}
