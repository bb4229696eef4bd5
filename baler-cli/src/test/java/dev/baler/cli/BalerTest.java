package dev.baler.cli;

import static dev.baler.cli.CompactCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.cli.CompactCommandTest.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level command: its usage, help, and the subcommands it builds for a run. */
class BalerTest {
  private static final String[] NAMES = {"compact", "consolidate", "inspect", "repack", "demo"};

  @Test
  void usage_listsEveryCommand() {
    Run bare = baler();
    Run help = baler("--help");

    assertThat(bare.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(help.exitCode()).isZero();
    assertThat(bare.stdout()).contains(NAMES).contains("help");
    assertThat(help.stdout()).isEqualTo(bare.stdout());
  }

  @Test
  void helpCommand_printsTheUsageOfTheCommandItNames() {
    Run run = baler("help", "compact");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).startsWith("Usage: baler compact").contains("--target-bytes");
  }

  @Test
  void mistypedCommand_isAUsageErrorThatSuggestsTheCommand() {
    Run run = baler("compcat", "/tmp/none");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr()).contains("compact");
  }

  @Test
  void commandLine_buildsOnlyTheCommandARunNames() {
    for (String name : NAMES) {
      CommandLine commandLine = Baler.commandLine(new String[] {name, "--help"}, factory());

      assertThat(commandLine.getSubcommands()).as(name).containsOnlyKeys(name);
    }
    assertThat(Baler.commandLine(new String[] {"help", "demo"}, factory()).getSubcommands())
        .containsKeys(NAMES)
        .containsKey("help");
  }

  @Test
  void commands_areTheOnesTheirAnnotationsName() {
    assertThat(
            Baler.COMMANDS.stream()
                .map(type -> type.getAnnotation(CommandLine.Command.class).name()))
        .containsExactly("compact", "consolidate", "inspect", "repack", "demo", "help");
  }

  private static CommandLine.IFactory factory() {
    return CommandLine.defaultFactory();
  }
}
