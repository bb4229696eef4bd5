package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

/** {@link ColumnHasher#checkPage}: the check of carried pages that are verified by their bytes. */
class ColumnHasherCheckTest {
  /** Optional within optional: definition levels 0 to 2. */
  private static final ColumnDescriptor NESTED =
      column("message m { optional group g { optional int32 v; } }");

  private static final ColumnDescriptor NAME = column("message m { optional binary name; }");
  private static final ColumnDescriptor BIG = column("message m { required int64 big; }");

  @Test
  void checkPage_countsTheRowsOfAPageThatDecodes() {
    // levels 2, 1, 2: two values present
    byte[] page = page(levels(2, 1, 2), new byte[8]);

    assertThat(checker(NESTED).checkPage(page, 0, page.length, 3, 5)).isEqualTo(8);
  }

  @Test
  void checkPage_refusesLevelsPastTheColumnsMaximum() {
    byte[] page = page(levels(2, 3), new byte[8]);

    assertThatThrownBy(() -> checker(NESTED).checkPage(page, 0, page.length, 2, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3");
  }

  @Test
  void checkPage_refusesValuesThatRunPastThePage() {
    byte[] short1 = page(levels(2, 2), new byte[7]);
    byte[] strings = page(levels(1, 1), new byte[] {2, 0, 0, 0, 'a', 'b', 3, 0, 0, 0, 'c', 'd'});
    byte[] numbers = new byte[15];

    assertThatThrownBy(() -> checker(NESTED).checkPage(short1, 0, short1.length, 2, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run past its end");
    assertThatThrownBy(() -> checker(NAME).checkPage(strings, 0, strings.length, 2, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run past its end");
    assertThatThrownBy(() -> checker(BIG).checkPage(numbers, 0, numbers.length, 2, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run past its end");
    assertThat(checker(BIG).checkPage(numbers, 0, 16 - 1 - 7, 1, 0)).isEqualTo(1);
  }

  private static ColumnHasher checker(ColumnDescriptor column) {
    return ColumnHasher.forChunk(column, 0, null, new PageBuffer());
  }

  private static ColumnDescriptor column(String schema) {
    return MessageTypeParser.parseMessageType(schema).getColumns().get(0);
  }

  /**
   * RLE-encoded levels as a V1 page holds them: their length in 4 bytes, then one run of one value
   * for each level (one byte per value, as for any maximum level below 256).
   */
  private static byte[] levels(int... levels) {
    ByteArrayOutputStream runs = new ByteArrayOutputStream();
    for (int level : levels) {
      runs.write(1 << 1); // a run of one value
      runs.write(level);
    }
    byte[] bytes = runs.toByteArray();
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    for (int shift = 0; shift < 32; shift += 8) {
      page.write(bytes.length >>> shift);
    }
    page.writeBytes(bytes);
    return page.toByteArray();
  }

  private static byte[] page(byte[] levels, byte[] values) {
    byte[] page = new byte[levels.length + values.length];
    System.arraycopy(levels, 0, page, 0, levels.length);
    System.arraycopy(values, 0, page, levels.length, values.length);
    return page;
  }
}
