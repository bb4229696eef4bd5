package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.column.ParquetProperties;

/**
 * How the merge engine writes Parquet: codec, row-group and page sizes, dictionary encoding, bloom
 * filters. Immutable and thread-safe; made by {@link #builder()}.
 *
 * <p>Defaults: snappy; row groups of at most 131,072 rows (DuckDB writes 122,880) and at most 64
 * MiB of input data; 1 MiB pages; dictionary encoding with 1 MiB dictionary pages; data pages V1
 * with statistics and page indexes, which every reader (Snowflake, Impala, Spark, DuckDB) loads; no
 * bloom filters.
 */
public final class WriteOptions {
  /**
   * Rows per row group unless set: 131,072. Large enough that readers' per-row-group costs vanish
   * (DuckDB writes 122,880), small enough that a merge's memory stays low: measured on the
   * reference data set, 1,048,576-row row groups cost a third more CPU (more garbage collection of
   * larger buffers) and 30% more peak memory.
   */
  public static final long DEFAULT_ROW_GROUP_ROWS = 1 << 17;

  /** Input bytes per row group unless set: 64 MiB, which bounds the memory one merge holds. */
  public static final long DEFAULT_ROW_GROUP_BYTES = 64L << 20;

  /** Page size unless set: 1 MiB, as parquet-java's writer. */
  public static final int DEFAULT_PAGE_BYTES = 1 << 20;

  /**
   * Carried pages that average fewer uncompressed bytes than this are joined unless set: 8 KiB (see
   * {@link PageCoalescer}). Above it the codec gains little from joining; and the 2,000-row pages
   * of the reference data set (16 KiB and more) are carried as they are, at no cost.
   */
  public static final int DEFAULT_SMALL_PAGE_BYTES = 8 << 10;

  /** False positive probability of bloom filters unless set: 0.01, as parquet-java's. */
  public static final double DEFAULT_BLOOM_FILTER_FPP = 0.01;

  /** The most bytes of one column chunk's bloom filter: 1 MiB, as parquet-java's writer. */
  public static final int MAX_BLOOM_FILTER_BYTES = 1 << 20;

  private final Codec codec;
  private final long rowGroupRows;
  private final long rowGroupBytes;
  private final int pageBytes;
  private final int smallPageBytes;
  private final boolean dictionaryEncoding;
  private final boolean stringDictionaries;
  private final Pages pages;
  private final Set<String> bloomFilterColumns;
  private final double bloomFilterFpp;

  /** How the merge writes the pages of an output column chunk. */
  public enum Pages {
    /**
     * Copy the input chunks' pages as stored, compressed, wherever every input chunk of the output
     * column chunk allows it (same codec, no dictionary, V1 data pages; see the README), and
     * re-encode the other column chunks. The default.
     */
    CARRY_OVER,
    /** Decode every value and encode it again, into pages of {@link #pageBytes()}. */
    REENCODE
  }

