package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.HdfsServer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code baler compact hdfs://...} on a mini cluster, through the HDFS storage's provider. */
class CompactCommandHdfsIT {
  private static HdfsServer server;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = HdfsServer.start();
    storage = Storages.forLocation(Location.of(server.uri() + "/"), server.storageProperties());
  }

  @AfterAll
  static void stop() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void compact_onHdfsKeepsRows() throws IOException {
    Location directory = Location.of(server.uri() + "/lake/events/");
    TelemetryDataset.builder()
        .files(12)
        .rowsPerFile(100)
        .threads(1)
        .build()
        .write(storage, directory);
    RowFingerprint before = DataFiles.fingerprint(storage, directory);

    CompactCommandTest.Run run = baler("compact", directory.toString());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(12);
    assertThat(run.json().get("outputs").get(0).asText())
        .startsWith(directory.toString())
        .endsWith(".c.parquet");
    assertThat(DataFiles.fingerprint(storage, directory)).isEqualTo(before);
  }
}
