package dev.baler.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code baler} command: the entry point of the command-line tool. */
@Command(
    name = "baler",
    mixinStandardHelpOptions = true,
    versionProvider = Baler.Version.class,
    description = {
      "Baler: Parquet compaction and tooling for S3, S3-compatible stores, HDFS and local disk.",
    },
    footer = {"", "Run 'baler help COMMAND' for a command's options."})
public final class Baler {
  /**
   * The subcommands, in the order the usage lists them. They are added in {@link #commandLine}
   * rather than named in the annotation, so that a run builds picocli's model of its own command
   * only (see there).
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          CompactCommand.class,
          ConsolidateCommand.class,
          InspectCommand.class,
          RepackCommand.class,
          DemoCommand.class,
          CommandLine.HelpCommand.class);

  /** The commands whose runs start with {@link Preload}: those that read and write Parquet. */
  private static final Set<String> PRELOADING =
      Set.of("compact", "consolidate", "repack", "demo", "inspect");

  private Baler() {}

  /** Runs the command line and exits with its status; see {@code ExitCodes}. */
  public static void main(String[] args) {
    if (args.length > 0 && PRELOADING.contains(args[0])) {
      Preload.start();
      if (talksToS3(args)) {
        CryptoProvider.startInstalling();
      }
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Whether a command line names an S3 location ({@code s3://} or {@code --bucket}): a guess made
   * before parsing, to start {@link CryptoProvider} early; a wrong guess costs time, not
   * correctness, as the S3 storage installs it, or waits for it, before its first request.
   */
  static boolean talksToS3(String[] args) {
    for (String arg : args) {
      if (arg.startsWith("s3://") || arg.equals("--bucket") || arg.startsWith("--bucket=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the command line in process, for tests and embedding.
   *
   * @return the exit status
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /** Runs the command line in process with {@code environment} as the environment variables. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine commandLine = commandLine(args, new Factory(environment));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (error, failed, parseResult) -> {
          boolean verbose =
              parseResult.subcommand() != null
                  && parseResult.subcommand().hasMatchedOption("--verbose");
          String message = error.getMessage() == null ? error.toString() : error.getMessage();
          failed.getErr().println("baler: " + message);
          if (verbose) {
            error.printStackTrace(failed.getErr());
          }
          return ExitCodes.of(error);
        });
    commandLine.setParameterExceptionHandler(
        (error, args1) -> {
          error.getCommandLine().getErr().println("baler: " + error.getMessage());
          // "Did you mean: baler compact?" for a mistyped command or option
          CommandLine.UnmatchedArgumentException.printSuggestions(
              error, error.getCommandLine().getErr());
          error
              .getCommandLine()
              .getErr()
              .println(
                  "Run '"
                      + error.getCommandLine().getCommandSpec().qualifiedName()
                      + " --help' for the options.");
          return ExitCodes.USAGE;
        });
    if (args.length == 0) {
      commandLine.usage(out);
      return ExitCodes.USAGE;
    }
    return commandLine.execute(args);
  }

  /**
   * The command line for {@code args}: with only the subcommand {@code args} start with, when they
   * start with one other than {@code help}, and with all of them otherwise (for the usage, {@code
   * help}, and picocli's suggestions for a mistyped command). Picocli builds the model of a command
   * from its annotations by reflection, options, converters and help texts; for all six that took
   * about 30 ms more of every start: {@code baler compact} on an empty directory, 12 interleaved
   * runs of each, median 0.415 against 0.38 s.
   */
  static CommandLine commandLine(String[] args, CommandLine.IFactory factory) {
    CommandLine commandLine = new CommandLine(new Baler(), factory);
    String first = args.length == 0 ? "" : args[0];
    boolean one =
        !first.equals("help") && COMMANDS.stream().anyMatch(type -> nameOf(type).equals(first));
    for (Class<?> type : COMMANDS) {
      if (!one || nameOf(type).equals(first)) {
        try {
          commandLine.addSubcommand(factory.create(type));
        } catch (Exception e) {
          throw new IllegalStateException("Cannot make the command " + type.getName(), e);
        }
      }
    }
    return commandLine;
  }

  private static String nameOf(Class<?> type) {
    return type.getAnnotation(Command.class).name();
  }

  /** Makes the commands, giving those that read environment variables the environment. */
  private record Factory(Map<String, String> environment) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RepackCommand.class) {
        return type.cast(new RepackCommand(environment));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Baler.class.getPackage().getImplementationVersion();
      return new String[] {"baler " + (version == null ? "(development build)" : version)};
    }
  }
}
