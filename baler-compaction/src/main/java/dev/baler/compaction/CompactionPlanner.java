package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.parquet.FileLayout;
import dev.baler.parquet.FooterLayouts;
import dev.baler.parquet.InvalidParquetFileException;
import dev.baler.parquet.ParquetSchemas;
import dev.baler.storage.DaemonThreads;
import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a prefix, selects the files to compact, reads their footers and bin-packs them into a
 * {@link CompactionPlan}. Writes nothing.
 *
 * <p>Selection: {@code .parquet}/{@code .parq} files that are not compacted outputs, have no {@code
 * .processed} marker, are not inputs of a bin left open in the journal of this directory, of one
 * above it or of one below it (they are skipped with the record named), are not in a hidden or
 * {@code _baler/} directory, when a time window is set, whose name carries a time stamp inside it,
 * and when date partitions are selected, that lie in a directory {@code date=YYYY-MM-DD} of a
 * selected date directly below the source (only those directories are listed). Grouping: by
 * partition (the directory a file is in; partitions are never mixed), then within a partition by
 * schema: the schema most files share is compacted and files of other schemas are skipped with the
 * difference as the reason. Packing: in time-stamp order (then name order), consecutive files go
 * into one bin until it holds about an equal share of the group's bytes (the group's bytes over the
 * fewest bins of at most the target size; a file goes in if more than half of it fits the share) or
 * the next file would take it past the target size. A partition with fewer than {@code --min-files}
 * usable files, and a bin of a single file, are left alone.
 *
 * <p>Footers are read in parallel, {@value #FOOTER_THREADS} at a time, at most {@value
 * #FOOTERS_AHEAD_PER_THREAD} per thread ahead of the one being taken, from the time the listing
 * finds each file: on S3 they are read while the next page of the listing is fetched. Thread-safe;
 * each call plans anew.
 */
public final class CompactionPlanner {
  static final int FOOTER_THREADS = 8;

  /** Footers read ahead per thread of the footer the planner takes next. */
  static final int FOOTERS_AHEAD_PER_THREAD = 4;

  private static final Logger LOG = LoggerFactory.getLogger(CompactionPlanner.class);

  /** How often a long planning logs how far it got, at debug level. */
  private static final long PROGRESS_LOG_NANOS = 10_000_000_000L;

  private final Storage storage;
  private final CompactionOptions options;
  private final CompactionListener listener;
  private final Clock clock;

  /** A planner over {@code storage}. */
  public CompactionPlanner(Storage storage, CompactionOptions options) {
    this(storage, options, CompactionListener.NONE);
  }

  /**
   * A planner over {@code storage} that tells {@code listener} of the footers it reads ({@link
   * CompactionListener#footersRead}), from the thread that calls {@link #plan}.
   */
  public CompactionPlanner(
      Storage storage, CompactionOptions options, CompactionListener listener) {
    this(storage, options, listener, Clock.systemUTC());
  }

  CompactionPlanner(Storage storage, CompactionOptions options, Clock clock) {
    this(storage, options, CompactionListener.NONE, clock);
  }

  private CompactionPlanner(
      Storage storage, CompactionOptions options, CompactionListener listener, Clock clock) {
    this.storage = requireNonNull(storage, "storage is null");
    this.options = requireNonNull(options, "options is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Plans the compaction of {@code source}.
   *
   * @param source a key prefix such as {@code s3://bucket/dir/sensor_data} (files named {@code
   *     sensor_data.*}) or a directory such as {@code s3://bucket/dir/}
   * @throws IOException if the source cannot be listed
   * @throws IllegalArgumentException if date partitions are selected and the source is not a
   *     directory
   */
  public CompactionPlan plan(Location source) throws IOException {
    Location root = source.isDirectory() ? source : source.parent().orElse(source);
    Map<Location, List<FileEntry>> partitions =
        new TreeMap<>(Comparator.comparing(Location::toString));
    Set<Location> markers = new HashSet<>();
    Set<String> takenOutputNames = new HashSet<>();
    List<Location> nestedLeases = new ArrayList<>();
    List<Location> nestedRecords = new ArrayList<>();
    try (FooterReads footers = new FooterReads()) {
      for (Location prefix : prefixesToList(source)) {
        listInto(
            source,
            root,
            prefix,
            partitions,
            markers,
            takenOutputNames,
            nestedLeases,
            nestedRecords,
            footers);
      }
      Map<Location, Location> unfinished = unfinishedInputs(root, nestedRecords);
      return plan(
          source, root, partitions, markers, takenOutputNames, nestedLeases, unfinished, footers);
    }
  }

  /**
   * The inputs of bins left open in the journals of this directory, of the directories above it,
   * and of {@code nestedRecords} (records found below it), each with the record that holds it.
   * Until a run on that record's directory finishes the bin, an input still in place must not be
   * taken again: removed originals get no marker, and the record is what keeps the rest of them
   * out.
   */
  private Map<Location, Location> unfinishedInputs(Location root, List<Location> nestedRecords)
      throws IOException {
    List<Map.Entry<Location, Journal.Entry>> records = new ArrayList<>();
    for (Optional<Location> directory = Optional.of(root);
        directory.isPresent();
        directory = directory.get().parent()) {
      records.addAll(Journal.openRecords(storage, directory.get()));
    }
    for (Location record : nestedRecords) {
      Journal.read(storage, record).ifPresent(entry -> records.add(Map.entry(record, entry)));
    }
    Map<Location, Location> unfinished = new HashMap<>();
    for (var record : records) {
      for (String input : record.getValue().inputs()) {
        unfinished.put(Location.of(input), record.getKey());
      }
    }
    return unfinished;
  }

  /**
   * What to list: the source, or with date partitions selected, each selected partition's
   * directory, so that years of other partitions are never listed.
   */
  private List<Location> prefixesToList(Location source) {
    if (options.partitionDates().isEmpty()) {
      return List.of(source);
    }
    if (!source.isDirectory()) {
      throw new IllegalArgumentException(
          "Cannot select date partitions of " + source + ": it is not a directory");
    }
    return options.partitionDates().get().dates().stream()
        .map(date -> source.resolve(CompactionOptions.DATE_PARTITION_COLUMN + "=" + date + "/"))
        .toList();
  }

  private void listInto(
      Location source,
      Location root,
      Location prefix,
      Map<Location, List<FileEntry>> partitions,
      Set<Location> markers,
      Set<String> takenOutputNames,
      List<Location> nestedLeases,
      List<Location> nestedRecords,
      FooterReads footers)
      throws IOException {
    FileIterator files = storage.list(prefix);
    // An original whose footer is to be read once the next key is seen: a marker, if it has one,
    // is the next key in a listing in key order (S3's, and memory's).
    FileEntry held = null;
    while (files.hasNext()) {
      FileEntry entry = files.next();
      Location location = entry.location();
      if (held != null) {
        if (!location.equals(FileNames.marker(held.location()))) {
          footers.read(held);
        }
        held = null;
      }
      if (FileNames.isInHiddenDirectory(root, location)) {
        Optional<Location> parent = location.parent();
        if (parent.isPresent()
            && parent.get().path().endsWith("/" + Lease.DIRECTORY)
            && !parent.get().equals(root.resolve(Lease.DIRECTORY))) {
          nestedLeases.add(location);
        }
        if (parent.isPresent()
            && parent.get().path().endsWith("/" + Journal.DIRECTORY)
            && !parent.get().equals(root.resolve(Journal.DIRECTORY))) {
          nestedRecords.add(location);
        }
        continue;
      }
      String name = location.fileName();
      if (name.endsWith(FileNames.COMPACTED_SUFFIX)) {
        // the only names an output can take: kept so that none is overwritten (packBins)
        takenOutputNames.add(location.toString());
      }
      if (FileNames.isMarker(name)) {
        // only markers of this source's own files: a key prefix events must not treat the
        // markers of events_v2 as orphans and delete them
        String original = name.substring(0, name.length() - FileNames.MARKER_SUFFIX.length());
        if (FileNames.isParquet(original) && continuesPrefix(source, location)) {
          markers.add(location);
        }
      } else if (FileNames.isParquet(name)
          && !FileNames.isCompacted(name)
          && continuesPrefix(source, location)) {
        Location partition = location.parent().orElse(root);
        partitions.computeIfAbsent(partition, key -> new ArrayList<>()).add(entry);
        if (inTimeWindow(location) && !markers.contains(FileNames.marker(location))) {
          held = entry;
        }
      }
    }
    if (held != null) {
      footers.read(held);
    }
  }

  private CompactionPlan plan(
      Location source,
      Location root,
      Map<Location, List<FileEntry>> partitions,
      Set<Location> markers,
      Set<String> takenOutputNames,
      List<Location> nestedLeases,
      Map<Location, Location> unfinished,
      FooterReads footerReads)
      throws IOException {

    List<SkippedFile> skipped = new ArrayList<>();
    List<Location> orphanMarkers = new ArrayList<>();
    Set<Location> originals = new HashSet<>();
    if (!markers.isEmpty()) {
      partitions
          .values()
          .forEach(entries -> entries.forEach(entry -> originals.add(entry.location())));
    }
    for (Location marker : markers) {
      String path = marker.toString();
      Location original =
          Location.of(path.substring(0, path.length() - FileNames.MARKER_SUFFIX.length()));
      if (!originals.contains(original)) {
        orphanMarkers.add(marker);
      }
    }

    Map<Location, List<FileEntry>> candidates = new LinkedHashMap<>();
    List<Location> leftAlone = new ArrayList<>();
    for (var partition : partitions.entrySet()) {
      List<FileEntry> selected = new ArrayList<>();
      for (FileEntry entry : partition.getValue()) {
        if (markers.contains(FileNames.marker(entry.location()))
            || !inTimeWindow(entry.location())) {
          continue;
        }
        Location record = unfinished.get(entry.location());
        if (record != null) {
          skipped.add(
              new SkippedFile(
                  entry.location(),
                  "in a bin left unfinished by "
                      + record
                      + "; the next run on "
                      + Journal.dataDirectoryOf(record)
                      + " finishes it"));
          continue;
        }
        selected.add(entry);
      }
      if (selected.size() >= options.minFiles()) {
        candidates.put(partition.getKey(), selected);
      } else {
        selected.forEach(entry -> leftAlone.add(entry.location()));
      }
    }

    Map<Location, FooterOutcome> footers =
        footerReads.outcomesOf(candidates.values().stream().flatMap(List::stream).toList());
    List<Bin> bins = new ArrayList<>();
    for (var partition : candidates.entrySet()) {
      List<InputEntry> usable = new ArrayList<>();
      for (FileEntry entry : partition.getValue()) {
        FooterOutcome outcome = footers.get(entry.location());
        if (outcome.failure != null) {
          skipped.add(new SkippedFile(entry.location(), outcome.failure));
        } else if (outcome.layout.rows() == 0) {
          skipped.add(new SkippedFile(entry.location(), "no rows"));
        } else {
          usable.add(
              new InputEntry(
                  entry, outcome.layout, FileNames.timestampMillis(entry.location().fileName())));
        }
      }
      List<InputEntry> sameSchema = keepDominantSchema(usable, footers, skipped);
      sameSchema.sort(
          Comparator.comparingLong(
                  (InputEntry input) -> input.timestampMillis().orElse(Long.MIN_VALUE))
              .thenComparing(input -> input.location().fileName()));
      // Files of different name prefixes (events.*, metrics.*) never share an output.
      Map<String, List<InputEntry>> byPrefix = new LinkedHashMap<>();
      for (InputEntry input : sameSchema) {
        String prefix = FileNames.prefix(input.location().fileName()).orElse("");
        byPrefix.computeIfAbsent(prefix, key -> new ArrayList<>()).add(input);
      }
      for (List<InputEntry> group : byPrefix.values()) {
        if (group.size() < options.minFiles()) {
          group.forEach(input -> leftAlone.add(input.location()));
        } else {
          packBins(source, partition.getKey(), group, takenOutputNames, bins, leftAlone);
        }
      }
    }
    skipped.sort(Comparator.comparing(file -> file.location().toString()));
    return new CompactionPlan(source, bins, skipped, orphanMarkers, leftAlone, nestedLeases);
  }

  /**
   * Whether a listed file belongs to a key prefix: {@code s3://b/dir/events} takes {@code
   * events.1.parquet} and {@code events/x.parquet}, not {@code events_v2.1.parquet}.
   */
  private static boolean continuesPrefix(Location source, Location location) {
    if (source.isDirectory()) {
      return true;
    }
    String rest = location.path().substring(source.path().length());
    return rest.startsWith(".") || rest.startsWith("/");
  }

  private boolean inTimeWindow(Location location) {
    if (!options.hasTimeWindow()) {
      return true;
    }
    OptionalLong millis = FileNames.timestampMillis(location.fileName());
    if (millis.isEmpty()) {
      return false;
    }
    long value = millis.getAsLong();
    return (options.startMillis().isEmpty() || value > options.startMillis().getAsLong())
        && (options.endMillis().isEmpty() || value <= options.endMillis().getAsLong());
  }

  private List<InputEntry> keepDominantSchema(
      List<InputEntry> inputs, Map<Location, FooterOutcome> footers, List<SkippedFile> skipped) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (InputEntry input : inputs) {
      counts.merge(input.layout().schemaKey(), 1, Integer::sum);
    }
    String dominant = null;
    int most = 0;
    for (var count : counts.entrySet()) {
      if (count.getValue() > most) {
        dominant = count.getKey();
        most = count.getValue();
      }
    }
    List<InputEntry> kept = new ArrayList<>();
    MessageType dominantSchema = null;
    for (InputEntry input : inputs) {
      if (input.layout().schemaKey().equals(dominant)) {
        kept.add(input);
        if (dominantSchema == null) {
          dominantSchema = footers.get(input.location()).schema;
        }
      }
    }
    for (InputEntry input : inputs) {
      if (!input.layout().schemaKey().equals(dominant)) {
        MessageType schema = footers.get(input.location()).schema;
        skipped.add(
            new SkippedFile(
                input.location(),
                "schema differs from the partition's ("
                    + ParquetSchemas.difference(dominantSchema, schema)
                    + ")"));
      }
    }
    return kept;
  }

  private void packBins(
      Location source,
      Location partition,
      List<InputEntry> inputs,
      Set<String> takenOutputNames,
      List<Bin> bins,
      List<Location> leftAlone)
      throws IOException {
    // Aim every bin at an equal share of the group, never above the target: with 215 MB and a
    // 128 MiB target, two bins of about 107 MB rather than 128 MB and 87 MB, so that bins merged
    // in parallel finish together.
    long total = inputs.stream().mapToLong(InputEntry::length).sum();
    long binCount = Math.max(1, (total + options.targetBytes() - 1) / options.targetBytes());
    long aim = (total + binCount - 1) / binCount;
    List<List<InputEntry>> groups = new ArrayList<>();
    List<InputEntry> current = new ArrayList<>();
    long bytes = 0;
    for (InputEntry input : inputs) {
      if (!current.isEmpty()
          && (bytes + input.length() / 2 > aim || bytes + input.length() > options.targetBytes())) {
        groups.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(input);
      bytes += input.length();
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    for (List<InputEntry> group : groups) {
      if (group.size() < 2) {
        leftAlone.add(group.get(0).location());
        continue;
      }
      String prefix =
          options.outputPrefix().isEmpty()
              ? FileNames.prefix(group.get(0).location().fileName()).orElse("part")
              : options.outputPrefix();
      long millis =
          group.stream()
              .map(InputEntry::timestampMillis)
              .filter(OptionalLong::isPresent)
              .mapToLong(OptionalLong::getAsLong)
              .max()
              .orElse(clock.millis());
      Location output = partition.resolve(FileNames.compactedName(prefix, millis));
      // Never overwrite: step past names already listed or planned, and past files that the
      // listing of a key prefix cannot show (an output prefix other than the source's).
      while (!takenOutputNames.add(output.toString())
          || (!source.contains(output) && storage.newInputFile(output).exists())) {
        millis++;
        output = partition.resolve(FileNames.compactedName(prefix, millis));
      }
      bins.add(new Bin(bins.size(), partition, group, output));
    }
  }

  /** A footer read, or why it could not be. */
  private record FooterOutcome(MessageType schema, FileLayout layout, String failure) {}

  /**
   * The planner's footer reads, {@value #FOOTER_THREADS} at a time. Files are given as the listing
   * finds them, so that the footers of one page of a listing are read while the next page is
   * fetched; at most {@value #FOOTERS_AHEAD_PER_THREAD} reads per thread are in flight, as a whole
   * footer waits in its future until taken (then only its layout is kept), and one slow read must
   * not let thousands pile up: past that, the caller waits for the oldest. A file read for nothing
   * (one that planning then leaves out, such as the only new file of a partition) costs one read.
   * Not thread-safe.
   */
  private final class FooterReads implements AutoCloseable {
    private final FooterLayouts layouts = new FooterLayouts();
    private final ExecutorService executor =
        Executors.newFixedThreadPool(FOOTER_THREADS, DaemonThreads.named("baler-footer"));
    private final ArrayDeque<Map.Entry<Location, Future<FooterOutcome>>> reading =
        new ArrayDeque<>();
    private final Map<Location, FooterOutcome> outcomes = new HashMap<>();
    private long nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
    // one schema per key, for messages, and one copy of each schema key string
    private final Map<String, String> schemaKeys = new HashMap<>();
    private final Map<String, MessageType> schemaByKey = new HashMap<>();

    /** Starts reading a file's footer; first waits for the oldest reads while too many are. */
    void read(FileEntry entry) throws IOException {
      while (reading.size() >= FOOTER_THREADS * FOOTERS_AHEAD_PER_THREAD) {
        takeOldest();
      }
      reading.add(Map.entry(entry.location(), executor.submit(() -> readFooter(layouts, entry))));
    }

    /**
     * What every footer read gave, with those of {@code entries} not read yet read now.
     *
     * @throws IOException if a read fails other than on a file that is not Parquet
     */
    Map<Location, FooterOutcome> outcomesOf(List<FileEntry> entries) throws IOException {
      while (!reading.isEmpty()) {
        takeOldest();
      }
      for (FileEntry entry : entries) {
        if (!outcomes.containsKey(entry.location())) {
          read(entry);
        }
      }
      while (!reading.isEmpty()) {
        takeOldest();
      }
      return outcomes;
    }

    private void takeOldest() throws IOException {
      Map.Entry<Location, Future<FooterOutcome>> oldest = reading.remove();
      FooterOutcome read;
      try {
        read = oldest.getValue().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while reading footers");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IllegalStateException("Cannot read footers: " + e.getCause(), e.getCause());
      }
      FooterOutcome outcome = read;
      if (read.failure == null) {
        String key = schemaKeys.computeIfAbsent(read.layout.schemaKey(), k -> k);
        MessageType schema = schemaByKey.computeIfAbsent(key, k -> read.schema);
        outcome = new FooterOutcome(schema, read.layout.withSchemaKey(key), null);
      }
      outcomes.put(oldest.getKey(), outcome);
      listener.footersRead(outcomes.size());
      if (System.nanoTime() - nextLog >= 0) {
        nextLog = System.nanoTime() + PROGRESS_LOG_NANOS;
        LOG.debug("Planning: read {} footers so far", outcomes.size());
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  private FooterOutcome readFooter(FooterLayouts layouts, FileEntry entry) throws IOException {
    try {
      FooterLayouts.Read read =
          layouts.read(storage.newInputFile(entry.location(), entry.length()));
      return new FooterOutcome(read.schema(), read.layout(), null);
    } catch (InvalidParquetFileException e) {
      return new FooterOutcome(null, null, e.reason());
    } catch (java.io.FileNotFoundException e) {
      return new FooterOutcome(null, null, "deleted while planning");
    }
  }
}
