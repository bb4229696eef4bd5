package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merge's large arrays serve the next merge: given back by a merge or read-back that finished,
 * kept from the pool by one that failed, and the same arrays again for the next taker.
 */
class MergeMemoryTest {
  private final MemoryStorage storage = new MemoryStorage();
  private final List<MergeMemory> drained = new ArrayList<>();

  @BeforeEach
  void drainThePool() {
    while (MergeMemory.idle() > 0) {
      drained.add(MergeMemory.take());
    }
  }

  @AfterEach
  void refillThePool() {
    drained.forEach(MergeMemory::giveBack);
  }

  @Test
  void take_givesBackTheEntryGivenBackLastWithItsArrays() {
    MergeMemory memory = MergeMemory.take();
    byte[] bytes = memory.bytes(1000);
    memory.giveBack();

    MergeMemory again = MergeMemory.take();

    assertThat(again).isSameAs(memory);
    assertThat(again.bytes(500)).isSameAs(bytes);
    assertThat(again.bytes(2000)).hasSizeGreaterThanOrEqualTo(2000).isNotSameAs(bytes);
  }

  @Test
  void mergeAndReadBack_giveTheirMemoryBackOnlyWhenTheyFinish() throws IOException {
    List<MergeInput> inputs = List.of(input("a", 0), input("b", 1000));
    Location output = Location.of("memory://test/out.c.parquet");

    MergeResult merged =
        new ParquetMerger(WriteOptions.defaults())
            .merge(inputs, storage.newOutputFile(output), MergeListener.NONE);
    assertThat(MergeMemory.idle()).as("after a merge").isEqualTo(1);
    RowFingerprint readBack =
        RowFingerprint.of(
            storage.newInputFile(output), ParquetMerger.DEFAULT_WINDOW_BYTES, merged.verbatim());
    assertThat(MergeMemory.idle()).as("after a read-back").isEqualTo(1);
    assertThat(readBack).isEqualTo(merged.fingerprint());

    // the second input as planned no longer matches its file: the merge fails as it opens
    MergeInput changed =
        new MergeInput(inputs.get(1).file(), inputs.get(0).layout(), Optional.empty());
    assertThatThrownBy(
            () ->
                new ParquetMerger(WriteOptions.defaults())
                    .merge(
                        List.of(inputs.get(0), changed),
                        storage.newOutputFile(Location.of("memory://test/failed.c.parquet")),
                        MergeListener.NONE))
        .isInstanceOf(IOException.class);
    assertThat(MergeMemory.idle()).as("after a failed merge").isZero();
  }

  /** An input of 1,000 rows of the wide test schema, from row {@code first}. */
  private MergeInput input(String name, int first) throws IOException {
    Location location = Location.of("memory://test/" + name + ".parquet");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new ParquetOutputFile(storage.newOutputFile(location)))
            .withType(ColumnHasherTest.SCHEMA)
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(ColumnHasherTest.SCHEMA);
      for (int i = first; i < first + 1000; i++) {
        writer.write(ColumnHasherTest.row(groups, i));
      }
    }
    return new MergeInput(
        storage.newInputFile(location),
        Footer.read(storage.newInputFile(location)).layout(),
        Optional.empty());
  }
}
