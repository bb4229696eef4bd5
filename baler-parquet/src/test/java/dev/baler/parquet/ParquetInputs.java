package dev.baler.parquet;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Parquet files that show the defects normalisation repairs, written with parquet-java's example
 * writer from hand-made schemas, and a reader of a file's raw Thrift footer.
 */
final class ParquetInputs {
  private ParquetInputs() {}

  /** Rows to write: makes each row from an empty group of the schema. */
  interface Rows {
    List<Group> of(SimpleGroupFactory groups);
  }

  /** How an input file is written. */
  record Writing(WriterVersion version, boolean statistics, Map<String, String> metadata) {
    static final Writing PLAIN = new Writing(WriterVersion.PARQUET_1_0, true, Map.of());
  }

  static Path write(Path file, String schema, Rows rows) throws IOException {
    return write(file, schema, Writing.PLAIN, rows);
  }

  static Path write(Path file, String schema, Writing writing, Rows rows) throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(
                new ParquetOutputFile(new LocalStorage().newOutputFile(Location.local(file))))
            .withType(type)
            .withWriterVersion(writing.version())
            .withStatisticsEnabled(writing.statistics())
            .withExtraMetaData(writing.metadata())
            .build()) {
      for (Group row : rows.of(new SimpleGroupFactory(type))) {
        writer.write(row);
      }
    }
    return file;
  }

  /** The file's footer as Thrift structures, as any reader sees it. */
  static FileMetaData rawFooter(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int footerLength =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    try (InputStream in =
        new ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength)) {
      return Util.readFileMetaData(in);
    }
  }

  /**
   * Rewrites the file's footer so that its root schema element is REPEATED, as some arrow-go
   * versions wrote it.
   */
  static void repeatRoot(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int footerLength =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    FileMetaData footer = rawFooter(file);
    footer.getSchema().get(0).setRepetition_type(FieldRepetitionType.REPEATED);
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    Util.writeFileMetaData(footer, encoded);
    byte[] newFooter = encoded.toByteArray();
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(Arrays.copyOf(bytes, bytes.length - 8 - footerLength));
      out.write(newFooter);
      out.write(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newFooter.length).array());
      out.write(new byte[] {'P', 'A', 'R', '1'});
    }
  }
}
