package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table of distinct strings that dictionary-encodes plain string columns, against a {@link
 * HashMap}: a wrong index there would be written to the output and hashed into its fingerprint
 * alike, so verification would not catch it.
 */
class StringIndexesTest {
  @Test
  void indexOf_findsEveryStringAddedAndNoOther_acrossGrowthAndClears() {
    DictionaryMerge.StringIndexes table = new DictionaryMerge.StringIndexes();
    for (int round = 0; round < 12; round++) {
      Random random = new Random(round);
      List<byte[]> pool = pool(random, 1 + random.nextInt(3_000));
      // values as a plain page holds them, each after its length, drawn from the pool
      ByteArrayOutputStream page = new ByteArrayOutputStream();
      List<int[]> ranges = new ArrayList<>();
      for (int value = 0; value < 4 * pool.size(); value++) {
        byte[] string = pool.get(random.nextInt(pool.size()));
        page.writeBytes(
            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(string.length).array());
        ranges.add(new int[] {page.size(), string.length});
        page.writeBytes(string);
      }
      byte[] bytes = page.toByteArray(); // the last values end where the array does

      Map<ByteBuffer, Integer> expected = new HashMap<>();
      table.clear();
      for (int[] range : ranges) {
        byte[] string = Arrays.copyOfRange(bytes, range[0], range[0] + range[1]);
        Integer known = expected.get(ByteBuffer.wrap(string));
        int index = table.indexOf(bytes, range[0], range[1]);
        if (known == null) {
          assertThat(index).as("round %d: %s is new", round, Arrays.toString(string)).isEqualTo(-1);
          known = table.add(string);
          assertThat(known).isEqualTo(expected.size());
          expected.put(ByteBuffer.wrap(string), known);
        } else {
          assertThat(index).as("round %d: %s", round, Arrays.toString(string)).isEqualTo(known);
        }
      }
      assertThat(table.size()).isEqualTo(expected.size());
      // every entry is found from its own array too, as a page's last value is
      expected.forEach(
          (string, index) ->
              assertThat(table.indexOf(string.array(), 0, string.array().length)).isEqualTo(index));
    }
    // emptied, it knows none of them
    table.clear();
    assertThat(table.size()).isZero();
    assertThat(table.indexOf(new byte[0], 0, 0)).isEqualTo(-1);
    assertThat(table.indexOf("common-prefix-1".getBytes(), 0, 15)).isEqualTo(-1);
  }

  /**
   * Distinct strings of 0 to 40 bytes, a third of them sharing a prefix of 8 or 16 bytes (told
   * apart only after their first eight), with the lengths around eight that the table treats apart.
   */
  private static List<byte[]> pool(Random random, int size) {
    Map<ByteBuffer, byte[]> distinct = new HashMap<>();
    byte[][] prefixes = {"common-p".getBytes(), "common-prefix-16".getBytes()};
    while (distinct.size() < size) {
      int length = random.nextInt(5) == 0 ? 7 + random.nextInt(3) : random.nextInt(41);
      byte[] string = new byte[length];
      random.nextBytes(string);
      if (random.nextInt(3) == 0) {
        byte[] prefix = prefixes[random.nextInt(prefixes.length)];
        System.arraycopy(prefix, 0, string, 0, Math.min(prefix.length, length));
      }
      distinct.putIfAbsent(ByteBuffer.wrap(string), string);
    }
    return new ArrayList<>(distinct.values());
  }
}
