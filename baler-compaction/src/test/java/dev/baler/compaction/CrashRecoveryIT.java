package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baler.compaction.CompactionOptions.Originals;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills a compaction in a child JVM with SIGKILL after each step of the protocol, then lets a
 * second run recover and finish, and checks with DuckDB that the directory holds exactly the
 * original rows: none lost, none twice.
 */
@Timeout(120)
class CrashRecoveryIT {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** The state of a verified bin's record: the data set's outputs have verbatim chunks. */
  private static final String VERIFIED = Journal.State.VERIFIED_VERBATIM.name();

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CompactedDirectory template;

  @TempDir Path temp;

  @BeforeAll
  static void writeDataSet(@TempDir Path templateRoot) throws IOException {
    template = CompactedDirectory.create(templateRoot.resolve("data"));
  }

  /**
   * Every point after the lease is taken: mid-write (a row group written, the output not yet
   * published), then each protocol step; {@code ORIGINALS_DELETED} happens only when originals are
   * deleted. First in the first bin; then, for a few steps, in the second bin, after the first was
   * committed and finished.
   */
  static Stream<Arguments> killPoints() {
    List<String> points = new ArrayList<>();
    points.add(CompactionChild.ROW_GROUP);
    for (ProtocolStep step : ProtocolStep.values()) {
      if (step != ProtocolStep.LEASE_TAKEN) {
        points.add(step.name());
      }
    }
    List<Arguments> arguments = new ArrayList<>();
    // TRASH needs a store with a trash (HDFS); on local disk it is refused before the lease.
    for (Originals originals : List.of(Originals.DELETE, Originals.KEEP, Originals.BACK_UP)) {
      for (String point : points) {
        if (originals == Originals.KEEP && point.equals(ProtocolStep.ORIGINALS_DELETED.name())) {
          continue;
        }
        arguments.add(Arguments.of(point, originals, 1));
      }
    }
    arguments.add(Arguments.of(ProtocolStep.OUTPUT_WRITTEN.name(), Originals.DELETE, 2));
    arguments.add(Arguments.of(ProtocolStep.MARKERS_WRITTEN.name(), Originals.DELETE, 2));
    arguments.add(Arguments.of(ProtocolStep.OUTPUT_VERIFIED.name(), Originals.KEEP, 2));
    return arguments.stream();
  }

