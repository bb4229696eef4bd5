package dev.baler.parquet;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Small Parquet files written with parquet-java's example writer, for schema tests. */
final class TestFiles {
  private TestFiles() {}

  /** A file whose schema differs from the telemetry data set's: status is INT64. */
  static byte[] otherSchemaFile() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message other { required int64 status; optional binary name (STRING); }");
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://scratch/other.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(schema)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      for (int i = 0; i < 10; i++) {
        writer.write(groups.newGroup().append("status", (long) i).append("name", "n" + i));
      }
    }
    return storage.bytes(location);
  }
}
