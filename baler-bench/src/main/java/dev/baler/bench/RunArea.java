package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the runs of a benchmark work: the fresh copy of the input each run gets, where peers write
 * their output, and how a tool is told to reach them. {@link LocalArea} is a directory on local
 * disk; {@link S3Area} a bucket on an S3 server that runs as a process of its own.
 *
 * <p>Copying, listing and downloading are not timed: only the tools' own processes are.
 */
interface RunArea extends AutoCloseable {
  /**
   * A fresh copy of the input for one run.
   *
   * @param name the run's name, such as {@code polars}; copies of different names do not overlap
   * @param input where the tool reads: a directory path or an {@code s3://} URI
   * @param output where a peer writes (baler compacts in place): a path or an {@code s3://} URI
   */
  record Copy(String name, String input, String output) {
    /** Checks the values. */
    public Copy {
      requireNonNull(name, "name is null");
      requireNonNull(input, "input is null");
      requireNonNull(output, "output is null");
    }
  }

  /**
   * Copies the first {@code maxFiles} files of {@code dataset}, in path order, for the run {@code
   * name}, after removing what an earlier run of that name left.
   *
   * @param maxFiles how many files to copy; {@link Integer#MAX_VALUE} for all
   * @throws IOException if the copy cannot be made
   */
  Copy prepare(String name, Path dataset, int maxFiles) throws IOException;

  /**
   * The Parquet files {@code tool} wrote for {@code copy}, as local files to read: baler's {@code
   * *.c.parquet} beside its input (outside {@code _baler/}), or every {@code *.parquet} a peer
   * wrote below its output. On S3 they are downloaded first.
   *
   * @throws IOException if they cannot be listed or downloaded
   */
  List<Path> outputs(Copy copy, Tool tool) throws IOException;

  /**
   * Removes the copy, the outputs and anything downloaded for them.
   *
   * @throws IOException if something cannot be removed
   */
  void clear(Copy copy) throws IOException;

  /**
   * Puts the store through the requests the tools make, untimed, before the first timed run: a
   * server that compiles its own code as it goes (S3Proxy runs on a JVM) would otherwise be slower
   * for whichever tool runs first. Nothing to do on local disk.
   *
   * @throws IOException if a request fails
   */
  default void warmUpStore(Path dataset) throws IOException {}

  /** Arguments that follow {@code baler compact LOCATION}, such as {@code --endpoint URL}. */
  List<String> balerArguments();

  /** Arguments that follow {@code peers.py compact TOOL IN OUT}. */
  List<String> peerArguments();

  /** Environment variables every tool's process gets, such as {@code AWS_ACCESS_KEY_ID}. */
  Map<String, String> environment();

  /** Why {@code tool} cannot run here; empty when it can. */
  default Optional<String> unsupported(Tool tool) {
    return Optional.empty();
  }

  /** Where the runs work, for the report, such as {@code local disk}. */
  String description();

  /** Releases what the area holds: a server process, a client. */
  @Override
  void close() throws IOException;
}
