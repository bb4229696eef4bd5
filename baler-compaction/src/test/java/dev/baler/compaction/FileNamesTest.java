package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import org.junit.jupiter.api.Test;

class FileNamesTest {
  @Test
  void mayBeOriginal_takesDataFilesOnly() {
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/sensor_data.1704067200000.parquet")))
        .isTrue();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/date=2024-01-01/part-0.parq"))).isTrue();
    assertThat(FileNames.mayBeOriginal(Location.of("/data/events/x.parquet"))).isTrue();
  }

  /** What staging must never take for an original: a copy of it would outlive its changes. */
  @Test
  void mayBeOriginal_refusesOutputsStateAndOtherFiles() {
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/sensor_data.1704067200000.c.parquet")))
        .isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/_baler/journal/run-1.json"))).isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/_baler/lease/0000000001.json")))
        .isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/events/_baler/staging/x.parquet")))
        .isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/_baler/x.parquet"))).isFalse();
    assertThat(
            FileNames.mayBeOriginal(
                Location.of("s3://b/sensor_data.1704067200000.parquet.processed")))
        .isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/.sensor_data.1.parquet.tmp"))).isFalse();
    assertThat(FileNames.mayBeOriginal(Location.of("s3://b/_SUCCESS"))).isFalse();
  }
}
