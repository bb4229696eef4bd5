package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.parquet.RowFingerprint;
import dev.baler.storage.FileEntry;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.storage.Storage;
import dev.baler.testing.ForwardingStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepackTest {
  private static final Location SOURCE = Location.of("memory://lake/raw/");
  private static final Location DESTINATION = Location.of("memory://lake/raw_repack");

  private final MemoryStorage storage = new MemoryStorage();

  private void put(String key, byte[] bytes) throws IOException {
    storage.newOutputFile(Location.of("memory://lake/" + key)).write(bytes);
  }

  private RepackResult repack(RepackOptions options) throws IOException {
    return new Repack(storage, storage, options, RepackListener.NONE).run(SOURCE, DESTINATION);
  }

  private List<String> keys(Location prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    for (FileEntry entry : storage.list(prefix).toList()) {
      keys.add(entry.location().path());
    }
    Collections.sort(keys);
    return keys;
  }

  @Test
  void run_writesEveryDataFileToTheSameRelativeKey() throws IOException {
    put("raw/a.parquet", EventFiles.events(0, 100));
    put("raw/date=2024-01-01/b.parq", EventFiles.events(100, 50));
    put("raw/date=2024-01-01/deep/c.parquet", EventFiles.events(150, 10));
    put("raw/_SUCCESS", new byte[0]);
    put("raw/notes.txt", new byte[] {1, 2, 3});
    put("rawer/d.parquet", EventFiles.events(0, 5)); // a sibling prefix, not below raw/

    RepackResult result = repack(RepackOptions.builder().workers(2).build());

    assertThat(result.status()).isEqualTo(RepackResult.Status.SUCCESS);
    assertThat(result.found()).isEqualTo(3);
    assertThat(result.completed()).hasSize(3);
    assertThat(result.skipped()).isEmpty();
    assertThat(result.failed()).isEmpty();
    assertThat(result.rows()).isEqualTo(160);
    assertThat(keys(DESTINATION.asDirectory()))
        .containsExactly(
            "raw_repack/a.parquet",
            "raw_repack/date=2024-01-01/b.parq",
            "raw_repack/date=2024-01-01/deep/c.parquet");
    for (RepackedFile file : result.completed()) {
      assertThat(RowFingerprint.of(storage.newInputFile(file.destination())))
          .isEqualTo(RowFingerprint.of(storage.newInputFile(file.source())));
    }
    assertThat(result.completed().get(0))
        .isEqualTo(
            new RepackedFile(
                Location.of("memory://lake/raw/a.parquet"),
                Location.of("memory://lake/raw_repack/a.parquet"),
                storage.newInputFile(Location.of("memory://lake/raw/a.parquet")).length(),
                100,
                0,
                List.of()));
  }

  @Test
  void rerun_skipsExistingOutputsAndRetriesOnlyFailures() throws IOException {
    put("raw/a.parquet", EventFiles.events(0, 10));
    put("raw/b.parquet", new byte[0]);
    put("raw/c.parquet", "not Parquet data at all".getBytes(StandardCharsets.UTF_8));

    RepackResult first = repack(RepackOptions.builder().build());

    assertThat(first.status()).isEqualTo(RepackResult.Status.PARTIAL);
    assertThat(first.completed())
        .extracting(RepackedFile::source)
        .containsExactly(Location.of("memory://lake/raw/a.parquet"));
    assertThat(first.failed())
        .containsExactly(
            new RepackResult.Failure(
                Location.of("memory://lake/raw/b.parquet"), "empty file (0 bytes)"),
            new RepackResult.Failure(
                Location.of("memory://lake/raw/c.parquet"),
                "not a Parquet file: no PAR1 magic number at its start or end"));
    assertThat(keys(DESTINATION.asDirectory())).containsExactly("raw_repack/a.parquet");

    put("raw/b.parquet", EventFiles.events(10, 5));
    RepackResult second = repack(RepackOptions.builder().build());

    assertThat(second.skipped()).containsExactly(Location.of("memory://lake/raw/a.parquet"));
    assertThat(second.completed())
        .extracting(RepackedFile::source)
        .containsExactly(Location.of("memory://lake/raw/b.parquet"));
    assertThat(second.failed())
        .extracting(RepackResult.Failure::source)
        .containsExactly(Location.of("memory://lake/raw/c.parquet"));
    assertThat(keys(DESTINATION.asDirectory()))
        .containsExactly("raw_repack/a.parquet", "raw_repack/b.parquet");
  }

  @Test
  void overwrite_rewritesExistingOutputs() throws IOException {
    put("raw/a.parquet", EventFiles.events(0, 10));
    put("raw_repack/a.parquet", EventFiles.events(0, 3));

    RepackResult skipping = repack(RepackOptions.builder().build());
    RepackResult overwriting =
        repack(RepackOptions.builder().existing(RepackOptions.Existing.OVERWRITE).build());

    assertThat(skipping.skipped()).hasSize(1);
    assertThat(overwriting.completed()).hasSize(1);
    assertThat(
            RowFingerprint.of(
                    storage.newInputFile(Location.of("memory://lake/raw_repack/a.parquet")))
                .rows())
        .isEqualTo(10);
  }

  @Test
  void overlappingLocations_areRefused() {
    assertThatThrownBy(
            () -> Repack.checkLocations(Location.of("s3://b/raw"), Location.of("s3://b/raw/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot repack s3://b/raw into itself");
    assertThatThrownBy(
            () -> Repack.checkLocations(Location.of("s3://b/raw"), Location.of("s3://b/raw/out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot repack s3://b/raw into s3://b/raw/out: the destination is inside the source,"
                + " so a rerun would take outputs as inputs");
    assertThatThrownBy(
            () -> Repack.checkLocations(Location.of("s3://b/data/raw"), Location.of("s3://b/data")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(
            "the source is inside the destination, so outputs could replace inputs");
    Repack.checkLocations(Location.of("s3://b/raw"), Location.of("s3://b/raw_repack"));
    Repack.checkLocations(Location.of("s3://b/raw"), Location.of("s3://other/raw"));
    Repack.checkLocations(Location.of("s3://b/raw"), Location.of("file:///tmp/raw"));
  }

  @Test
  void outputThatFailsVerification_isDeletedAndReported() throws IOException {
    put("raw/a.parquet", EventFiles.events(0, 10));
    put("other.parquet", EventFiles.events(0, 11));
    // a store that, asked for the new output, answers with another file: what a broken store or a
    // concurrent writer could do
    Storage lying =
        new ForwardingStorage(storage) {
          @Override
          public InputFile newInputFile(Location location) {
            return location.path().startsWith("raw_repack/")
                ? storage.newInputFile(Location.of("memory://lake/other.parquet"))
                : storage.newInputFile(location);
          }
        };

    RepackResult result =
        new Repack(storage, lying, RepackOptions.builder().build(), RepackListener.NONE)
            .run(SOURCE, DESTINATION);

    assertThat(result.status()).isEqualTo(RepackResult.Status.FAILED);
    assertThat(result.failed())
        .singleElement()
        .satisfies(
            failure ->
                assertThat(failure.reason())
                    .isEqualTo(
                        "verification failed, output deleted: the output's footer counts 11 rows,"
                            + " expected 10"));
    assertThat(keys(DESTINATION.asDirectory())).isEmpty();
  }

  @Test
  void listener_hearsOfListingRowsAndEveryFile() throws IOException {
    put("raw/a.parquet", EventFiles.events(0, 10));
    put("raw/b.parquet", EventFiles.events(10, 20));
    put("raw/c.parquet", new byte[0]);
    put("raw_repack/b.parquet", EventFiles.events(10, 20));
    AtomicLong rows = new AtomicLong();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    RepackListener listener =
        new RepackListener() {
          @Override
          public void listed(int files, long bytes) {
            events.add("listed " + files);
          }

          @Override
          public void rowsWritten(long written) {
            rows.addAndGet(written);
          }

          @Override
          public void fileFinished(Location source, RepackResult.Outcome outcome) {
            events.add(source.fileName() + " " + outcome);
          }
        };

    new Repack(storage, storage, RepackOptions.builder().workers(1).build(), listener)
        .run(SOURCE, DESTINATION);

    assertThat(rows).hasValue(10);
    // the listing comes first; files finish in whatever order the worker and the skips take
    assertThat(events).first().isEqualTo("listed 3");
    assertThat(events.subList(1, events.size()))
        .containsExactlyInAnyOrder("b.parquet SKIPPED", "a.parquet COMPLETED", "c.parquet FAILED");
  }

  @Test
  void options_checkTheirValues() {
    assertThatThrownBy(() -> RepackOptions.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid number of workers 0: must be between 1 and 256");
    assertThat(RepackOptions.defaultWorkers())
        .isEqualTo(Math.min(32, 4 * Runtime.getRuntime().availableProcessors()));
  }
}
