package dev.baler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an in-memory {@link S3Server} as a process of its own, so that a benchmark can put S3 on
 * {@code 127.0.0.1} without sharing the JVM of the tool it measures.
 *
 * <p>Usage: {@code java -cp ... dev.baler.testing.S3ServerMain [--port N] [--bucket NAME]
 * [--max-seconds N]}. The server listens on {@code 127.0.0.1}, port {@code N} or a free one (the
 * default), creates the bucket ({@code bench} by default), then prints one line of JSON on standard
 * output: {@code {"endpoint": "http://127.0.0.1:41234", "region": "us-east-1", "access_key_id":
 * ..., "secret_access_key": ..., "bucket": ...}}. It stops when its standard input closes, or after
 * {@code --max-seconds} (default 3600), whichever comes first, so that it never outlives the
 * process that started it by long.
 *
 * <p>Exit codes: 0 stopped as asked, 1 stopped because the time ran out, 2 bad arguments or the
 * server could not start.
 */
public final class S3ServerMain {
  private S3ServerMain() {}

  /** Starts the server as described above; returns only by exiting the JVM. */
  public static void main(String[] arguments) {
    // S3Proxy and Jetty log through SLF4J; standard output is for the endpoint line alone.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    Settings settings;
    try {
      settings = Settings.parse(List.of(arguments));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("Usage: S3ServerMain [--port N] [--bucket NAME] [--max-seconds N]");
      System.exit(2);
      return;
    }
    S3Server server = S3Server.inMemory(settings.port());
    try {
      server.start();
      server.createBucket(settings.bucket());
    } catch (IOException | RuntimeException e) {
      System.err.println("Cannot start the S3 server: " + e.getMessage());
      server.close();
      System.exit(2);
      return;
    }
    Thread deadline =
        new Thread(
            () -> {
              try {
                Thread.sleep(settings.maxSeconds() * 1_000L);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println(
                  "Stopping the S3 server: " + settings.maxSeconds() + " seconds have passed");
              server.close();
              Runtime.getRuntime().halt(1);
            },
            "s3-server-deadline");
    deadline.setDaemon(true);
    deadline.start();

    System.out.println(
        "{\"endpoint\": "
            + quoted(server.endpoint().toString())
            + ", \"region\": "
            + quoted(server.region())
            + ", \"access_key_id\": "
            + quoted(server.accessKeyId())
            + ", \"secret_access_key\": "
            + quoted(server.secretAccessKey())
            + ", \"bucket\": "
            + quoted(settings.bucket())
            + "}");
    System.out.flush();

    drain(System.in);
    server.close();
    System.exit(0);
  }

  /** A JSON string of {@code value}, which holds no quote, backslash or control character. */
  private static String quoted(String value) {
    if (!value.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\')) {
      throw new IllegalStateException("Cannot print '" + value + "' as a plain JSON string");
    }
    return '"' + value + '"';
  }

  /** Reads {@code input} until it ends (the parent closed it or exited) or fails. */
  private static void drain(InputStream input) {
    byte[] buffer = new byte[256];
    try {
      while (input.read(buffer) >= 0) {
        // whatever the parent writes is ignored; only the end of the stream matters
      }
    } catch (IOException e) {
      // a broken pipe means the parent is gone: stop as if the stream had ended
    }
  }

  /** The command-line settings. */
  private record Settings(int port, String bucket, int maxSeconds) {
    Settings {
      if (maxSeconds <= 0) {
        throw new IllegalArgumentException(
            "Invalid --max-seconds " + maxSeconds + ": must be positive");
      }
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "Invalid --bucket '" + bucket + "': not a valid S3 bucket name");
      }
    }

    static Settings parse(List<String> arguments) {
      int port = 0;
      String bucket = "bench";
      int maxSeconds = 3_600;
      List<String> remaining = new ArrayList<>(arguments);
      while (!remaining.isEmpty()) {
        String name = remaining.remove(0);
        if (remaining.isEmpty()) {
          throw new IllegalArgumentException("Invalid argument " + name + ": no value given");
        }
        String value = remaining.remove(0);
        switch (name) {
          case "--port" -> port = number(name, value);
          case "--bucket" -> bucket = value;
          case "--max-seconds" -> maxSeconds = number(name, value);
          default -> throw new IllegalArgumentException("Invalid argument: unknown option " + name);
        }
      }
      return new Settings(port, bucket, maxSeconds);
    }

    private static int number(String name, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Invalid " + name + ": '" + value + "' is not a number", e);
      }
    }
  }
}
