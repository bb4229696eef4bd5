package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child process under GNU time ({@code /usr/bin/time -f '%e %M %U %S'}), which
 * measures its wall time, the peak resident memory of the largest process it ran, and the CPU time
 * of its processes.
 */
final class TimedProcess {
  static final Path GNU_TIME = Path.of("/usr/bin/time");

  /**
   * What one run of a command measured.
   *
   * @param wallSeconds the wall time, in seconds, to GNU time's precision of hundredths
   * @param peakKibibytes the peak resident set size, in KiB (GNU time's {@code %M})
   * @param userSeconds CPU time in user mode of the command and the children it waited for, in
   *     seconds (GNU time's {@code %U}); a ratio of wall times from one host says how a tool
   *     compares, this says how much of the host it took
   * @param systemSeconds CPU time in the kernel, likewise ({@code %S})
   * @param exitCode the command's exit code
   * @param stdout the file holding what the command printed on standard output
   * @param stderr the file holding what it printed on standard error
   */
  record Timing(
      double wallSeconds,
      long peakKibibytes,
      double userSeconds,
      double systemSeconds,
      int exitCode,
      Path stdout,
      Path stderr) {
    /** Checks the values. */
    Timing {
      if (wallSeconds < 0 || peakKibibytes < 0 || userSeconds < 0 || systemSeconds < 0) {
        throw new IllegalArgumentException(
            "Invalid timing: "
                + wallSeconds
                + " s, "
                + peakKibibytes
                + " KiB, "
                + userSeconds
                + " s user, "
                + systemSeconds
                + " s system");
      }
      requireNonNull(stdout, "stdout is null");
      requireNonNull(stderr, "stderr is null");
    }

    /** Peak memory in MiB. */
    double peakMebibytes() {
      return peakKibibytes / 1024.0;
    }

    /** CPU time in seconds, user and system. */
    double cpuSeconds() {
      return userSeconds + systemSeconds;
    }

    /** The last lines the command printed on standard error, for a failure message. */
    String stderrTail(int lines) throws IOException {
      List<String> all = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  private TimedProcess() {}

  /**
   * Runs {@code command} in the current directory and waits for it.
   *
   * @param command the program and its arguments
   * @param logs the prefix of the log files: {@code logs + ".stdout"}, {@code ".stderr"} and {@code
   *     ".time"}; their directory is created
   * @throws IOException if GNU time is missing, the command cannot start, or GNU time printed no
   *     measurement (the command could not be executed)
   * @throws InterruptedIOException if interrupted while waiting; the process is then killed
   */
  static Timing run(List<String> command, Path logs) throws IOException {
    return run(command, Map.of(), logs);
  }

  /**
   * Runs {@code command} as {@link #run(List, Path)} does, with {@code environment} added to this
   * process's environment variables.
   */
  static Timing run(List<String> command, Map<String, String> environment, Path logs)
      throws IOException {
    if (!Files.isExecutable(GNU_TIME)) {
      throw new IOException(
          "Cannot time processes: " + GNU_TIME + " is missing (apt-get install time)");
    }
    Files.createDirectories(logs.toAbsolutePath().getParent());
    Path stdout = Path.of(logs + ".stdout");
    Path stderr = Path.of(logs + ".stderr");
    Path time = Path.of(logs + ".time");
    Files.deleteIfExists(time);
    List<String> timed =
        new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%e %M %U %S", "-o", time.toString()));
    timed.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(timed);
    builder.environment().putAll(environment);
    Process process =
        builder
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    int exitCode;
    try {
      exitCode = process.waitFor();
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while running " + command.get(0));
    }
    return measured(time, exitCode, stdout, stderr, command);
  }

  /**
   * Reads GNU time's measurement: its last line, {@code "<wall seconds> <peak KiB> <user seconds>
   * <system seconds>"}.
   */
  private static Timing measured(
      Path time, int exitCode, Path stdout, Path stderr, List<String> command) throws IOException {
    // On a failing command GNU time writes "Command exited with non-zero status N" first.
    List<String> lines =
        Files.exists(time) ? Files.readAllLines(time, StandardCharsets.UTF_8) : List.of();
    String last = "";
    for (String line : lines) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    String[] fields = last.split(" ");
    try {
      return new Timing(
          Double.parseDouble(fields[0]),
          Long.parseLong(fields[1]),
          Double.parseDouble(fields[2]),
          Double.parseDouble(fields[3]),
          exitCode,
          stdout,
          stderr);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException(
          "Cannot measure "
              + command.get(0)
              + ": GNU time wrote '"
              + last
              + "' (exit code "
              + exitCode
              + ", see "
              + stderr
              + ")",
          e);
    }
  }
}
