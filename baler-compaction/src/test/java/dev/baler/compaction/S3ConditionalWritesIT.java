package dev.baler.compaction;

import static dev.baler.compaction.EventFiles.parquetFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.FaultInjectingProxy.Deviation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Compaction on a store that drops the condition of {@code PutObject} with {@code If-None-Match:
 * *}, played by a proxy in front of S3Proxy: two runs racing for the lease could both take it
 * there, so a run refuses to start and changes nothing.
 */
class S3ConditionalWritesIT {
  private static final String BUCKET = "baler-conditions";

  @RegisterExtension static final S3Bucket bucket = new S3Bucket(BUCKET);

  @Test
  void compaction_onAStoreThatIgnoresIfNoneMatch_isRefusedAndChangesNothing() throws IOException {
    Location directory = Location.of("s3://" + BUCKET + "/ignored/");
    TelemetryDataset.builder()
        .files(6)
        .rowsPerFile(50)
        .seed(5)
        .build()
        .write(bucket.direct(), directory);
    List<Location> before = parquetFiles(bucket.direct(), directory);

    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(
                bucket.endpoint(), Map.of(), 1, Set.of(Deviation.IF_NONE_MATCH_IGNORED));
        Storage ignoring = bucket.through(proxy, Map.of())) {
      CompactionRunner runner =
          new CompactionRunner(
              ignoring, CompactionOptions.builder().build(), CompactionListener.NONE);

      assertThatThrownBy(() -> runner.run(directory))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("ignores create-if-absent");
      assertThat(proxy.deviated().get(Deviation.IF_NONE_MATCH_IGNORED)).isEqualTo(1);
    }
    List<Location> after =
        bucket.direct().list(directory).toList().stream()
            .map(FileEntry::location)
            .filter(location -> !location.path().contains("/_baler/"))
            .toList();
    assertThat(after).as("data files, unchanged, and no marker").isEqualTo(before);
  }
}
