package dev.baler.parquet;

import org.apache.parquet.io.api.RecordConsumer;

/**
 * Where the value writers of one file send their output, and what they count on the way. Not
 * thread-safe: one per file being written.
 */
final class Emitter {
  final RecordConsumer consumer;
  private long truncatedTimestamps;

  Emitter(RecordConsumer consumer) {
    this.consumer = consumer;
  }

  /** Counts a time stamp whose nanoseconds were not a multiple of 1,000. */
  void timestampTruncated() {
    truncatedTimestamps++;
  }

  long truncatedTimestamps() {
    return truncatedTimestamps;
  }

  /** Writes field {@code name} at {@code index} holding the one value {@code value} writes. */
  void field(String name, int index, Runnable value) {
    consumer.startField(name, index);
    value.run();
    consumer.endField(name, index);
  }
}
