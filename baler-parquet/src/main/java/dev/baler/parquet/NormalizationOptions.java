package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

/**
 * How {@link ParquetNormalizer} writes: the write options (codec, row-group size; data pages are
 * always V1 with statistics), what happens to unsigned 64-bit values, and the rows per batch.
 * Immutable and thread-safe; made by {@link #builder()}.
 */
public final class NormalizationOptions {
  /** Rows per batch unless set: 65,536, as the seed's Arrow record batches. */
  public static final int DEFAULT_BATCH_ROWS = 65_536;

  private final WriteOptions writeOptions;
  private final Uint64Handling uint64Handling;
  private final int batchRows;

  private NormalizationOptions(Builder builder) {
    this.writeOptions = builder.writeOptions;
    this.uint64Handling = builder.uint64Handling;
    this.batchRows = builder.batchRows;
  }

  /** A builder with the defaults: {@link WriteOptions#defaults()}, refuse, 65,536 rows. */
  public static Builder builder() {
    return new Builder();
  }

  /** The options with every default. */
  public static NormalizationOptions defaults() {
    return builder().build();
  }

  /**
   * How outputs are written: codec, most rows per row group ({@link WriteOptions#rowGroupRows()}),
   * most buffered bytes per row group ({@link WriteOptions#rowGroupBytes()}), page size and
   * dictionary encoding.
   */
  public WriteOptions writeOptions() {
    return writeOptions;
  }

  /** What happens to unsigned 64-bit columns. */
  public Uint64Handling uint64Handling() {
    return uint64Handling;
  }

  /**
   * Rows converted between two progress reports. Rows stream one at a time from reader to writer,
   * so this does not bound memory (the writer's row-group buffer does).
   */
  public int batchRows() {
    return batchRows;
  }

  /** Builds {@link NormalizationOptions}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private WriteOptions writeOptions = WriteOptions.defaults();
    private Uint64Handling uint64Handling = Uint64Handling.REFUSE;
    private int batchRows = DEFAULT_BATCH_ROWS;

    private Builder() {}

    /** Sets how outputs are written. */
    public Builder writeOptions(WriteOptions options) {
      this.writeOptions = requireNonNull(options, "options is null");
      return this;
    }

    /** Sets what happens to unsigned 64-bit columns. */
    public Builder uint64Handling(Uint64Handling handling) {
      this.uint64Handling = requireNonNull(handling, "handling is null");
      return this;
    }

    /** Sets the rows per batch; between 1 and 16,777,216. */
    public Builder batchRows(int rows) {
      if (rows < 1 || rows > (1 << 24)) {
        throw new IllegalArgumentException(
            "Invalid batch size " + rows + ": must be between 1 and 16777216 rows");
      }
      this.batchRows = rows;
      return this;
    }

    /** The options. */
    public NormalizationOptions build() {
      return new NormalizationOptions(this);
    }
  }
}
