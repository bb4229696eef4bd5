package dev.baler.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} option every command takes: more logs, and stack traces of errors. */
final class VerboseOption {
  @Option(
      names = {"-v", "--verbose"},
      description = "log more, and print stack traces of errors")
  boolean verbose;

  /** Sets the log levels this option asks for. */
  void configureLogging() {
    Logging.configure(verbose);
  }
}
