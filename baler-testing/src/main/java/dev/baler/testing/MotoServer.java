package dev.baler.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's S3 server (the Python project {@code moto}, {@code python3 -m moto.server}) run as a child
 * process on {@code 127.0.0.1}, for tests that check Baler against a second S3-compatible server
 * beside S3Proxy. moto differs from S3Proxy where clients have failed on it: pyarrow's {@code
 * CompleteMultipartUpload} failed against moto 5.2.1, whose answers' root elements differ from S3's
 * (issue 4 asks that Baler work against both).
 *
 * <p>The Python that runs it is {@code python3} on the {@code PATH}, or the one the system property
 * {@value #PYTHON_PROPERTY} or the environment variable {@value #PYTHON_VARIABLE} names; it needs
 * the packages {@code moto} and {@code flask} ({@code pip install 'moto[server]'}). Without them
 * {@link #start} fails and says so: a test that needs moto fails rather than skipping.
 *
 * <p>moto takes any credentials and region and keeps objects in memory; they are gone when the
 * process ends. It listens on a port it picks itself (port 0), read from its first lines of output,
 * so that two servers started at once never race for a port. Its output goes to a file in the
 * temporary directory, named by {@link #logFile()}, deleted when the server closes; a start that
 * fails quotes the end of it. The process ends when its standard input closes, which the JVM's end
 * does however it ends, killed included, so that no server outlives its test run; a shutdown hook
 * also stops it if the JVM exits before {@link #close}.
 *
 * <p>Thread-safe once started.
 */
public final class MotoServer implements S3TestServer {
  /** The system property naming the Python to run moto with. */
  public static final String PYTHON_PROPERTY = "baler.test.python";

  /** The environment variable naming the Python to run moto with, if the property is not set. */
  public static final String PYTHON_VARIABLE = "BALER_TEST_PYTHON";

  /** The region clients sign for; moto answers in any. */
  public static final String REGION = "us-east-1";

  private static final String ACCESS_KEY_ID = "BALERMOTOACCESSKEY01";
  private static final String SECRET_ACCESS_KEY = "baler/moto/secret/access/key/0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** The line werkzeug, under moto, prints once it listens; whole, up to its end. */
  private static final Pattern LISTENING =
      Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)\\r?\\n");

  /**
   * What Python runs: moto's server, as {@code python -m moto.server} would, beside a thread that
   * ends the process once its standard input closes. This JVM holds the other end of that pipe, so
   * the server stops when the JVM ends however it ends, killed included, when a shutdown hook would
   * not run.
   */
  private static final String LAUNCHER =
      String.join(
          "\n",
          "import os, runpy, sys, threading",
          "def watch():",
          "    sys.stdin.read()",
          "    os._exit(0)",
          "threading.Thread(target=watch, daemon=True).start()",
          "sys.argv = ['moto.server', '--host', '127.0.0.1', '--port', '0']",
          "runpy.run_module('moto.server', run_name='__main__', alter_sys=True)");

  private final String python;
  private volatile Process process;
  private Path logFile;
  private Thread shutdownHook;
  private volatile URI endpoint;
  private boolean closed;

  private MotoServer(String python) {
    this.python = python;
  }

  /**
   * A server, not yet started, run by the Python that {@value #PYTHON_PROPERTY} or {@value
   * #PYTHON_VARIABLE} names, else {@code python3}.
   */
  public static MotoServer create() {
    String python = System.getProperty(PYTHON_PROPERTY);
    if (python == null || python.isBlank()) {
      python = System.getenv(PYTHON_VARIABLE);
    }
    return new MotoServer(python == null || python.isBlank() ? "python3" : python);
  }

  /**
   * Starts moto and waits until it listens (at most 60 seconds) and then answers (at most 60
   * seconds more).
   *
   * @return this server
   * @throws IllegalStateException if it was started or closed before
   * @throws IOException if Python cannot be run, moto is not installed, it exits, or it does not
   *     listen in time; the message names the Python and quotes moto's last output
   */
  public synchronized MotoServer start() throws IOException {
    if (closed || process != null) {
      throw new IllegalStateException("Cannot start moto: it was started before");
    }
    logFile = Files.createTempFile("baler-moto-", ".log");
    try {
      process =
          new ProcessBuilder(List.of(python, "-c", LAUNCHER))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
    } catch (IOException e) {
      Files.deleteIfExists(logFile);
      throw new IOException(
          "Cannot start moto's S3 server: cannot run "
              + python
              + " ("
              + e.getMessage()
              + "); install Python 3 with moto's server (pip install 'moto[server]') or name a"
              + " Python that has it with -D"
              + PYTHON_PROPERTY
              + " or "
              + PYTHON_VARIABLE,
          e);
    }
    shutdownHook = new Thread(this::stopProcess, "baler-moto-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      int port = awaitPort();
      endpoint = URI.create("http://127.0.0.1:" + port);
      awaitAnswer();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("Interrupted while starting moto");
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /** Reads the port moto listens on from its output, waiting while it starts. */
  private int awaitPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String output = Files.readString(logFile, UTF_8);
      Matcher listening = LISTENING.matcher(output);
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!process.isAlive()) {
        throw new IOException(
            "Cannot start moto's S3 server: "
                + python
                + " running moto.server exited with "
                + process.exitValue()
                + (output.contains("No module named")
                    ? " (moto's server is not installed for it: pip install 'moto[server]', or"
                        + " name another Python with -D"
                        + PYTHON_PROPERTY
                        + ")"
                    : "")
                + "; its output: "
                + tail(output));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "Cannot start moto's S3 server: not listening after "
                + START_TIMEOUT.toSeconds()
                + " seconds; its output: "
                + tail(output));
      }
      Thread.sleep(50);
    }
  }

  /** Waits until moto answers a listing of buckets, as it does once its routes are loaded. */
  private void awaitAnswer() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT).GET().build();
    IOException last = null;
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException(
            "Cannot start moto's S3 server: it exited with "
                + process.exitValue()
                + " before it answered; its output: "
                + tail(Files.readString(logFile, UTF_8)));
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IOException(
        "Cannot start moto's S3 server: no answer from "
            + endpoint
            + " after "
            + START_TIMEOUT.toSeconds()
            + " seconds",
        last);
  }

  private static String tail(String output) {
    String trimmed = output.strip();
    return trimmed.isEmpty()
        ? "(none)"
        : trimmed.substring(Math.max(0, trimmed.length() - 2_000)).replace('\n', ' ');
  }

  /**
   * The server's address, such as {@code http://127.0.0.1:41234}.
   *
   * @throws IllegalStateException if the server has not been started
   */
  @Override
  public URI endpoint() {
    URI current = endpoint;
    if (current == null) {
      throw new IllegalStateException("moto has not been started");
    }
    return current;
  }

  /** The access key id to sign with; moto takes any. */
  @Override
  public String accessKeyId() {
    return ACCESS_KEY_ID;
  }

  /** The secret access key to sign with; a fixed test value, not a secret. */
  @Override
  public String secretAccessKey() {
    return SECRET_ACCESS_KEY;
  }

  /** The region to sign requests for: {@value #REGION}. */
  @Override
  public String region() {
    return REGION;
  }

  /**
   * The file moto's output goes to: its log of requests, and what it printed as it started.
   *
   * @throws IllegalStateException if the server has not been started
   */
  public Path logFile() {
    endpoint();
    return logFile;
  }

  /**
   * Creates an empty bucket; does nothing if this server has it already.
   *
   * @param name a valid S3 bucket name, such as {@code test-bucket}
   * @throws IllegalStateException if the server has not been started
   * @throws IOException if moto refuses or does not answer
   */
  @Override
  public void createBucket(String name) throws IOException {
    requireNonNull(name, "name is null");
    HttpRequest request =
        HttpRequest.newBuilder(endpoint().resolve("/" + name))
            .timeout(REQUEST_TIMEOUT)
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(REQUEST_TIMEOUT)
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while creating bucket " + name);
    }
    if (response.statusCode() != 200 && !response.body().contains("BucketAlreadyOwnedByYou")) {
      throw new IOException(
          "moto refused to create bucket "
              + name
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  /**
   * Stops moto, waiting at most 10 seconds before killing it, and deletes its log file; its objects
   * are lost. Does nothing when called again.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down, and the hook stops the process anyway
      }
    }
    try {
      if (logFile != null) {
        Files.deleteIfExists(logFile);
      }
    } catch (IOException e) {
      // a log file left in the temporary directory harms nothing
    }
  }

  private void stopProcess() {
    Process running = process;
    if (running == null) {
      return;
    }
    try {
      // the launcher's watch thread ends the process once its standard input closes
      running.getOutputStream().close();
    } catch (IOException e) {
      // closed already, or the process is gone: destroy() below stops what is left
    }
    running.descendants().forEach(ProcessHandle::destroy);
    running.destroy();
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        running.descendants().forEach(ProcessHandle::destroyForcibly);
        running.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    URI current = endpoint;
    return "MotoServer[" + (current == null ? "not started" : current) + "]";
  }
}