  private WriteOptions(Builder builder) {
    this.codec = builder.codec;
    this.rowGroupRows = builder.rowGroupRows;
    this.rowGroupBytes = builder.rowGroupBytes;
    this.pageBytes = builder.pageBytes;
    this.smallPageBytes = builder.smallPageBytes;
    this.dictionaryEncoding = builder.dictionaryEncoding;
    this.stringDictionaries = builder.stringDictionaries;
    this.pages = builder.pages;
    this.bloomFilterColumns = Set.copyOf(builder.bloomFilterColumns);
    this.bloomFilterFpp = builder.bloomFilterFpp;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The options with every default. */
  public static WriteOptions defaults() {
    return builder().build();
  }

  /** The codec of every column chunk written. */
  public Codec codec() {
    return codec;
  }

  /**
   * The most rows a row group gets. The engine never splits an input row group, so an input row
   * group larger than this becomes an output row group of its own.
   */
  public long rowGroupRows() {
    return rowGroupRows;
  }

  /**
   * The most input bytes (compressed, as stored) gathered into one row group; this bounds the
   * memory a merge holds: the inputs of one output row group are held in memory while it is
   * written.
   */
  public long rowGroupBytes() {
    return rowGroupBytes;
  }

  /** The target size of a data page, in bytes before compression. */
  public int pageBytes() {
    return pageBytes;
  }

  /**
   * Carried pages whose uncompressed bytes average less than this, over an output column chunk, are
   * joined into pages of up to {@link #pageBytes()}; 0 when every carried page is written as
   * stored.
   */
  public int smallPageBytes() {
    return smallPageBytes;
  }

  /** Whether columns are dictionary-encoded while their dictionary stays under a page. */
  public boolean dictionaryEncoding() {
    return dictionaryEncoding;
  }

  /**
   * Whether columns of byte strings whose input chunks are all plain get a dictionary where their
   * values repeat (at most a quarter of them distinct in an output row group, the dictionary under
   * a page), rather than their pages carried as stored; with {@link #dictionaryEncoding()} only. On
   * the reference data set written without dictionaries, outputs came out 14% smaller (0.98 of
   * DuckDB's bytes, against 1.13), for about 18% more wall time and 25% more CPU time.
   */
  public boolean stringDictionaries() {
    return stringDictionaries;
  }

  /** How pages are written: carried over where the inputs allow, or always re-encoded. */
  public Pages pages() {
    return pages;
  }

  /**
   * The leaf columns, as dotted paths such as {@code location.lat}, whose column chunks get a
   * split-block bloom filter in every row group; empty unless set. A column the file being written
   * does not have is ignored.
   */
  public Set<String> bloomFilterColumns() {
    return bloomFilterColumns;
  }

  /**
   * The false positive probability bloom filters are sized for, from the distinct values of their
   * column chunk, up to {@link #MAX_BLOOM_FILTER_BYTES}.
   */
  public double bloomFilterFpp() {
    return bloomFilterFpp;
  }

  ParquetProperties parquetProperties() {
    return parquetProperties(dictionaryEncoding);
  }

  /** The properties with dictionary encoding as given, for a column the merge judged. */
  ParquetProperties parquetProperties(boolean dictionary) {
    return ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withPageSize(pageBytes)
        .withDictionaryPageSize(pageBytes)
        .withDictionaryEncoding(dictionary)
        .withStatisticsEnabled(true)
        .build();
  }

  @Override
  public String toString() {
    return "WriteOptions{codec="
        + codec.displayName()
        + ", rowGroupRows="
        + rowGroupRows
        + ", rowGroupBytes="
        + rowGroupBytes
        + ", pageBytes="
        + pageBytes
        + ", smallPageBytes="
        + smallPageBytes
        + ", dictionaryEncoding="
        + dictionaryEncoding
        + ", stringDictionaries="
        + stringDictionaries
        + ", pages="
        + pages
        + ", bloomFilterColumns="
        + new TreeSet<>(bloomFilterColumns)
        + ", bloomFilterFpp="
        + bloomFilterFpp
        + "}";
  }

  /** Builds {@link WriteOptions}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private Codec codec = Codec.SNAPPY;
    private long rowGroupRows = DEFAULT_ROW_GROUP_ROWS;
    private long rowGroupBytes = DEFAULT_ROW_GROUP_BYTES;
    private int pageBytes = DEFAULT_PAGE_BYTES;
    private int smallPageBytes = DEFAULT_SMALL_PAGE_BYTES;
    private boolean dictionaryEncoding = true;
    private boolean stringDictionaries = true;
    private Pages pages = Pages.CARRY_OVER;
    private Set<String> bloomFilterColumns = Set.of();
    private double bloomFilterFpp = DEFAULT_BLOOM_FILTER_FPP;

    private Builder() {}

    /** Sets the codec. */
    public Builder codec(Codec codec) {
      this.codec = requireNonNull(codec, "codec is null");
      return this;
    }

    /**
     * Sets the most rows per row group; between 1 and 16,777,216 (the merge keeps 16 bytes of
     * hashes per row of a row group in memory).
     */
    public Builder rowGroupRows(long rows) {
      if (rows < 1 || rows > (1 << 24)) {
        throw new IllegalArgumentException(
            "Invalid row group size " + rows + ": must be between 1 and 16777216 rows");
      }
      this.rowGroupRows = rows;
      return this;
    }

    /** Sets the most input bytes per row group; at least 1 MiB. */
    public Builder rowGroupBytes(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "Invalid row group bytes " + bytes + ": must be at least 1048576");
      }
      this.rowGroupBytes = bytes;
      return this;
    }

    /** Sets the page size in bytes; between 4 KiB and 64 MiB. */
    public Builder pageBytes(int bytes) {
      if (bytes < 4096 || bytes > (64 << 20)) {
        throw new IllegalArgumentException(
            "Invalid page size " + bytes + ": must be between 4096 and 67108864 bytes");
      }
      this.pageBytes = bytes;
      return this;
    }

    /**
     * Sets the average page size in bytes, uncompressed, under which carried pages are joined; 0
     * writes every carried page as stored. At most 64 MiB.
     */
    public Builder smallPageBytes(int bytes) {
      if (bytes < 0 || bytes > (64 << 20)) {
        throw new IllegalArgumentException(
            "Invalid small page size " + bytes + ": must be between 0 and 67108864 bytes");
      }
      this.smallPageBytes = bytes;
      return this;
    }

    /** Turns dictionary encoding on or off. */
    public Builder dictionaryEncoding(boolean enabled) {
      this.dictionaryEncoding = enabled;
      return this;
    }

    /**
     * Turns dictionaries for plain string columns that repeat on or off (see {@link
     * WriteOptions#stringDictionaries()}); on unless set.
     */
    public Builder stringDictionaries(boolean enabled) {
      this.stringDictionaries = enabled;
      return this;
    }

    /** Sets how pages are written; {@link Pages#CARRY_OVER} unless set. */
    public Builder pages(Pages pages) {
      this.pages = requireNonNull(pages, "pages is null");
      return this;
    }

    /**
     * Sets the leaf columns that get bloom filters, as dotted paths such as {@code trace_id} or
     * {@code location.lat}; none unless set.
     *
     * @throws IllegalArgumentException if a path is empty or has an empty part
     */
    public Builder bloomFilterColumns(Collection<String> columns) {
      for (String column : columns) {
        requireNonNull(column, "column is null");
        if (column.isEmpty()
            || column.startsWith(".")
            || column.endsWith(".")
            || column.contains("..")) {
          throw new IllegalArgumentException(
              "Invalid bloom filter column '"
                  + column
                  + "': expected a dotted leaf path such as location.lat");
        }
      }
      this.bloomFilterColumns = Set.copyOf(columns);
      return this;
    }

    /** Sets the false positive probability of bloom filters; above 0 and below 1. */
    public Builder bloomFilterFpp(double fpp) {
      if (!(fpp > 0 && fpp < 1)) {
        throw new IllegalArgumentException(
            "Invalid bloom filter false positive probability "
                + fpp
                + ": must be above 0 and below 1");
      }
      this.bloomFilterFpp = fpp;
      return this;
    }

    /** The options. */
    public WriteOptions build() {
      return new WriteOptions(this);
    }
  }
}
