package dev.baler.parquet;

import dev.baler.storage.InputFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * Finds exact duplicate rows across a set of files, keeping each row's first occurrence in file
 * order.
 *
 * <p>Rows are compared by a 128-bit hash of all their values (the two lanes of {@link
 * RowFingerprint}); two different rows are taken for duplicates only on a 128-bit collision, about
 * n^2 / 2^129 for n rows (below 10^-20 for a billion rows).
 *
 * <p>Memory is bounded and known before the scan: an open-addressing table of 16 bytes per slot,
 * sized to twice the total row count rounded up to a power of two, so 32 to 64 bytes per input row
 * ({@link #memoryBytes(long)}), plus one bit per row for the result. Not thread-safe.
 */
public final class DuplicateFinder {
  private final long[] keys1;
  private final long[] keys2;
  private final int mask;
  private long duplicates;

  /**
   * A finder for up to {@code totalRows} rows.
   *
   * @throws IllegalArgumentException if the table would need more than 2^30 slots
   */
  public DuplicateFinder(long totalRows) {
    long slots = slotsFor(totalRows);
    keys1 = new long[(int) slots];
    keys2 = new long[(int) slots];
    mask = (int) slots - 1;
  }

  /** The bytes of memory a finder for {@code totalRows} rows takes. */
  public static long memoryBytes(long totalRows) {
    return slotsFor(totalRows) * 16;
  }

  private static long slotsFor(long totalRows) {
    long wanted = Math.max(16, totalRows * 2);
    long slots = Long.highestOneBit(wanted - 1) << 1;
    if (slots > (1L << 30)) {
      throw new IllegalArgumentException(
          "Cannot deduplicate " + totalRows + " rows in one run: more than 536870912");
    }
    return slots;
  }

  /**
   * Reads every row of {@code file} and marks the rows already seen, in this file or an earlier
   * one.
   *
   * @return the duplicate rows, by index from the file's first row; empty if none
   * @throws IOException if the file cannot be read or decoded
   */
  public BitSet scan(InputFile file) throws IOException {
    BitSet duplicateRows = new BitSet();
    long firstRow = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(new ParquetInputFile(file), ParquetRuntime.readOptions())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      // The file's rows enter the table only once the whole file has been read: rows of a file
      // that turns out unreadable half-way must not make their copies elsewhere duplicates.
      List<ColumnCopier.RowHashes> fileHashes = new ArrayList<>();
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        try {
          fileHashes.add(ColumnCopier.hashRowGroup(rowGroup, schema, createdBy));
        } finally {
          rowGroup.close();
        }
      }
      for (ColumnCopier.RowHashes hashes : fileHashes) {
        for (int row = 0; row < hashes.rows(); row++) {
          if (!add(hashes.finalLane1(row), hashes.finalLane2(row))) {
            duplicateRows.set(Math.toIntExact(firstRow + row));
            duplicates++;
          }
        }
        firstRow += hashes.rows();
      }
    } catch (RuntimeException e) {
      throw new InvalidParquetFileException(
          file.location(), "cannot decode its data (" + e + ")", e);
    } catch (IOException e) {
      if (!ParquetRuntime.isCorruptData(e)) {
        throw e;
      }
      throw new InvalidParquetFileException(
          file.location(), "cannot decode its data (" + e + ")", e);
    }
    return duplicateRows;
  }

  /** Duplicate rows found so far. */
  public long duplicates() {
    return duplicates;
  }

  private boolean add(long hash1, long hash2) {
    if (hash1 == 0 && hash2 == 0) {
      hash2 = 1; // (0, 0) marks an empty slot
    }
    int slot = (int) Hashing.mix(hash1 ^ hash2) & mask;
    while (true) {
      if (keys1[slot] == 0 && keys2[slot] == 0) {
        keys1[slot] = hash1;
        keys2[slot] = hash2;
        return true;
      }
      if (keys1[slot] == hash1 && keys2[slot] == hash2) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Scans files in order; a convenience for tests and small runs. */
  public static List<BitSet> scanAll(List<MergeInput> inputs) throws IOException {
    long rows = 0;
    for (MergeInput input : inputs) {
      rows += input.layout().rows();
    }
    DuplicateFinder finder = new DuplicateFinder(rows);
    List<BitSet> result = new ArrayList<>();
    for (MergeInput input : inputs) {
      result.add(finder.scan(input.file()));
    }
    return result;
  }
}
