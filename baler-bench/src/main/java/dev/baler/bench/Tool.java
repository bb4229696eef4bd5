package dev.baler.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A program the end-to-end benchmark runs: Baler itself or one of its peers. */
enum Tool {
  /** The baler CLI through its launcher, {@code ./baler compact ...}. */
  BALER("baler"),
  /** polars: {@code scan_parquet(...).sink_parquet(...)}, streaming. */
  POLARS("polars"),
  /** DuckDB: {@code COPY (SELECT * FROM read_parquet(...)) TO ...}. */
  DUCKDB("duckdb"),
  /** pyarrow's dataset writer: {@code pyarrow.dataset.write_dataset}. */
  PYARROW_DATASET("pyarrow-dataset"),
  /** The seeds' own approach: record batches streamed into a pyarrow {@code ParquetWriter}. */
  PYARROW_STREAM("pyarrow-stream");

  private final String label;

  Tool(String label) {
    this.label = label;
  }

  /** The name used on the command line and in reports, such as {@code pyarrow-dataset}. */
  String label() {
    return label;
  }

  /** Whether this is a peer, run through {@code peers.py}, rather than Baler. */
  boolean isPeer() {
    return this != BALER;
  }

  /**
   * Whether a file at {@code relativePath} below where this tool wrote (its output directory, or
   * for baler the compacted directory itself) is one of its outputs: baler's {@code *.c.parquet}
   * outside {@code _baler/}, a peer's {@code *.parquet}.
   */
  boolean isOutput(String relativePath) {
    return this == BALER
        ? relativePath.endsWith(".c.parquet") && !relativePath.startsWith("_baler/")
        : relativePath.endsWith(".parquet");
  }

  /**
   * The tool with this label.
   *
   * @throws IllegalArgumentException if no tool has it
   */
  static Tool of(String label) {
    for (Tool tool : values()) {
      if (tool.label.equals(label)) {
        return tool;
      }
    }
    throw new IllegalArgumentException(
        "Invalid tool '"
            + label
            + "': expected one of "
            + Arrays.stream(values()).map(Tool::label).collect(Collectors.joining(", ")));
  }
}
