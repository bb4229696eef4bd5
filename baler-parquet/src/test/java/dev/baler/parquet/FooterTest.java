package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;

class FooterTest {
  private final MemoryStorage storage = new MemoryStorage();

  @Test
  void read_refusesAnInputWhoseCodecIsNotAvailable() throws IOException {
    Location directory = Location.of("memory://test/in/");
    TelemetryDataset.builder()
        .files(1)
        .rowsPerFile(20)
        .threads(1)
        .build()
        .write(storage, directory);
    Location original = storage.list(directory).toList().get(0).location();
    Location lzo = directory.resolve("lzo.parquet");
    storage.newOutputFile(lzo).write(withCodec(storage.bytes(original), CompressionCodec.LZO));

    assertThatThrownBy(() -> Footer.read(storage.newInputFile(lzo)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageStartingWith(
            "Cannot read memory://test/in/lzo.parquet: unsupported codec lzo: lzo needs the"
                + " GPL-licensed hadoop-lzo library");
    assertThat(Footer.read(storage.newInputFile(original)).codecs()).containsExactly(Codec.SNAPPY);
  }

  /** The same file with its footer saying every column chunk uses {@code codec}. */
  private static byte[] withCodec(byte[] file, CompressionCodec codec) throws IOException {
    int footerLength =
        ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = file.length - 8 - footerLength;
    FileMetaData metadata =
        Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));
    for (RowGroup rowGroup : metadata.getRow_groups()) {
      for (ColumnChunk column : rowGroup.getColumns()) {
        column.getMeta_data().setCodec(codec);
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(metadata, footer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(file, footerStart));
    out.write(footer.toByteArray());
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
