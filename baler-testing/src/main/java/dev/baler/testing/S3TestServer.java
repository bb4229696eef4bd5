package dev.baler.testing;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * An S3-compatible server that tests run against on {@code 127.0.0.1}, with fixed test credentials
 * and path-style addressing: S3Proxy in this JVM ({@link S3Server}) or moto's server in a process
 * of its own ({@link MotoServer}). Its methods other than {@link #close} need it started.
 */
public interface S3TestServer extends AutoCloseable {
  /**
   * The server's address, such as {@code http://127.0.0.1:41234}.
   *
   * @throws IllegalStateException if the server has not been started
   */
  URI endpoint();

  /** The access key id the server accepts. */
  String accessKeyId();

  /** The secret access key the server accepts; a fixed test value, not a secret. */
  String secretAccessKey();

  /** The region to sign requests for. */
  String region();

  /**
   * Creates an empty bucket; does nothing if it exists.
   *
   * @param name a valid S3 bucket name, such as {@code test-bucket}
   * @throws IllegalStateException if the server has not been started
   * @throws IOException if the server refuses or does not answer
   */
  void createBucket(String name) throws IOException;

  /**
   * The properties with which {@code dev.baler.storage.Storages} makes an S3 storage that talks to
   * this server: {@code s3.endpoint}, {@code s3.region}, {@code s3.access-key-id}, {@code
   * s3.secret-access-key} and {@code s3.path-style}.
   *
   * @throws IllegalStateException if the server has not been started
   */
  default Map<String, String> storageProperties() {
    return Map.of(
        "s3.endpoint", endpoint().toString(),
        "s3.region", region(),
        "s3.access-key-id", accessKeyId(),
        "s3.secret-access-key", secretAccessKey(),
        "s3.path-style", "true");
  }

  /** Stops the server; its objects may be lost. Does nothing when called again. */
  @Override
  void close();
}
