package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.FileLayout;
import dev.baler.parquet.FileLayout.RowGroupSize;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InputListTest {
  private static final String SCHEMA = "message m { required int64 a; }";

  @Test
  void copyOf_packsEntriesOfSeveralDirectoriesAndGivesBackEqualOnes() {
    List<InputEntry> entries =
        List.of(
            entry("s3://bucket/dt=2024-01-01/events.1704067200000.parquet", 10, SCHEMA, 1_000),
            entry("s3://bucket/dt=2024-01-02/events.1704153600000.parquet", 20, SCHEMA, 2_000),
            entry("s3://bucket/at-the-root.parquet", 30, SCHEMA, -1),
            entry("file:///tmp/é/ünïcode.1704067200001.parquet", 40, SCHEMA, 1_704_067_200_001L),
            new InputEntry(
                file("s3://bucket/dt=2024-01-01/two-row-groups.parquet", 900),
                new FileLayout(
                    900, SCHEMA, List.of(new RowGroupSize(5, 300), new RowGroupSize(7, 400))),
                OptionalLong.empty()));

    List<InputEntry> packed = InputList.copyOf(entries);

    assertThat(packed).isInstanceOf(InputList.class).isEqualTo(entries);
    assertThat(packed.get(2).timestampMillis()).isEmpty();
    assertThat(packed.get(4).layout().rowGroupRows(1)).isEqualTo(7);
    assertThat(packed.get(0).layout().rowGroupBytes(0)).isEqualTo(10 * 10);
    assertThat(InputList.copyOf(packed)).isSameAs(packed);
  }

  @Test
  void copyOf_makesNamesOfTheFirstPrefixAgainFromTheirTimeStamps() {
    List<InputEntry> entries =
        List.of(
            entry("s3://bucket/in/sensor_data.1704067200864.parquet", 10, SCHEMA, 1704067200864L),
            entry("s3://bucket/in/sensor_data.1704067201728.parquet", 10, SCHEMA, 1704067201728L),
            // the time stamp written with a leading zero does not come back from the number
            entry("s3://bucket/in/sensor_data.01704067202592.parquet", 10, SCHEMA, 1704067202592L),
            entry("s3://bucket/in/other.1704067203456.parquet", 10, SCHEMA, 1704067203456L),
            entry("s3://bucket/in/no-time-stamp.parquet", 10, SCHEMA, -1),
            entry("s3://bucket/out/sensor_data.1704067204320.parquet", 10, SCHEMA, 1704067204320L));

    List<InputEntry> packed = InputList.copyOf(entries);

    assertThat(packed).isEqualTo(entries);
    assertThat(((InputList) packed).keptNameBytes())
        .isEqualTo(
            "sensor_data.01704067202592.parquet".length()
                + "other.1704067203456.parquet".length()
                + "no-time-stamp.parquet".length());
  }

  @Test
  void copyOf_keepsEntriesOfDifferentSchemaKeysAsGiven() {
    List<InputEntry> entries =
        List.of(
            entry("memory://test/a.parquet", 10, SCHEMA, 1),
            entry("memory://test/b.parquet", 10, "message m { required int32 a; }", 2));

    List<InputEntry> copy = InputList.copyOf(entries);

    assertThat(copy).isNotInstanceOf(InputList.class).isEqualTo(entries);
  }

  @Test
  void copyOf_keepsAnEmptyListEmpty() {
    assertThat(InputList.copyOf(List.of())).isEmpty();
  }

  private static InputEntry entry(String location, long rows, String schemaKey, long millis) {
    long length = rows * 10 + 200;
    return new InputEntry(
        file(location, length),
        FileLayout.ofOneRowGroup(length, schemaKey, rows, rows * 10),
        millis < 0 ? OptionalLong.empty() : OptionalLong.of(millis));
  }

  private static FileEntry file(String location, long length) {
    return new FileEntry(Location.of(location), length, Instant.EPOCH);
  }
}
