package dev.baler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets log levels from {@code --verbose}; logs go to stderr (see {@link LogbackConfigurator}). */
final class Logging {
  private Logging() {}

  static void configure(boolean verbose) {
    ((Logger) LoggerFactory.getLogger("dev.baler")).setLevel(verbose ? Level.DEBUG : Level.WARN);
  }
}
