package dev.baler.parquet;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Small Parquet files written with parquet-java's example writer, and footers rewritten. */
final class TestFiles {
  private TestFiles() {}

  /** A file whose schema differs from the telemetry data set's: status is INT64. */
  static byte[] otherSchemaFile() throws IOException {
    return otherSchemaFile(true);
  }

  /**
   * A file of the same schema as {@link #otherSchemaFile} written without dictionaries, each chunk
   * in plain pages, uncompressed: chunks a merge into an uncompressed output may carry over.
   */
  static byte[] plainFile() throws IOException {
    return otherSchemaFile(false);
  }

  private static byte[] otherSchemaFile(boolean dictionaries) throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message other { required int64 status; optional binary name (STRING); }");
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://scratch/other.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(schema)
            .withDictionaryEncoding(dictionaries)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      for (int i = 0; i < 10; i++) {
        writer.write(groups.newGroup().append("status", (long) i).append("name", "n" + i));
      }
    }
    return storage.bytes(location);
  }

  /** The same file with the path of its first row group's first column chunk changed. */
  static byte[] withFirstChunkPath(byte[] file, String... path) throws IOException {
    return withFooter(
        file,
        metadata ->
            metadata
                .getRow_groups()
                .get(0)
                .getColumns()
                .get(0)
                .getMeta_data()
                .setPath_in_schema(List.of(path)));
  }

  /** The length of a file's footer, from the four bytes before its closing {@code PAR1}. */
  static int footerLength(byte[] file) {
    return ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** A file's footer, parsed by parquet-format's Thrift classes. */
  static FileMetaData footer(byte[] file) throws IOException {
    int footerLength = footerLength(file);
    return Util.readFileMetaData(
        new ByteArrayInputStream(file, file.length - 8 - footerLength, footerLength));
  }

  /** The same file with its footer changed by {@code change}. */
  static byte[] withFooter(byte[] file, Consumer<FileMetaData> change) throws IOException {
    FileMetaData metadata = footer(file);
    change.accept(metadata);
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(metadata, footer);
    return withRawFooter(file, footer.toByteArray());
  }

  /**
   * The same file made {@code length} bytes long by a key-value entry of padding in its footer.
   *
   * @throws IllegalArgumentException if the file is longer already
   */
  static byte[] paddedTo(byte[] file, int length) throws IOException {
    byte[] padded = file;
    for (int pad = 0; padded.length != length; ) {
      pad += length - padded.length;
      if (pad < 0) {
        throw new IllegalArgumentException(
            "A file of " + file.length + " bytes cannot be padded to " + length);
      }
      String padding = "x".repeat(pad);
      padded =
          withFooter(
              file,
              metadata ->
                  metadata.addToKey_value_metadata(new KeyValue("padding").setValue(padding)));
    }
    return padded;
  }

  /** The same file with its footer replaced by {@code footer}, bytes as they are. */
  static byte[] withRawFooter(byte[] file, byte[] footer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(file, file.length - 8 - footerLength(file)));
    out.write(footer);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.length).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
