package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.compaction.InspectionReport.Distribution;
import dev.baler.compaction.InspectionReport.SchemaSeen;
import dev.baler.compaction.InspectionReport.SizeBucket;
import dev.baler.parquet.Codec;
import dev.baler.parquet.Footer;
import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.storage.DaemonThreads;
import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * The small-files diagnosis of a prefix, a directory or one file: what {@code baler inspect}
 * prints. Writes nothing.
 *
 * <p>{@link #inspect(Location)} lists the prefix once, reads the footers of its data files {@value
 * CompactionPlanner#FOOTER_THREADS} at a time and adds each to running totals as it arrives, so
 * memory does not grow with whole footers: per file it keeps a few numbers (16 bytes per row group
 * and 8 per file, for exact medians), and per schema one key and one schema text. It then plans a
 * compaction with {@link CompactionPlanner}, which lists and reads the footers again. On a blob
 * store that is two LISTs per 1,000 keys and two footer reads per file.
 *
 * <p>Thread-safe; each call inspects anew.
 */
public final class Inspection {
  /** GET requests a reader needs per file in the scan model: one for the footer, one for data. */
  public static final int GETS_PER_FILE = 2;

  /** Keys one LIST request returns, as on S3. */
  public static final int KEYS_PER_LIST = 1000;

  /** Unreadable files listed by location in a report; more are only counted. */
  public static final int UNREADABLE_LISTED = 1000;

  /**
   * The upper bounds of the size buckets, in bytes: below 64 KiB, 64 KiB to 1 MiB, 1 to 16 MiB, 16
   * to 128 MiB, and 128 MiB or more.
   */
  public static final List<Long> SIZE_BUCKETS = List.of(64L << 10, 1L << 20, 16L << 20, 128L << 20);

  private static final List<String> SIZE_LABELS =
      List.of("<64 KiB", "64 KiB-1 MiB", "1-16 MiB", "16-128 MiB", ">=128 MiB");

  /** Footer reads under way at most, so a long listing is not read ahead without bound. */
  private static final int IN_FLIGHT = CompactionPlanner.FOOTER_THREADS * 16;

  private final Storage storage;
  private final CompactionOptions options;

  /**
   * An inspection over {@code storage}.
   *
   * @param options the options of the compaction to plan; only selection and packing settings
   *     matter ({@code targetBytes}, {@code minFiles}, time window, output prefix)
   */
  public Inspection(Storage storage, CompactionOptions options) {
    this.storage = requireNonNull(storage, "storage is null");
    this.options = requireNonNull(options, "options is null");
  }

  /**
   * Whether {@code location} names one existing file rather than a prefix or directory. On a blob
   * store this costs one HEAD request.
   */
  public boolean isFile(Location location) throws IOException {
    return !location.isDirectory() && storage.newInputFile(location).exists();
  }

  /**
   * Reads one file's footer.
   *
   * @throws InvalidParquetFileException if the file is not readable Parquet; the reason says why
   * @throws IOException if the store cannot be read
   */
  public InspectionFile inspectFile(Location file) throws IOException {
    return InspectionFile.of(Footer.read(storage.newInputFile(file)));
  }

  /**
   * Inspects the data files under a prefix or directory and plans their compaction.
   *
   * @param source a key prefix such as {@code s3://bucket/dir/sensor_data} (files named {@code
   *     sensor_data.*}) or a directory such as {@code s3://bucket/dir/}
   * @throws IOException if the source cannot be listed or a footer cannot be fetched
   */
  public InspectionReport inspect(Location source) throws IOException {
    requireNonNull(source, "source is null");
    Totals totals = new Totals();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            CompactionPlanner.FOOTER_THREADS, DaemonThreads.named("baler-inspect"));
    try {
      CompletionService<FileFacts> reads = new ExecutorCompletionService<>(executor);
      int inFlight = 0;
      Location root = source.isDirectory() ? source : source.parent().orElse(source);
      FileIterator listing = storage.list(source);
      while (listing.hasNext()) {
        FileEntry entry = listing.next();
        totals.keys++;
        if (!isDataFile(source, root, entry.location())) {
          continue;
        }
        if (inFlight == IN_FLIGHT) {
          totals.add(reads.take().get());
          inFlight--;
        }
        reads.submit(() -> read(entry));
        inFlight++;
      }
      for (; inFlight > 0; inFlight--) {
        totals.add(reads.take().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading footers of " + source);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(
          "Cannot read footers of " + source + ": " + e.getCause(), e.getCause());
    } finally {
      executor.shutdownNow();
    }
    CompactionPlan plan = new CompactionPlanner(storage, options).plan(source);
    return totals.report(source, InspectionReport.PlanSummary.of(plan));
  }

  /** A data file as compaction selects them, but with compacted outputs and marked files too. */
  private static boolean isDataFile(Location source, Location root, Location location) {
    if (!FileNames.isParquet(location.fileName())
        || FileNames.isInHiddenDirectory(root, location)) {
      return false;
    }
    if (source.isDirectory()) {
      return true;
    }
    // s3://b/dir/events takes events.1.parquet and events/x.parquet, not events_v2.1.parquet
    String rest = location.path().substring(source.path().length());
    return rest.startsWith(".") || rest.startsWith("/");
  }

  /** What one footer contributes to the totals; the footer itself is dropped at once. */
  private record FileFacts(
      FileEntry entry,
      String failure,
      long[] rowGroupRows,
      long[] rowGroupBytes,
      Set<String> codecs,
      Set<String> encodings,
      Set<String> pageVersions,
      String schemaKey,
      MessageType schema) {}

  private FileFacts read(FileEntry entry) throws IOException {
    Footer footer;
    try {
      footer = Footer.read(storage.newInputFile(entry.location(), entry.length()));
    } catch (InvalidParquetFileException e) {
      return new FileFacts(entry, e.reason(), null, null, null, null, null, null, null);
    } catch (FileNotFoundException e) {
      return new FileFacts(
          entry, "deleted while inspecting", null, null, null, null, null, null, null);
    }
    List<BlockMetaData> blocks = footer.rowGroups();
    long[] rows = new long[blocks.size()];
    long[] bytes = new long[blocks.size()];
    Set<String> codecs = new TreeSet<>();
    Set<String> encodings = new TreeSet<>();
    Set<String> pageVersions = new TreeSet<>();
    for (int i = 0; i < blocks.size(); i++) {
      rows[i] = blocks.get(i).getRowCount();
      bytes[i] = blocks.get(i).getCompressedSize();
      for (ColumnChunkMetaData column : blocks.get(i).getColumns()) {
        codecs.add(Codec.of(column.getCodec()).displayName());
        for (Encoding encoding : column.getEncodings()) {
          encodings.add(encoding.name());
        }
        pageVersions.add(InspectionFile.pageVersionOf(column));
      }
    }
    return new FileFacts(
        entry,
        null,
        rows,
        bytes,
        codecs,
        encodings,
        pageVersions,
        footer.schemaKey(),
        footer.schema());
  }

  /** Running totals; used by one thread. */
  private static final class Totals {
    long keys;
    long files;
    long bytes;
    long rows;
    final long[] bucketFiles = new long[SIZE_LABELS.size()];
    final long[] bucketBytes = new long[SIZE_LABELS.size()];
    final Values rowGroupsPerFile = new Values();
    final Values rowGroupRows = new Values();
    final Values rowGroupBytes = new Values();
    final Map<String, Long> codecs = new HashMap<>();
    final Map<String, Long> encodings = new HashMap<>();
    final Map<String, Long> pageVersions = new HashMap<>();
    final Map<String, Schema> schemas = new HashMap<>();
    long unreadableFiles;
    // the first UNREADABLE_LISTED by location, largest location last
    final TreeSet<SkippedFile> unreadable =
        new TreeSet<>(Comparator.comparing(file -> file.location().toString()));

    void add(FileFacts facts) {
      FileEntry entry = facts.entry();
      files++;
      bytes += entry.length();
      int bucket = 0;
      while (bucket < SIZE_BUCKETS.size() && entry.length() >= SIZE_BUCKETS.get(bucket)) {
        bucket++;
      }
      bucketFiles[bucket]++;
      bucketBytes[bucket] += entry.length();
      if (facts.failure() != null) {
        unreadableFiles++;
        unreadable.add(new SkippedFile(entry.location(), facts.failure()));
        if (unreadable.size() > UNREADABLE_LISTED) {
          unreadable.pollLast();
        }
        return;
      }
      rowGroupsPerFile.add(facts.rowGroupRows().length);
      for (int i = 0; i < facts.rowGroupRows().length; i++) {
        rows += facts.rowGroupRows()[i];
        rowGroupRows.add(facts.rowGroupRows()[i]);
        rowGroupBytes.add(facts.rowGroupBytes()[i]);
      }
      facts.codecs().forEach(name -> codecs.merge(name, 1L, Long::sum));
      facts.encodings().forEach(name -> encodings.merge(name, 1L, Long::sum));
      facts.pageVersions().forEach(name -> pageVersions.merge(name, 1L, Long::sum));
      Schema schema = schemas.get(facts.schemaKey());
      if (schema == null) {
        schemas.put(facts.schemaKey(), new Schema(entry.location(), facts.schema().toString()));
      } else {
        schema.add(entry.location(), facts.schema());
      }
    }

    InspectionReport report(Location source, InspectionReport.PlanSummary plan) {
      List<SizeBucket> sizes = new ArrayList<>();
      for (int i = 0; i < SIZE_LABELS.size(); i++) {
        sizes.add(
            new SizeBucket(
                SIZE_LABELS.get(i),
                i == 0 ? 0 : SIZE_BUCKETS.get(i - 1),
                i < SIZE_BUCKETS.size() ? SIZE_BUCKETS.get(i) : Long.MAX_VALUE,
                bucketFiles[i],
                bucketBytes[i]));
      }
      List<SchemaSeen> seen = new ArrayList<>();
      schemas.forEach(
          (key, schema) -> seen.add(new SchemaSeen(key, schema.files, schema.first, schema.text)));
      seen.sort(
          Comparator.comparingLong(SchemaSeen::files)
              .reversed()
              .thenComparing(schema -> schema.firstFile().toString()));
      long filesAfter = files - plan.files() + plan.bins();
      long keysAfter = keys - plan.files() + plan.bins();
      return new InspectionReport(
          source,
          keys,
          files,
          bytes,
          rows,
          sizes,
          rowGroupsPerFile.distribution(),
          rowGroupRows.distribution(),
          rowGroupBytes.distribution(),
          codecs,
          encodings,
          pageVersions,
          seen,
          unreadableFiles,
          new ArrayList<>(unreadable),
          plan,
          InspectionReport.ScanCost.of(keys, files),
          InspectionReport.ScanCost.of(keysAfter, filesAfter));
    }
  }

  /** A schema's file count and its first file by location. */
  private static final class Schema {
    long files = 1;
    Location first;
    String text;

    Schema(Location first, String text) {
      this.first = first;
      this.text = text;
    }

    void add(Location location, MessageType schema) {
      files++;
      if (location.toString().compareTo(first.toString()) < 0) {
        first = location;
        text = schema.toString();
      }
    }
  }

  /** A growing array of longs, for exact medians. */
  private static final class Values {
    private long[] values = new long[64];
    private int size;
    private long total;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
      total += value;
    }

    Distribution distribution() {
      if (size == 0) {
        return new Distribution(0, 0, 0, 0, 0);
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return new Distribution(size, sorted[0], sorted[(size - 1) / 2], sorted[size - 1], total);
    }
  }
}