  @ParameterizedTest(name = "killed at {0} of bin {2}, originals {1}")
  @MethodSource("killPoints")
  void killedRun_nextRunLeavesExactlyTheOriginalRows(String stopAt, Originals originals, int bin)
      throws Exception {
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));

    String at;
    try (ChildJvm child =
        ChildJvm.start(
            "child",
            temp,
            List.of(directory.root().toString(), stopAt, originals.name(), "occurrence=" + bin))) {
      at = child.awaitLine("AT " + stopAt + " ", STEP_TIMEOUT);
      child.kill();
    }
    Optional<Path> stopped = assertStoppedAt(directory, stopAt, originals, at);
    Map<Location, String> openRecords = states(directory.journalRecords());

    CompactionResult result = compactAgain(directory, originals);

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.failedBins()).isEmpty();
    assertThat(result.deletionFailures()).isEmpty();
    // Every record left open is recovered: rolled back before it said verified, finished after.
    // Besides the stopped bin's, a kill can leave another bin's open: at --parallelism 1 one bin
    // is merged while at most one waits to be retired (CompactionRunner), so the bin before, still
    // retiring its originals, or the bin after, already merging.
    assertThat(openRecords).hasSizeLessThanOrEqualTo(2);
    assertThat(result.recovered())
        .extracting(CompactionResult.Recovery::journalRecord)
        .containsExactlyInAnyOrderElementsOf(openRecords.keySet());
    for (CompactionResult.Recovery recovery : result.recovered()) {
      assertThat(recovery.action())
          .as("recovery of %s", recovery.journalRecord())
          .startsWith(
              openRecords.get(recovery.journalRecord()).equals("WRITING")
                  ? "rolled back: unverified output"
                  : "finished: ");
    }
    String expected =
        switch (stopAt) {
          case CompactionChild.ROW_GROUP, "JOURNAL_OPENED", "OUTPUT_WRITTEN" -> "WRITING";
          case "OUTPUT_VERIFIED", "MARKERS_WRITTEN", "ORIGINALS_DELETED" -> VERIFIED;
          case "JOURNAL_CLOSED" -> "closed";
          default -> throw new IllegalArgumentException(stopAt);
        };
    assertThat(stopped.map(record -> openRecords.get(Location.local(record))).orElse("closed"))
        .as("the stopped bin's record")
        .isEqualTo(expected);
    directory.assertHoldsExactlyTheOriginalRows(originals);
  }

  @Test
  void runKilledPartWayThroughDeletingOriginals_nextRunLeavesExactlyTheOriginalRows()
      throws Exception {
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));
    try (ChildJvm child =
        ChildJvm.start(
            "child",
            temp,
            List.of(
                directory.root().toString(),
                ProtocolStep.OUTPUT_VERIFIED.name(),
                Originals.DELETE.name()))) {
      child.awaitLine("AT OUTPUT_VERIFIED ", STEP_TIMEOUT);
      child.kill();
    }
    // No step is heard inside the batch delete, so make the state a kill there leaves: the first
    // half of the bin's originals deleted. Every input also gets a marker, as a Baler that marked
    // inputs before deleting them left it; recovery must not leave those behind.
    JsonNode record = JSON.readTree(Files.readAllBytes(directory.journalRecords().get(0)));
    assertThat(record.get("verbatim_chunks").asText())
        .as("chunks carried over verbatim, which recovery reads back by their pages' bytes")
        .isNotEmpty();
    List<Path> inputs = new ArrayList<>();
    record.get("inputs").forEach(input -> inputs.add(Location.of(input.asText()).toLocalPath()));
    for (Path input : inputs) {
      Files.write(marker(input), "{}".getBytes(StandardCharsets.UTF_8));
    }
    for (Path input : inputs.subList(0, inputs.size() / 2)) {
      Files.delete(input);
    }

    // First recovery alone: originals kept, and too few files for any bin, so that nothing else
    // touches the directory (a run that removes originals also clears orphan markers itself,
    // which would hide markers that recovery left behind).
    CompactionResult recovery =
        new CompactionRunner(
                new LocalStorage(),
                CompactionOptions.builder()
                    .originals(Originals.KEEP)
                    .minFiles(1_000_000)
                    .parallelism(1)
                    .build(),
                CompactionListener.NONE)
            .run(directory.location());

    assertThat(recovery.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(recovery.recovered())
        .singleElement()
        .satisfies(
            recovered ->
                assertThat(recovered.action())
                    .isEqualTo(
                        "finished: "
                            + (inputs.size() - inputs.size() / 2)
                            + " of "
                            + inputs.size()
                            + " inputs deleted"));
    assertThat(inputs).allSatisfy(input -> assertThat(input).doesNotExist());
    assertThat(inputs).allSatisfy(input -> assertThat(marker(input)).doesNotExist());

    CompactionResult result = compactAgain(directory, Originals.DELETE);

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.recovered()).isEmpty();
    directory.assertHoldsExactlyTheOriginalRows(Originals.DELETE);
  }

  @Test
  void runKilledWhileRecoveringAKilledRun_nextRunLeavesExactlyTheOriginalRows() throws Exception {
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));
    try (ChildJvm first =
        ChildJvm.start(
            "first",
            temp,
            List.of(
                directory.root().toString(),
                ProtocolStep.OUTPUT_VERIFIED.name(),
                Originals.DELETE.name()))) {
      first.awaitLine("AT OUTPUT_VERIFIED ", STEP_TIMEOUT);
      first.kill();
    }
    // The second run's first deletion is its recovery of the first run's bin.
    try (ChildJvm second =
        ChildJvm.start(
            "second",
            temp,
            List.of(
                directory.root().toString(),
                ProtocolStep.ORIGINALS_DELETED.name(),
                Originals.DELETE.name()))) {
      second.awaitLine("AT ORIGINALS_DELETED ", STEP_TIMEOUT);
      second.kill();
    }
    assertStoppedAt(directory, ProtocolStep.ORIGINALS_DELETED.name(), Originals.DELETE, "");

    CompactionResult result = compactAgain(directory, Originals.DELETE);

    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.recovered())
        .singleElement()
        .satisfies(recovery -> assertThat(recovery.action()).startsWith("finished: "));
    directory.assertHoldsExactlyTheOriginalRows(Originals.DELETE);
  }

  @Test
  void killedRunOfAnotherHost_leaseIsTakenOverOnlyOnceItExpires() throws Exception {
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));
    Duration lease = Duration.ofSeconds(2);
    long pid;
    try (ChildJvm child =
        ChildJvm.start(
            "child",
            temp,
            List.of(
                directory.root().toString(),
                ProtocolStep.OUTPUT_VERIFIED.name(),
                Originals.DELETE.name(),
                "lease-seconds=2"))) {
      child.awaitLine("AT OUTPUT_VERIFIED ", STEP_TIMEOUT);
      pid = child.pid();
      child.kill();
    }
    // Make the dead run's lease look like a live run's on another host that renewed just now.
    Path leaseFile = directory.latestLease();
    ObjectNode record = (ObjectNode) JSON.readTree(Files.readAllBytes(leaseFile));
    assertThat(record.get("pid").asLong()).isEqualTo(pid);
    assertThat(record.get("released").asBoolean()).isFalse();
    long expiresAt = System.currentTimeMillis() + lease.toMillis();
    record.put("host", "another-host.example");
    record.put("expires_at_millis", expiresAt);
    Path edited = leaseFile.resolveSibling(".edited.tmp");
    Files.write(edited, JSON.writeValueAsBytes(record));
    Files.move(edited, leaseFile, StandardCopyOption.ATOMIC_MOVE);

    CompactionRunner runner =
        new CompactionRunner(
            new LocalStorage(),
            CompactionChild.options(Originals.DELETE, lease, directory.location()),
            CompactionListener.NONE);
    assertThatThrownBy(() -> runner.run(directory.location()))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining(
            "Cannot take the lease "
                + Location.local(leaseFile)
                + ": held by another-host.example pid "
                + pid);
    assertThat(directory.journalRecords()).as("journal records untouched").hasSize(1);

    // A run that keeps trying takes the lease over once it has expired, and not before.
    CompactionResult result = null;
    long takenAt = 0;
    long deadline = System.currentTimeMillis() + 20_000;
    while (result == null) {
      assertThat(System.currentTimeMillis()).as("lease taken over in time").isLessThan(deadline);
      try {
        long attempt = System.currentTimeMillis();
        result = runner.run(directory.location());
        takenAt = attempt;
      } catch (LeaseHeldException e) {
        Thread.sleep(200);
      }
    }
    assertThat(takenAt).isGreaterThanOrEqualTo(expiresAt);
    assertThat(result.status()).isEqualTo(CompactionResult.Status.SUCCESS);
    assertThat(result.recovered())
        .singleElement()
        .satisfies(recovery -> assertThat(recovery.action()).startsWith("finished: "));
    directory.assertHoldsExactlyTheOriginalRows(Originals.DELETE);
  }

  /** Runs a compaction of the directory in this process, as the next run after a killed one. */
  private static CompactionResult compactAgain(CompactedDirectory directory, Originals originals)
      throws IOException {
    return new CompactionRunner(
            new LocalStorage(),
            CompactionChild.options(
                originals, CompactionOptions.DEFAULT_LEASE_DURATION, directory.location()),
            CompactionListener.NONE)
        .run(directory.location());
  }

  /** The state of each journal record, by its location. */
  private static Map<Location, String> states(List<Path> records) throws IOException {
    Map<Location, String> states = new HashMap<>();
    for (Path record : records) {
      states.put(
          Location.local(record), JSON.readTree(Files.readAllBytes(record)).get("state").asText());
    }
    return states;
  }

  /**
   * Checks that the killed run stopped where it said: the open journal record's state, and which of
   * its output, inputs and markers exist. Returns the stopped bin's record; empty when the run
   * stopped once it had closed it.
   *
   * @param at the line the run printed where it stopped, {@code AT <step> <subject>}; empty when
   *     only the stopped bin's record can be open
   */
  private static Optional<Path> assertStoppedAt(
      CompactedDirectory directory, String stopAt, Originals originals, String at)
      throws IOException {
    List<Path> records = directory.journalRecords();
    String subject = at.split(" ", 3).length == 3 ? at.split(" ", 3)[2] : "";
    if (stopAt.equals(ProtocolStep.JOURNAL_CLOSED.name())) {
      for (Path record : records) {
        assertThat(JSON.readTree(Files.readAllBytes(record)).get("output").asText())
            .isNotEqualTo(subject);
      }
      Path output = Location.of(subject).toLocalPath();
      assertThat(output).exists();
      return Optional.empty();
    }
    // A neighbouring bin's record may be open too (see killedRun_...): the stopped bin's is the one
    // with the output the run stopped at, or, mid-write, the one still writing.
    List<Path> stopped = new ArrayList<>();
    for (Path candidate : records) {
      JsonNode node = JSON.readTree(Files.readAllBytes(candidate));
      boolean matches =
          subject.isEmpty()
              || (stopAt.equals(CompactionChild.ROW_GROUP)
                  ? node.get("state").asText().equals("WRITING")
                  : node.get("output").asText().equals(subject));
      if (matches) {
        stopped.add(candidate);
      }
    }
    assertThat(stopped).hasSize(1);
    Path recordFile = stopped.get(0);
    JsonNode record = JSON.readTree(Files.readAllBytes(recordFile));
    Path output = Location.of(record.get("output").asText()).toLocalPath();
    List<Path> inputs = new ArrayList<>();
    record.get("inputs").forEach(input -> inputs.add(Location.of(input.asText()).toLocalPath()));
    assertThat(inputs).hasSizeGreaterThanOrEqualTo(2);
    String state = record.get("state").asText();
    switch (stopAt) {
      case CompactionChild.ROW_GROUP -> {
        assertThat(state).isEqualTo("WRITING");
        assertThat(output).doesNotExist();
        assertThat(directory.hiddenFilesOutsideState())
            .anySatisfy(
                file ->
                    assertThat(file.getFileName().toString())
                        .startsWith("." + output.getFileName()));
        assertThat(inputs).allSatisfy(input -> assertThat(input).exists());
      }
      case "JOURNAL_OPENED" -> {
        assertThat(state).isEqualTo("WRITING");
        assertThat(output).doesNotExist();
        assertThat(inputs).allSatisfy(input -> assertThat(input).exists());
      }
      case "OUTPUT_WRITTEN", "OUTPUT_VERIFIED" -> {
        assertThat(state).isEqualTo(stopAt.equals("OUTPUT_WRITTEN") ? "WRITING" : VERIFIED);
        assertThat(output).exists();
        assertThat(inputs).allSatisfy(input -> assertThat(input).exists());
        assertThat(inputs).allSatisfy(input -> assertThat(marker(input)).doesNotExist());
      }
      case "MARKERS_WRITTEN" -> {
        assertThat(state).isEqualTo(VERIFIED);
        assertThat(output).exists();
        if (originals == Originals.KEEP) {
          assertThat(inputs).allSatisfy(input -> assertThat(input).exists());
          assertThat(inputs).allSatisfy(input -> assertThat(marker(input)).exists());
        } else {
          // removed originals need no marker: the journal record covers them until it closes
          assertThat(inputs).allSatisfy(input -> assertThat(input).doesNotExist());
          assertThat(inputs).allSatisfy(input -> assertThat(marker(input)).doesNotExist());
        }
      }
      case "ORIGINALS_DELETED" -> {
        assertThat(state).isEqualTo(VERIFIED);
        assertThat(output).exists();
        assertThat(inputs).allSatisfy(input -> assertThat(input).doesNotExist());
        assertThat(inputs).allSatisfy(input -> assertThat(marker(input)).doesNotExist());
      }
      default -> throw new IllegalArgumentException(stopAt);
    }
    return Optional.of(recordFile);
  }

  private static Path marker(Path original) {
    return original.resolveSibling(original.getFileName() + FileNames.MARKER_SUFFIX);
  }
}
