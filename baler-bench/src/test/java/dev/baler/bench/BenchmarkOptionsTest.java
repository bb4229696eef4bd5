package dev.baler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.bench.BenchmarkOptions.Store;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {
  @Test
  void parse_storeIsLocalUnlessS3IsAsked() {
    assertThat(BenchmarkOptions.parse(List.of()).store()).isEqualTo(Store.LOCAL);
    assertThat(BenchmarkOptions.parse(List.of("--store", "s3")).store()).isEqualTo(Store.S3);
    assertThat(BenchmarkOptions.parse(List.of("--store", "moto")).store()).isEqualTo(Store.MOTO);
    assertThat(BenchmarkOptions.parse(List.of("--store=local")).store()).isEqualTo(Store.LOCAL);
  }

  @Test
  void parse_rejectsAnUnknownStore() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(List.of("--store", "hdfs")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid argument --store hdfs: must be local, s3 or moto");
  }

  @Test
  void parse_inputsAreAsWrittenUnlessSyncingIsAsked() {
    assertThat(BenchmarkOptions.parse(List.of()).syncInputs()).isFalse();
    assertThat(BenchmarkOptions.parse(List.of("--inputs", "synced")).syncInputs()).isTrue();
    assertThat(BenchmarkOptions.parse(List.of("--inputs=written")).syncInputs()).isFalse();
    assertThatThrownBy(() -> BenchmarkOptions.parse(List.of("--inputs", "cold")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid argument --inputs cold: must be written or synced");
    assertThatThrownBy(() -> BenchmarkOptions.parse(List.of("--inputs", "synced", "--store", "s3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid argument --inputs synced: it applies to --store local only");
  }

  @Test
  void parse_balerDeletesItsOriginalsUnlessKeepingIsAsked() {
    assertThat(BenchmarkOptions.parse(List.of()).keepOriginals()).isFalse();
    assertThat(BenchmarkOptions.parse(List.of("--originals", "keep")).keepOriginals()).isTrue();
    assertThat(BenchmarkOptions.parse(List.of("--originals=delete")).keepOriginals()).isFalse();
    assertThatThrownBy(() -> BenchmarkOptions.parse(List.of("--originals", "move")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid argument --originals move: must be delete or keep");
  }

  @Test
  void parse_balerArgumentsAreSplitAtSpaces() {
    assertThat(BenchmarkOptions.parse(List.of()).balerArguments()).isEmpty();
    assertThat(
            BenchmarkOptions.parse(List.of("--baler-args", " --staging-bytes  0 -v"))
                .balerArguments())
        .containsExactly("--staging-bytes", "0", "-v");
    assertThat(BenchmarkOptions.parse(List.of("--baler-args=--parallelism=1")).balerArguments())
        .containsExactly("--parallelism=1");
  }

  @Test
  void isOutput_balerKeepsItsCompactedFilesOutsideItsJournal() {
    assertThat(Tool.BALER.isOutput("sensor_data.1704153600000.c.parquet")).isTrue();
    assertThat(Tool.BALER.isOutput("sensor_data.1704153600000.parquet")).isFalse();
    assertThat(Tool.BALER.isOutput("_baler/staging/x.c.parquet")).isFalse();
    assertThat(Tool.POLARS.isOutput("part-00000.parquet")).isTrue();
    assertThat(Tool.POLARS.isOutput("_SUCCESS")).isFalse();
  }
}
