package dev.baler.parquet;

import static org.apache.parquet.column.Encoding.BIT_PACKED;
import static org.apache.parquet.column.Encoding.PLAIN;
import static org.apache.parquet.column.Encoding.RLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

class PageDigestTest {
  private static final byte[] PAGES = "first page, second page".getBytes();
  private static final ColumnDescriptor COLUMN = column("message m { optional int64 reading; }");

  @Test
  void digest_dependsOnTheColumnAsTheSchemaGivesIt() {
    Set<String> digests = new HashSet<>();
    for (String schema :
        List.of(
            "message m { optional int64 reading; }",
            "message m { optional double reading; }",
            "message m { required int64 reading; }",
            "message m { optional int64 value; }",
            "message m { optional int64 reading (TIMESTAMP(MILLIS, true)); }",
            "message m { optional group g { optional int64 reading; } }")) {
      PageDigest digest = new PageDigest(column(schema), CompressionCodecName.SNAPPY);
      digest.addPage(PAGES, 0, 10, 5, 10, RLE, RLE, PLAIN);
      digests.add(digest.lane1() + ":" + digest.lane2());
    }

    assertThat(digests).hasSize(6);
  }

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
    PageDigest inOrder = new PageDigest(COLUMN, CompressionCodecName.SNAPPY);
    inOrder.addPage(PAGES, 0, 10, 5, 10, RLE, RLE, PLAIN);
    inOrder.addPage(PAGES, 12, 11, 5, 11, RLE, RLE, PLAIN);
    PageDigest reversed = new PageDigest(COLUMN, CompressionCodecName.SNAPPY);
    reversed.addPage(PAGES, 12, 11, 5, 11, RLE, RLE, PLAIN);
    reversed.addPage(PAGES, 0, 10, 5, 10, RLE, RLE, PLAIN);
    byte[] copy = new byte[40];
    System.arraycopy(PAGES, 0, copy, 17, PAGES.length);
    PageDigest elsewhere = new PageDigest(COLUMN, CompressionCodecName.SNAPPY);
    elsewhere.addPage(copy, 17, 10, 5, 10, RLE, RLE, PLAIN);
    elsewhere.addPage(copy, 29, 11, 5, 11, RLE, RLE, PLAIN);

    assertThat(reversed.lane1()).isNotEqualTo(inOrder.lane1());
    assertThat(reversed.lane2()).isNotEqualTo(inOrder.lane2());
    assertThat(elsewhere.lane1()).isEqualTo(inOrder.lane1());
    assertThat(elsewhere.lane2()).isEqualTo(inOrder.lane2());
  }

  private static ColumnDescriptor column(String schema) {
    return MessageTypeParser.parseMessageType(schema).getColumns().get(0);
  }

  private static String digest(
      CompressionCodecName codec,
      int length,
      int offset,
      int values,
      int uncompressed,
      Encoding levels,
      Encoding valueEncoding) {
    PageDigest digest = new PageDigest(COLUMN, codec);
    digest.addPage(PAGES, offset, length, values, uncompressed, levels, levels, valueEncoding);
    return digest.lane1() + ":" + digest.lane2();
  }
}
