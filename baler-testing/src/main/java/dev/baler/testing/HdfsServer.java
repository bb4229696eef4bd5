package dev.baler.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * An HDFS cluster running in this JVM, on Hadoop's {@code MiniDFSCluster}: one namenode and one
 * datanode, for tests that need HDFS without a network or a container.
 *
 * <p>Every server socket binds {@code 127.0.0.1} on a free port. The cluster keeps its metadata and
 * blocks in a new temporary directory, deleted on close. It uses simple authentication and no
 * permission checks, so any user may write anywhere.
 *
 * <p>Needs {@code org.apache.hadoop:hadoop-client-minicluster} on the class path, which this module
 * declares as optional so that only the modules that start a cluster carry its 55 MB: declare it in
 * test scope beside {@code baler-testing}.
 *
 * <pre>{@code
 * try (HdfsServer server = HdfsServer.start()) {
 *   Storage storage = Storages.forLocation(Location.of(server.uri() + "/"), Map.of());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class HdfsServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final MiniDFSCluster cluster;
  private final Path baseDirectory;
  private final URI uri;
  private boolean closed;

  private HdfsServer(MiniDFSCluster cluster, Path baseDirectory) {
    this.cluster = cluster;
    this.baseDirectory = baseDirectory;
    this.uri = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
  }

  /**
   * Starts a cluster and waits, at most 60 seconds, until its datanode has registered and the
   * namenode has left safe mode.
   *
   * @throws IOException if it did not start in time or could not bind its ports
   */
  public static HdfsServer start() throws IOException {
    return start(Map.of());
  }

  /**
   * Starts a cluster with Hadoop settings on top of the test defaults, such as {@code
   * fs.trash.interval} to give the namenode a trash, and waits as {@link #start()} does.
   *
   * @throws IOException if it did not start in time or could not bind its ports
   */
  public static HdfsServer start(Map<String, String> settings) throws IOException {
    Path baseDirectory = Files.createTempDirectory("baler-hdfs-");
    Configuration configuration = new Configuration();
    configuration.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDirectory.toString());
    configuration.set("dfs.replication", "1");
    configuration.set("dfs.permissions.enabled", "false");
    configuration.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    configuration.set("dfs.namenode.http-bind-host", "127.0.0.1");
    configuration.set("dfs.namenode.servicerpc-bind-host", "127.0.0.1");
    configuration.set("dfs.namenode.lifeline.rpc-bind-host", "127.0.0.1");
    configuration.set("dfs.namenode.https-bind-host", "127.0.0.1");
    configuration.set("dfs.datanode.hostname", "127.0.0.1");
    // tests write many small files: let a close return once the datanode holds the block, without
    // waiting for its report to reach the namenode
    configuration.set("dfs.namenode.file.close.num-committed-allowed", "1");
    // a client that gives up on a dead cluster quickly, rather than after minutes of retries
    configuration.set("ipc.client.connect.max.retries", "2");
    settings.forEach(configuration::set);

    FutureTask<MiniDFSCluster> starting =
        new FutureTask<>(
            () ->
                new MiniDFSCluster.Builder(configuration, baseDirectory.toFile())
                    .numDataNodes(1)
                    .format(true)
                    .waitSafeMode(true)
                    .checkExitOnShutdown(false)
                    .build());
    Thread starter = new Thread(starting, "hdfs-server-start");
    starter.setDaemon(true);
    starter.start();
    try {
      MiniDFSCluster cluster = starting.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      cluster.waitActive();
      return new HdfsServer(cluster, baseDirectory);
    } catch (TimeoutException e) {
      starter.interrupt();
      deleteQuietly(baseDirectory);
      throw new IOException(
          "Cannot start the HDFS server: not started after " + START_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      starter.interrupt();
      deleteQuietly(baseDirectory);
      throw new InterruptedIOException("Interrupted while starting the HDFS server");
    } catch (ExecutionException e) {
      deleteQuietly(baseDirectory);
      throw new IOException("Cannot start the HDFS server: " + e.getCause(), e.getCause());
    }
  }

  /** The namenode's address, such as {@code hdfs://127.0.0.1:41234}, without a trailing slash. */
  public URI uri() {
    return uri;
  }

  /**
   * The properties with which {@code dev.baler.storage.Storages} makes an HDFS storage for this
   * cluster: a client that retries a lost connection twice, not ten times, and polls for a closed
   * file's completion every few milliseconds, not after 400.
   */
  public Map<String, String> storageProperties() {
    return Map.of(
        "hadoop.ipc.client.connect.max.retries", "2",
        "hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20");
  }

  /** Stops the cluster and deletes its directory. Does nothing when called again. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      cluster.shutdown(true);
    } finally {
      deleteQuietly(baseDirectory);
    }
  }

  @Override
  public String toString() {
    return "HdfsServer[" + uri + "]";
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(HdfsServer::deleteFile);
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static void deleteFile(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
