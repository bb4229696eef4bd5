package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.Location;
import java.util.List;
import java.util.OptionalLong;

/**
 * A group of input files of one partition and one schema that become one output file.
 *
 * @param index the bin's position in its plan, from 0
 * @param partition the directory the inputs and the output are in
 * @param inputs the files, in time order; at least two; kept packed ({@link InputList})
 * @param output where the compacted file goes: {@code {prefix}.{timestamp_millis}.c.parquet}
 */
public record Bin(int index, Location partition, List<InputEntry> inputs, Location output) {
  public Bin {
    requireNonNull(partition, "partition is null");
    inputs = InputList.copyOf(inputs);
    requireNonNull(output, "output is null");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Invalid bin " + index + ": no inputs");
    }
  }

  /**
   * The inputs' locations, in the order of {@link #inputs}: a view that makes each location as it
   * is read, not a copy. A bin of 25,000 small files kept about 2.8 MB of locations in a copy, held
   * for as long as its originals took to delete (seconds), while the next bins merged. Immutable,
   * as the bin is, and safe to read from any thread.
   */
  public List<Location> inputLocations() {
    return MappedList.of(inputs, InputEntry::location);
  }

  /** Input bytes, the sum of the files' lengths. */
  public long inputBytes() {
    return inputs.stream().mapToLong(InputEntry::length).sum();
  }

  /** Input rows, from the footers. */
  public long inputRows() {
    return inputs.stream().mapToLong(InputEntry::rows).sum();
  }

  /** The latest time stamp among the inputs' names, if any has one. */
  public OptionalLong latestTimestampMillis() {
    return inputs.stream()
        .map(InputEntry::timestampMillis)
        .filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong)
        .max();
  }

  /**
   * An estimate of the bytes the output saves: per input, the bytes that are not column data
   * (footer, page indexes, magic), less one output footer. Re-encoding into larger dictionaries and
   * pages usually saves more; the run reports the real figure.
   */
  public long estimatedSavedBytes() {
    long overhead = 0;
    for (InputEntry input : inputs) {
      long data = input.layout().dataBytes();
      overhead += Math.max(0, input.length() - data);
    }
    long oneFooter = inputs.isEmpty() ? 0 : overhead / inputs.size();
    return Math.max(0, overhead - oneFooter);
  }
}
