package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.FileLayout;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BinTest {
  private static final String SCHEMA = "message m { required int64 a; }";

  @Test
  void inputLocations_areTheInputsLocationsInTheirOrder() {
    List<InputEntry> inputs =
        List.of(
            entry("s3://bucket/in/sensor_data.1704067200864.parquet", 1704067200864L),
            entry("s3://bucket/in/no-time-stamp.parquet", -1),
            entry("s3://bucket/in/sensor_data.1704067201728.parquet", 1704067201728L));
    Bin bin =
        new Bin(
            0,
            Location.of("s3://bucket/in/"),
            inputs,
            Location.of("s3://bucket/in/sensor_data.1704067201728.c.parquet"));

    assertThat(bin.inputLocations())
        .containsExactly(
            Location.of("s3://bucket/in/sensor_data.1704067200864.parquet"),
            Location.of("s3://bucket/in/no-time-stamp.parquet"),
            Location.of("s3://bucket/in/sensor_data.1704067201728.parquet"));
    assertThat(bin.inputLocations().get(1)).isEqualTo(inputs.get(1).location());
  }

  private static InputEntry entry(String location, long millis) {
    return new InputEntry(
        new FileEntry(Location.of(location), 300, Instant.EPOCH),
        FileLayout.ofOneRowGroup(300, SCHEMA, 10, 100),
        millis < 0 ? OptionalLong.empty() : OptionalLong.of(millis));
  }
}
