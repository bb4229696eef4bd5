package dev.baler.storage.hdfs;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/** A file on HDFS to read. Thread-safe; each stream it opens is not. */
final class HdfsInputFile implements InputFile {
  private final HdfsStorage storage;
  private final Location location;
  private final long knownLength;

  /**
   * @param knownLength the length in bytes, or -1 to ask the namenode when needed
   */
  HdfsInputFile(HdfsStorage storage, Location location, long knownLength) {
    this.storage = storage;
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
    return status(storage.fileSystem(location)).getLen();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    FileSystem fileSystem = storage.fileSystem(location);
    try {
      return new HdfsInputStream(
          location, fileSystem.open(HdfsStorage.path(location)), knownLength, this::length);
    } catch (FileNotFoundException e) {
      throw HdfsErrors.notFound(location, e);
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
  }

  @Override
  public boolean exists() throws IOException {
    FileSystem fileSystem = storage.fileSystem(location);
    try {
      return fileSystem.getFileStatus(HdfsStorage.path(location)).isFile();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
  }

  private FileStatus status(FileSystem fileSystem) throws IOException {
    FileStatus status;
    try {
      status = fileSystem.getFileStatus(HdfsStorage.path(location));
    } catch (FileNotFoundException e) {
      throw HdfsErrors.notFound(location, e);
    } catch (IOException e) {
      throw HdfsErrors.translate("read", location, e);
    }
    if (!status.isFile()) {
      throw new FileNotFoundException("Not a file: " + location + " is a directory");
    }
    return status;
  }
}
