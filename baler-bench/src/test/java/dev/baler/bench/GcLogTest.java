package dev.baler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
  @TempDir Path directory;

  @Test
  void largestLiveMebibytes_isTheLargestHeapAfterAFullCollection() throws IOException {
    Path log = directory.resolve("gc.log");
    Files.writeString(
        log,
        """
        [0.004s][info][gc] Using Serial
        [0.561s][info][gc] GC(0) Pause Young (Allocation Failure) 17M->9M(61M) 4.236ms
        [2.780s][info][gc] GC(31) Pause Full (Allocation Failure) 44M->36M(67M) 38.561ms
        [3.400s][info][gc] GC(40) Pause Young (Allocation Failure) 80M->70M(84M) 1.2ms
        [3.410s][info][gc] GC(41) Pause Full (Allocation Failure) 70M->46M(84M) 30.1ms
        [5.979s][info][gc] GC(77) Pause Full (Allocation Failure) 63M->34M(85M) 20.7ms
        """);

    assertThat(GcLog.largestLiveMebibytes(log)).hasValue(46);
  }

  @Test
  void largestLiveMebibytes_readsKibibytesAndGibibytes() throws IOException {
    Path log = directory.resolve("gc.log");
    Files.writeString(
        log,
        """
        [0.9s][info][gc] GC(3) Pause Full (System.gc()) 900K->512K(8M) 1.0ms
        [9.9s][info][gc] GC(9) Pause Full (G1 Compaction Pause) 3G->2G(4G) 900.0ms
        """);

    assertThat(GcLog.largestLiveMebibytes(log)).hasValue(2048);
  }

  @Test
  void largestLiveMebibytes_isEmptyWithoutAFullCollectionOrALog() throws IOException {
    Path log = directory.resolve("gc.log");
    Files.writeString(
        log, "[0.561s][info][gc] GC(0) Pause Young (Allocation Failure) 17M->9M(61M) 4.2ms\n");

    assertThat(GcLog.largestLiveMebibytes(log)).isEmpty();
    assertThat(GcLog.largestLiveMebibytes(directory.resolve("none.log"))).isEmpty();
  }
}
