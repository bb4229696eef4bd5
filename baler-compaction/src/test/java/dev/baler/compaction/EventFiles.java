package dev.baler.compaction;

import dev.baler.parquet.RowFingerprint;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Small Parquet files for compaction tests, written in memory with parquet-java's example writer,
 * and the listings and fingerprints the tests compare.
 */
final class EventFiles {
  /** The schema of event files: a required id, an optional name and an optional list of tags. */
  static final MessageType EVENTS =
      MessageTypeParser.parseMessageType(
          "message events {"
              + " required int64 id;"
              + " optional binary name (STRING);"
              + " optional group tags (LIST) { repeated group list { optional binary element"
              + " (STRING); } }"
              + " optional binary payload;"
              + " }");

  /** A schema that differs from {@link #EVENTS} in its first column's name and type. */
  static final MessageType OTHER =
      MessageTypeParser.parseMessageType(
          "message other { required int32 status; optional binary name (STRING); }");

  /** The first time stamp of test file names: 2024-01-01T00:00:00Z in milliseconds. */
  static final long T0 = 1_704_067_200_000L;

  private EventFiles() {}

  /** An events file of {@code rows} rows with ids from {@code firstId}, names and tags. */
  static byte[] events(long firstId, int rows) throws IOException {
    return events(firstId, rows, 0, 0);
  }

  /**
   * An events file of {@code rows} rows with ids from {@code firstId}, each with {@code
   * payloadBytes} incompressible payload bytes (then uncompressed), in row groups of {@code
   * rowGroupRows} rows, or parquet-java's default when 0.
   */
  static byte[] events(long firstId, int rows, int payloadBytes, int rowGroupRows)
      throws IOException {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ids.add(firstId + i);
    }
    return events(ids, payloadBytes, rowGroupRows);
  }

  /**
   * An events file of one row per id, in the given order. A row is a function of its id and {@code
   * payloadBytes} alone, so equal ids make equal rows: some names and tag lists are null, some tag
   * lists empty, some tags null.
   */
  static byte[] events(List<Long> ids, int payloadBytes, int rowGroupRows) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(EVENTS);
    List<Group> written = new ArrayList<>();
    for (long id : ids) {
      Group row = groups.newGroup().append("id", id);
      if (id % 7 != 0) {
        row.append("name", "name-" + (id % 13));
      }
      if (id % 5 != 0) {
        Group tags = row.addGroup("tags");
        for (int tag = 0; tag < id % 3; tag++) {
          Group element = tags.addGroup("list");
          if (tag != 1) {
            element.append("element", "tag-" + tag);
          }
        }
      }
      if (payloadBytes > 0) {
        byte[] payload = new byte[payloadBytes];
        new Random(id).nextBytes(payload);
        row.append("payload", Binary.fromConstantByteArray(payload));
      }
      written.add(row);
    }
    return write(EVENTS, written, payloadBytes > 0, rowGroupRows);
  }

  /** A file of {@code rows} rows in the {@link #OTHER} schema. */
  static byte[] otherSchema(int rows) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(OTHER);
    List<Group> written = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      written.add(groups.newGroup().append("status", 200 + i).append("name", "n" + i));
    }
    return write(OTHER, written, false, 0);
  }

  /** Writes {@code rows} with parquet-java's example writer into bytes. */
  static byte[] write(MessageType schema, List<Group> rows, boolean uncompressed, int groupRows)
      throws IOException {
    BytesOutputFile file = new BytesOutputFile();
    ExampleParquetWriter.Builder builder =
        ExampleParquetWriter.builder(file)
            // parquet-java's default Hadoop configuration parses XML resources for every writer
            .withConf(new PlainParquetConfiguration())
            .withType(schema)
            .withCompressionCodec(
                uncompressed ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.SNAPPY)
            .withDictionaryEncoding(!uncompressed);
    if (groupRows > 0) {
      builder.withRowGroupRowCountLimit(groupRows);
    }
    try (ParquetWriter<Group> writer = builder.build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
    return file.bytes.toByteArray();
  }

  /** Writes {@code bytes} as the whole file at {@code location}. */
  static Location put(Storage storage, Location location, byte[] bytes) throws IOException {
    storage.newOutputFile(location).write(bytes);
    return location;
  }

  /** The name of an original file, {@code {prefix}.{timestamp_millis}.parquet}. */
  static String name(String prefix, long millis) {
    return prefix + "." + millis + ".parquet";
  }

  /**
   * The files below {@code directory}, outside Baler's state directory, sorted by location.
   *
   * @return their locations
   */
  static List<Location> dataFiles(Storage storage, Location directory) throws IOException {
    return storage.list(directory).toList().stream()
        .map(FileEntry::location)
        .filter(location -> !location.toString().contains("/" + FileNames.STATE_DIRECTORY))
        .sorted(Comparator.comparing(Location::toString))
        .toList();
  }

  /** The Parquet files below {@code directory}, outside Baler's state directory. */
  static List<Location> parquetFiles(Storage storage, Location directory) throws IOException {
    return dataFiles(storage, directory).stream()
        .filter(location -> FileNames.isParquet(location.fileName()))
        .toList();
  }

  /** The sum of the files' row fingerprints. */
  static RowFingerprint fingerprint(Storage storage, List<Location> files) throws IOException {
    RowFingerprint sum = RowFingerprint.EMPTY;
    for (Location file : files) {
      sum = sum.plus(RowFingerprint.of(storage.newInputFile(file)));
    }
    return sum;
  }

  /** A fresh in-memory storage. */
  static MemoryStorage memory() {
    return new MemoryStorage();
  }

  /** parquet-java's output file over a byte array. */
  private static final class BytesOutputFile implements OutputFile {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      bytes.reset();
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
          bytes.write(buffer, offset, length);
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
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
      return "memory";
    }
  }
}
