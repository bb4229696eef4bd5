package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * The little of a footer that planning keeps per file: schema key, row groups' rows and sizes.
 * Planning many thousands of files keeps only these, not whole footers. A file of one row group, as
 * streaming writers leave them, takes one 48-byte object, its schema key shared with the other
 * files of its schema; a file of more row groups adds one array of two numbers per row group.
 *
 * <p>Immutable; equal when length, schema key and every row group are.
 */
public final class FileLayout {
  private final long length;
  private final String schemaKey;
  private final long rows;
  private final long dataBytes;

  /** Rows and bytes of each row group in turn; null for a file of one row group. */
  private final long[] rowGroups;

  /**
   * One row group's size.
   *
   * @param rows rows in it
   * @param compressedBytes its column chunks' bytes as stored
   */
  public record RowGroupSize(long rows, long compressedBytes) {}

  /**
   * @param length the file's size in bytes
   * @param schemaKey the {@link Footer#schemaKey()}; equal keys may share one string instance
   * @param rowGroups the row groups, in file order
   */
  public FileLayout(long length, String schemaKey, List<RowGroupSize> rowGroups) {
    this(length, schemaKey, pairs(rowGroups));
  }

  private FileLayout(long length, String schemaKey, long[] pairs) {
    this.length = length;
    this.schemaKey = requireNonNull(schemaKey, "schemaKey is null");
    long allRows = 0;
    long allBytes = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      allRows += pairs[i];
      allBytes += pairs[i + 1];
    }
    this.rows = allRows;
    this.dataBytes = allBytes;
    this.rowGroups = pairs.length == 2 ? null : pairs;
  }

  /**
   * The layout of a file of one row group, made without a list.
   *
   * @param length the file's size in bytes
   * @param schemaKey the {@link Footer#schemaKey()}; equal keys may share one string instance
   * @param rows rows in its row group
   * @param compressedBytes its column chunks' bytes as stored
   */
  public static FileLayout ofOneRowGroup(
      long length, String schemaKey, long rows, long compressedBytes) {
    return new FileLayout(length, schemaKey, new long[] {rows, compressedBytes});
  }

  private static long[] pairs(List<RowGroupSize> rowGroups) {
    long[] pairs = new long[rowGroups.size() * 2];
    for (int i = 0; i < rowGroups.size(); i++) {
      pairs[2 * i] = rowGroups.get(i).rows();
      pairs[2 * i + 1] = rowGroups.get(i).compressedBytes();
    }
    return pairs;
  }

  /** The same layout under another instance of an equal schema key, so files can share one. */
  public FileLayout withSchemaKey(String sharedKey) {
    if (sharedKey == schemaKey) {
      return this;
    }
    if (!sharedKey.equals(schemaKey)) {
      throw new IllegalArgumentException("Schema key " + sharedKey + " differs from " + schemaKey);
    }
    return new FileLayout(
        length, sharedKey, rowGroups == null ? new long[] {rows, dataBytes} : rowGroups);
  }

  /** The file's size in bytes. */
  public long length() {
    return length;
  }

  /** The {@link Footer#schemaKey()}. */
  public String schemaKey() {
    return schemaKey;
  }

  /** Rows in the file. */
  public long rows() {
    return rows;
  }

  /** Bytes of column data, the sum of the row groups' compressed sizes. */
  public long dataBytes() {
    return dataBytes;
  }

  /** The number of row groups, at least 0. */
  public int rowGroupCount() {
    return rowGroups == null ? 1 : rowGroups.length / 2;
  }

  /**
   * Rows in one row group.
   *
   * @param rowGroup the row group's index in the file, from 0
   * @throws IndexOutOfBoundsException if there is no such row group
   */
  public long rowGroupRows(int rowGroup) {
    return rowGroups == null ? only(rowGroup, rows) : rowGroups[2 * rowGroup];
  }

  /**
   * One row group's column chunks' bytes as stored.
   *
   * @param rowGroup the row group's index in the file, from 0
   * @throws IndexOutOfBoundsException if there is no such row group
   */
  public long rowGroupBytes(int rowGroup) {
    return rowGroups == null ? only(rowGroup, dataBytes) : rowGroups[2 * rowGroup + 1];
  }

  private static long only(int rowGroup, long figure) {
    if (rowGroup != 0) {
      throw new IndexOutOfBoundsException("Row group " + rowGroup + " of a file of one");
    }
    return figure;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FileLayout that
        && length == that.length
        && rows == that.rows
        && dataBytes == that.dataBytes
        && schemaKey.equals(that.schemaKey)
        && Arrays.equals(rowGroups, that.rowGroups);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(length) * 31 + schemaKey.hashCode()) * 31 + Long.hashCode(rows);
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder("FileLayout[length=").append(length).append(", rowGroups=[");
    for (int i = 0; i < rowGroupCount(); i++) {
      text.append(i == 0 ? "" : ", ")
          .append(rowGroupRows(i))
          .append(" rows/")
          .append(rowGroupBytes(i))
          .append(" bytes");
    }
    return text.append("]]").toString();
  }
}
