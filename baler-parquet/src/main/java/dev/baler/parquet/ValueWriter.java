package dev.baler.parquet;

import org.apache.parquet.example.data.Group;

/**
 * Writes one input value, converted, as one value of the output schema. The value is the {@code
 * index}-th occurrence of field {@code field} of {@code parent}: a primitive, or a group that the
 * writer walks. Implementations are immutable and shared by every file of one schema.
 */
interface ValueWriter {
  void write(Group parent, int field, int index, Emitter emitter);
}
