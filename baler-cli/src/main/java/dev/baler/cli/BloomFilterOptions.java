package dev.baler.cli;

import dev.baler.parquet.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --bloom-filter} options of the commands that write compacted files. */
final class BloomFilterOptions {
  @Option(
      names = "--bloom-filter",
      paramLabel = "COLUMN",
      description =
          "write a bloom filter of this leaf column (a dotted path such as trace_id or location.lat)"
              + " in every row group; repeatable (default: none)")
  List<String> columns = new ArrayList<>();

  @Option(
      names = "--bloom-filter-fpp",
      paramLabel = "P",
      defaultValue = "0.01",
      description =
          "false positive probability bloom filters are sized for, from the distinct values of"
              + " each column chunk, up to 1 MiB (default: ${DEFAULT-VALUE})")
  double fpp;

  /** Sets the bloom filter columns and probability on {@code builder}. */
  WriteOptions.Builder applyTo(WriteOptions.Builder builder) {
    return builder.bloomFilterColumns(columns).bloomFilterFpp(fpp);
  }
}
