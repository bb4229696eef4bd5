package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A row fingerprint is a stable function of the rows: a journal record keeps the fingerprint of a
 * verified output, and the recovery of a killed run, perhaps by a newer Baler, compares the
 * output's fingerprint with it. A change of the hash functions, or of how a value is folded into
 * its row, must fail here; the figures were computed by the fingerprint as first released.
 */
class RowFingerprintTest {
  @ParameterizedTest
  @CsvSource({
    "false, PARQUET_1_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f",
    "true, PARQUET_1_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f",
    "true, PARQUET_2_0, rows=3000 cd8cc51e78895483:b90c19b23fd6805f"
  })
  void of_givesTheSameFingerprintAsEveryEarlierVersion(
      boolean dictionary, WriterVersion version, String expected) throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location location = Location.of("memory://test/wide.parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(ColumnHasherTest.SCHEMA)
            .withDictionaryEncoding(dictionary)
            .withWriterVersion(version)
            .withPageSize(4096)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
      for (int i = 0; i < 3000; i++) {
        writer.write(ColumnHasherTest.row(groups, i));
      }
    }

    assertThat(RowFingerprint.of(storage.newInputFile(location))).hasToString(expected);
  }
}
