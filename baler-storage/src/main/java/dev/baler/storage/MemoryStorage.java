package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Files held in memory, for tests and for planning experiments: the fake where a fake is enough.
 * Keys are whole location strings, so any scheme works; lists in key order, like S3. Thread-safe.
 */
public final class MemoryStorage implements Storage {
  private record Blob(byte[] bytes, Instant lastModified) {}

  private final Map<String, Blob> blobs = new ConcurrentSkipListMap<>();
  private final Clock clock;

  /** An empty storage whose files get the system clock's time as last-modified time. */
  public MemoryStorage() {
    this(Clock.systemUTC());
  }

  /** An empty storage whose files get {@code clock}'s time as last-modified time. */
  public MemoryStorage(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public FileIterator list(Location prefix) {
    String wanted = prefix.toString();
    List<FileEntry> entries = new ArrayList<>();
    blobs.forEach(
        (key, blob) -> {
          if (key.startsWith(wanted)) {
            entries.add(new FileEntry(Location.of(key), blob.bytes().length, blob.lastModified()));
          }
        });
    return FileIterator.of(entries);
  }

  @Override
  public InputFile newInputFile(Location location) {
    return new MemoryInputFile(requireNonNull(location, "location is null"));
  }

  @Override
  public InputFile newInputFile(Location location, long length) {
    return newInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(Location location) {
    requireNonNull(location, "location is null");
    return new OutputFile() {
      @Override
      public Location location() {
        return location;
      }

      @Override
      public StorageOutputStream create() {
        return new MemoryOutputStream(location);
      }
    };
  }

  @Override
  public boolean createExclusive(Location location, byte[] bytes) {
    Blob blob = new Blob(bytes.clone(), clock.instant());
    return blobs.putIfAbsent(location.toString(), blob) == null;
  }

  @Override
  public List<DeleteFailure> deleteFiles(Collection<Location> locations) {
    locations.forEach(location -> blobs.remove(location.toString()));
    return List.of();
  }

  @Override
  public void moveFile(Location source, Location target) throws IOException {
    if (source.equals(target)) {
      throw new IllegalArgumentException("Cannot move " + source + " onto itself");
    }
    Blob blob = blobs.remove(source.toString());
    if (blob == null) {
      if (blobs.containsKey(target.toString())) {
        return;
      }
      throw new FileNotFoundException("Cannot move " + source + ": it does not exist");
    }
    blobs.put(target.toString(), blob);
  }

  private final class MemoryInputFile implements InputFile {
    private final Location location;

    MemoryInputFile(Location location) {
      this.location = location;
    }

    @Override
    public Location location() {
      return location;
    }

    @Override
    public long length() throws IOException {
      return blob().bytes().length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      return new BytesInputStream(location, blob().bytes());
    }

    @Override
    public boolean exists() {
      return blobs.containsKey(location.toString());
    }

    private Blob blob() throws FileNotFoundException {
      Blob blob = blobs.get(location.toString());
      if (blob == null) {
        throw new FileNotFoundException("File not found: " + location);
      }
      return blob;
    }
  }

  private final class MemoryOutputStream extends StorageOutputStream {
    private final Location location;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean done;

    MemoryOutputStream(Location location) {
      this.location = location;
    }

    @Override
    public long position() {
      return buffer.size();
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      buffer.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      checkOpen();
      buffer.write(bytes, offset, length);
    }

    @Override
    public void close() {
      if (!done) {
        done = true;
        blobs.put(location.toString(), new Blob(buffer.toByteArray(), clock.instant()));
      }
    }

    @Override
    public void abort() {
      done = true;
    }

    private void checkOpen() throws IOException {
      if (done) {
        throw new IOException("Stream for " + location + " is closed");
      }
    }
  }

  /** A copy of a file's bytes, for tests. */
  public byte[] bytes(Location location) throws FileNotFoundException {
    Blob blob = blobs.get(location.toString());
    if (blob == null) {
      throw new FileNotFoundException("File not found: " + location);
    }
    return Arrays.copyOf(blob.bytes(), blob.bytes().length);
  }
}
