package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.HdfsServer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code baler consolidate hdfs://...} on a mini cluster whose namenode has a trash: the originals
 * go to the Hadoop trash, as the seed's consolidation utility promises, unless told otherwise.
 */
class ConsolidateCommandHdfsIT {
  private static HdfsServer server;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = HdfsServer.start(Map.of("fs.trash.interval", "60"));
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
  void consolidate_movesOriginalsToTheTrashAndKeepsRows() throws IOException {
    Location base = Location.of(server.uri() + "/telemetry-data-v2/");
    writeTwoDays(base);
    Location day = base.resolve("date=2025-08-15/");
    RowFingerprint before = DataFiles.fingerprint(storage, day);
    List<String> originals = names(day);

    CompactCommandTest.Run run =
        baler("consolidate", base.toString(), "--date", "2025-08-15", "--min-files", "5");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("originals").asText()).isEqualTo("moved to the trash");
    assertThat(run.json().get("files_processed").asInt()).isEqualTo(originals.size());
    assertThat(names(day))
        .singleElement()
        .satisfies(name -> assertThat(name).endsWith(".c.parquet"));
    assertThat(DataFiles.fingerprint(storage, day)).isEqualTo(before);
    Location trash =
        Location.of(
            server.uri()
                + "/user/"
                + System.getProperty("user.name")
                + "/.Trash/Current/"
                + day.path());
    assertThat(names(trash)).containsExactlyInAnyOrderElementsOf(originals);
  }

  @Test
  void consolidate_skipTrashDeletesOriginals() throws IOException {
    Location base = Location.of(server.uri() + "/skip-trash/");
    writeTwoDays(base);
    Location day = base.resolve("date=2025-08-14/");
    RowFingerprint before = DataFiles.fingerprint(storage, day);

    CompactCommandTest.Run run =
        baler("consolidate", base.toString(), "--date", "2025-08-14", "--skip-trash");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("originals").asText()).isEqualTo("deleted");
    assertThat(names(day))
        .singleElement()
        .satisfies(name -> assertThat(name).endsWith(".c.parquet"));
    assertThat(DataFiles.fingerprint(storage, day)).isEqualTo(before);
  }

  /** Two days, 2025-08-14 and 2025-08-15, of 6 files each. */
  private static void writeTwoDays(Location base) throws IOException {
    TelemetryDataset.builder()
        .files(12)
        .rowsPerFile(100)
        .layout(TelemetryDataset.Layout.DATE)
        .start(Instant.parse("2025-08-14T00:00:00Z"))
        .days(2)
        .threads(1)
        .build()
        .write(storage, base);
  }

  private static List<String> names(Location directory) throws IOException {
    return storage.list(directory).toList().stream()
        .map(FileEntry::location)
        .filter(location -> !location.path().contains("_baler/"))
        .map(Location::fileName)
        .filter(name -> name.endsWith(".parquet"))
        .toList();
  }
}
