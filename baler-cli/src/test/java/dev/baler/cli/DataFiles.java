package dev.baler.cli;

import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;

/** The rows of the Parquet data files below a directory, for checks that compaction kept them. */
final class DataFiles {
  private DataFiles() {}

  /** Writes {@code files} telemetry files of 100 rows each below {@code directory}. */
  static void writeTelemetry(Storage storage, Location directory, int files) throws IOException {
    TelemetryDataset.builder()
        .files(files)
        .rowsPerFile(100)
        .threads(1)
        .build()
        .write(storage, directory);
  }

  /**
   * The fingerprint of every {@code .parquet} file below {@code directory}, outside {@code
   * _baler/}.
   */
  static RowFingerprint fingerprint(Storage storage, Location directory) throws IOException {
    RowFingerprint total = RowFingerprint.EMPTY;
    for (FileEntry file : storage.list(directory).toList()) {
      if (file.location().fileName().endsWith(".parquet")
          && !file.location().path().contains("_baler/")) {
        total = total.plus(RowFingerprint.of(storage.newInputFile(file.location(), file.length())));
      }
    }
    return total;
  }
}
