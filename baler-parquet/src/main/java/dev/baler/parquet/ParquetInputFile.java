package dev.baler.parquet;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;
import org.apache.parquet.io.DelegatingSeekableInputStream;

/** Presents one of our {@link InputFile}s to parquet-java. */
final class ParquetInputFile implements org.apache.parquet.io.InputFile {
  private final InputFile file;

  ParquetInputFile(InputFile file) {
    this.file = file;
  }

  @Override
  public long getLength() throws IOException {
    return file.length();
  }

  @Override
  public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
    return wrap(file.newStream());
  }

  /** One of our streams as parquet-java's; closing it closes {@code stream}. */
  static org.apache.parquet.io.SeekableInputStream wrap(SeekableInputStream stream) {
    return new DelegatingSeekableInputStream(stream) {
      @Override
      public long getPos() throws IOException {
        return stream.position();
      }

      @Override
      public void seek(long position) throws IOException {
        stream.seek(position);
      }
    };
  }

  @Override
  public String toString() {
    return file.location().toString();
  }
}
