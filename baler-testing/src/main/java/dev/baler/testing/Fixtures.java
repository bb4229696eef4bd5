package dev.baler.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One writer's set of committed Parquet fixtures: three small files of telemetry events, and the
 * figures from their manifest so that tests need not hard-code row counts.
 *
 * <p>Every writer's set holds the same logical rows, in files named {@code
 * events.{timestamp_millis}.parquet} one minute apart from {@code 1704067200000}
 * (2024-01-01T00:00:00Z). The columns are {@code timestamp} (UTC), {@code event_id} (with Parquet
 * field id 100 where the writer supports it), {@code service_name}, {@code trace_id}, {@code
 * duration_ms}, {@code status_code}, {@code temperature}, {@code user_id} (about 30% null), {@code
 * tags} (list of strings, some empty, some null), {@code attributes} (string to string map; polars
 * writes it as a list of key/value structs), {@code location} (struct of {@code lat}, {@code lon}),
 * {@code price} (decimal(10,2)) and {@code day} (date). A few rows repeat exactly in later files,
 * so {@link #distinctRows()} is less than {@link #rows()}. The files are written by {@code
 * src/main/python/make_fixtures.py}; the physical layout (time stamp unit, list and map encoding,
 * codec, row groups) is each writer's own.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Fixtures {
  private static final String ROOT = "/dev/baler/testing/fixtures/";

  /** The library that wrote a fixture set. */
  public enum Writer {
    /** Apache Arrow's Python library: required columns where declared, several row groups. */
    PYARROW,
    /** DuckDB's {@code COPY ... (FORMAT parquet)}: every column optional, one row group. */
    DUCKDB,
    /** Polars' native writer: maps written as lists of key/value structs, zstd, one row group. */
    POLARS;

    /** The writer's directory name under the fixture root, such as {@code pyarrow}. */
    public String directoryName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One fixture file, as the manifest describes it.
   *
   * @param fileName the file's name, such as {@code events.1704067200000.parquet}
   * @param timestampMillis the time stamp in the file name, in milliseconds since the epoch
   * @param rows the number of rows in the file, repeated rows included
   * @param length the file's size in bytes
   */
  public record FixtureFile(String fileName, long timestampMillis, long rows, long length) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a count or the length is negative
     */
    public FixtureFile {
      requireNonNull(fileName, "fileName is null");
      if (rows < 0 || length < 0) {
        throw new IllegalArgumentException(
            "Invalid fixture file " + fileName + ": rows " + rows + ", length " + length);
      }
    }
  }

  private static final Map<Writer, Fixtures> ALL = load();

  private final Writer writer;
  private final List<FixtureFile> files;
  private final long rows;
  private final long distinctRows;

  private Fixtures(Writer writer, List<FixtureFile> files, long rows, long distinctRows) {
    this.writer = writer;
    this.files = List.copyOf(files);
    this.rows = rows;
    this.distinctRows = distinctRows;
  }

  /** The fixture set written by {@code writer}. */
  public static Fixtures of(Writer writer) {
    return ALL.get(requireNonNull(writer, "writer is null"));
  }

  /** The library that wrote these files. */
  public Writer writer() {
    return writer;
  }

  /** The files in time order (the order of their names' time stamps). */
  public List<FixtureFile> files() {
    return files;
  }

  /** The number of rows in all files together, each repeated row counted every time it occurs. */
  public long rows() {
    return rows;
  }

  /** The number of different rows in all files together. */
  public long distinctRows() {
    return distinctRows;
  }

  /** The number of rows that deduplication removes: {@code rows() - distinctRows()}. */
  public long duplicateRows() {
    return rows - distinctRows;
  }

  /**
   * Copies the files into {@code directory}, creating it if needed, under their own names (no
   * writer subdirectory), and returns the paths written in time order.
   *
   * <p>Different writers' sets use the same file names, so copy them into different directories.
   *
   * @throws FileAlreadyExistsException if a file of that name is already in the directory
   * @throws IOException if the directory cannot be created or a file cannot be written
   */
  public List<Path> copyTo(Path directory) throws IOException {
    requireNonNull(directory, "directory is null");
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>(files.size());
    for (FixtureFile file : files) {
      Path target = directory.resolve(file.fileName());
      try (InputStream input = open(writer.directoryName() + "/" + file.fileName())) {
        Files.copy(input, target);
      }
      written.add(target);
    }
    return List.copyOf(written);
  }

  @Override
  public String toString() {
    return "Fixtures["
        + writer.directoryName()
        + ", "
        + files.size()
        + " files, "
        + rows
        + " rows]";
  }

  private static InputStream open(String resource) throws IOException {
    InputStream input = Fixtures.class.getResourceAsStream(ROOT + resource);
    if (input == null) {
      throw new IOException("Cannot find fixture " + ROOT + resource + " on the class path");
    }
    return input;
  }

  private static Map<Writer, Fixtures> load() {
    Map<?, ?> manifest;
    try (InputStream input = open("manifest.json")) {
      manifest =
          (Map<?, ?>) JsonReader.read(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<?, ?> writers = (Map<?, ?>) manifest.get("writers");
    Map<Writer, Fixtures> all = new EnumMap<>(Writer.class);
    for (Writer writer : Writer.values()) {
      Map<?, ?> entry = (Map<?, ?>) writers.get(writer.directoryName());
      if (entry == null) {
        throw new IllegalStateException(
            "Invalid fixture manifest: no entry for writer " + writer.directoryName());
      }
      List<FixtureFile> files = new ArrayList<>();
      for (Object element : (List<?>) entry.get("files")) {
        Map<?, ?> file = (Map<?, ?>) element;
        String name = (String) file.get("name");
        files.add(
            new FixtureFile(
                name.substring(name.lastIndexOf('/') + 1),
                number(file, "timestamp_millis"),
                number(file, "rows"),
                number(file, "bytes")));
      }
      files.sort(Comparator.comparingLong(FixtureFile::timestampMillis));
      all.put(
          writer,
          new Fixtures(writer, files, number(entry, "rows"), number(entry, "distinct_rows")));
    }
    return all;
  }

  private static long number(Map<?, ?> object, String name) {
    if (!(object.get(name) instanceof Long value)) {
      throw new IllegalStateException(
          "Invalid fixture manifest: '" + name + "' is " + object.get(name) + ", expected a count");
    }
    return value;
  }
}
