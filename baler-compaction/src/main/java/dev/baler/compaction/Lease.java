package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.TemporaryNames;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive, expiring lease on a directory, so that two compactions of one directory never work
 * on the same files.
 *
 * <p>Leases are numbered generations under {@code _baler/lease/}: {@code 0000000001.json}, then
 * {@code 0000000002.json}, ... The holder of the highest generation holds the lease. Taking a lease
 * means creating the next generation with {@link Storage#createExclusive}, which exactly one of
 * several racing runs wins, and then trying to create it once more, which must fail: a store that
 * ignores the condition (some S3-compatible stores drop {@code If-None-Match}) is refused rather
 * than trusted to keep runs apart. Taking it is allowed only when the current generation is
 * released or expired, or when its holder ran on this host and its process is gone. The holder
 * renews by rewriting its own generation with a later expiry, which nobody else writes; before each
 * renewal and before each step that changes data it checks that no newer generation exists and that
 * its expiry has not passed. The run that takes a generation deletes the older ones, and the
 * temporary files of lease files (local disk and HDFS write a file before renaming it) older than a
 * lease lasts, which a run killed while writing one left.
 *
 * <p>A killed run's lease therefore blocks other hosts for at most {@link
 * CompactionOptions#leaseDuration()} (2 minutes by default) and runs on the same host not at all.
 * The rule assumes clocks agree to within a small fraction of the lease duration. Thread-safe.
 */
public final class Lease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);
  static final String DIRECTORY = FileNames.STATE_DIRECTORY + "lease/";
  private static final String UNKNOWN_HOST = "unknown-host";

  /** The content of a lease generation. */
  record Record(
      String owner,
      String host,
      long pid,
      long acquiredAtMillis,
      long expiresAtMillis,
      boolean released) {}

  private final Storage storage;
  private final Location leaseDirectory;
  private final Duration duration;
  private final Clock clock;
  private final String owner = UUID.randomUUID().toString();
  private Location held;
  private long generation;
  private long expiresAtMillis;
  private boolean lost;

  private Lease(Storage storage, Location directory, Duration duration, Clock clock) {
    this.storage = storage;
    this.leaseDirectory = directory.resolve(DIRECTORY);
    this.duration = duration;
    this.clock = clock;
  }

  /**
   * Takes the lease on {@code directory}.
   *
   * @param directory the directory whose files the run will change
   * @throws LeaseHeldException if another live run holds it
   * @throws IOException if the store fails
   */
  public static Lease acquire(Storage storage, Location directory, Duration duration)
      throws IOException {
    return acquire(storage, directory, duration, Clock.systemUTC());
  }

  static Lease acquire(Storage storage, Location directory, Duration duration, Clock clock)
      throws IOException {
    requireNonNull(storage, "storage is null");
    Lease lease = new Lease(storage, directory.asDirectory(), duration, clock);
    lease.take();
    return lease;
  }

  private void take() throws IOException {
    LeaseFiles files = leaseFiles();
    List<Long> generations = files.generations();
    long current = generations.isEmpty() ? 0 : generations.get(generations.size() - 1);
    if (current > 0) {
      Location currentLocation = location(current);
      Record record;
      try {
        record = StateJson.read(storage.newInputFile(currentLocation).readAllBytes(), Record.class);
      } catch (FileNotFoundException e) {
        record = null; // removed while we looked: treat as free
      } catch (IOException e) {
        // a lease file is written atomically, so unreadable content is damage, not a half-write
        throw new IOException(
            "Cannot read the lease " + currentLocation + ": " + e.getMessage(), e);
      }
      if (record != null && !isFree(record)) {
        throw new LeaseHeldException(
            currentLocation,
            record.host() + " pid " + record.pid(),
            Instant.ofEpochMilli(record.expiresAtMillis()));
      }
    }
    long next = current + 1;
    long now = clock.millis();
    long expires = now + duration.toMillis();
    Record record =
        new Record(owner, hostName(), ProcessHandle.current().pid(), now, expires, false);
    byte[] content = StateJson.write(record);
    if (!storage.createExclusive(location(next), content) && !isOwn(location(next))) {
      throw new LeaseHeldException(
          location(next), "a run that started at the same moment", Instant.ofEpochMilli(expires));
    }
    // A store that drops the condition of create-if-absent would let two runs racing for this
    // generation both take it, and compact the same files: creating it again must fail. Its
    // content is the same, so on such a store nothing changes but the answer.
    boolean createdTwice;
    try {
      createdTwice = storage.createExclusive(location(next), content);
    } catch (IOException | RuntimeException e) {
      releaseQuietly(location(next), e);
      throw e;
    }
    if (createdTwice) {
      IOException refused =
          new IOException(
              "Cannot take the lease "
                  + location(next)
                  + ": the store let it be created a second time, so it ignores create-if-absent"
                  + " (on S3, a PutObject with If-None-Match: *), which keeps two runs from"
                  + " compacting the same files; Baler does not run on such a store");
      releaseQuietly(location(next), refused);
      throw refused;
    }
    synchronized (this) {
      held = location(next);
      generation = next;
      expiresAtMillis = expires;
    }
    List<Location> older = new ArrayList<>(files.abandoned());
    for (long old : generations) {
      older.add(location(old));
    }
    storage.deleteFiles(older);
    LOG.debug("Took lease {} until {}", held, Instant.ofEpochMilli(expires));
  }

  /**
   * Marks a generation this run created but will not hold as released, so that the next run need
   * not wait for it to expire; a failure to is added to {@code failure}.
   */
  private void releaseQuietly(Location generation, Exception failure) {
    long now = clock.millis();
    Record released = new Record(owner, hostName(), ProcessHandle.current().pid(), now, now, true);
    try {
      storage.newOutputFile(generation).write(StateJson.write(released));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Whether a generation that create-if-absent found taken holds this lease's own record: on S3, a
   * retried create whose first attempt succeeded but whose answer was lost reports the key as
   * taken.
   */
  private boolean isOwn(Location generation) throws IOException {
    try {
      Record found = StateJson.read(storage.newInputFile(generation).readAllBytes(), Record.class);
      return found.owner().equals(owner);
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  private boolean isFree(Record record) {
    if (record.released() || clock.millis() > record.expiresAtMillis()) {
      return true;
    }
    // A holder on this host whose process is gone was killed: its lease need not be waited out.
    // Hosts whose name cannot be looked up all share one placeholder, so the rule is off for them.
    return record.host().equals(hostName())
        && !hostName().equals(UNKNOWN_HOST)
        && ProcessHandle.of(record.pid()).map(process -> !process.isAlive()).orElse(true);
  }

  /**
   * Checks that no other run holds a lease on a directory above this lease's directory, or on one
   * of {@code nested} (lease files found below it): two runs on a directory and on one of its
   * subdirectories would otherwise each hold a lease and compact the same files. Each run takes its
   * own lease before it looks for the other's, so of two such runs at least one sees the other.
   *
   * @param nested lease files found below the directory, such as by a listing of it
   * @throws LeaseHeldException naming a live lease found
   * @throws IOException if the store fails
   */
  public void checkNoOverlap(List<Location> nested) throws IOException {
    List<Location> candidates = new ArrayList<>(nested);
    Optional<Location> above =
        leaseDirectory.parent().flatMap(Location::parent).flatMap(Location::parent);
    while (above.isPresent()) {
      for (FileEntry entry : storage.list(above.get().resolve(DIRECTORY)).toList()) {
        candidates.add(entry.location());
      }
      above = above.get().parent();
    }
    for (Location candidate : candidates) {
      if (!candidate.fileName().matches("\\d{10}\\.json") || candidate.equals(held)) {
        continue;
      }
      Record record;
      try {
        record = StateJson.read(storage.newInputFile(candidate).readAllBytes(), Record.class);
      } catch (FileNotFoundException e) {
        continue;
      }
      if (!isFree(record)) {
        throw new LeaseHeldException(
            candidate,
            record.host() + " pid " + record.pid() + " (a run on an overlapping directory)",
            Instant.ofEpochMilli(record.expiresAtMillis()));
      }
    }
  }

  /**
   * Extends the lease by its duration from now.
   *
   * @throws LeaseLostException if another run has taken the lease or it expired
   */
  public synchronized void renew() throws IOException {
    check();
    long now = clock.millis();
    long expires = now + duration.toMillis();
    Record record =
        new Record(owner, hostName(), ProcessHandle.current().pid(), now, expires, false);
    storage.newOutputFile(held).write(StateJson.write(record));
    expiresAtMillis = expires;
  }

  /**
   * Checks that this run still holds the lease: that its expiry, less a margin of a tenth of its
   * duration, has not passed, and that no other run has taken a newer generation. A run can lose
   * its lease while it lives (a pause longer than the lease, clocks that disagree, a process id
   * that a run in another PID namespace on a host of the same name takes for dead); from then on
   * every check fails, so that it changes nothing more.
   *
   * @throws LeaseLostException if it does not hold the lease
   * @throws IOException if the lease directory cannot be listed
   */
  public synchronized void check() throws IOException {
    if (held == null) {
      throw new IllegalStateException("Lease released");
    }
    if (lost) {
      throw new LeaseLostException(held, "another run took a newer lease");
    }
    if (clock.millis() > expiresAtMillis - duration.toMillis() / 10) {
      throw new LeaseLostException(held, "it expired before it could be renewed");
    }
    List<Long> generations = leaseFiles().generations();
    if (generations.isEmpty() || generations.get(generations.size() - 1) != generation) {
      lost = true;
      throw new LeaseLostException(
          held, generations.isEmpty() ? "its file is gone" : "another run took a newer lease");
    }
  }

  /**
   * The time before which a hidden temporary file of this directory's state ({@link
   * TemporaryNames}: a lease file or journal record being written, before its rename) was abandoned
   * by a killed run: now less the lease's duration. No run takes that long to write one, and a run
   * that held its lease so long without renewing it has lost it.
   */
  Instant abandonedBefore() {
    return Instant.ofEpochMilli(clock.millis()).minus(duration);
  }

  /** How often to renew: a third of the duration. */
  public Duration renewalInterval() {
    return duration.dividedBy(3);
  }

  /** The lease file held. */
  public synchronized Location location() {
    return held;
  }

  /** Releases the lease so that the next run need not wait. */
  @Override
  public synchronized void close() throws IOException {
    if (held == null) {
      return;
    }
    if (!lost) {
      long now = clock.millis();
      Record record = new Record(owner, hostName(), ProcessHandle.current().pid(), now, now, true);
      storage.newOutputFile(held).write(StateJson.write(record));
    }
    held = null;
  }

  /**
   * The lease directory as listed.
   *
   * @param generations the lease files' generations, in order
   * @param abandoned hidden temporary files ({@link TemporaryNames}, as local disk and HDFS write a
   *     file before renaming it) from before {@link #abandonedBefore()}: left by a run killed while
   *     it wrote a lease file
   */
  private record LeaseFiles(List<Long> generations, List<Location> abandoned) {}

  private LeaseFiles leaseFiles() throws IOException {
    List<Long> generations = new ArrayList<>();
    List<Location> abandoned = new ArrayList<>();
    Instant cutoff = abandonedBefore();
    for (FileEntry entry : storage.list(leaseDirectory).toList()) {
      String name = entry.location().fileName();
      if (name.matches("\\d{10}\\.json")) {
        generations.add(Long.parseLong(name.substring(0, 10)));
      } else if (TemporaryNames.isTemporary(name)
          && entry.location().parent().equals(Optional.of(leaseDirectory))
          && entry.lastModified().isBefore(cutoff)) {
        abandoned.add(entry.location());
      }
    }
    generations.sort(null);
    return new LeaseFiles(generations, abandoned);
  }

  private Location location(long generation) {
    return leaseDirectory.resolve(String.format("%010d.json", generation));
  }

  private static String hostName() {
    return HostName.VALUE;
  }

  /** The host's name, looked up once: the lookup can be slow on a badly configured machine. */
  private static final class HostName {
    static final String VALUE = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return UNKNOWN_HOST;
      }
    }
  }
}
