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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-memory S3 server on 127.0.0.1 with one bucket, a storage that reaches the bucket directly
 * (to write inputs and check outputs), and storages that reach it through a {@link
 * FaultInjectingProxy} (for the run under test). A test class registers one as a static extension
 * ({@code @RegisterExtension static final S3Bucket bucket = new S3Bucket("name")}): the server
 * starts before the class's first test and, with the direct storage, closes after its last.
 */
final class S3Bucket implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private S3Server server;
  private Storage direct;

  /** A bucket called {@code name}, made when the test class starts. */
  S3Bucket(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(name);
    direct = Storages.forLocation(Location.of("s3://" + name + "/"), server.storageProperties());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (direct != null) {
        direct.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
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
}
