package dev.baler.parquet;

import dev.baler.storage.OutputFile;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.util.Optional;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Presents one of our {@link OutputFile}s to parquet-java, and keeps the stream it opened so that a
 * failed write can be aborted: parquet-java closes the stream when it ends a file, which publishes
 * it, and never closes it after a failure.
 */
final class ParquetOutputFile implements org.apache.parquet.io.OutputFile {
  private final OutputFile file;
  private StorageOutputStream stream;

  ParquetOutputFile(OutputFile file) {
    this.file = file;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    if (stream != null) {
      throw new IllegalStateException("Output " + file.location() + " was already opened");
    }
    StorageOutputStream opened = file.create();
    stream = opened;
    return new DelegatingPositionOutputStream(opened) {
      @Override
      public long getPos() throws IOException {
        return opened.position();
      }
    };
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return file.location().toString();
  }

  /** The stream opened by {@link #create}, if any, for aborting it. */
  Optional<StorageOutputStream> stream() {
    return Optional.ofNullable(stream);
  }
}
