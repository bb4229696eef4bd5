package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.compaction.RepackOptions;
import dev.baler.storage.Location;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepackSettingsTest {
  @Test
  void environment_givesSourceAndDerivedDestinationInTheSameBucket() {
    RepackSettings settings =
        RepackSettings.of(
            null,
            null,
            null,
            null,
            Map.of(
                "SRC_BUCKET",
                "lake",
                "SRC_PREFIX",
                "events/raw/",
                "WORKERS",
                "7",
                "BATCH_SIZE",
                "1000"));

    assertThat(settings)
        .isEqualTo(
            new RepackSettings(
                Location.of("s3://lake/events/raw/"),
                Location.of("s3://lake/events/raw_repack"),
                7,
                1000));
  }

  @Test
  void destinationPrefix_isTakenFromTheEnvironment() {
    RepackSettings settings =
        RepackSettings.of(
            null,
            null,
            null,
            null,
            Map.of("SRC_BUCKET", "lake", "SRC_PREFIX", "raw", "DEST_PREFIX", "clean/raw"));

    assertThat(settings.destination()).isEqualTo(Location.of("s3://lake/clean/raw"));
    assertThat(settings.workers()).isEqualTo(RepackOptions.defaultWorkers());
    assertThat(settings.batchRows()).isEqualTo(65_536);
  }

  @Test
  void flags_winOverTheEnvironment() {
    RepackSettings settings =
        RepackSettings.of(
            "s3://other/in",
            "s3://other/out",
            3,
            10,
            Map.of(
                "SRC_BUCKET", "lake", "SRC_PREFIX", "raw", "WORKERS", "7", "BATCH_SIZE", "1000"));

    assertThat(settings)
        .isEqualTo(
            new RepackSettings(Location.of("s3://other/in"), Location.of("s3://other/out"), 3, 10));
  }

  @Test
  void zeroWorkers_meansTheDefault() {
    assertThat(RepackSettings.of("s3://a/in", "s3://a/out", 0, null, Map.of()).workers())
        .isEqualTo(RepackOptions.defaultWorkers());
    assertThat(
            RepackSettings.of("s3://a/in", "s3://a/out", null, null, Map.of("WORKERS", "0"))
                .workers())
        .isEqualTo(RepackOptions.defaultWorkers());
  }

  @Test
  void sourceFlagWithoutDestination_isRefused() {
    // the _repack default belongs to the container settings; a typed --src needs a --dst
    assertThatThrownBy(
            () ->
                RepackSettings.of("s3://lake/raw", null, null, null, Map.of("SRC_BUCKET", "lake")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Missing the destination: give --dst URI, or DEST_PREFIX (with SRC_BUCKET) in the environment");
    assertThatThrownBy(() -> RepackSettings.of("s3://a/in", "s3://a/out", -1, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid number of workers -1: must be 0 (the default) or more");
  }
}
