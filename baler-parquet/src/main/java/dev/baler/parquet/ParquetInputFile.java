package dev.baler.parquet;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

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

  /**
   * One of our streams as parquet-java's; closing it closes {@code stream}. Unlike parquet-java's
   * {@code DelegatingSeekableInputStream}, it keeps no 8 KiB copy buffer of its own: a merge holds
   * the inputs of an output row group open at once, hundreds of them for small files, and those
   * buffers were a third of its heap. Direct buffers are filled through a buffer of at most 8 KiB
   * made for that read.
   */
  static org.apache.parquet.io.SeekableInputStream wrap(SeekableInputStream stream) {
    return new Adapter(stream);
  }

  private static final class Adapter extends org.apache.parquet.io.SeekableInputStream {
    private static final int DIRECT_COPY_BYTES = 8192;

    private final SeekableInputStream stream;

    Adapter(SeekableInputStream stream) {
      this.stream = stream;
    }

    @Override
    public long getPos() throws IOException {
      return stream.position();
    }

    @Override
    public void seek(long position) throws IOException {
      stream.seek(position);
    }

    @Override
    public int read() throws IOException {
      return stream.read();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return stream.read(bytes, offset, length);
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int offset, int length) throws IOException {
      stream.readFully(bytes, offset, length);
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      if (!buffer.hasRemaining()) {
        return 0;
      }
      if (buffer.hasArray()) {
        int read =
            stream.read(
                buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (read > 0) {
          buffer.position(buffer.position() + read);
        }
        return read;
      }
      byte[] copy = new byte[Math.min(buffer.remaining(), DIRECT_COPY_BYTES)];
      int read = stream.read(copy, 0, copy.length);
      if (read > 0) {
        buffer.put(copy, 0, read);
      }
      return read;
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
      if (buffer.hasArray()) {
        readFully(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        buffer.position(buffer.limit());
        return;
      }
      byte[] copy = new byte[Math.min(buffer.remaining(), DIRECT_COPY_BYTES)];
      while (buffer.hasRemaining()) {
        int read = stream.read(copy, 0, Math.min(copy.length, buffer.remaining()));
        if (read < 0) {
          throw new EOFException(
              "Reached the end of the stream with " + buffer.remaining() + " bytes left");
        }
        buffer.put(copy, 0, read);
      }
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  @Override
  public String toString() {
    return file.location().toString();
  }
}
