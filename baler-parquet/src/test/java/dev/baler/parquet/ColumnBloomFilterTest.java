package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;

class ColumnBloomFilterTest {
  @Test
  void build_sizesTheFilterForTheDistinctValues() {
    ColumnBloomFilter gathered = new ColumnBloomFilter(0.01, 1 << 20);
    for (int i = 0; i < 100_000; i++) {
      gathered.addNumber(i % 2_400, PrimitiveTypeName.INT64);
    }

    BloomFilter filter = gathered.build();

    assertThat(filter.getBitsetSize()).isEqualTo(4096);
    for (long value = 0; value < 2_400; value++) {
      assertThat(filter.findHash(filter.hash(value))).isTrue();
    }
  }

  @Test
  void build_givesTheLargestFilterOnceTheDistinctValuesNeedIt() {
    ColumnBloomFilter gathered = new ColumnBloomFilter(0.01, 1024);
    for (int i = 0; i < 20_000; i++) {
      byte[] value = ("v" + i).getBytes(StandardCharsets.UTF_8);
      gathered.addBytes(value, 0, value.length);
    }

    BloomFilter filter = gathered.build();

    assertThat(filter.getBitsetSize()).isEqualTo(1024);
    for (int i = 0; i < 20_000; i++) {
      assertThat(filter.findHash(filter.hash(Binary.fromString("v" + i)))).isTrue();
    }
  }

  @Test
  void addNumber_hashesAsParquetJavaDoes() {
    ColumnBloomFilter gathered = new ColumnBloomFilter(0.01, 1 << 20);
    gathered.addNumber(Float.floatToRawIntBits(-1.5f), PrimitiveTypeName.FLOAT);
    gathered.addNumber(Double.doubleToRawLongBits(2.25), PrimitiveTypeName.DOUBLE);
    gathered.addNumber(-7, PrimitiveTypeName.INT32);

    BloomFilter filter = gathered.build();

    assertThat(filter.findHash(filter.hash(-1.5f))).isTrue();
    assertThat(filter.findHash(filter.hash(2.25))).isTrue();
    assertThat(filter.findHash(filter.hash(-7))).isTrue();
  }
}
