package dev.baler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.bench.TimedProcess.Timing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real commands under GNU time ({@code /usr/bin/time}, which {@code .ci/run} installs where it
 * is missing) and reads what it measured.
 */
class TimedProcessTest {
  @TempDir Path logs;

  @Test
  void run_measuresWallAndCpuTimeOfABusyCommand() throws IOException {
    // a shell loop: CPU bound, a few tenths of a second
    Timing timing =
        TimedProcess.run(
            List.of("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"),
            logs.resolve("busy"));

    assertThat(timing.exitCode()).isZero();
    assertThat(timing.wallSeconds()).isPositive();
    assertThat(timing.cpuSeconds()).isPositive();
    // one process on one core: no more CPU than wall time, give or take GNU time's hundredths
    assertThat(timing.cpuSeconds()).isLessThanOrEqualTo(timing.wallSeconds() + 0.02);
    assertThat(timing.peakKibibytes()).isPositive();
  }

  @Test
  void run_readsTheMeasurementOfAFailingCommandAfterGnuTimesNote() throws IOException {
    // GNU time then writes "Command exited with non-zero status 3" before its measurement: the
    // run returns a timing (rather than throwing "Cannot measure") with the command's exit code
    Timing timing = TimedProcess.run(List.of("sh", "-c", "exit 3"), logs.resolve("failing"));

    assertThat(timing.exitCode()).isEqualTo(3);
    assertThat(timing.wallSeconds()).isLessThan(10);
  }
}
