package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HybridEncoderTest {
  private final HybridEncoder encoder = new HybridEncoder();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 24, 31, 32})
  void encode_givesWhatParquetJavasDecoderAndOursReadBack(int bitWidth) throws IOException {
    Random random = new Random(bitWidth);
    for (int trial = 0; trial < 50; trial++) {
      int[] values = values(random, bitWidth, random.nextInt(3_000));

      encoder.encode(values, values.length, bitWidth);

      assertThat(decodeWithParquetJava(bitWidth, values.length)).containsExactly(values);
      int[] ours = new int[values.length];
      new HybridDecoder(encoder.bytes(), 0, encoder.size(), bitWidth).read(ours, values.length);
      assertThat(ours).containsExactly(values);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 20})
  void encode_takesNoMoreBytesThanParquetJavasEncoderGiveOrTakeAHeader(int bitWidth)
      throws IOException {
    Random random = new Random(31 + bitWidth);
    for (int trial = 0; trial < 20; trial++) {
      int[] values = values(random, bitWidth, 20_000);

      int ours = encoder.encode(values, values.length, bitWidth).size();

      try (RunLengthBitPackingHybridEncoder parquet =
          new RunLengthBitPackingHybridEncoder(
              bitWidth, 1024, 1 << 20, HeapByteBufferAllocator.getInstance())) {
        for (int value : values) {
          parquet.writeInt(value);
        }
        long theirs = parquet.toBytes().size();
        assertThat((long) ours).isLessThanOrEqualTo(theirs + theirs / 20 + 8);
      }
    }
  }

  /** Stretches of repeats (some shorter than an RLE run, some longer) between random values. */
  private static int[] values(Random random, int bitWidth, int count) {
    long bound = 1L << bitWidth;
    int[] values = new int[count];
    int i = 0;
    while (i < count) {
      int value = (int) (random.nextLong() & (bound - 1));
      int length = random.nextInt(4) == 0 ? 1 + random.nextInt(40) : 1;
      for (int end = Math.min(count, i + length); i < end; i++) {
        values[i] = value;
      }
    }
    return values;
  }

  private int[] decodeWithParquetJava(int bitWidth, int count) throws IOException {
    RunLengthBitPackingHybridDecoder decoder =
        new RunLengthBitPackingHybridDecoder(
            bitWidth,
            ByteBufferInputStream.wrap(ByteBuffer.wrap(encoder.bytes(), 0, encoder.size())));
    int[] decoded = new int[count];
    for (int i = 0; i < count; i++) {
      decoded[i] = decoder.readInt();
    }
    return decoded;
  }
}
