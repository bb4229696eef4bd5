package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogbackConfiguratorTest {
  @Test
  void configure_writesWarningsAndAboveToStderrAsBalerLines() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LoggerContext context = configured();
      context.getLogger("dev.baler.compaction.Runner").info("not shown");
      context.getLogger("dev.baler.compaction.Runner").warn("Cannot delete {}", "a.parquet");
      context.getLogger("org.apache.hadoop.fs.FileSystem").warn("not shown either");
      context.getLogger("software.amazon.awssdk.core").error("Throttled", new IOException("boom"));
    } finally {
      System.setErr(stderr);
    }

    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
    assertThat(lines[0]).isEqualTo("baler: WARN Cannot delete a.parquet");
    assertThat(lines[1]).isEqualTo("baler: ERROR Throttled");
    assertThat(lines[2]).isEqualTo("java.io.IOException: boom");
    assertThat(lines).noneMatch(line -> line.contains("not shown"));
  }

  @Test
  void configure_stepsAsideForAConfigurationFileTheUserNames() {
    LoggerContext context = new LoggerContext();
    LogbackConfigurator configurator = new LogbackConfigurator();
    configurator.setContext(context);
    System.setProperty("logback.configurationFile", "/etc/baler/logback.xml");
    try {
      assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    } finally {
      System.clearProperty("logback.configurationFile");
    }
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  @Test
  void serviceLoader_findsTheConfiguratorAsLogbackDoes() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .contains(LogbackConfigurator.class);
  }

  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    // what SLF4J's binding gives the context Baler runs in
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogbackConfigurator configurator = new LogbackConfigurator();
    configurator.setContext(context);
    assertThat(configurator.configure(context))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }
}
