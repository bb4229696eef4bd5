package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.NormalizationOptions;

/**
 * How a {@link Repack} runs: files rewritten at once, what happens to destinations that exist, and
 * how each file is written. Immutable and thread-safe; made by {@link #builder()}, whose setters
 * check their values at once.
 */
public final class RepackOptions {
  /** What a repack does with a destination file that already exists. */
  public enum Existing {
    /** Leave it and count its source as skipped, so that a rerun only retries what is missing. */
    SKIP,
    /** Write the source again, replacing it. */
    OVERWRITE
  }

  private final int workers;
  private final Existing existing;
  private final NormalizationOptions normalization;

  private RepackOptions(Builder builder) {
    this.workers = builder.workers;
    this.existing = builder.existing;
    this.normalization = builder.normalization;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Workers unless set: 4 per CPU, at most 32 (each streams one file at a time). */
  public static int defaultWorkers() {
    return Math.min(32, 4 * Runtime.getRuntime().availableProcessors());
  }

  /** Files rewritten at once. */
  public int workers() {
    return workers;
  }

  /** What happens to destination files that exist. */
  public Existing existing() {
    return existing;
  }

  /** How each file is normalised and written. */
  public NormalizationOptions normalization() {
    return normalization;
  }

  /** Builds {@link RepackOptions}. Not thread-safe. */
  public static final class Builder {
    private int workers = defaultWorkers();
    private Existing existing = Existing.SKIP;
    private NormalizationOptions normalization = NormalizationOptions.defaults();

    private Builder() {}

    /** Sets the files rewritten at once; between 1 and 256. */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 256) {
        throw new IllegalArgumentException(
            "Invalid number of workers " + workers + ": must be between 1 and 256");
      }
      this.workers = workers;
      return this;
    }

    /** Sets what happens to destination files that exist. */
    public Builder existing(Existing existing) {
      this.existing = requireNonNull(existing, "existing is null");
      return this;
    }

    /** Sets how each file is normalised and written. */
    public Builder normalization(NormalizationOptions normalization) {
      this.normalization = requireNonNull(normalization, "normalization is null");
      return this;
    }

    /** The options. */
    public RepackOptions build() {
      return new RepackOptions(this);
    }
  }
}
