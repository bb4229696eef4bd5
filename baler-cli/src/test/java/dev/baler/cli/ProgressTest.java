package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.compaction.CompactionPlan;
import dev.baler.storage.Location;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Test
  void rowGroupsOfLessThanAMebibyteEachMoveTheBar() {
    try (Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      progress.start(10L << 20);

      for (int i = 0; i < 15; i++) {
        progress.rowGroupWritten(1_000, 512 << 10);
      }

      assertThat(progress.mergedMiB()).isEqualTo(7);
    }
  }

  @Test
  void planningShowsTheFootersReadUntilThePlanIsMade() {
    try (Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      progress.footersRead(1);
      progress.footersRead(7);

      assertThat(progress.footersShown()).isEqualTo(7);

      progress.planned(
          new CompactionPlan(
              Location.of("memory://test/"),
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              List.of()));

      assertThat(progress.footersShown()).as("the planning bar closed").isZero();
    }
  }

  @Test
  void theBarStopsAtItsEndWhateverItIsTold() {
    try (Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      progress.start(4L << 20);

      progress.rowGroupWritten(1_000, 5L << 20);

      assertThat(progress.mergedMiB()).isEqualTo(4);
    }
  }
}
