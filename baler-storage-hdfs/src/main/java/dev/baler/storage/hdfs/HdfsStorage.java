package dev.baler.storage.hdfs;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileIterator;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import dev.baler.storage.TemporaryNames;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.Trash;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * HDFS, for {@code hdfs://host:port/path} locations, on Hadoop's {@code FileSystem} client.
 *
 * <p>The location's authority names the namenode ({@code host:port}, or a nameservice configured
 * through {@link Builder#property}); one client per authority is made on first use and closed with
 * this storage. How the SPI's promises are kept on HDFS:
 *
 * <ul>
 *   <li><b>Listing</b> walks the directory tree ({@code listFiles}, recursive, paged by the
 *       namenode). A prefix ending in {@code /} lists that directory; any other prefix lists its
 *       parent directory and keeps the paths that start with the prefix, as on S3. Within a
 *       directory the namenode returns names in byte order.
 *   <li><b>Writes</b> go to a hidden temporary file {@code .{name}.{uuid}.tmp} in the target's
 *       directory, which is synced and then renamed over the target on close with the namenode's
 *       atomic rename-with-overwrite: readers see the old file or the new one, never part of one.
 *       The temporary file is listed while it is being written, as on local disk.
 *   <li><b>Create-if-absent</b> writes a temporary file and renames it to the target without
 *       overwrite, which the namenode does atomically and refuses when the target exists. Unlike
 *       {@code create(overwrite=false)}, which is atomic too but shows a file that is still being
 *       written, a reader never sees a partial file.
 *   <li><b>Deletes</b> go one file at a time; HDFS has no batch delete.
 *   <li><b>Moves</b> are the namenode's atomic rename with overwrite, within one namenode.
 *   <li><b>Trash</b>: when it is enabled ({@code fs.trash.interval} above 0 on the client or the
 *       namenode), {@link #moveToTrash} moves files into the user's {@code .Trash/Current/} as
 *       {@code hdfs dfs -rm} does, with Hadoop's own trash policy.
 * </ul>
 *
 * <p>Errors are {@link IOException}s naming the location; Hadoop's own retries are the only ones.
 * Thread-safe.
 */
public final class HdfsStorage implements Storage {
  /** The scheme served: {@value}. */
  public static final String SCHEME = "hdfs";

  private final Map<String, String> properties;
  private final Optional<String> user;
  private final Map<String, FileSystem> fileSystems = new ConcurrentHashMap<>();
  private final Map<String, Boolean> trashByAuthority = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private HdfsStorage(Builder builder) {
    this.properties = Map.copyOf(builder.properties);
    this.user = builder.user;
  }

  /** A builder with Hadoop's defaults and the current user. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public FileIterator list(Location prefix) throws IOException {
    checkHdfs(prefix);
    FileSystem fileSystem = fileSystem(prefix);
    Location directory = prefix.isDirectory() ? prefix : prefix.parent().orElseThrow();
    String wanted = "/" + prefix.path();
    try {
      return new HdfsFileIterator(
          prefix, fileSystem.listFiles(path(directory), true), wanted, directory);
    } catch (FileNotFoundException e) {
      return FileIterator.of(List.of());
    } catch (IOException e) {
      throw HdfsErrors.translate("list", prefix, e);
    }
  }

  @Override
  public InputFile newInputFile(Location location) {
    return new HdfsInputFile(this, checkFile(location), -1);
  }

  @Override
  public InputFile newInputFile(Location location, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("Invalid length " + length + " for " + location);
    }
    return new HdfsInputFile(this, checkFile(location), length);
  }

  @Override
  public OutputFile newOutputFile(Location location) {
    Location checked = checkFile(location);
    return new OutputFile() {
      @Override
      public Location location() {
        return checked;
      }

      @Override
      public StorageOutputStream create() throws IOException {
        return HdfsOutputStream.open(fileSystem(checked), checked);
      }
    };
  }

  @Override
  public boolean createExclusive(Location location, byte[] bytes) throws IOException {
    requireNonNull(bytes, "bytes is null");
    checkFile(location);
    FileSystem fileSystem = fileSystem(location);
    Path target = path(location);
    Path temporary = temporaryPath(target);
    try {
      try (FSDataOutputStream out = fileSystem.create(temporary, false)) {
        out.write(bytes);
        out.hsync();
      }
      try {
        FileUtil.rename(fileSystem, temporary, target, Options.Rename.NONE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    } catch (IOException e) {
      throw HdfsErrors.translate("create", location, e);
    } finally {
      deleteQuietly(fileSystem, temporary);
    }
  }

  /**
   * Deletes the files one by one; a missing file counts as deleted, a directory is not deleted and
   * is reported.
   *
   * @throws IOException if the namenode cannot be reached
   */
  @Override
  public List<DeleteFailure> deleteFiles(Collection<Location> locations) throws IOException {
    requireNonNull(locations, "locations is null");
    locations.forEach(HdfsStorage::checkFile);
    List<DeleteFailure> failures = new ArrayList<>();
    for (Location location : locations) {
      FileSystem fileSystem = fileSystem(location);
      try {
        fileSystem.delete(path(location), false);
      } catch (ConnectException | UnknownHostException e) {
        throw new IOException(
            "Cannot delete "
                + locations.size()
                + " files in "
                + Location.of(SCHEME + "://" + location.authority() + "/")
                + ": "
                + HdfsErrors.describe(e),
            e);
      } catch (InterruptedIOException e) {
        throw HdfsErrors.translate("delete", location, e);
      } catch (IOException e) {
        failures.add(new DeleteFailure(location, HdfsErrors.describe(e)));
      }
    }
    return failures;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also if the two locations are on different namenodes
   */
  @Override
  public void moveFile(Location source, Location target) throws IOException {
    checkFile(source);
    checkFile(target);
    if (source.equals(target)) {
      throw new IllegalArgumentException("Cannot move " + source + " onto itself");
    }
    if (!source.authority().equals(target.authority())) {
      throw new IllegalArgumentException(
          "Cannot move " + source + " to " + target + ": they are on different namenodes");
    }
    FileSystem fileSystem = fileSystem(source);
    Path from = path(source);
    Path to = path(target);
    try {
      if (!fileSystem.exists(from)) {
        if (fileSystem.isFile(to)) {
          return;
        }
        throw new FileNotFoundException("Cannot move " + source + ": it does not exist");
      }
      fileSystem.mkdirs(to.getParent());
      FileUtil.rename(fileSystem, from, to, Options.Rename.OVERWRITE);
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException e) {
      throw HdfsErrors.translate("move", source, e);
    }
  }

  /**
   * Whether trash is enabled for the location's namenode, by the client or the namenode; asked once
   * per namenode.
   */
  @Override
  public boolean hasTrash(Location location) throws IOException {
    checkHdfs(location);
    Boolean known = trashByAuthority.get(location.authority());
    if (known != null) {
      return known;
    }
    FileSystem fileSystem = fileSystem(location);
    try {
      boolean enabled =
          fileSystem.getConf().getLong("fs.trash.interval", 0) > 0
              || fileSystem.getServerDefaults(path(location)).getTrashInterval() > 0;
      trashByAuthority.put(location.authority(), enabled);
      return enabled;
    } catch (IOException e) {
      throw HdfsErrors.translate("ask about the trash of", location, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Files go one at a time through Hadoop's {@code Trash.moveToAppropriateTrash}, which also
   * finds the right trash inside an encryption zone.
   */
  @Override
  public List<DeleteFailure> moveToTrash(Collection<Location> locations) throws IOException {
    requireNonNull(locations, "locations is null");
    locations.forEach(HdfsStorage::checkFile);
    List<DeleteFailure> failures = new ArrayList<>();
    for (Location location : locations) {
      if (!hasTrash(location)) {
        throw new UnsupportedOperationException(
            "Cannot move " + location + " to the trash: trash is not enabled on its namenode");
      }
      FileSystem fileSystem = fileSystem(location);
      Path path = path(location);
      try {
        // as the storage's user: the trash is that user's, not the process owner's
        PrivilegedExceptionAction<Boolean> move =
            () ->
                !fileSystem.exists(path)
                    || Trash.moveToAppropriateTrash(fileSystem, path, fileSystem.getConf());
        if (!identity().doAs(move)) {
          failures.add(new DeleteFailure(location, "the trash refused it"));
        }
      } catch (ConnectException | UnknownHostException | InterruptedIOException e) {
        throw HdfsErrors.translate("move to the trash", location, e);
      } catch (IOException e) {
        failures.add(new DeleteFailure(location, HdfsErrors.describe(e)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while moving files to the trash");
      }
    }
    return failures;
  }

  /** Closes the clients made so far. */
  @Override
  public void close() throws IOException {
    closed = true;
    IOException failure = null;
    for (FileSystem fileSystem : fileSystems.values()) {
      try {
        fileSystem.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    fileSystems.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "HdfsStorage[user=" + user.orElse("(current)") + "]";
  }

  /** The client for the location's namenode, made on first use. */
  FileSystem fileSystem(Location location) throws IOException {
    if (closed) {
      throw new IOException("Cannot use " + location + ": the storage is closed");
    }
    try {
      return fileSystems.computeIfAbsent(location.authority(), this::newFileSystem);
    } catch (UncheckedIOException e) {
      throw HdfsErrors.translate("connect to", location, e.getCause());
    }
  }

  private FileSystem newFileSystem(String authority) {
    Configuration configuration = new Configuration();
    properties.forEach(configuration::set);
    URI uri = URI.create(SCHEME + "://" + authority + "/");
    try {
      UserGroupInformation identity = identity();
      // newInstance, not get: Hadoop's cache shares clients across the JVM, and this storage closes
      // its own
      return identity.doAs(
          (PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(uri, configuration));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("Interrupted"));
    }
  }

  private UserGroupInformation identity() throws IOException {
    return user.isPresent()
        ? UserGroupInformation.createRemoteUser(user.get())
        : UserGroupInformation.getCurrentUser();
  }

  /** The Hadoop path of a location: {@code hdfs://authority/path}. */
  static Path path(Location location) {
    return new Path(SCHEME, location.authority(), "/" + location.path());
  }

  /** The hidden temporary file beside {@code target}: {@code .{name}.{uuid}.tmp}. */
  static Path temporaryPath(Path target) {
    return new Path(target.getParent(), TemporaryNames.of(target.getName()));
  }

  static void deleteQuietly(FileSystem fileSystem, Path path) {
    try {
      fileSystem.delete(path, false);
    } catch (IOException e) {
      // the temporary file stays behind; it is hidden and named as Baler's
    }
  }

  private static Location checkHdfs(Location location) {
    requireNonNull(location, "location is null");
    if (!location.scheme().equals(SCHEME)) {
      throw new IllegalArgumentException("Not an HDFS location: " + location);
    }
    return location;
  }

  private static Location checkFile(Location location) {
    checkHdfs(location);
    if (location.isDirectory()) {
      throw new IllegalArgumentException("Not an HDFS file location (a directory): " + location);
    }
    return location;
  }

  /** Settings of an {@link HdfsStorage}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Optional<String> user = Optional.empty();

    private Builder() {}

    /**
     * The user to act as, with simple authentication; by default the current user ({@code
     * HADOOP_USER_NAME} or the operating system's user, or the Kerberos login).
     */
    public Builder user(String user) {
      requireNonNull(user, "user is null");
      if (user.isBlank()) {
        throw new IllegalArgumentException("Invalid HDFS user: empty");
      }
      this.user = Optional.of(user);
      return this;
    }

    /**
     * Sets a Hadoop configuration property, such as {@code dfs.client.use.datanode.hostname} or a
     * nameservice's {@code dfs.ha.namenodes.*}, on top of Hadoop's defaults and any {@code
     * core-site.xml} and {@code hdfs-site.xml} on the class path.
     */
    public Builder property(String key, String value) {
      requireNonNull(key, "key is null");
      requireNonNull(value, "value is null");
      if (key.isBlank()) {
        throw new IllegalArgumentException("Invalid Hadoop property: empty key");
      }
      properties.put(key, value);
      return this;
    }

    /** Makes the storage; no connection is made until a location is used. */
    public HdfsStorage build() {
      return new HdfsStorage(this);
    }
  }
}
