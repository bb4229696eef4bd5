package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive (see {@code baler}): recorded beside the jar by the first
 * compaction, with the jar's path it was recorded with, and recorded again once the directory has
 * moved, where the JVM would no longer map it (it names the jar's path) and would start without it,
 * silently. Runs the launcher at the repository's root on the jar this module packaged.
 */
class LauncherArchiveIT {
  private static final long RUN_SECONDS = 120;

  @TempDir Path directory;

  @Test
  void anArchiveIsRecordedAgainOnceItsDirectoryHasMoved() throws Exception {
    Path first = directory.resolve("first");
    copyBuild(first);

    run(first.resolve("baler.jar"), inputs("a"));

    Path archive = first.resolve("baler.jsa");
    assertThat(archive).exists();
    assertThat(pathOf(first)).isEqualTo(first.toRealPath().resolve("baler.jar").toString());
    FileTime recorded = Files.getLastModifiedTime(archive);

    run(first.resolve("baler.jar"), inputs("b"));

    assertThat(Files.getLastModifiedTime(archive)).as("kept while current").isEqualTo(recorded);

    Path moved = directory.resolve("moved");
    Files.move(first, moved);
    run(moved.resolve("baler.jar"), inputs("c"));

    assertThat(pathOf(moved)).isEqualTo(moved.toRealPath().resolve("baler.jar").toString());
    assertThat(Files.getLastModifiedTime(moved.resolve("baler.jsa")))
        .as("recorded again after the move")
        .isNotEqualTo(recorded);
  }

  /** The jar's path the archive in {@code build} says it was recorded with. */
  private static String pathOf(Path build) throws IOException {
    return Files.readString(build.resolve("baler.jsa.jar"), StandardCharsets.UTF_8).strip();
  }

  /**
   * A copy of this module's packaged jar and its lib/ in {@code target}, as an install would be.
   */
  private static void copyBuild(Path target) throws IOException, URISyntaxException {
    Path built =
        Path.of(LauncherArchiveIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent();
    Files.createDirectories(target.resolve("lib"));
    Files.copy(built.resolve("baler.jar"), target.resolve("baler.jar"));
    try (Stream<Path> jars = Files.list(built.resolve("lib"))) {
      for (Path jar : jars.toList()) {
        Files.copy(jar, target.resolve("lib").resolve(jar.getFileName()));
      }
    }
  }

  /** Ten small files of the telemetry data set in a directory of their own. */
  private Path inputs(String name) throws IOException {
    Path files = directory.resolve("inputs-" + name);
    TelemetryDataset.builder()
        .files(10)
        .rowsPerFile(50)
        .threads(1)
        .build()
        .write(new LocalStorage(), Location.local(files).asDirectory());
    return files;
  }

  /** Compacts {@code files} through the launcher with the jar given, and expects success. */
  private static void run(Path jar, Path files) throws IOException, InterruptedException {
    Path launcher = Path.of("..", "baler").toAbsolutePath().normalize();
    ProcessBuilder builder =
        new ProcessBuilder(List.of(launcher.toString(), "compact", files.toString()))
            .redirectErrorStream(true)
            .redirectOutput(files.resolveSibling(files.getFileName() + ".log").toFile());
    builder.environment().put("BALER_JAR", jar.toString());
    builder.environment().remove("BALER_CDS");
    Process process = builder.start();
    boolean ended = process.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String log = Files.readString(files.resolveSibling(files.getFileName() + ".log"));
    assertThat(ended).as("ended within %d s: %s", RUN_SECONDS, log).isTrue();
    assertThat(process.exitValue()).as(log).isZero();
  }
}
