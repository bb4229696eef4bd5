package dev.baler.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * The shape of the Parquet files a tool wrote, read from their footers.
 *
 * @param files the number of files
 * @param bytes their total size, in bytes
 * @param rowGroups the number of row groups over all files
 * @param rows the number of rows over all files, as the footers say
 */
record OutputStatistics(int files, long bytes, long rowGroups, long rows) {
  /** Checks the counts. */
  OutputStatistics {
    if (files < 0 || bytes < 0 || rowGroups < 0 || rows < 0) {
      throw new IllegalArgumentException(
          "Invalid output statistics: "
              + files
              + " files, "
              + bytes
              + " bytes, "
              + rowGroups
              + " row groups, "
              + rows
              + " rows");
    }
  }

  /**
   * Reads the footers of {@code files}.
   *
   * @throws IOException if a file is not a readable Parquet file, naming it
   */
  static OutputStatistics of(List<Path> files) throws IOException {
    long bytes = 0;
    long rowGroups = 0;
    long rows = 0;
    for (Path file : files) {
      bytes += Files.size(file);
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
        rowGroups += reader.getRowGroups().size();
        rows += reader.getRecordCount();
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "Cannot read the Parquet footer of " + file + ": " + e.getMessage(), e);
      }
    }
    return new OutputStatistics(files.size(), bytes, rowGroups, rows);
  }
}
