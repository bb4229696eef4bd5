package dev.baler.parquet;

import static org.apache.parquet.column.Encoding.BIT_PACKED;
import static org.apache.parquet.column.Encoding.PLAIN;
import static org.apache.parquet.column.Encoding.RLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

class PageDigestTest {
  private static final byte[] PAGES = "first page, second page".getBytes();

  @Test
  void digest_dependsOnEveryPartOfAPageAReaderUses() {
    Set<String> digests = new HashSet<>();
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 0, 11, 20, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.ZSTD, 10, 0, 11, 20, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 11, 0, 11, 20, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 1, 11, 20, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 0, 10, 20, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 0, 11, 21, RLE, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 0, 11, 20, BIT_PACKED, PLAIN));
    digests.add(digest(CompressionCodecName.SNAPPY, 10, 0, 11, 20, RLE, RLE));

    assertThat(digests).as("codec, bytes, values, size, encodings each count").hasSize(8);
  }

  @Test
  void digest_dependsOnTheOrderOfPagesAndOnBytesNotArrays() {
    PageDigest inOrder = new PageDigest(CompressionCodecName.SNAPPY);
    inOrder.addPage(PAGES, 0, 10, 5, 10, RLE, RLE, PLAIN);
    inOrder.addPage(PAGES, 12, 11, 5, 11, RLE, RLE, PLAIN);
    PageDigest reversed = new PageDigest(CompressionCodecName.SNAPPY);
    reversed.addPage(PAGES, 12, 11, 5, 11, RLE, RLE, PLAIN);
    reversed.addPage(PAGES, 0, 10, 5, 10, RLE, RLE, PLAIN);
    byte[] copy = new byte[40];
    System.arraycopy(PAGES, 0, copy, 17, PAGES.length);
    PageDigest elsewhere = new PageDigest(CompressionCodecName.SNAPPY);
    elsewhere.addPage(copy, 17, 10, 5, 10, RLE, RLE, PLAIN);
    elsewhere.addPage(copy, 29, 11, 5, 11, RLE, RLE, PLAIN);

    assertThat(reversed.lane1()).isNotEqualTo(inOrder.lane1());
    assertThat(reversed.lane2()).isNotEqualTo(inOrder.lane2());
    assertThat(elsewhere.lane1()).isEqualTo(inOrder.lane1());
    assertThat(elsewhere.lane2()).isEqualTo(inOrder.lane2());
  }

  private static String digest(
      CompressionCodecName codec,
      int length,
      int offset,
      int values,
      int uncompressed,
      Encoding levels,
      Encoding valueEncoding) {
    PageDigest digest = new PageDigest(codec);
    digest.addPage(PAGES, offset, length, values, uncompressed, levels, levels, valueEncoding);
    return digest.lane1() + ":" + digest.lane2();
  }
}
