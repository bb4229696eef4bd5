package dev.baler.compaction;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.storage.s3.S3StorageProvider;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * An in-memory S3 server on 127.0.0.1 with one bucket, a storage that reaches the bucket directly
 * (to write inputs and check outputs), and storages that reach it through a {@link
 * FaultInjectingProxy} (for the run under test). Closing it closes the direct storage, then the
 * server.
 */
final class S3Bucket implements AutoCloseable {
  private final S3Server server;
  private final String name;
  private final Storage direct;

  private S3Bucket(S3Server server, String name, Storage direct) {
    this.server = server;
    this.name = name;
    this.direct = direct;
  }

  /** Starts a server and creates bucket {@code name} on it. */
  static S3Bucket start(String name) throws IOException {
    S3Server server = S3Server.inMemory().start();
    try {
      server.createBucket(name);
      Storage direct =
          Storages.forLocation(Location.of("s3://" + name + "/"), server.storageProperties());
      return new S3Bucket(server, name, direct);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The server, for a proxy in front of it. */
  S3Server server() {
    return server;
  }

  /** A storage of the bucket that talks to the server directly; closed with this. */
  Storage direct() {
    return direct;
  }

  /**
   * A new storage of the bucket whose requests go through {@code proxy}; the caller closes it.
   *
   * @param properties S3 storage properties to set besides the server's (retries, timeouts)
   */
  Storage through(FaultInjectingProxy proxy, Map<String, String> properties) throws IOException {
    Map<String, String> all = new HashMap<>(server.storageProperties());
    all.putAll(properties);
    all.put(S3StorageProvider.ENDPOINT, proxy.uri().toString());
    return Storages.forLocation(Location.of("s3://" + name + "/"), all);
  }

  @Override
  public void close() throws IOException {
    try {
      direct.close();
    } finally {
      server.close();
    }
  }
}
