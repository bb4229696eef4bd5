package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.MergeHelpers;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a compaction selects and how it writes. Immutable and thread-safe; made by {@link
 * #builder()}, whose setters check their values at once.
 */
public final class CompactionOptions {
  /** Target output size unless set: 104,857,600 bytes (100 MiB), as prestige. */
  public static final long DEFAULT_TARGET_BYTES = 104_857_600L;

  /** Fewest files a partition needs to be compacted unless set. */
  public static final int DEFAULT_MIN_FILES = 2;

  /** How long a lease lasts without renewal unless set: 2 minutes. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(2);

  /** Memory deduplication may use unless set: 256 MiB, enough for about 4 million rows. */
  public static final long DEFAULT_DEDUPLICATION_MEMORY_BYTES = 256L << 20;

  /** What happens to original files once their rows are verified in the output. */
  public enum Originals {
    /** Delete them, and then their markers. */
    DELETE,
    /** Keep them, with a {@code .processed} marker so later runs skip them. */
    KEEP,
    /**
     * Move them below {@link CompactionOptions#backupDirectory()}, at the same path relative to the
     * compacted directory, and then delete their markers.
     */
    BACK_UP,
    /** Move them to the store's trash ({@link dev.baler.storage.Storage#moveToTrash}). */
    TRASH
  }

  /**
   * Date partitions to select, inclusive at both ends.
   *
   * @param first the earliest date
   * @param last the latest date, not before {@code first}
   */
  public record DateRange(LocalDate first, LocalDate last) {
    public DateRange {
      requireNonNull(first, "first is null");
      requireNonNull(last, "last is null");
      if (last.isBefore(first)) {
        throw new IllegalArgumentException("Invalid date range: " + last + " is before " + first);
      }
    }

    /** The dates of the range, earliest first. */
    public List<LocalDate> dates() {
      return first.datesUntil(last.plusDays(1)).toList();
    }
  }

  /** The name of the partition column of date partitions, {@code date=YYYY-MM-DD}. */
  public static final String DATE_PARTITION_COLUMN = "date";

  private final long targetBytes;
  private final int minFiles;
  private final OptionalLong startMillis;
  private final OptionalLong endMillis;
  private final Originals originals;
  private final boolean deduplicate;
  private final long deduplicationMemoryBytes;
  private final WriteOptions writeOptions;
  private final int parallelism;
  private final Duration leaseDuration;
  private final Path scratchDirectory;
  private final long handOverBytes;
  private final String outputPrefix;
  private final Optional<Location> backupDirectory;
  private final Optional<DateRange> partitionDates;

  private CompactionOptions(Builder builder) {
    this.targetBytes = builder.targetBytes;
    this.minFiles = builder.minFiles;
    this.startMillis = builder.startMillis;
    this.endMillis = builder.endMillis;
    this.originals = builder.originals;
    this.deduplicate = builder.deduplicate;
    this.deduplicationMemoryBytes = builder.deduplicationMemoryBytes;
    this.writeOptions = builder.writeOptions;
    this.parallelism = builder.parallelism;
    this.leaseDuration = builder.leaseDuration;
    this.scratchDirectory = builder.scratchDirectory;
    this.handOverBytes = builder.handOverBytes;
    this.outputPrefix = builder.outputPrefix;
    this.backupDirectory = builder.backupDirectory;
    this.partitionDates = builder.partitionDates;
    if ((originals == Originals.BACK_UP) != backupDirectory.isPresent()) {
      throw new IllegalArgumentException(
          "Invalid options: a backup directory goes with moving originals to it, and only then");
    }
    if (startMillis.isPresent()
        && endMillis.isPresent()
        && endMillis.getAsLong() <= startMillis.getAsLong()) {
      throw new IllegalArgumentException(
          "Invalid time window: end "
              + endMillis.getAsLong()
              + " ms is not after start "
              + startMillis.getAsLong()
              + " ms");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The size each output file aims for, in bytes of input; bins are packed up to it. */
  public long targetBytes() {
    return targetBytes;
  }

  /** Fewest candidate files a partition needs before it is compacted. */
  public int minFiles() {
    return minFiles;
  }

  /** Exclusive lower bound on the time stamp in file names, in milliseconds; empty for none. */
  public OptionalLong startMillis() {
    return startMillis;
  }

  /** Inclusive upper bound on the time stamp in file names, in milliseconds; empty for none. */
  public OptionalLong endMillis() {
    return endMillis;
  }

  /** Whether a time window is set; files without a time stamp in their name are then left out. */
  public boolean hasTimeWindow() {
    return startMillis.isPresent() || endMillis.isPresent();
  }

  /** What happens to originals after verification. */
  public Originals originals() {
    return originals;
  }

  /** Whether exact duplicate rows across the run's files are removed. */
  public boolean deduplicate() {
    return deduplicate;
  }

  /** Memory deduplication may use, in bytes; a run that would need more is refused up front. */
  public long deduplicationMemoryBytes() {
    return deduplicationMemoryBytes;
  }

  /** How outputs are written. */
  public WriteOptions writeOptions() {
    return writeOptions;
  }

  /** Bins merged at once. */
  public int parallelism() {
    return parallelism;
  }

  /** How long the lease lasts without renewal; a killed run's lease blocks others this long. */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /**
   * The local directory below which a run writes row groups that a second thread merges for a bin
   * ({@link MergeHelpers}), until the bin's merge appends them: about half a bin's output at most
   * per bin, in a {@code baler-merge-PID-*} directory of its own. On a tmpfs it takes memory.
   */
  public Path scratchDirectory() {
    return scratchDirectory;
  }

  /**
   * The fewest bytes of a bin's row groups that a thread with no bin left takes over from it
   * ({@link MergeHelpers#DEFAULT_MINIMUM_BYTES} unless set).
   */
  public long handOverBytes() {
    return handOverBytes;
  }

  /**
   * The prefix of output names, {@code {prefix}.{timestamp_millis}.c.parquet}; empty to take each
   * bin's inputs' own prefix (or {@code part} when their names have none).
   */
  public String outputPrefix() {
    return outputPrefix;
  }

  /**
   * Where originals are moved when {@link #originals()} is {@link Originals#BACK_UP}: a directory
   * on the same store, outside the compacted directory (or in a hidden directory of it, such as
   * {@code _backup/}); empty otherwise.
   */
  public Optional<Location> backupDirectory() {
    return backupDirectory;
  }

  /**
   * The date partitions to select: only files in directories {@code date=YYYY-MM-DD} directly below
   * the compacted directory, with a date in the range, are taken; empty to take every file.
   */
  public Optional<DateRange> partitionDates() {
    return partitionDates;
  }

  /** Builds {@link CompactionOptions}. Not thread-safe. */
  public static final class Builder {
    private long targetBytes = DEFAULT_TARGET_BYTES;
    private int minFiles = DEFAULT_MIN_FILES;
    private OptionalLong startMillis = OptionalLong.empty();
    private OptionalLong endMillis = OptionalLong.empty();
    private Originals originals = Originals.DELETE;
    private boolean deduplicate;
    private long deduplicationMemoryBytes = DEFAULT_DEDUPLICATION_MEMORY_BYTES;
    private WriteOptions writeOptions = WriteOptions.defaults();
    private int parallelism = Math.min(4, Runtime.getRuntime().availableProcessors());
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Path scratchDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private long handOverBytes = MergeHelpers.DEFAULT_MINIMUM_BYTES;
    private String outputPrefix = "";
    private Optional<Location> backupDirectory = Optional.empty();
    private Optional<DateRange> partitionDates = Optional.empty();

    private Builder() {}

    /** Sets the target output size in bytes; at least 1 MiB. */
    public Builder targetBytes(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "Invalid target size " + bytes + " bytes: must be at least 1048576 (1 MiB)");
      }
      this.targetBytes = bytes;
      return this;
    }

    /** Sets the fewest files a partition needs; at least 2. */
    public Builder minFiles(int files) {
      if (files < 2) {
        throw new IllegalArgumentException(
            "Invalid minimum of " + files + " files: must be at least 2");
      }
      this.minFiles = files;
      return this;
    }

    /** Sets the exclusive lower bound on name time stamps, in milliseconds since the epoch. */
    public Builder startMillis(long millis) {
      this.startMillis = OptionalLong.of(millis);
      return this;
    }

    /** Sets the inclusive upper bound on name time stamps, in milliseconds since the epoch. */
    public Builder endMillis(long millis) {
      this.endMillis = OptionalLong.of(millis);
      return this;
    }

    /**
     * Sets what happens to originals; for {@link Originals#BACK_UP} use {@link #backUpOriginalsTo}.
     */
    public Builder originals(Originals originals) {
      this.originals = requireNonNull(originals, "originals is null");
      this.backupDirectory = Optional.empty();
      return this;
    }

    /** Moves originals into {@code directory} instead of deleting them. */
    public Builder backUpOriginalsTo(Location directory) {
      requireNonNull(directory, "directory is null");
      this.originals = Originals.BACK_UP;
      this.backupDirectory = Optional.of(directory.asDirectory());
      return this;
    }

    /** Selects only the date partitions {@code date=YYYY-MM-DD} within {@code range}. */
    public Builder partitionDates(DateRange range) {
      this.partitionDates = Optional.of(requireNonNull(range, "range is null"));
      return this;
    }

    /** Turns on removal of exact duplicate rows across the run. */
    public Builder deduplicate() {
      this.deduplicate = true;
      return this;
    }

    /** Sets the memory deduplication may use, in bytes; at least 1 MiB. */
    public Builder deduplicationMemoryBytes(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "Invalid deduplication memory " + bytes + " bytes: must be at least 1048576");
      }
      this.deduplicationMemoryBytes = bytes;
      return this;
    }

    /** Sets how outputs are written. */
    public Builder writeOptions(WriteOptions options) {
      this.writeOptions = requireNonNull(options, "options is null");
      return this;
    }

    /** Sets the number of bins merged at once; between 1 and 64. */
    public Builder parallelism(int bins) {
      if (bins < 1 || bins > 64) {
        throw new IllegalArgumentException(
            "Invalid parallelism " + bins + ": must be between 1 and 64");
      }
      this.parallelism = bins;
      return this;
    }

    /** Sets the lease duration; between 1 second and 1 hour. */
    public Builder leaseDuration(Duration duration) {
      if (duration.compareTo(Duration.ofSeconds(1)) < 0
          || duration.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "Invalid lease duration " + duration + ": must be between 1 s and 1 h");
      }
      this.leaseDuration = duration;
      return this;
    }

    /**
     * Sets the local directory for scratch files ({@link CompactionOptions#scratchDirectory()});
     * {@code java.io.tmpdir} unless set.
     */
    public Builder scratchDirectory(Path directory) {
      this.scratchDirectory = requireNonNull(directory, "directory is null");
      return this;
    }

    /**
     * Sets the fewest bytes worth handing over ({@link CompactionOptions#handOverBytes()}); 0 or
     * more, 0 to hand over whatever is left, as tests of the hand-over do with small files.
     */
    public Builder handOverBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "Invalid hand-over bytes " + bytes + ": must be 0 or more");
      }
      this.handOverBytes = bytes;
      return this;
    }

    /** Sets the prefix of output names; letters, digits, {@code _ - .} only. */
    public Builder outputPrefix(String prefix) {
      if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_.\\-]+")) {
        throw new IllegalArgumentException(
            "Invalid output prefix '" + prefix + "': use letters, digits, '_', '-' and '.'");
      }
      this.outputPrefix = prefix;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if the end of the time window is not after its start
     */
    public CompactionOptions build() {
      return new CompactionOptions(this);
    }
  }
}
