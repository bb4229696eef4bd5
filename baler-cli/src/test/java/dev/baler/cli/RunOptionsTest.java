package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.compaction.CompactionOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunOptionsTest {
  @Test
  void applyTo_takesTheStagingDirectoryForTheScratchFilesOfHelpingThreads(@TempDir Path staging) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs("--staging-dir", staging.toString(), "--parallelism", "3");

    CompactionOptions applied = options.applyTo(CompactionOptions.builder()).build();

    assertThat(applied.scratchDirectory()).isEqualTo(staging);
    assertThat(applied.parallelism()).isEqualTo(3);
  }

  @Test
  void applyTo_leavesTheScratchFilesInTheTemporaryDirectoryWithoutAStagingDirectory() {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs();

    CompactionOptions applied = options.applyTo(CompactionOptions.builder()).build();

    assertThat(applied.scratchDirectory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
  }
}
