package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreloadTest {
  @TempDir Path directory;

  @Test
  void classes_existUnderTheirNames() {
    // a renamed class would otherwise just stop being preloaded
    for (String name : Preload.CLASSES) {
      assertThatCode(() -> Class.forName(name, false, Preload.class.getClassLoader()))
          .as(name)
          .doesNotThrowAnyException();
    }
    assertThat(Preload.CLASSES).isNotEmpty();
  }

  @Test
  void start_leavesLoggingToTheMainThread() throws IOException, InterruptedException {
    // A configuration file makes logging start slowly (through Joran), which widened the race a
    // preloading thread that started logging itself ran with the main thread: the main thread got
    // SLF4J's stand-in logger and the run failed, in 10 of 10 runs by hand.
    Path configuration = directory.resolve("logback.xml");
    Files.writeString(
        configuration,
        """
        <configuration>
          <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%level %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="STDERR"/></root>
        </configuration>
        """);
    Path empty = Files.createDirectory(directory.resolve("empty"));
    for (int run = 0; run < 3; run++) {
      Path output = directory.resolve("run-" + run + ".txt");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dlogback.configurationFile=" + configuration,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Baler.class.getName(),
                  "compact",
                  empty.toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly();
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(ended).as("run %s ended: %s", run, printed).isTrue();
      assertThat(process.exitValue()).as("run %s: %s", run, printed).isZero();
      assertThat(printed).doesNotContain("SubstituteLogger");
    }
  }
}
