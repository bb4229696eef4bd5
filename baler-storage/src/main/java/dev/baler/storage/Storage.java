package dev.baler.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * A place where files live: a local file system, an S3 bucket, HDFS, or memory.
 *
 * <p>Where the kinds of store differ:
 *
 * <ul>
 *   <li><b>Listing</b> has key-prefix semantics everywhere, as on S3: {@link #list(Location)}
 *       returns every file whose path starts with the prefix's path, at any depth. On a file
 *       system, a prefix ending in {@code /} lists a directory tree. Order is not specified (S3
 *       returns keys in UTF-8 order, file systems in directory order); sort if you need one.
 *   <li><b>Rename</b> does not exist on S3. Writes are atomic instead: a new file becomes visible
 *       whole, when its stream is closed (S3 completes its multipart upload, a file system renames
 *       a temporary file into place). {@link #moveFile} is a rename on a file system, but a copy
 *       and a delete on S3.
 *   <li><b>Create-if-absent</b> ({@link #createExclusive}) is atomic on every store: S3's
 *       conditional {@code PutObject} with {@code If-None-Match: *}, a hard link on a local file
 *       system, {@code create(overwrite=false)} on HDFS. Baler's lease and journal rely on it.
 *   <li><b>Consistency</b>: S3 is strongly read-after-write consistent for PUT, DELETE and LIST
 *       since December 2020; Baler assumes that for every store.
 * </ul>
 *
 * <p>Implementations are thread-safe. Errors are {@link IOException}s naming the location; an
 * implementation translates its SDK's exceptions and does not retry on top of its SDK's own
 * retries.
 */
public interface Storage extends Closeable {
  /**
   * Lists the files below a prefix, recursively.
   *
   * @param prefix a key prefix ({@code s3://b/dir/events}) or a directory ({@code s3://b/dir/})
   * @return the files found; none when nothing is there, never an error for a missing prefix
   */
  FileIterator list(Location prefix) throws IOException;

  /** A file to read, whose length is fetched when first needed. */
  InputFile newInputFile(Location location);

  /**
   * A file to read whose length is already known, such as from a listing, which saves a request.
   *
   * @param length the file's length in bytes
   */
  InputFile newInputFile(Location location, long length);

  /** A file to write. Nothing is created until its stream is closed. */
  OutputFile newOutputFile(Location location);

  /**
   * Creates a small file only if nothing exists at its location, atomically: of several callers
   * racing for one location, exactly one succeeds.
   *
   * @param bytes the whole content
   * @return true if this call created the file, false if a file was already there
   */
  boolean createExclusive(Location location, byte[] bytes) throws IOException;

  /**
   * Deletes files, in batches where the store allows it. A file that does not exist counts as
   * deleted. {@code locations} may be read more than once (a store checks them all before the first
   * deletion), so it must give the same locations each time; a view that makes them as they are
   * read will do.
   *
   * @return the files that could not be deleted, with reasons, each named once; empty when all went
   * @throws IllegalArgumentException if a location is not a file location of this store; then
   *     nothing is deleted
   * @throws IOException only when the store cannot be reached at all; files of earlier batches may
   *     be deleted by then (callers leave the rest to recovery)
   */
  List<DeleteFailure> deleteFiles(Collection<Location> locations) throws IOException;

  /**
   * Moves a file to another location of this store, replacing any file there; the target's parent
   * directories are made as needed. A file system renames it atomically. S3 copies it on the server
   * ({@code CopyObject}) and then deletes the source: for a moment both exist, and a crash in
   * between leaves both. So that a move can simply be repeated after such a crash, a source that is
   * gone while the target exists counts as moved.
   *
   * @throws java.io.FileNotFoundException if neither the source nor the target exists
   * @throws IllegalArgumentException if the two locations are equal or on different stores
   * @throws IOException if the store fails
   */
  void moveFile(Location source, Location target) throws IOException;

  /**
   * Whether files deleted under {@code location} can go to a trash instead, from which they can be
   * restored until it is emptied: HDFS with trash enabled ({@code fs.trash.interval} above 0 on the
   * client or the namenode). Default: false.
   *
   * @throws IOException if the store cannot be asked
   */
  default boolean hasTrash(Location location) throws IOException {
    return false;
  }

  /**
   * Moves files to the store's trash, as {@code hdfs dfs -rm} does when trash is enabled. A file
   * that does not exist counts as moved.
   *
   * @return the files that could not be moved, with reasons; empty when all went
   * @throws UnsupportedOperationException if {@link #hasTrash} is false for a location
   * @throws IOException only when the store cannot be reached at all
   */
  default List<DeleteFailure> moveToTrash(Collection<Location> locations) throws IOException {
    throw new UnsupportedOperationException("Cannot move files to a trash: " + this + " has none");
  }

  /** Releases clients and threads. Default: nothing to release. */
  @Override
  default void close() throws IOException {}
}
