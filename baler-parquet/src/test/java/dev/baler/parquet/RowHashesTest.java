package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowHashesTest {
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

  private static void foldRows(ColumnCopier.RowHashes hashes, int rows) {
    for (int row = 0; row < rows; row++) {
      hashes.foldNumber(row, row * 31L, ColumnCopier.RowHashes.tag(0, 0, 1));
      hashes.foldNull(row, ColumnCopier.RowHashes.tag(1, 0, 0));
    }
  }
}
