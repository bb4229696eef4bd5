package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.parquet.schema.MessageType;

/**
 * An input schema, the schema {@link SchemaNormalizer} makes of it, and what changed. Immutable and
 * thread-safe.
 */
public final class NormalizedSchema {
  private final MessageType input;
  private final MessageType output;
  private final List<String> changes;
  private final List<FieldWriter> fields;

  NormalizedSchema(
      MessageType input, MessageType output, List<String> changes, List<FieldWriter> fields) {
    this.input = requireNonNull(input, "input is null");
    this.output = requireNonNull(output, "output is null");
    this.changes = List.copyOf(changes);
    this.fields = List.copyOf(fields);
  }

  /** The schema of the input file. */
  public MessageType input() {
    return input;
  }

  /** The schema the output is written with. */
  public MessageType output() {
    return output;
  }

  /**
   * What differs, one phrase per change in schema order, such as {@code column 'tags': two-level
   * list made three-level}; empty when the output schema equals the input's.
   */
  public List<String> changes() {
    return changes;
  }

  /** The writers of the output's top-level fields, in order. */
  List<FieldWriter> fields() {
    return fields;
  }
}
