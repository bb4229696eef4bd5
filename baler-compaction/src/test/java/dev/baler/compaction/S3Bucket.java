package dev.baler.compaction;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.storage.s3.S3StorageProvider;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.MotoServer;
import dev.baler.testing.S3Server;
import dev.baler.testing.S3TestServer;
import java.io.IOException;
import java.net.URI;
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
 * starts before the class's first test and, with the direct storage, closes after its last. The
 * server is S3Proxy in this JVM, or moto's S3 server as a child process ({@link MotoServer}).
 */
final class S3Bucket implements BeforeAllCallback, AfterAllCallback {
  /** The S3-compatible server a bucket is on. */
  enum Server {
    /** S3Proxy, in memory, in this JVM ({@link S3Server}). */
    S3PROXY,
    /** moto's S3 server, in memory, a Python process of its own ({@link MotoServer}). */
    MOTO
  }

  private final String name;
  private final Server kind;
  private S3TestServer server;
  private Storage direct;

  /** A bucket called {@code name} on S3Proxy, made when the test class starts. */
  S3Bucket(String name) {
    this(name, Server.S3PROXY);
  }

  /** A bucket called {@code name} on a server of {@code kind}, made when the test class starts. */
  S3Bucket(String name, Server kind) {
    this.name = name;
    this.kind = kind;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server =
        switch (kind) {
          case S3PROXY -> S3Server.inMemory().start();
          case MOTO -> MotoServer.create().start();
        };
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

  /** The bucket's name. */
  String name() {
    return name;
  }

  /** The server's address, for a proxy in front of it. */
  URI endpoint() {
    return server.endpoint();
  }

  /**
   * The properties with which {@code Storages} makes a storage that talks to the server directly:
   * its endpoint, region, credentials and path-style addressing.
   */
  Map<String, String> storageProperties() {
    return server.storageProperties();
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
