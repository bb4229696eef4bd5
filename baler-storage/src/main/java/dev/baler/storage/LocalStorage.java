package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The local file system, for {@code file} locations and plain paths.
 *
 * <p>A new file is written to a hidden temporary file beside its target ({@code .name.UUID.tmp}),
 * synced to disk as it is written (in the background, every 16 MiB: {@code SYNC_AHEAD_BYTES}) and
 * again on close, and then moved into place atomically and its directory synced. {@link
 * #createExclusive} writes a temporary file and hard-links it to the target, so the file appears
 * atomically with all its content; where hard links are not supported it falls back to {@code
 * CREATE_NEW}, which is atomic for existence but may briefly show a partial file. Thread-safe.
 */
public final class LocalStorage implements Storage {
  /**
   * The most bytes read from or written to a file's channel at once. A channel moves an array's
   * bytes through a temporary direct buffer as large as the read or write (the JDK's {@code
   * sun.nio.ch.Util}), and keeps it for its thread, outside the heap: merges read windows of 4 MiB
   * at once, and with two bins, the read-back and the threads opening inputs those buffers came to
   * 8.7 to 11.8 MB of native memory at the peak (Native Memory Tracking's "Other"). Larger reads
   * and writes are made of several, so those buffers stay at most this size.
   */
  static final int MAX_CHANNEL_BYTES = 256 << 10;

  /** How a file being written is synced in the background; a seam for tests. */
  @FunctionalInterface
  interface BackgroundSync {
    void force(FileChannel channel) throws IOException;
  }

  private final BackgroundSync backgroundSync;

  /** The local file system. */
  public LocalStorage() {
    this(channel -> channel.force(false));
  }

  /** A local file system whose files being written are synced in the background by {@code sync}. */
  LocalStorage(BackgroundSync sync) {
    this.backgroundSync = requireNonNull(sync, "sync is null");
  }

  /**
   * {@inheritDoc}
   *
   * <p>One walk of the tree, in directory order, that reads each entry's attributes once (a walk
   * that read them again per file took about 13 microseconds a file, 1.3 s of a 100,000-file
   * compaction's planning) and does not enter a directory that cannot hold a file of the prefix. A
   * symbolic link to a file is listed as that file; a file deleted while the walk goes on is left
   * out.
   */
  @Override
  public FileIterator list(Location prefix) throws IOException {
    Path root = prefix.isDirectory() ? prefix.toLocalPath() : prefix.toLocalPath().getParent();
    if (root == null || !Files.isDirectory(root)) {
      return FileIterator.of(List.of());
    }
    String wanted = prefix.toLocalPath().toString() + (prefix.isDirectory() ? "/" : "");
    List<FileEntry> entries = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(
                Path directory, BasicFileAttributes attributes) {
              String path = directory.toString();
              path = path.endsWith("/") ? path : path + "/"; // the root is "/" already
              return path.startsWith(wanted) || wanted.startsWith(path)
                  ? FileVisitResult.CONTINUE
                  : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes)
                throws IOException {
              if (!path.toString().startsWith(wanted)) {
                return FileVisitResult.CONTINUE;
              }
              BasicFileAttributes file = attributes;
              if (attributes.isSymbolicLink()) {
                try {
                  file = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                  return FileVisitResult.CONTINUE; // a link to nothing
                }
              }
              if (file.isRegularFile()) {
                entries.add(
                    new FileEntry(
                        Location.local(path), file.size(), file.lastModifiedTime().toInstant()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // deleted while we listed: not there any more
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new IOException("Cannot list " + prefix + ": " + e.getMessage(), e);
    }
    return FileIterator.of(entries);
  }

  @Override
  public InputFile newInputFile(Location location) {
    return new LocalInputFile(checkLocal(location), -1);
  }

  @Override
  public InputFile newInputFile(Location location, long length) {
    return new LocalInputFile(checkLocal(location), length);
  }

  @Override
  public OutputFile newOutputFile(Location location) {
    Location checked = checkLocal(location);
    return new OutputFile() {
      @Override
      public Location location() {
        return checked;
      }

      @Override
      public StorageOutputStream create() throws IOException {
        return new LocalOutputStream(checked.toLocalPath(), backgroundSync);
      }
    };
  }

  @Override
  public boolean createExclusive(Location location, byte[] bytes) throws IOException {
    Path target = checkLocal(location).toLocalPath();
    Files.createDirectories(target.getParent());
    Path temporary = temporaryPath(target);
    Files.write(temporary, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.createLink(target, temporary);
      syncDirectory(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // no hard links here (some network and FUSE file systems): create-if-absent by CREATE_NEW
      try {
        Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException exists) {
        return false;
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  @Override
  public List<DeleteFailure> deleteFiles(Collection<Location> locations) {
    for (Location location : locations) {
      checkLocal(location);
    }
    List<DeleteFailure> failures = new ArrayList<>();
    for (Location location : locations) {
      Path path = checkLocal(location).toLocalPath();
      try {
        // java.io.File's delete is one unlink (rmdir for a directory); Files.deleteIfExists asks
        // lstat first, a second system call per file (1% of a 100,000-file compaction's samples).
        // Where it fails, Files says why, or finds nothing there to delete.
        if (!path.toFile().delete()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        failures.add(new DeleteFailure(location, e.toString()));
      }
    }
    return failures;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An atomic rename where the file system allows it (the same file system), else a copy and a
   * delete; the target's directory is synced afterwards.
   */
  @Override
  public void moveFile(Location source, Location target) throws IOException {
    Path from = checkLocal(source).toLocalPath();
    Path to = checkLocal(target).toLocalPath();
    if (from.equals(to)) {
      throw new IllegalArgumentException("Cannot move " + source + " onto itself");
    }
    if (!Files.exists(from)) {
      if (Files.isRegularFile(to)) {
        return;
      }
      throw new FileNotFoundException("Cannot move " + source + ": it does not exist");
    }
    Files.createDirectories(to.getParent());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(to.getParent());
  }

  private static Location checkLocal(Location location) {
    requireNonNull(location, "location is null");
    if (!location.scheme().equals("file")) {
      throw new IllegalArgumentException("Not a local location: " + location);
    }
    return location;
  }

  /**
   * Makes a rename or link in {@code directory} durable: without this, a machine that loses power
   * may come back with the data written but the new name missing. Best effort: some platforms
   * cannot open a directory for this.
   */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported here; the rename itself is still atomic
    }
  }

  private static Path temporaryPath(Path target) {
    return target.resolveSibling(TemporaryNames.of(target.getFileName().toString()));
  }

  private static final class LocalInputFile implements InputFile {
    private final Location location;
    private final long knownLength;

    LocalInputFile(Location location, long knownLength) {
      this.location = location;
      this.knownLength = knownLength;
    }

    @Override
    public Location location() {
      return location;
    }

    @Override
    public long length() throws IOException {
      if (knownLength >= 0) {
        return knownLength;
      }
      try {
        return Files.size(location.toLocalPath());
      } catch (NoSuchFileException e) {
        throw notFound(e);
      }
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      try {
        return new LocalInputStream(
            FileChannel.open(location.toLocalPath(), StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw notFound(e);
      }
    }

    @Override
    public boolean exists() {
      return Files.isRegularFile(location.toLocalPath());
    }

    private FileNotFoundException notFound(NoSuchFileException cause) {
      var exception = new FileNotFoundException("File not found: " + location);
      exception.initCause(cause);
      return exception;
    }
  }

  /**
   * Reads a file through its channel with positional reads ({@code pread}), at most {@link
   * #MAX_CHANNEL_BYTES} each. The stream keeps its own position, so that a seek or a question of
   * the position is no system call, and asks the file's size only for a seek past the size it last
   * saw: with the channel's position and a size asked at every seek, a compaction of 100,000 small
   * files made an {@code lseek} and an {@code fstat} per seek, about 2% of its CPU samples.
   */
  private static final class LocalInputStream extends SeekableInputStream {
    private final FileChannel channel;
    private long position;
    private long sizeSeen = -1; // the file's size when last asked; -1 before

    LocalInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void seek(long position) throws IOException {
      if (position > sizeSeen) {
        sizeSeen = channel.size();
      }
      if (position < 0 || position > sizeSeen) {
        throw new IOException("Cannot seek to " + position + ": file has " + sizeSeen + " bytes");
      }
      this.position = position;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Reads {@code length} bytes, or up to the end of the file, in reads of the channel. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      int done = 0;
      while (done < length) {
        int read =
            channel.read(
                ByteBuffer.wrap(buffer, offset + done, Math.min(length - done, MAX_CHANNEL_BYTES)),
                position);
        if (read < 0) {
          return done == 0 ? -1 : done;
        }
        done += read;
        position += read;
      }
      return done;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Bytes written to a new file between the syncs started in the background while it is written.
   * Its close syncs it before it is published; a file of 128 MiB left to that one sync kept its
   * writer waiting 110 to 230 ms on this project's test machine, and two bins that end together
   * left both cores idle that long. Synced as it goes, in the background, the close finds about
   * this much left to write (more when a sync is still under way as the next is due: one per file
   * at a time, on one thread for all files).
   */
  static final long SYNC_AHEAD_BYTES = 16L << 20;

  /**
   * Where the background syncs of files being written run: one daemon thread, ended when idle. It
   * is never interrupted: an interrupt would close the file's channel under its writer.
   */
  private static final ThreadPoolExecutor SYNCER =
      new ThreadPoolExecutor(
          0,
          1,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          DaemonThreads.named("baler-sync-ahead"));

  private static final class LocalOutputStream extends StorageOutputStream {
    private final Path target;
    private final Path temporary;
    private final BackgroundSync backgroundSync;
    private final FileChannel channel;
    private final OutputStream out;
    private long position;
    private long syncedUpTo;
    private boolean done;

    /** The background sync under way, or null; at most one per file at a time. */
    private Future<?> syncing;

    LocalOutputStream(Path target, BackgroundSync backgroundSync) throws IOException {
      this.target = target;
      this.backgroundSync = backgroundSync;
      Files.createDirectories(target.getParent());
      this.temporary = temporaryPath(target);
      this.channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    /**
     * Starts a background sync of what was written when {@link #SYNC_AHEAD_BYTES} more were, unless
     * the last one is still under way.
     *
     * @throws IOException if the last background sync failed
     */
    private void syncAhead() throws IOException {
      if (position - syncedUpTo < SYNC_AHEAD_BYTES || (syncing != null && !syncing.isDone())) {
        return;
      }
      awaitSyncing();
      out.flush();
      syncedUpTo = position;
      syncing =
          SYNCER.submit(
              () -> {
                backgroundSync.force(channel);
                return null;
              });
    }

    /**
     * Waits for the background sync under way, and fails as it did. A failed sync fails the file
     * for good: Linux reports a write-back error to one sync of an open file only, so a later sync
     * of the same channel can succeed although pages it reported were never written.
     *
     * @throws IOException if the sync failed
     */
    private void awaitSyncing() throws IOException {
      if (syncing == null) {
        return;
      }
      try {
        syncing.get();
      } catch (ExecutionException e) {
        throw new IOException(
            "Cannot sync " + temporary + " to disk: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while syncing " + temporary);
      }
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
      syncAhead();
    }

    /** Writes in pieces of at most {@link #MAX_CHANNEL_BYTES}. */
    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      for (int done = 0; done < length; ) {
        int piece = Math.min(length - done, MAX_CHANNEL_BYTES);
        out.write(buffer, offset + done, piece);
        done += piece;
      }
      position += length;
      syncAhead();
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        out.flush();
        awaitSyncing();
        try (channel) {
          channel.force(true);
        }
        try {
          Files.move(
              temporary,
              target,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          syncDirectory(target.getParent());
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("Cannot publish " + target + ": atomic rename not supported", e);
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temporary);
        throw e;
      }
    }

    @Override
    public void abort() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        awaitSyncing();
      } catch (IOException e) {
        // the file is given up anyway
      } finally {
        try {
          channel.close();
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
    }
  }
}
