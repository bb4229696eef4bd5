package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirectoriesTest {
  @TempDir Path parent;

  @Test
  void create_namesTheDirectoryAfterTheProcessAndRemovesThoseOfProcessesThatNoLongerRun()
      throws IOException {
    // above Linux's largest process id: no such process runs
    Path abandoned = Files.createDirectories(parent.resolve("baler-merge-999999999-1/deeper"));
    Files.write(abandoned.resolve("part.parquet"), new byte[10]);
    long pid = ProcessHandle.current().pid();
    Path live = Files.createDirectory(parent.resolve("baler-merge-" + pid + "-2"));
    Path otherPrefix = Files.createDirectory(parent.resolve("baler-staging-999999999-3"));
    Path notOurs = Files.createDirectory(parent.resolve("baler-merge-notes"));

    Path made = ScratchDirectories.create(parent, "baler-merge-");

    assertThat(made).isDirectory().hasParent(parent);
    assertThat(made.getFileName().toString()).startsWith("baler-merge-" + pid + "-");
    assertThat(parent.resolve("baler-merge-999999999-1")).doesNotExist();
    assertThat(live).isDirectory();
    assertThat(otherPrefix).isDirectory();
    assertThat(notOurs).isDirectory();
  }

  @Test
  void deleteQuietly_deletesATreeAndTakesNull() throws IOException {
    Path tree = Files.createDirectories(parent.resolve("a/b"));
    Files.write(tree.resolve("file"), new byte[3]);

    ScratchDirectories.deleteQuietly(parent.resolve("a"));
    ScratchDirectories.deleteQuietly(null);

    assertThat(parent.resolve("a")).doesNotExist();
  }
}
