package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Maps a Parquet schema to the form that picky readers (Snowflake, older Hive and Impala) load,
 * keeping every value:
 *
 * <ul>
 *   <li>lists become standard three-level lists, {@code <repetition> group <name> (LIST) { repeated
 *       group list { <repetition> <type> element; } }}: two-level lists (the repeated field is the
 *       element), non-standard names ({@code item}, {@code array_element}, {@code bag}) and
 *       repeated fields outside any LIST group (a required list of required elements) alike,
 *       following the backward-compatibility rules of the Parquet format's LogicalTypes.md;
 *   <li>maps become {@code <repetition> group <name> (MAP) { repeated group key_value { required
 *       <type> key; <repetition> <type> value; } }}, whatever their inner names or their {@code
 *       MAP_KEY_VALUE} annotation;
 *   <li>time stamps become INT64 microseconds annotated {@code TIMESTAMP(MICROS)}: nanoseconds are
 *       divided by 1,000 (rounding down; the writer counts values that lose digits), milliseconds
 *       multiplied by 1,000; {@code isAdjustedToUTC} is kept. INT96 time stamps become {@code
 *       TIMESTAMP(isAdjustedToUTC=false, MICROS)}, which is how Arrow, DuckDB and Snowflake present
 *       INT96 (a time stamp without time zone), so readers show the same values;
 *   <li>unsigned 64-bit integers stay as they are (values above 2^63-1 are refused when written) or
 *       become {@code DECIMAL(20, 0)}, as {@link Uint64Handling} says.
 * </ul>
 *
 * <p>Names, order, nullability, field ids and other logical types are kept. The root never gets a
 * repetition (parquet-java does not write one). {@link #normalize} is thread-safe.
 */
public final class SchemaNormalizer {
  private final Uint64Handling uint64Handling;
  private final List<String> changes = new ArrayList<>();

  private SchemaNormalizer(Uint64Handling uint64Handling) {
    this.uint64Handling = requireNonNull(uint64Handling, "uint64Handling is null");
  }

  /**
   * Normalises a schema.
   *
   * @throws IllegalArgumentException if the schema has a shape normalisation does not handle (a
   *     list or map group whose inner group is malformed, such as a map entry with three fields or
   *     a repeated map key); the message names the column
   */
  public static NormalizedSchema normalize(MessageType input, Uint64Handling uint64Handling) {
    SchemaNormalizer normalizer = new SchemaNormalizer(uint64Handling);
    List<Type> types = new ArrayList<>();
    List<FieldWriter> writers = normalizer.fields(input, "", types);
    MessageType output = new MessageType(input.getName(), types);
    return new NormalizedSchema(input, output, normalizer.changes, writers);
  }

  /** The output fields of a group's fields, added to {@code types}, and their writers. */
  private List<FieldWriter> fields(GroupType group, String path, List<Type> types) {
    List<FieldWriter> writers = new ArrayList<>();
    for (int index = 0; index < group.getFieldCount(); index++) {
      Type field = group.getType(index);
      String column = path + field.getName();
      if (field.isRepetition(Repetition.REPEATED)) {
        Converted element = value(field, Repetition.REQUIRED, NestedWriters.ELEMENT, column);
        types.add(withId(listType(Repetition.REQUIRED, field.getName(), element.type()), field));
        writers.add(new FieldWriter.RepeatedAsList(index, field.getName(), element.writer()));
        changes.add(
            "column '" + column + "': repeated field outside a LIST group made a three-level list");
      } else {
        Converted converted = value(field, field.getRepetition(), field.getName(), column);
        types.add(converted.type());
        writers.add(new FieldWriter.Occurrences(index, field.getName(), converted.writer()));
      }
    }
    return writers;
  }

  /** An output type of {@code repetition} and {@code name}, and its writer, for {@code input}. */
  private Converted value(Type input, Repetition repetition, String name, String column) {
    if (input.isPrimitive()) {
      return primitive(input.asPrimitiveType(), repetition, name, column);
    }
    GroupType group = input.asGroupType();
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && group.getFieldCount() == 1
        && group.getType(0).isRepetition(Repetition.REPEATED)) {
      return list(group, repetition, name, column);
    }
    if ((annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || annotation instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && group.getFieldCount() == 1
        && group.getType(0).isRepetition(Repetition.REPEATED)
        && !group.getType(0).isPrimitive()) {
      return map(group, repetition, name, column);
    }
    List<Type> types = new ArrayList<>();
    List<FieldWriter> writers = fields(group, column + ".", types);
    GroupType output =
        Types.buildGroup(repetition)
            .as(annotation)
            .addFields(types.toArray(Type[]::new))
            .named(name);
    return new Converted(withId(output, group), NestedWriters.struct(writers));
  }

  private Converted list(GroupType group, Repetition repetition, String name, String column) {
    Type repeated = group.getType(0);
    Type element;
    Repetition elementRepetition;
    boolean twoLevel;
    if (repeated.isPrimitive()
        || repeated.asGroupType().getFieldCount() != 1
        || repeated.asGroupType().getType(0).isRepetition(Repetition.REPEATED)
        || repeated.getName().equals("array")
        || repeated.getName().equals(group.getName() + "_tuple")) {
      // the backward-compatibility rules of LogicalTypes.md (and parquet-avro's reading of them):
      // the repeated field is the element
      element = repeated;
      elementRepetition = Repetition.REQUIRED;
      twoLevel = true;
      changes.add("column '" + column + "': two-level list made three-level");
    } else {
      element = repeated.asGroupType().getType(0);
      elementRepetition = element.getRepetition();
      twoLevel = false;
      if (!repeated.getName().equals(NestedWriters.LIST)
          || !element.getName().equals(NestedWriters.ELEMENT)) {
        changes.add(
            "column '"
                + column
                + "': list names '"
                + repeated.getName()
                + "."
                + element.getName()
                + "' made 'list.element'");
      }
    }
    Converted converted =
        value(element, elementRepetition, NestedWriters.ELEMENT, column + ".element");
    return new Converted(
        withId(listType(repetition, name, converted.type()), group),
        NestedWriters.list(twoLevel, converted.writer()));
  }

  private Converted map(GroupType group, Repetition repetition, String name, String column) {
    GroupType entry = group.getType(0).asGroupType();
    if (entry.getFieldCount() < 1 || entry.getFieldCount() > 2) {
      throw new IllegalArgumentException(
          "Cannot normalise map column '"
              + column
              + "': its entries have "
              + entry.getFieldCount()
              + " fields, expected a key and a value");
    }
    Type key = entry.getType(0);
    Type value = entry.getFieldCount() == 2 ? entry.getType(1) : null;
    if (key.isRepetition(Repetition.REPEATED)
        || (value != null && value.isRepetition(Repetition.REPEATED))) {
      throw new IllegalArgumentException(
          "Cannot normalise map column '" + column + "': its key or value is a repeated field");
    }
    boolean standard =
        group.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            && entry.getName().equals(NestedWriters.KEY_VALUE)
            && entry.getLogicalTypeAnnotation() == null
            && key.getName().equals(NestedWriters.KEY)
            && key.isRepetition(Repetition.REQUIRED)
            && (value == null || value.getName().equals(NestedWriters.VALUE));
    if (!standard) {
      changes.add("column '" + column + "': map made the standard MAP of key_value (key, value)");
    }
    Converted keyConverted =
        value(key, Repetition.REQUIRED, NestedWriters.KEY, column + "." + NestedWriters.KEY);
    Converted valueConverted =
        value == null
            ? null
            : value(
                value,
                value.getRepetition(),
                NestedWriters.VALUE,
                column + "." + NestedWriters.VALUE);
    List<Type> entryTypes = new ArrayList<>();
    entryTypes.add(keyConverted.type());
    if (valueConverted != null) {
      entryTypes.add(valueConverted.type());
    }
    GroupType output =
        Types.buildGroup(repetition)
            .as(LogicalTypeAnnotation.mapType())
            .addField(new GroupType(Repetition.REPEATED, NestedWriters.KEY_VALUE, entryTypes))
            .named(name);
    return new Converted(
        withId(output, group),
        NestedWriters.map(
            column,
            keyConverted.writer(),
            valueConverted == null ? null : valueConverted.writer()));
  }

  private Converted primitive(
      PrimitiveType input, Repetition repetition, String name, String column) {
    LogicalTypeAnnotation annotation = input.getLogicalTypeAnnotation();
    if (input.getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
      changes.add("column '" + column + "': INT96 time stamp made INT64 TIMESTAMP(MICROS)");
      return new Converted(
          withId(micros(repetition, name, false), input), PrimitiveWriters.INT96_TO_MICROS);
    }
    if (input.getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && annotation instanceof TimestampLogicalTypeAnnotation timestamp
        && timestamp.getUnit() != TimeUnit.MICROS) {
      changes.add(
          "column '" + column + "': TIMESTAMP(" + timestamp.getUnit() + ") made TIMESTAMP(MICROS)");
      ValueWriter writer =
          timestamp.getUnit() == TimeUnit.NANOS
              ? PrimitiveWriters.NANOS_TO_MICROS
              : PrimitiveWriters.millisToMicros(column);
      return new Converted(
          withId(micros(repetition, name, timestamp.isAdjustedToUTC()), input), writer);
    }
    if (input.getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && annotation instanceof IntLogicalTypeAnnotation integer
        && !integer.isSigned()) {
      return switch (uint64Handling) {
        case REFUSE ->
            new Converted(copy(input, repetition, name), PrimitiveWriters.uint64Checked(column));
        case DECIMAL -> {
          changes.add("column '" + column + "': unsigned INT64 made DECIMAL(20,0)");
          PrimitiveType decimal =
              Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
                  .length(PrimitiveWriters.UINT64_DECIMAL_BYTES)
                  .as(LogicalTypeAnnotation.decimalType(0, 20))
                  .named(name);
          yield new Converted(withId(decimal, input), PrimitiveWriters.UINT64_TO_DECIMAL);
        }
      };
    }
    return new Converted(copy(input, repetition, name), PrimitiveWriters.COPY);
  }

  private static PrimitiveType micros(Repetition repetition, String name, boolean adjustedToUtc) {
    return Types.primitive(PrimitiveTypeName.INT64, repetition)
        .as(LogicalTypeAnnotation.timestampType(adjustedToUtc, TimeUnit.MICROS))
        .named(name);
  }

  private static Type copy(PrimitiveType input, Repetition repetition, String name) {
    Types.PrimitiveBuilder<PrimitiveType> builder =
        Types.primitive(input.getPrimitiveTypeName(), repetition)
            .as(input.getLogicalTypeAnnotation())
            .columnOrder(input.columnOrder());
    if (input.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
      builder.length(input.getTypeLength());
    }
    return withId(builder.named(name), input);
  }

  private static GroupType listType(Repetition repetition, String name, Type element) {
    return Types.buildGroup(repetition)
        .as(LogicalTypeAnnotation.listType())
        .addField(new GroupType(Repetition.REPEATED, NestedWriters.LIST, element))
        .named(name);
  }

  private static <T extends Type> Type withId(T output, Type input) {
    return input.getId() == null ? output : output.withId(input.getId().intValue());
  }

  /** An output type and the writer of its values. */
  private record Converted(Type type, ValueWriter writer) {}
}
