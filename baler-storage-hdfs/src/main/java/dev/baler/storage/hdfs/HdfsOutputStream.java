package dev.baler.storage.hdfs;

import dev.baler.storage.Location;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Writes a new file on HDFS to a hidden temporary file beside it, and on close syncs it and renames
 * it over the target, atomically. Not thread-safe.
 */
final class HdfsOutputStream extends StorageOutputStream {
  private final FileSystem fileSystem;
  private final Location location;
  private final Path target;
  private final Path temporary;
  private final FSDataOutputStream out;
  private long position;
  private boolean done;

  private HdfsOutputStream(
      FileSystem fileSystem,
      Location location,
      Path target,
      Path temporary,
      FSDataOutputStream out) {
    this.fileSystem = fileSystem;
    this.location = location;
    this.target = target;
    this.temporary = temporary;
    this.out = out;
  }

  /**
   * Creates the temporary file, and its directories, for a file to be written at {@code location}.
   */
  static HdfsOutputStream open(FileSystem fileSystem, Location location) throws IOException {
    Path target = HdfsStorage.path(location);
    Path temporary = HdfsStorage.temporaryPath(target);
    try {
      return new HdfsOutputStream(
          fileSystem, location, target, temporary, fileSystem.create(temporary, false));
    } catch (IOException e) {
      throw HdfsErrors.translate("write", location, e);
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    checkOpen();
    try {
      out.write(b);
    } catch (IOException e) {
      throw HdfsErrors.translate("write", location, e);
    }
    position++;
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    checkOpen();
    try {
      out.write(buffer, offset, length);
    } catch (IOException e) {
      throw HdfsErrors.translate("write", location, e);
    }
    position += length;
  }

  @Override
  public void flush() throws IOException {
    checkOpen();
    try {
      out.flush();
    } catch (IOException e) {
      throw HdfsErrors.translate("write", location, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      out.hsync();
      out.close();
      // rename2 with OVERWRITE: one namenode operation that replaces the target atomically
      FileUtil.rename(fileSystem, temporary, target, Options.Rename.OVERWRITE);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      HdfsStorage.deleteQuietly(fileSystem, temporary);
      if (e instanceof IOException failure) {
        throw HdfsErrors.translate("write", location, failure);
      }
      throw e;
    }
  }

  @Override
  public void abort() throws IOException {
    if (done) {
      return;
    }
    done = true;
    closeQuietly();
    try {
      fileSystem.delete(temporary, false);
    } catch (IOException e) {
      throw HdfsErrors.translate("abort the write of", location, e);
    }
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      // the stream is given up; its temporary file is deleted next
    }
  }

  private void checkOpen() throws IOException {
    if (done) {
      throw new IOException("Cannot write " + location + ": stream is closed");
    }
  }
}
