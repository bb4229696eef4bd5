package dev.baler.storage.hdfs;

import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.Location;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files of a recursive HDFS listing whose paths start with a prefix; fetches the namenode's
 * pages as it goes. Not thread-safe.
 */
final class HdfsFileIterator implements FileIterator {
  private final Location prefix;
  private final RemoteIterator<LocatedFileStatus> statuses;
  private final String wanted;
  private final String authority;
  private FileEntry next;
  private boolean done;

  /**
   * @param wanted the absolute path every listed file starts with, such as {@code /dir/events}
   */
  HdfsFileIterator(
      Location prefix,
      RemoteIterator<LocatedFileStatus> statuses,
      String wanted,
      Location directory) {
    this.prefix = prefix;
    this.statuses = statuses;
    this.wanted = wanted;
    this.authority = directory.authority();
  }

  @Override
  public boolean hasNext() throws IOException {
    while (next == null && !done) {
      try {
        if (!statuses.hasNext()) {
          done = true;
          break;
        }
        LocatedFileStatus status = statuses.next();
        // the namenode returns fully qualified paths; keep only the path, decoded
        String path = status.getPath().toUri().getPath();
        if (status.isFile() && path.startsWith(wanted)) {
          next =
              new FileEntry(
                  Location.of(HdfsStorage.SCHEME + "://" + authority + path),
                  status.getLen(),
                  Instant.ofEpochMilli(status.getModificationTime()));
        }
      } catch (FileNotFoundException e) {
        // the directory went away while it was listed: nothing more is there
        done = true;
      } catch (IOException e) {
        throw HdfsErrors.translate("list", prefix, e);
      }
    }
    return next != null;
  }

  @Override
  public FileEntry next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("No more files below " + prefix);
    }
    FileEntry entry = next;
    next = null;
    return entry;
  }
}
