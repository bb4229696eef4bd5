package dev.baler.parquet;

import static org.apache.parquet.column.Encoding.PLAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowHashesTest {
  private static final org.apache.parquet.column.ColumnDescriptor COLUMN =
      org.apache.parquet.schema.MessageTypeParser.parseMessageType(
              "message m { required int32 n; }")
          .getColumns()
          .get(0);

  @Test
  void reset_givesTheFingerprintOfFreshHashesWhateverTheArraysHeldBefore() {
    ColumnCopier.RowHashes fresh = new ColumnCopier.RowHashes(3);
    foldRows(fresh, 3);

    ColumnCopier.RowHashes reused = new ColumnCopier.RowHashes(5);
    foldRows(reused, 5);
    reused.foldNumber(4, 99, 7);
    long[] arrays = reused.lane1;
    reused.reset(3);
    foldRows(reused, 3);

    assertThat(reused.lane1).as("long enough: kept").isSameAs(arrays);
    assertThat(reused.rows()).isEqualTo(3);
    assertThat(reused.fingerprint()).isEqualTo(fresh.fingerprint());
  }

  @Test
  void reset_growsTheArraysForALargerRowGroup() {
    ColumnCopier.RowHashes hashes = new ColumnCopier.RowHashes();
    hashes.reset(4);
    foldRows(hashes, 4);
    ColumnCopier.RowHashes fresh = new ColumnCopier.RowHashes(4);
    foldRows(fresh, 4);

    assertThat(hashes.lane1).hasSize(4);
    assertThat(hashes.fingerprint()).isEqualTo(fresh.fingerprint());
    assertThat(new ColumnCopier.RowHashes().fingerprint()).isEqualTo(RowFingerprint.EMPTY);
  }

  @Test
  void fingerprint_bindsRowsToTheirPositionsOnlyInARowGroupWithAVerbatimChunk() {
    PageDigest digest =
        new PageDigest(COLUMN, org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD);
    ColumnCopier.RowHashes inOrder = new ColumnCopier.RowHashes(2);
    inOrder.foldNumber(0, 10, ColumnCopier.RowHashes.tag(0, 0, 0));
    inOrder.foldNumber(1, 20, ColumnCopier.RowHashes.tag(0, 0, 0));
    ColumnCopier.RowHashes swapped = new ColumnCopier.RowHashes(2);
    swapped.foldNumber(0, 20, ColumnCopier.RowHashes.tag(0, 0, 0));
    swapped.foldNumber(1, 10, ColumnCopier.RowHashes.tag(0, 0, 0));

    assertThat(swapped.fingerprint()).as("a multiset").isEqualTo(inOrder.fingerprint());
    assertThat(swapped.fingerprint(3)).isEqualTo(inOrder.fingerprint());

    inOrder.addVerbatim(1, digest);
    swapped.addVerbatim(1, digest);
    RowFingerprint positional = inOrder.fingerprint(3);
    assertThat(swapped.fingerprint(3)).as("rows swapped").isNotEqualTo(positional);
    assertThat(inOrder.fingerprint(4)).as("another row group").isNotEqualTo(positional);
    assertThat(positional).isNotEqualTo(inOrder.reset(2).fingerprint(3));
    assertThatThrownBy(() -> swapped.fingerprint()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void addVerbatim_bindsEachDigestToItsColumn() {
    PageDigest first =
        new PageDigest(COLUMN, org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD);
    first.addPage(new byte[] {1, 2, 3}, 0, 3, 1, 3, PLAIN, PLAIN, PLAIN);
    PageDigest second =
        new PageDigest(COLUMN, org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD);
    second.addPage(new byte[] {4, 5, 6}, 0, 3, 1, 3, PLAIN, PLAIN, PLAIN);
    ColumnCopier.RowHashes asWritten = new ColumnCopier.RowHashes(1);
    asWritten.addVerbatim(0, first);
    asWritten.addVerbatim(1, second);
    ColumnCopier.RowHashes columnsSwapped = new ColumnCopier.RowHashes(1);
    columnsSwapped.addVerbatim(0, second);
    columnsSwapped.addVerbatim(1, first);

    assertThat(columnsSwapped.fingerprint(0)).isNotEqualTo(asWritten.fingerprint(0));
  }

  private static void foldRows(ColumnCopier.RowHashes hashes, int rows) {
    for (int row = 0; row < rows; row++) {
      hashes.foldNumber(row, row * 31L, ColumnCopier.RowHashes.tag(0, 0, 1));
      hashes.foldNull(row, ColumnCopier.RowHashes.tag(1, 0, 0));
    }
  }
}
