package dev.baler.compaction;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CompactionChild} in a JVM of its own, started with this test's class path: reads its
 * standard output line by line, keeps its standard error in a file, and kills it with {@link
 * Process#destroyForcibly()} (SIGKILL on Linux). Closing it kills the process if it still runs.
 */
final class ChildJvm implements AutoCloseable {
  private static final String END = "\u0000end";

  private final String name;
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch outputEnded = new CountDownLatch(1);

  private ChildJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  stdout.add(line);
                  pending.add(line);
                }
              } catch (IOException e) {
                stdout.add("(cannot read stdout: " + e + ")");
              }
              pending.add(END);
              outputEnded.countDown();
            },
            name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code CompactionChild args...}; its standard error goes to {@code <logs>/<name>.err}.
   */
  static ChildJvm start(String name, Path logs, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small and quick to start: the child compacts a few MiB
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    // snappy-java unpacks its native library into a file it deletes at exit, which a child killed
    // with -9 never reaches: without this, each kill left 281 KB in /tmp (2,641 files had piled up)
    command.add("-Dorg.xerial.snappy.tempdir=" + logs.toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CompactionChild.class.getName());
    command.addAll(args);
    Path stderr = logs.resolve(name + ".err");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildJvm(name, process, stderr);
  }

  /** The process id. */
  long pid() {
    return process.pid();
  }

  /**
   * Waits for a line starting with {@code prefix} and returns it; fails the test if the child ends
   * or {@code timeout} passes first.
   */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : pending.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        return fail("%s printed no line '%s...' within %s%n%s", name, prefix, timeout, describe());
      }
      if (line.equals(END)) {
        pending.add(END);
        return fail("%s ended before printing '%s...'%n%s", name, prefix, describe());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Writes a line to the child's standard input. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("%s is still alive 30 s after SIGKILL", name);
    }
  }

  /**
   * Waits for the child to end by itself and returns its exit code; fails after {@code timeout}.
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail("%s did not end within %s%n%s", name, timeout, describe());
    }
    return process.exitValue();
  }

  /** Every line the child printed, once its output has ended; fails after {@code timeout}. */
  List<String> lines(Duration timeout) throws InterruptedException {
    if (!outputEnded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("%s did not close its output within %s%n%s", name, timeout, describe());
    }
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  /** The child's output so far, for failure messages. */
  String describe() {
    String err;
    try {
      err = Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      err = "(cannot read " + stderr + ": " + e + ")";
    }
    List<String> out;
    synchronized (stdout) {
      out = List.copyOf(stdout);
    }
    return name + " stdout:\n  " + String.join("\n  ", out) + "\n" + name + " stderr:\n" + err;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
