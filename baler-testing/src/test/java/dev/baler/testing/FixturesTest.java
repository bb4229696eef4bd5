package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.testing.Fixtures.FixtureFile;
import dev.baler.testing.Fixtures.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FixturesTest {
  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(Writer.class)
  void copyTo_writesTheManifestsFilesInTimeOrder(Writer writer) throws Exception {
    Fixtures fixtures = Fixtures.of(writer);

    List<Path> written = fixtures.copyTo(directory.resolve(writer.directoryName()));

    assertThat(fixtures.writer()).isEqualTo(writer);
    assertThat(fixtures.files()).hasSize(3);
    assertThat(written).hasSameSizeAs(fixtures.files());
    for (int index = 0; index < written.size(); index++) {
      FixtureFile file = fixtures.files().get(index);
      assertThat(file.timestampMillis()).isEqualTo(1704067200000L + 60_000L * index);
      assertThat(file.fileName()).isEqualTo("events." + file.timestampMillis() + ".parquet");
      assertThat(written.get(index).getFileName()).hasToString(file.fileName());
      assertThat(Files.size(written.get(index))).isEqualTo(file.length());
    }
    assertThat(fixtures.files().stream().mapToLong(FixtureFile::rows).sum())
        .isEqualTo(fixtures.rows());
    assertThat(fixtures.duplicateRows()).isEqualTo(fixtures.rows() - fixtures.distinctRows());
  }

  @Test
  void copyTo_fileAlreadyThere_isRefused() throws Exception {
    Fixtures fixtures = Fixtures.of(Writer.DUCKDB);
    Path taken = Files.writeString(directory.resolve(fixtures.files().get(0).fileName()), "mine");

    assertThatThrownBy(() -> fixtures.copyTo(directory))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(taken.toString());
    assertThat(Files.readString(taken)).isEqualTo("mine");
  }
}
