package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Checks that a merge's walk of a footer ({@link FooterLayouts#readInput}) gives what {@link
 * InputFooter#of} takes from parquet-java's reading of the same footer.
 */
final class InputFooterChecks {
  private InputFooterChecks() {}

  /** The codecs an output is checked with: a file's own decides which chunks may be carried. */
  static final CompressionCodecName[] OUTPUT_CODECS = {
    CompressionCodecName.SNAPPY, CompressionCodecName.UNCOMPRESSED, CompressionCodecName.ZSTD
  };

  /**
   * Asserts the contract of {@link FooterLayouts#readInput} for the file: empty, or what {@link
   * InputFooter#of} gives of {@code footer} for each of {@link #OUTPUT_CODECS}.
   *
   * @param footer {@link Footer#read} of the file; null if it refuses the file, which the walk must
   *     then leave to it
   * @return whether the walk read the file
   */
  static boolean assertReadsAsParquetJava(byte[] file, Footer footer, String name) {
    // in a longer array, as an opening thread's scratch holds a file, overwritten once read:
    // nothing read may refer to it
    byte[] scratch = Arrays.copyOf(file, file.length + 100);
    Arrays.fill(scratch, file.length, scratch.length, (byte) 0x55);
    boolean read = false;
    for (CompressionCodecName codec : OUTPUT_CODECS) {
      Optional<InputFooter> walked = new FooterLayouts().readInput(scratch, file.length, codec);
      if (walked.isEmpty()) {
        continue;
      }
      read = true;
      Arrays.fill(scratch, 0, file.length, (byte) 0x33);
      String described = described(walked.get());
      System.arraycopy(file, 0, scratch, 0, file.length);
      assertThat(footer).as("%s: Footer.read refuses what the walk read", name).isNotNull();
      InputFooter expected =
          InputFooter.of(footer, footer.schema().getColumns(), footer.schemaKey(), codec);
      assertThat(described).as("%s, output %s", name, codec).isEqualTo(described(expected));
    }
    return read;
  }

  /** Everything an input footer holds, chunk by chunk, statistics and their bounds included. */
  static String described(InputFooter footer) {
    StringBuilder text = new StringBuilder();
    text.append(footer.schema())
        .append(footer.columns())
        .append(footer.layout())
        .append('\n')
        .append(footer.createdBy())
        .append(new TreeMap<>(footer.keyValueMetadata()))
        .append('\n');
    InputChunks chunks = footer.chunks();
    text.append(chunks.rowGroups()).append(" row groups\n");
    for (int rowGroup = 0; rowGroup < chunks.rowGroups(); rowGroup++) {
      for (int column = 0; column < footer.columns().size(); column++) {
        text.append(
            String.join(
                " ",
                "start=" + chunks.start(rowGroup, column),
                "size=" + chunks.size(rowGroup, column),
                "values=" + chunks.values(rowGroup, column),
                "dictionary=" + chunks.dictionaryPageBytes(rowGroup, column),
                "index=" + chunks.columnIndexOffset(rowGroup, column),
                "+" + chunks.columnIndexLength(rowGroup, column),
                "codec=" + chunks.codec(rowGroup, column),
                "carry=" + chunks.carryCandidate(rowGroup, column),
                "merge=" + chunks.mergeCandidate(rowGroup, column)));
        Statistics<?> statistics =
            chunks.statistics(rowGroup, column, footer.columns().get(column).getPrimitiveType());
        if (statistics != null) {
          text.append(" stats=")
              .append(statistics)
              .append(" nulls=")
              .append(statistics.getNumNulls())
              .append(" nan=")
              .append(statistics.isNanCountSet() ? statistics.getNanCount() : "unset")
              .append(" min=")
              .append(Arrays.toString(statistics.getMinBytes()))
              .append(" max=")
              .append(Arrays.toString(statistics.getMaxBytes()));
        }
        text.append('\n');
      }
    }
    return text.toString();
  }
}
