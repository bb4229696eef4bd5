package dev.baler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * Baler's logging, set up in code: every log line goes to stderr as {@code baler: LEVEL message}
 * (with the stack trace of an exception logged with it), at WARN and above, Hadoop's at ERROR.
 * {@link Logging} lowers Baler's own to DEBUG for {@code --verbose}.
 *
 * <p>Logback finds it through {@code META-INF/services} before it looks for {@code logback.xml},
 * whose parsing (Joran and an XML parser) took about 30 ms of every start: 0.44 against 0.41 s, the
 * medians of 12 runs of {@code baler compact} on an empty directory. A file named by {@code
 * -Dlogback.configurationFile} still wins: this configurator then steps aside. (A program that
 * embeds the CLI, through {@link Baler#run}, with its own {@code logback.xml} on the class path
 * gets this configuration instead of its file unless it names the file that way.)
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  /** Made by logback's service loader. */
  public LogbackConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    context.getStatusManager().add(new NopStatusListener());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("baler: %level %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    context.getLogger("dev.baler").setLevel(Level.WARN);
    context.getLogger("org.apache.hadoop").setLevel(Level.ERROR);
    context.getLogger("org.apache.parquet").setLevel(Level.WARN);
    context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
