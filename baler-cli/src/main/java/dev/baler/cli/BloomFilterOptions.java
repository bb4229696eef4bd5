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
      description =
          "false positive probability bloom filters are sized for, from the distinct values of"
              + " each column chunk, up to 1 MiB (default: "
              + WriteOptions.DEFAULT_BLOOM_FILTER_FPP
              + ")")
  Double fpp;

  /** Sets the bloom filter columns and probability of the flags on {@code builder}. */
  WriteOptions.Builder applyTo(WriteOptions.Builder builder) {
    return applyTo(builder, null, null);
  }

  /**
   * Sets the bloom filter columns and probability on {@code builder}: the flags' where given, else
   * a config file's, else the defaults.
   *
   * @param configuredColumns the config file's columns, or null
   * @param configuredFpp the config file's probability, or null
   */
  WriteOptions.Builder applyTo(
      WriteOptions.Builder builder, List<String> configuredColumns, Double configuredFpp) {
    List<String> chosen =
        !columns.isEmpty() || configuredColumns == null ? columns : configuredColumns;
    double probability =
        fpp != null
            ? fpp
            : configuredFpp != null ? configuredFpp : WriteOptions.DEFAULT_BLOOM_FILTER_FPP;
    return builder.bloomFilterColumns(chosen).bloomFilterFpp(probability);
  }
}
