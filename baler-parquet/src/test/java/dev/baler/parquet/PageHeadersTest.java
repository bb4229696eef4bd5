package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/** Page headers read from an array are the headers parquet-java reads from a stream. */
class PageHeadersTest {
  @Test
  void read_givesParquetJavasHeaderAndThePositionAfterIt() throws IOException {
    byte[] bytes = twoHeaders();
    PageHeader expected = Util.readPageHeader(new ByteArrayInputStream(bytes));
    int firstLength = serialized(header(100, 7)).length;

    PageHeader first = new PageHeader();
    int next = PageHeaders.read(bytes, 0, bytes.length, first);
    PageHeader second = new PageHeader();
    int end = PageHeaders.read(bytes, next, bytes.length, second);

    assertThat(first).isEqualTo(expected);
    assertThat(next).isEqualTo(firstLength);
    assertThat(second).isEqualTo(header(2000, 40));
    assertThat(end).isEqualTo(bytes.length);
  }

  @Test
  void read_givesStatisticsWhoseBoundsParquetJavaConvertsAsFromAStream() throws IOException {
    byte[] bytes = twoHeaders();
    PageHeader second = new PageHeader();
    PageHeaders.read(
        bytes, PageHeaders.read(bytes, 0, bytes.length, new PageHeader()), bytes.length, second);
    PrimitiveType type = Types.optional(PrimitiveType.PrimitiveTypeName.BINARY).named("label");

    // parquet-java takes a bound's whole backing array (ByteBuffer.array()), which for a header
    // read in place would be the page's whole chunk
    org.apache.parquet.column.statistics.Statistics<?> statistics =
        new ParquetMetadataConverter()
            .fromParquetStatistics(
                "parquet-mr version 1.18.1", second.getData_page_header().getStatistics(), type);

    assertThat(statistics.getMinBytes()).containsExactly(1, 2);
    assertThat(statistics.getMaxBytes()).containsExactly(9, 9, 9);
  }

  @Test
  void read_reportsAHeaderCutShortAsCorruptData() throws IOException {
    byte[] bytes = serialized(header(100, 7));

    assertThatThrownBy(() -> PageHeaders.read(bytes, 0, bytes.length - 3, new PageHeader()))
        .isInstanceOfSatisfying(
            IOException.class,
            e -> assertThat(ParquetRuntime.isCorruptData(e)).as("corrupt data").isTrue());
  }

  private static byte[] twoHeaders() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(serialized(header(100, 7)));
    out.write(serialized(header(2000, 40)));
    return out.toByteArray();
  }

  private static PageHeader header(int values, int size) {
    DataPageHeader data =
        new DataPageHeader(values, Encoding.PLAIN, Encoding.RLE, Encoding.RLE)
            .setStatistics(
                new Statistics()
                    .setNull_count(3)
                    .setMin_value(new byte[] {1, 2})
                    .setMax_value(new byte[] {9, 9, 9}));
    PageHeader header = new PageHeader(PageType.DATA_PAGE, size * 2, size);
    header.setData_page_header(data);
    header.setCrc(12345);
    return header;
  }

  private static byte[] serialized(PageHeader header) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Util.writePageHeader(header, out);
    return out.toByteArray();
  }
}
