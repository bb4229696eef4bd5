package dev.baler.parquet;

import java.util.List;
import java.util.function.IntConsumer;
import org.apache.parquet.example.data.Group;

/** The value writers of groups: structs, lists and maps, written in their standard form. */
final class NestedWriters {
  static final String LIST = "list";
  static final String ELEMENT = "element";
  static final String KEY_VALUE = "key_value";
  static final String KEY = "key";
  static final String VALUE = "value";

  private NestedWriters() {}

  /** A group whose fields are written by {@code fields}. */
  static ValueWriter struct(List<FieldWriter> fields) {
    List<FieldWriter> copy = List.copyOf(fields);
    return (parent, field, index, emitter) -> {
      Group group = parent.getGroup(field, index);
      emitter.consumer.startGroup();
      FieldWriter.writeAll(copy, group, emitter);
      emitter.consumer.endGroup();
    };
  }

  /**
   * A list in the three-level form. {@code twoLevel} says where the input keeps its elements: each
   * occurrence of the repeated field is an element (two levels), or holds the element as its one
   * field, absent for a null element (three levels).
   */
  static ValueWriter list(boolean twoLevel, ValueWriter element) {
    return (parent, field, index, emitter) -> {
      Group list = parent.getGroup(field, index);
      writeList(
          list.getFieldRepetitionCount(0),
          occurrence -> {
            if (twoLevel) {
              emitter.field(ELEMENT, 0, () -> element.write(list, 0, occurrence, emitter));
              return;
            }
            Group holder = list.getGroup(0, occurrence);
            if (holder.getFieldRepetitionCount(0) > 0) {
              emitter.field(ELEMENT, 0, () -> element.write(holder, 0, 0, emitter));
            }
          },
          emitter);
    };
  }

  /**
   * Writes the list group: {@code count} occurrences of the repeated {@code list} group, each with
   * what {@code element} writes in it (nothing for a null element).
   */
  static void writeList(int count, IntConsumer element, Emitter emitter) {
    emitter.consumer.startGroup();
    if (count > 0) {
      emitter.consumer.startField(LIST, 0);
      for (int occurrence = 0; occurrence < count; occurrence++) {
        emitter.consumer.startGroup();
        element.accept(occurrence);
        emitter.consumer.endGroup();
      }
      emitter.consumer.endField(LIST, 0);
    }
    emitter.consumer.endGroup();
  }

  /**
   * A map in the standard form: a repeated {@code key_value} group of a required {@code key} and,
   * when {@code value} is not null, a {@code value}.
   *
   * @param column the map's path, for the message when a key is missing
   */
  static ValueWriter map(String column, ValueWriter key, ValueWriter value) {
    return (parent, field, index, emitter) -> {
      Group map = parent.getGroup(field, index);
      int count = map.getFieldRepetitionCount(0);
      emitter.consumer.startGroup();
      if (count > 0) {
        emitter.consumer.startField(KEY_VALUE, 0);
        for (int occurrence = 0; occurrence < count; occurrence++) {
          Group entry = map.getGroup(0, occurrence);
          if (entry.getFieldRepetitionCount(0) == 0) {
            throw new ValueRefusedException(
                "map column '" + column + "' has an entry without a key, which a map cannot hold");
          }
          emitter.consumer.startGroup();
          emitter.field(KEY, 0, () -> key.write(entry, 0, 0, emitter));
          if (value != null && entry.getFieldRepetitionCount(1) > 0) {
            emitter.field(VALUE, 1, () -> value.write(entry, 1, 0, emitter));
          }
          emitter.consumer.endGroup();
        }
        emitter.consumer.endField(KEY_VALUE, 0);
      }
      emitter.consumer.endGroup();
    };
  }
}
