package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baler.compaction.CompactionOptions.Originals;
import dev.baler.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts two compactions of one directory in two child JVMs at the same moment and checks that the
 * lease lets only one work at a time: one succeeds, the other either finds the lease held or runs
 * after the first, and the directory holds exactly the original rows, none twice. Also checks that
 * a run whose lease was taken over stops changing anything.
 */
@Timeout(120)
class ConcurrentRunsIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern LEASE_HELD =
      Pattern.compile(
          "LEASE_HELD Cannot take the lease \\S+/_baler/lease/\\d{10}\\.json: held by (a run that"
              + " started at the same moment|\\S+ pid \\d+) until .*");
  private static final Pattern DONE =
      Pattern.compile("DONE SUCCESS files_processed=(\\d+) files_created=(\\d+) recovered=0");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CompactedDirectory template;

  @TempDir Path temp;

  @BeforeAll
  static void writeDataSet(@TempDir Path templateRoot) throws IOException {
    template = CompactedDirectory.create(templateRoot.resolve("data"));
  }

  /**
   * The first repetition sends both start signals at once, so both runs race to create the first
   * lease generation; later ones start the second run a little later each time, so that it meets a
   * lease a live run already holds, or a released one.
   */
  @RepeatedTest(4)
  void twoRunsStartedTogether_onlyOneCompactsEachFile(RepetitionInfo repetition) throws Exception {
    Originals originals =
        repetition.getCurrentRepetition() % 2 == 0 ? Originals.KEEP : Originals.DELETE;
    long delayMillis = (repetition.getCurrentRepetition() - 1) * 150L;
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));
    List<String> args =
        List.of(
            directory.root().toString(),
            CompactionChild.NONE,
            originals.name(),
            "await-go=true",
            "trace=true");

    try (ChildJvm first = ChildJvm.start("first", temp, args);
        ChildJvm second = ChildJvm.start("second", temp, args)) {
      first.awaitLine("READY", START_TIMEOUT);
      second.awaitLine("READY", START_TIMEOUT);
      first.send("GO");
      Thread.sleep(delayMillis);
      second.send("GO");
      int[] exits = {first.awaitExit(RUN_TIMEOUT), second.awaitExit(RUN_TIMEOUT)};
      List<List<String>> outputs = List.of(first.lines(RUN_TIMEOUT), second.lines(RUN_TIMEOUT));
      String described = first.describe() + "\n" + second.describe();

      List<long[]> workSpans = new ArrayList<>();
      int filesProcessed = 0;
      for (int i = 0; i < 2; i++) {
        List<String> lines = outputs.get(i);
        String outcome = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertThat(exits[i]).as(described).isIn(0, CompactionChild.EXIT_LEASE_HELD);
        if (exits[i] == 0) {
          Matcher done = DONE.matcher(outcome);
          assertThat(done.matches()).as(described).isTrue();
          filesProcessed += Integer.parseInt(done.group(1));
          workSpans.add(workSpan(lines));
        } else {
          // lost the race to create the lease, or found it held by a live run
          assertThat(outcome).as(described).matches(LEASE_HELD);
          assertThat(lines).as(described).noneMatch(line -> line.startsWith("STEP "));
        }
      }
      assertThat(workSpans).as(described).isNotEmpty();
      if (workSpans.size() == 2) {
        // both succeeded: one took the lease only after the other's last step
        long[] a = workSpans.get(0);
        long[] b = workSpans.get(1);
        assertThat(a[1] <= b[0] || b[1] <= a[0])
            .as("runs overlapped: %s and %s%n%s", Arrays.toString(a), Arrays.toString(b), described)
            .isTrue();
      }
      // Each original went into exactly one output: a run after the first found nothing to do.
      assertThat(filesProcessed).as(described).isEqualTo(CompactedDirectory.FILES);
    }
    directory.assertHoldsExactlyTheOriginalRows(originals);
  }

  /**
   * A run can lose its lease while it lives: a pause longer than the lease, clocks that disagree,
   * or a holder whose process id means nothing to the taker (same host name, another PID namespace,
   * as containers with the host's network have). Here the paused run's lease is made to look like a
   * dead process's, the next run takes it over and compacts everything, and then the paused run
   * goes on: from its next step it must change nothing.
   */
  @Test
  void runWhoseLeaseWasTakenOver_changesNothingAfterwards() throws Exception {
    CompactedDirectory directory = template.copyTo(temp.resolve("data"));
    try (ChildJvm paused =
        ChildJvm.start(
            "paused",
            temp,
            List.of(
                directory.root().toString(),
                ProtocolStep.OUTPUT_WRITTEN.name(),
                Originals.DELETE.name(),
                "resume=true"))) {
      paused.awaitLine("AT OUTPUT_WRITTEN ", START_TIMEOUT);
      Path lease = directory.latestLease();
      ObjectNode record = (ObjectNode) JSON.readTree(Files.readAllBytes(lease));
      assertThat(record.get("pid").asLong()).isEqualTo(paused.pid());
      record.put("pid", deadPid());
      Path edited = lease.resolveSibling(".edited.tmp");
      Files.write(edited, JSON.writeValueAsBytes(record));
      Files.move(edited, lease, StandardCopyOption.ATOMIC_MOVE);

      CompactionResult takeover =
          new CompactionRunner(
                  new LocalStorage(),
                  CompactionChild.options(
                      Originals.DELETE,
                      CompactionOptions.DEFAULT_LEASE_DURATION,
                      directory.location()),
                  CompactionListener.NONE)
              .run(directory.location());
      assertThat(takeover.status()).isEqualTo(CompactionResult.Status.SUCCESS);
      assertThat(takeover.filesProcessed()).isEqualTo(CompactedDirectory.FILES);

      paused.send("GO");
      paused.awaitLine("RESUMED OUTPUT_WRITTEN", START_TIMEOUT);
      int exit = paused.awaitExit(RUN_TIMEOUT);
      List<String> lines = paused.lines(RUN_TIMEOUT);
      directory.assertHoldsExactlyTheOriginalRows(Originals.DELETE);
      assertThat(exit).as(paused.describe()).isEqualTo(2);
      assertThat(lines.get(lines.size() - 1))
          .as(paused.describe())
          .startsWith("DONE FAILED files_processed=0 files_created=0");
    }
  }

  /** The id of a process that has ended. */
  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  /** From the time a run took the lease to the time of its last protocol step, in epoch millis. */
  private static long[] workSpan(List<String> lines) {
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
    for (String line : lines) {
      if (line.startsWith("STEP ")) {
        long millis = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        span[0] = Math.min(span[0], millis);
        span[1] = Math.max(span[1], millis);
      }
    }
    assertThat(lines).anyMatch(line -> line.startsWith("STEP LEASE_TAKEN "));
    return span;
  }
}
