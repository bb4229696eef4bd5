package dev.baler.bench.engine;

import dev.baler.parquet.Codec;
import dev.baler.parquet.Footer;
import dev.baler.parquet.MergeInput;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Small Parquet files of one column, in memory, as the engine benchmarks' input: {@value #FILES}
 * files of {@value #ROWS} rows, one in ten values null, written by parquet-java with its default
 * dictionary judgement (kept for few distinct values, dropped for nearly unique ones).
 */
public final class EngineInputs {
  static final int FILES = 20;
  static final int ROWS = 5_000;

  /** The column the files hold; public for JMH's generated code. */
  public enum Column {
    /** Nearly unique 64-bit integers: plain pages. */
    INT64("optional int64 value;"),
    /** Measurements: plain pages. */
    DOUBLE("optional double value;"),
    /** 50 distinct service names: dictionary pages. */
    STRING_DICTIONARY("optional binary value (STRING);"),
    /** 32-character hexadecimal trace ids: plain pages. */
    STRING_UNIQUE("optional binary value (STRING);"),
    /**
     * The 50 service names of {@link #STRING_DICTIONARY} written without a dictionary, as by a
     * writer that gave up on one: plain pages, which the merge gives a dictionary.
     */
    STRING_REPEATING_PLAIN("optional binary value (STRING);"),
    /**
     * Lists of 0 to 4 of 20 distinct tags: dictionary pages with repetition levels. A benchmark's
     * operations are its rows, about 2 values each.
     */
    STRING_LIST_DICTIONARY(
        "optional group value (LIST) { repeated group list { optional binary element (STRING); }"
            + " }");

    private final String field;

    Column(String field) {
      this.field = field;
    }

    MessageType schema() {
      return MessageTypeParser.parseMessageType("message bench { " + field + " }");
    }
  }

  private EngineInputs() {}

  /** Writes the files into {@code storage} and returns them as merge inputs. */
  static List<MergeInput> write(MemoryStorage storage, Column column, Codec codec)
      throws IOException {
    MessageType schema = column.schema();
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    SplittableRandom random = new SplittableRandom(42);
    List<MergeInput> inputs = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      Location location = Location.of("memory://bench/input-" + file + ".parquet");
      // Written through a local file, then kept in memory: the storage adapters are the
      // engine's own.
      Path scratch = Files.createTempFile("baler-bench-", ".parquet");
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new LocalOutputFile(scratch))
              .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
              .withType(schema)
              .withCompressionCodec(CompressionCodecName.valueOf(codec.name()))
              .withDictionaryEncoding(column != Column.STRING_REPEATING_PLAIN)
              .build()) {
        for (int row = 0; row < ROWS; row++) {
          Group group = groups.newGroup();
          if (random.nextInt(10) != 0) {
            switch (column) {
              case INT64 -> group.append("value", random.nextLong());
              case DOUBLE -> group.append("value", random.nextDouble() * 100);
              case STRING_DICTIONARY, STRING_REPEATING_PLAIN ->
                  group.append("value", "service-" + random.nextInt(50));
              case STRING_UNIQUE ->
                  group.append(
                      "value", String.format("%016x%016x", random.nextLong(), random.nextLong()));
              case STRING_LIST_DICTIONARY -> {
                Group list = group.addGroup("value");
                for (int element = random.nextInt(5); element > 0; element--) {
                  list.addGroup("list").append("element", "tag-" + random.nextInt(20));
                }
              }
            }
          }
          writer.write(group);
        }
      }
      storage.newOutputFile(location).write(Files.readAllBytes(scratch));
      Files.delete(scratch);
      inputs.add(
          new MergeInput(
              storage.newInputFile(location),
              Footer.read(storage.newInputFile(location)).layout(),
              java.util.Optional.empty()));
    }
    return inputs;
  }
}
