package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Snappy pages decompressed by snappy-java read back as parquet-java's own codec writes them. */
class PageCodecsTest {
  private final CompressionCodecFactory codecs = ParquetRuntime.newCodecFactory();
  private final BytesInputDecompressor snappy = codecs.getDecompressor(CompressionCodecName.SNAPPY);

  @AfterEach
  void release() {
    codecs.release();
  }

  @Test
  void decompress_givesBackWhatParquetJavasCompressorWrote() throws IOException {
    byte[] page = new byte[100_000];
    Random random = new Random(7);
    for (int i = 0; i < page.length; i++) {
      page[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : i / 100);
    }
    byte[] compressed =
        codecs
            .getCompressor(CompressionCodecName.SNAPPY)
            .compress(BytesInput.from(page))
            .toByteArray();

    assertThat(snappy.decompress(BytesInput.from(compressed), page.length).toByteArray())
        .isEqualTo(page);
    ByteBuffer into = ByteBuffer.allocate(page.length);
    snappy.decompress(ByteBuffer.wrap(compressed), compressed.length, into, page.length);
    assertThat(into.position()).isEqualTo(page.length);
    assertThat(into.array()).isEqualTo(page);
  }

  @Test
  void decompress_readsAnEmptySectionAsNoBytes() throws IOException {
    // the values of an all-null V2 page, stored as no bytes though marked compressed
    assertThat(snappy.decompress(BytesInput.empty(), 0).size()).isZero();
    ByteBuffer into = ByteBuffer.allocate(0);
    snappy.decompress(ByteBuffer.allocate(0), 0, into, 0);
    assertThat(into.position()).isZero();
  }

  @Test
  void decompress_refusesAPageOfAnotherSizeThanItsHeaderSays() throws IOException {
    byte[] compressed =
        codecs
            .getCompressor(CompressionCodecName.SNAPPY)
            .compress(BytesInput.from(new byte[1000]))
            .toByteArray();

    assertThatThrownBy(() -> snappy.decompress(BytesInput.from(compressed), 999))
        .isInstanceOf(IOException.class)
        .hasMessage("Invalid snappy page: it decompresses to 1000 bytes, its header says 999");
  }
}
