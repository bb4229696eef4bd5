package dev.baler.parquet;

import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** Schema comparisons for compaction, and the columns that may have bloom filters. */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /**
   * A key that is equal for two schemas exactly when they are the same apart from the root's name:
   * column names, order, physical and logical types, repetition, and field ids.
   */
  public static String key(MessageType schema) {
    return new MessageType("root", schema.getFields()).toString();
  }

  /**
   * Says in one phrase how {@code actual} differs from {@code expected}, for skip reasons such as
   * {@code column 'status' is INT64, expected INT32}.
   */
  public static String difference(MessageType expected, MessageType actual) {
    var expectedColumns = expected.getColumns();
    var actualColumns = actual.getColumns();
    for (int i = 0; i < Math.min(expectedColumns.size(), actualColumns.size()); i++) {
      var want = expectedColumns.get(i);
      var have = actualColumns.get(i);
      String wantPath = String.join(".", want.getPath());
      String havePath = String.join(".", have.getPath());
      if (!wantPath.equals(havePath)) {
        return "column " + (i + 1) + " is '" + havePath + "', expected '" + wantPath + "'";
      }
      if (!want.getPrimitiveType().equals(have.getPrimitiveType())) {
        return "column '"
            + havePath
            + "' is "
            + have.getPrimitiveType()
            + ", expected "
            + want.getPrimitiveType();
      }
      if (want.getMaxDefinitionLevel() != have.getMaxDefinitionLevel()
          || want.getMaxRepetitionLevel() != have.getMaxRepetitionLevel()) {
        return "column '" + havePath + "' has a different nesting or nullability";
      }
    }
    if (expectedColumns.size() != actualColumns.size()) {
      return actualColumns.size() + " columns, expected " + expectedColumns.size();
    }
    return "schema differs (field ids, group annotations or repetition)";
  }

  /**
   * The dotted paths (such as {@code location.lat}) of the leaf columns that may have a bloom
   * filter, in schema order: every leaf column but BOOLEAN ones.
   */
  public static List<String> bloomFilterColumns(MessageType schema) {
    return schema.getColumns().stream()
        .filter(column -> mayHaveBloomFilter(column.getPrimitiveType()))
        .map(column -> String.join(".", column.getPath()))
        .toList();
  }

  /** Whether a column of {@code type} may have a bloom filter: all but BOOLEAN ones. */
  static boolean mayHaveBloomFilter(PrimitiveType type) {
    return type.getPrimitiveTypeName() != PrimitiveTypeName.BOOLEAN;
  }
}
