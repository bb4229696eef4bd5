package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import dev.baler.testing.DuckDbVerifier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs on local disk: each run copies the input into {@code runs/NAME/input} of the work tree, and
 * syncs the copy to disk first if asked.
 */
final class LocalArea implements RunArea {
  private final Path runs;
  private final boolean syncInputs;

  /**
   * An area below {@code runs}, such as {@code bench-work/runs}.
   *
   * @param syncInputs whether each copy is synced to disk (the {@code sync} command) before its run
   */
  LocalArea(Path runs, boolean syncInputs) {
    this.runs = requireNonNull(runs, "runs is null").toAbsolutePath();
    this.syncInputs = syncInputs;
  }

  @Override
  public Copy prepare(String name, Path dataset, int maxFiles) throws IOException {
    Path runDirectory = runs.resolve(name);
    Path input = runDirectory.resolve("input");
    FileTrees.delete(runDirectory);
    if (maxFiles == Integer.MAX_VALUE) {
      FileTrees.copy(dataset, input);
    } else {
      Files.createDirectories(input);
      for (Path file :
          DuckDbVerifier.parquetFilesUnder(dataset).stream().limit(maxFiles).toList()) {
        Files.copy(file, input.resolve(file.getFileName()));
      }
    }
    if (syncInputs) {
      sync();
    }
    return new Copy(name, input.toString(), runDirectory.resolve("output").toString());
  }

  /** Writes every dirty page of the machine to disk, so that the run meets its input on disk. */
  private static void sync() throws IOException {
    try {
      int exit = new ProcessBuilder("sync").inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IOException("Cannot sync the input to disk: sync exited with " + exit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while syncing the input to disk");
    }
  }

  @Override
  public List<Path> outputs(Copy copy, Tool tool) throws IOException {
    if (tool == Tool.BALER) {
      return compactedFiles(Path.of(copy.input()));
    }
    Path output = Path.of(copy.output());
    return Files.isDirectory(output) ? DuckDbVerifier.parquetFilesUnder(output) : List.of();
  }

  @Override
  public void clear(Copy copy) throws IOException {
    FileTrees.delete(runs.resolve(copy.name()));
  }

  @Override
  public List<String> balerArguments() {
    return List.of();
  }

  @Override
  public List<String> peerArguments() {
    return List.of();
  }

  @Override
  public Map<String, String> environment() {
    return Map.of();
  }

  @Override
  public String description() {
    return syncInputs ? "local disk, inputs synced before each run" : "local disk";
  }

  @Override
  public void close() {}

  /**
   * The outputs baler wrote into the input directory: {@code *.c.parquet}, outside {@code _baler/}.
   */
  private static List<Path> compactedFiles(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(path -> Tool.BALER.isOutput(directory.relativize(path).toString()))
          .sorted()
          .toList();
    }
  }
}
