package dev.baler.parquet;

import java.util.List;
import org.apache.parquet.example.data.Group;

/**
 * Writes one field of a group of the output schema from the matching field of an input group. The
 * output field has the input field's position, so both share {@code index}. Fields are written in
 * the order and form that parquet-java's {@code GroupWriter} uses, so that a record read back from
 * the output gives the same stream of calls (see {@link RecordHasher}).
 */
abstract class FieldWriter {
  final int index;
  final String name;

  FieldWriter(int index, String name) {
    this.index = index;
    this.name = name;
  }

  abstract void write(Group parent, Emitter emitter);

  /** Writes the fields of {@code group}, in order. */
  static void writeAll(List<FieldWriter> fields, Group group, Emitter emitter) {
    for (FieldWriter field : fields) {
      field.write(group, emitter);
    }
  }

  /** A field whose every occurrence becomes one occurrence of the output field. */
  static final class Occurrences extends FieldWriter {
    private final ValueWriter value;

    Occurrences(int index, String name, ValueWriter value) {
      super(index, name);
      this.value = value;
    }

    @Override
    void write(Group parent, Emitter emitter) {
      int count = parent.getFieldRepetitionCount(index);
      if (count == 0) {
        return;
      }
      emitter.consumer.startField(name, index);
      for (int occurrence = 0; occurrence < count; occurrence++) {
        value.write(parent, index, occurrence, emitter);
      }
      emitter.consumer.endField(name, index);
    }
  }

  /**
   * A repeated field outside any LIST or MAP group, whose occurrences become the elements of a
   * required three-level list: no occurrence gives an empty list, never a null one.
   */
  static final class RepeatedAsList extends FieldWriter {
    private final ValueWriter element;

    RepeatedAsList(int index, String name, ValueWriter element) {
      super(index, name);
      this.element = element;
    }

    @Override
    void write(Group parent, Emitter emitter) {
      int count = parent.getFieldRepetitionCount(index);
      emitter.field(
          name,
          index,
          () ->
              NestedWriters.writeList(
                  count,
                  occurrence ->
                      emitter.field(
                          NestedWriters.ELEMENT,
                          0,
                          () -> element.write(parent, index, occurrence, emitter)),
                  emitter));
    }
  }
}
