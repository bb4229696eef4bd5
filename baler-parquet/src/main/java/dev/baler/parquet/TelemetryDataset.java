package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * A generator of realistic small-file telemetry data sets, as streaming writers leave them: many
 * snappy-compressed Parquet files of a few thousand rows each, one file per slice of time.
 *
 * <p>Every row carries a time stamp ({@code INT64 TIMESTAMP(MILLIS, UTC)}), a low-cardinality
 * string ({@code service_name}, 200 values), a high-cardinality string ({@code trace_id}, 128
 * random bits in hex), integers ({@code duration_ms} 1 to 4,999, {@code status_code} 500 for about
 * 5% of rows and 200 otherwise), a double ({@code temperature}, normal around 21.0 with deviation
 * 4.0, rounded to three decimals), a nullable column ({@code user_id}, null in about 30% of rows),
 * a standard three-level {@code LIST} of zero to two strings ({@code tags}) and a standard {@code
 * MAP<string,string>} with the keys {@code region} and {@code host} ({@code attributes}). Every
 * column is optional, as Arrow-based writers make them; only {@code user_id} holds nulls.
 *
 * <p>The data set spans {@link #days()} days from {@link #start()}, cut into {@link #files()} equal
 * slices in milliseconds; file {@code i} holds {@link #rowsPerFile()} rows with time stamps in its
 * slice, sorted, and is named after the end of its slice: {@code
 * {prefix}.{timestamp_millis}.parquet}. With {@link Layout#DATE} the same file lies under the
 * directory {@code date=YYYY-MM-DD/} of the UTC day its slice starts in.
 *
 * <p>The content is a function of the settings alone: each file draws from its own random generator
 * seeded from {@link #seed()} and its index, so the same settings give the same rows in every file,
 * whatever the number of threads. Instances are immutable and thread-safe.
 *
 * <p>It lives in the engine, not in baler-testing beside the other fixtures, because {@code baler
 * demo} and the benchmark ship it: baler-testing is a test-scope module.
 */
public final class TelemetryDataset {
  /** How the files are laid out below the target directory. */
  public enum Layout {
    /** All files directly in the target directory. */
    FLAT,
    /** Files in hive-style day partitions, {@code date=YYYY-MM-DD/}, by UTC day. */
    DATE
  }

  /** How the files' values are encoded. */
  public enum Encoding {
    /**
     * As streaming writers leave them: dictionary encoding where parquet-java keeps it, plain
     * encoding for the nearly unique columns (time stamps, trace ids, measurements, user ids).
     */
    MIXED,
    /** Plain encoding for every column, no dictionaries. */
    PLAIN
  }

  /**
   * What {@link #write} wrote.
   *
   * @param files the number of files written
   * @param rows the number of rows over all files
   * @param bytes the total size of the files, in bytes
   */
  public record Summary(int files, long rows, long bytes) {
    /**
     * Validates the counts.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Summary {
      if (files < 0 || rows < 0 || bytes < 0) {
        throw new IllegalArgumentException(
            "Invalid summary: files=" + files + ", rows=" + rows + ", bytes=" + bytes);
      }
    }
  }

  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message schema {
            optional int64 timestamp (TIMESTAMP(MILLIS,true));
            optional binary service_name (STRING);
            optional binary trace_id (STRING);
            optional int64 duration_ms;
            optional int32 status_code;
            optional double temperature;
            optional int64 user_id;
            optional group tags (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
            optional group attributes (MAP) {
              repeated group key_value {
                required binary key (STRING);
                optional binary value (STRING);
              }
            }
          }
          """);

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final int files;
  private final int rowsPerFile;
  private final long seed;
  private final String prefix;
  private final Layout layout;
  private final Instant start;
  private final int days;
  private final int threads;
  private final Encoding encoding;

  private TelemetryDataset(Builder builder) {
    this.files = builder.files;
    this.rowsPerFile = builder.rowsPerFile;
    this.seed = builder.seed;
    this.prefix = builder.prefix;
    this.layout = builder.layout;
    this.start = builder.start;
    this.days = builder.days;
    this.threads = builder.threads;
    this.encoding = builder.encoding;
  }

  /**
   * A builder set to the reference data set of the benchmarks: 2,000 files of 2,000 rows (about 220
   * MB), seed 42, prefix {@code sensor_data}, flat layout, one day from 2024-01-01T00:00:00Z,
   * written by two threads.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of files. */
  public int files() {
    return files;
  }

  /** The number of rows in each file. */
  public int rowsPerFile() {
    return rowsPerFile;
  }

  /** The seed from which every value is drawn. */
  public long seed() {
    return seed;
  }

  /** The first part of every file name. */
  public String prefix() {
    return prefix;
  }

  /** How files are laid out below the target directory. */
  public Layout layout() {
    return layout;
  }

  /** The first instant the data set covers, in UTC, at millisecond precision. */
  public Instant start() {
    return start;
  }

  /** The number of days the data set covers. */
  public int days() {
    return days;
  }

  /** The number of files written at once. */
  public int threads() {
    return threads;
  }

  /** How values are encoded. */
  public Encoding encoding() {
    return encoding;
  }

  /** The total number of rows, {@code files() * rowsPerFile()}. */
  public long rows() {
    return (long) files * rowsPerFile;
  }

  /** The length of each file's slice of time, in milliseconds. */
  long sliceMillis() {
    return days * MILLIS_PER_DAY / files;
  }

  /**
   * The path of file {@code index} relative to the target directory, such as {@code
   * sensor_data.1704067243200.parquet} or {@code
   * date=2024-01-01/sensor_data.1704067243200.parquet}.
   */
  String relativePath(int index) {
    long sliceStart = start.toEpochMilli() + index * sliceMillis();
    String name = prefix + "." + (sliceStart + sliceMillis()) + ".parquet";
    return switch (layout) {
      case FLAT -> name;
      case DATE -> "date=" + DAY.format(Instant.ofEpochMilli(sliceStart)) + "/" + name;
    };
  }

  /**
   * Writes the data set's files into a directory, replacing files of the same names; other files
   * there are left alone. Each file becomes visible whole when it is complete (see {@link
   * StorageOutputStream}); when writing fails, files already written stay.
   *
   * @param storage where to write
   * @param directory the target directory, with or without a trailing slash
   * @return the number of files, rows and bytes written
   * @throws IOException if a file cannot be written; the first failure, naming its location
   * @throws InterruptedIOException if the calling thread is interrupted while waiting for writers
   */
  public Summary write(Storage storage, Location directory) throws IOException {
    requireNonNull(storage, "storage is null");
    requireNonNull(directory, "directory is null");
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    int workers = Math.min(threads, files);
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            workers,
            runnable -> {
              Thread thread =
                  new Thread(runnable, "telemetry-writer-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Summary>> futures = new ArrayList<>();
      for (int worker = 0; worker < workers; worker++) {
        futures.add(executor.submit(() -> writeFiles(storage, directory, next, failed)));
      }
      Summary total = new Summary(0, 0, 0);
      for (Future<Summary> future : futures) {
        Summary part = future.get();
        total =
            new Summary(
                total.files() + part.files(),
                total.rows() + part.rows(),
                total.bytes() + part.bytes());
      }
      return total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while writing telemetry to " + directory);
    } catch (ExecutionException e) {
      throw Failures.asIoException(e.getCause(), "Cannot write telemetry to " + directory);
    } finally {
      failed.set(true);
      executor.shutdownNow();
    }
  }

  /**
   * Writes files, taking the next index from {@code next} until none is left or a writer failed,
   * and returns what this worker wrote.
   */
  private Summary writeFiles(
      Storage storage, Location directory, AtomicInteger next, AtomicBoolean failed)
      throws IOException {
    int written = 0;
    long bytes = 0;
    try {
      for (int index = next.getAndIncrement();
          index < files && !failed.get();
          index = next.getAndIncrement()) {
        bytes += writeFile(storage, directory.resolve(relativePath(index)), index);
        written++;
      }
    } catch (IOException | RuntimeException e) {
      failed.set(true);
      throw e;
    }
    return new Summary(written, (long) written * rowsPerFile, bytes);
  }

  /** Writes file {@code index} to {@code location} and returns its length in bytes. */
  private long writeFile(Storage storage, Location location, int index) throws IOException {
    long sliceStart = start.toEpochMilli() + index * sliceMillis();
    Rows rows = Rows.generate(rowsPerFile, sliceStart, sliceMillis(), fileSeed(index));
    ParquetOutputFile output = new ParquetOutputFile(storage.newOutputFile(location));
    ParquetWriter<Integer> writer = new RowsWriterBuilder(output, rows, encoding).build();
    try {
      for (int row = 0; row < rows.size; row++) {
        writer.write(row);
      }
    } catch (IOException | RuntimeException e) {
      // Abort first, so that closing the writer to release its buffers publishes nothing.
      try {
        if (output.stream().isPresent()) {
          output.stream().get().abort();
        }
        writer.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IOException("Cannot write telemetry file " + location + ": " + e.getMessage(), e);
    }
    writer.close();
    return output.stream().orElseThrow().position();
  }

  /** A seed for file {@code index}, spread by a 64-bit mix so files draw unrelated sequences. */
  private long fileSeed(int index) {
    long mixed = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    mixed = (mixed ^ (mixed >>> 30)) * 0xBF58476D1CE4E5B9L;
    mixed = (mixed ^ (mixed >>> 27)) * 0x94D049BB133111EBL;
    return mixed ^ (mixed >>> 31);
  }

  /** The settings of a {@link TelemetryDataset}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int files = 2_000;
    private int rowsPerFile = 2_000;
    private long seed = 42;
    private String prefix = "sensor_data";
    private Layout layout = Layout.FLAT;
    private Instant start = Instant.parse("2024-01-01T00:00:00Z");
    private int days = 1;
    private int threads = 2;
    private Encoding encoding = Encoding.MIXED;

    private Builder() {}

    /**
     * Sets the number of files.
     *
     * @throws IllegalArgumentException if {@code files} is not positive
     */
    public Builder files(int files) {
      if (files <= 0) {
        throw new IllegalArgumentException("Invalid number of files: " + files);
      }
      this.files = files;
      return this;
    }

    /**
     * Sets the number of rows in each file.
     *
     * @throws IllegalArgumentException if {@code rowsPerFile} is not positive
     */
    public Builder rowsPerFile(int rowsPerFile) {
      if (rowsPerFile <= 0) {
        throw new IllegalArgumentException("Invalid number of rows per file: " + rowsPerFile);
      }
      this.rowsPerFile = rowsPerFile;
      return this;
    }

    /** Sets the seed from which every value is drawn; any value is allowed. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the first part of every file name.
     *
     * @throws IllegalArgumentException if {@code prefix} is empty or holds a slash
     */
    public Builder prefix(String prefix) {
      requireNonNull(prefix, "prefix is null");
      if (prefix.isEmpty() || prefix.contains("/")) {
        throw new IllegalArgumentException("Invalid file name prefix: '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /** Sets how files are laid out below the target directory. */
    public Builder layout(Layout layout) {
      this.layout = requireNonNull(layout, "layout is null");
      return this;
    }

    /**
     * Sets the first instant the data set covers; anything below a millisecond is dropped.
     *
     * @throws IllegalArgumentException if {@code start} is before 1970 or after year 9999
     */
    public Builder start(Instant start) {
      requireNonNull(start, "start is null");
      if (start.isBefore(Instant.EPOCH) || start.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
        throw new IllegalArgumentException("Invalid start: " + start);
      }
      this.start = Instant.ofEpochMilli(start.toEpochMilli());
      return this;
    }

    /**
     * Sets the number of days the data set covers.
     *
     * @throws IllegalArgumentException if {@code days} is not between 1 and 3,650
     */
    public Builder days(int days) {
      if (days < 1 || days > 3_650) {
        throw new IllegalArgumentException("Invalid number of days: " + days);
      }
      this.days = days;
      return this;
    }

    /**
     * Sets how many files are written at once; the content does not depend on it.
     *
     * @throws IllegalArgumentException if {@code threads} is not between 1 and 256
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("Invalid number of threads: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Sets how values are encoded; {@link Encoding#MIXED} unless set. */
    public Builder encoding(Encoding encoding) {
      this.encoding = requireNonNull(encoding, "encoding is null");
      return this;
    }

    /**
     * Makes the data set.
     *
     * @throws IllegalArgumentException if the files are too many for the span: each file needs a
     *     slice of at least one millisecond so that file names differ
     */
    public TelemetryDataset build() {
      if (days * MILLIS_PER_DAY / files < 1) {
        throw new IllegalArgumentException(
            "Invalid data set: " + files + " files do not fit in " + days + " days");
      }
      return new TelemetryDataset(this);
    }
  }

  /** One file's rows, column by column, drawn in the order the reference generator draws them. */
  private static final class Rows {
    private static final Binary[] SERVICES = new Binary[200];
    private static final Binary[] REGIONS =
        binaries("us-east-1", "us-west-2", "eu-west-1", "ap-south-1");
    private static final Binary[] HOSTS = new Binary[50];
    private static final Binary REGION_KEY = binaries("region")[0];
    private static final Binary HOST_KEY = binaries("host")[0];

    static {
      for (int i = 0; i < SERVICES.length; i++) {
        SERVICES[i] = binaries(String.format("svc-%03d", i))[0];
      }
      for (int i = 0; i < HOSTS.length; i++) {
        HOSTS[i] = binaries("h" + i)[0];
      }
    }

    final int size;
    final long[] timestamps;
    final int[] services;
    final long[] traceHigh;
    final long[] traceLow;
    final long[] durations;
    final int[] statusCodes;
    final double[] temperatures;
    final long[] userIds;
    final boolean[] userIdNull;
    final int[] tagRegions;
    final int[] tagCounts;
    final int[] attributeRegions;
    final int[] attributeHosts;

    private Rows(int size) {
      this.size = size;
      timestamps = new long[size];
      services = new int[size];
      traceHigh = new long[size];
      traceLow = new long[size];
      durations = new long[size];
      statusCodes = new int[size];
      temperatures = new double[size];
      userIds = new long[size];
      userIdNull = new boolean[size];
      tagRegions = new int[size];
      tagCounts = new int[size];
      attributeRegions = new int[size];
      attributeHosts = new int[size];
    }

    static Rows generate(int size, long sliceStart, long sliceMillis, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      Rows rows = new Rows(size);
      for (int i = 0; i < size; i++) {
        rows.timestamps[i] = sliceStart + random.nextLong(sliceMillis);
      }
      Arrays.sort(rows.timestamps);
      for (int i = 0; i < size; i++) {
        rows.services[i] = random.nextInt(SERVICES.length);
      }
      for (int i = 0; i < size; i++) {
        rows.traceHigh[i] = random.nextLong();
        rows.traceLow[i] = random.nextLong();
      }
      for (int i = 0; i < size; i++) {
        rows.durations[i] = random.nextLong(1, 5_000);
      }
      for (int i = 0; i < size; i++) {
        rows.statusCodes[i] = random.nextDouble() < 0.05 ? 500 : 200;
      }
      for (int i = 0; i < size; i++) {
        rows.temperatures[i] = Math.round((21.0 + 4.0 * random.nextGaussian()) * 1_000) / 1_000.0;
      }
      for (int i = 0; i < size; i++) {
        rows.userIdNull[i] = random.nextDouble() < 0.3;
        if (!rows.userIdNull[i]) {
          rows.userIds[i] = random.nextLong(1_000_000);
        }
      }
      for (int i = 0; i < size; i++) {
        rows.tagRegions[i] = random.nextInt(REGIONS.length);
        rows.tagCounts[i] = random.nextInt(3);
      }
      for (int i = 0; i < size; i++) {
        rows.attributeRegions[i] = random.nextInt(REGIONS.length);
        rows.attributeHosts[i] = random.nextInt(HOSTS.length);
      }
      return rows;
    }

    /** Writes row {@code row} as one record, fields in schema order. */
    void write(RecordConsumer consumer, int row) {
      consumer.startMessage();
      consumer.startField("timestamp", 0);
      consumer.addLong(timestamps[row]);
      consumer.endField("timestamp", 0);
      consumer.startField("service_name", 1);
      consumer.addBinary(SERVICES[services[row]]);
      consumer.endField("service_name", 1);
      consumer.startField("trace_id", 2);
      consumer.addBinary(traceId(traceHigh[row], traceLow[row]));
      consumer.endField("trace_id", 2);
      consumer.startField("duration_ms", 3);
      consumer.addLong(durations[row]);
      consumer.endField("duration_ms", 3);
      consumer.startField("status_code", 4);
      consumer.addInteger(statusCodes[row]);
      consumer.endField("status_code", 4);
      consumer.startField("temperature", 5);
      consumer.addDouble(temperatures[row]);
      consumer.endField("temperature", 5);
      if (!userIdNull[row]) {
        consumer.startField("user_id", 6);
        consumer.addLong(userIds[row]);
        consumer.endField("user_id", 6);
      }
      writeTags(consumer, row);
      writeAttributes(consumer, row);
      consumer.endMessage();
    }

    private void writeTags(RecordConsumer consumer, int row) {
      consumer.startField("tags", 7);
      consumer.startGroup();
      // An empty list is a present group without the repeated field, not a null list.
      if (tagCounts[row] > 0) {
        consumer.startField("list", 0);
        for (int tag = 0; tag < tagCounts[row]; tag++) {
          consumer.startGroup();
          consumer.startField("element", 0);
          consumer.addBinary(REGIONS[tagRegions[row]]);
          consumer.endField("element", 0);
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
      consumer.endField("tags", 7);
    }

    private void writeAttributes(RecordConsumer consumer, int row) {
      consumer.startField("attributes", 8);
      consumer.startGroup();
      consumer.startField("key_value", 0);
      writeEntry(consumer, REGION_KEY, REGIONS[attributeRegions[row]]);
      writeEntry(consumer, HOST_KEY, HOSTS[attributeHosts[row]]);
      consumer.endField("key_value", 0);
      consumer.endGroup();
      consumer.endField("attributes", 8);
    }

    private static void writeEntry(RecordConsumer consumer, Binary key, Binary value) {
      consumer.startGroup();
      consumer.startField("key", 0);
      consumer.addBinary(key);
      consumer.endField("key", 0);
      consumer.startField("value", 1);
      consumer.addBinary(value);
      consumer.endField("value", 1);
      consumer.endGroup();
    }

    /** The 128 bits as 32 lower-case hex digits, in a new array the writer may keep. */
    private static Binary traceId(long high, long low) {
      byte[] hex = new byte[32];
      for (int digit = 0; digit < 16; digit++) {
        hex[digit] = HEX[(int) (high >>> (60 - 4 * digit)) & 0xF];
        hex[16 + digit] = HEX[(int) (low >>> (60 - 4 * digit)) & 0xF];
      }
      return Binary.fromConstantByteArray(hex);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static Binary[] binaries(String... values) {
      Binary[] result = new Binary[values.length];
      for (int i = 0; i < values.length; i++) {
        result[i] = Binary.fromConstantByteArray(values[i].getBytes(StandardCharsets.UTF_8));
      }
      return result;
    }
  }

  /** Writes the rows of one {@link Rows}; a record is a row index. */
  private static final class RowsWriteSupport extends WriteSupport<Integer> {
    private final Rows rows;
    private RecordConsumer consumer;

    RowsWriteSupport(Rows rows) {
      this.rows = rows;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Integer row) {
      rows.write(consumer, row);
    }
  }

  /** The writer settings of the data set: snappy, parquet-java's defaults otherwise. */
  private static final class RowsWriterBuilder
      extends ParquetWriter.Builder<Integer, RowsWriterBuilder> {
    private final Rows rows;

    RowsWriterBuilder(ParquetOutputFile file, Rows rows, Encoding encoding) {
      super(file);
      this.rows = rows;
      withConf(new PlainParquetConfiguration());
      withCompressionCodec(CompressionCodecName.SNAPPY);
      withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
      switch (encoding) {
        case MIXED -> {
          // Columns of nearly unique values would fall back from dictionary to plain encoding at
          // every page anyway; writing them plain from the start gives the same file, faster.
          for (String column : List.of("timestamp", "trace_id", "temperature", "user_id")) {
            withDictionaryEncoding(column, false);
          }
        }
        case PLAIN -> withDictionaryEncoding(false);
      }
    }

    @Override
    protected RowsWriterBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration configuration) {
      return new RowsWriteSupport(rows);
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration configuration) {
      return new RowsWriteSupport(rows);
    }
  }
}
