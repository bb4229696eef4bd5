package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3-compatible server running in this JVM, on S3Proxy, for tests that need S3 without a network
 * or a container.
 *
 * <p>The server listens on {@code 127.0.0.1} on a free port and accepts requests signed with AWS
 * Signature Version 4 using the fixed test credentials {@link #accessKeyId()} and {@link
 * #secretAccessKey()}, in region {@value #REGION}. Clients must use path-style addressing. Objects
 * are held in memory ({@link #inMemory()}) or in a directory ({@link #onDisk(Path)}). Conditional
 * creates ({@code PutObject} with {@code If-None-Match: *}) are answered natively by both stores:
 * the second create of a key fails with HTTP 412.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (S3Server server = S3Server.inMemory().start()) {
 *   server.createBucket("test");
 *   Storage storage = Storages.forLocation(Location.of("s3://test/"), server.storageProperties());
 * }
 * }</pre>
 *
 * <p>Thread-safe once started.
 */
public final class S3Server implements S3TestServer {
  /** The region the server claims to be in. */
  public static final String REGION = "us-east-1";

  private static final String ACCESS_KEY_ID = "BALERTESTACCESSKEY01";
  private static final String SECRET_ACCESS_KEY = "baler/test/secret/access/key/0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final long STOP_TIMEOUT_MILLISECONDS = 1_000;

  private final BlobStore blobStore;
  private final S3Proxy proxy;
  private volatile URI endpoint;
  private boolean closed;

  private S3Server(BlobStore blobStore, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("Invalid port " + port + ": must be 0 to 65535");
    }
    this.blobStore = blobStore;
    this.proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
            .ignoreUnknownHeaders(true)
            .stopTimeout(STOP_TIMEOUT_MILLISECONDS)
            .build();
  }

  /** A server, not yet started, that keeps objects in memory; they are gone when it closes. */
  public static S3Server inMemory() {
    return inMemory(0);
  }

  /**
   * A server, not yet started, that keeps objects in memory and will listen on {@code port} of
   * {@code 127.0.0.1}; 0 picks a free port.
   *
   * @throws IllegalArgumentException if {@code port} is not 0 to 65535
   */
  public static S3Server inMemory(int port) {
    return new S3Server(new TransientNio2BlobStore(), port);
  }

  /**
   * A server, not yet started, that keeps objects as files below {@code directory}, which must
   * exist. The files stay when the server closes.
   */
  public static S3Server onDisk(Path directory) {
    requireNonNull(directory, "directory is null");
    return new S3Server(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()), 0);
  }

  /**
   * Starts the server and waits, at most 30 seconds, until it accepts requests.
   *
   * @return this server
   * @throws IllegalStateException if it was started or closed before
   * @throws IOException if it did not start in time or could not bind a port
   */
  public synchronized S3Server start() throws IOException {
    if (closed || endpoint != null) {
      throw new IllegalStateException("Cannot start the S3 server: it was started before");
    }
    try {
      proxy.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(
              "Cannot start the S3 server: not started after "
                  + START_TIMEOUT.toSeconds()
                  + " seconds (state "
                  + proxy.getState()
                  + ")");
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly();
      throw new InterruptedIOException("Interrupted while starting the S3 server");
    } catch (IOException e) {
      stopQuietly();
      throw e;
    } catch (Exception e) {
      stopQuietly();
      throw new IOException("Cannot start the S3 server: " + e, e);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    return this;
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
      throw new IllegalStateException("The S3 server has not been started");
    }
    return current;
  }

  /** The access key id the server accepts. */
  @Override
  public String accessKeyId() {
    return ACCESS_KEY_ID;
  }

  /** The secret access key the server accepts; a fixed test value, not a secret. */
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
   * Creates an empty bucket; does nothing if it exists.
   *
   * @param name a valid S3 bucket name, such as {@code test-bucket}
   * @throws IllegalStateException if the server has not been started
   */
  @Override
  public void createBucket(String name) {
    requireNonNull(name, "name is null");
    endpoint();
    if (!blobStore.containerExists(name)) {
      blobStore.createContainer(name);
    }
  }

  /** Stops the server; in-memory objects are lost. Does nothing when called again. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopQuietly();
    blobStore.close();
  }

  private void stopQuietly() {
    try {
      proxy.stop();
    } catch (Exception e) {
      // stopping a server that never started, or is half-started, may fail; nothing to release
    }
  }

  @Override
  public String toString() {
    URI current = endpoint;
    return "S3Server[" + (current == null ? "not started" : current) + "]";
  }
}
