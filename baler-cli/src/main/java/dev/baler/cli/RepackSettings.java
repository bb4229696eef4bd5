package dev.baler.cli;

import dev.baler.compaction.RepackOptions;
import dev.baler.parquet.NormalizationOptions;
import dev.baler.storage.Location;
import java.util.Map;

/**
 * Where {@code baler repack} reads and writes, and how many files and rows at a time: from its
 * flags, or, for a flag that is absent, from the environment variables a container sets ({@code
 * SRC_BUCKET}, {@code SRC_PREFIX}, {@code DEST_PREFIX}, {@code WORKERS}, {@code BATCH_SIZE}).
 *
 * @param source the source prefix
 * @param destination the destination prefix
 * @param workers files rewritten at once
 * @param batchRows rows per batch
 */
record RepackSettings(Location source, Location destination, int workers, int batchRows) {
  static final String SRC_BUCKET = "SRC_BUCKET";
  static final String SRC_PREFIX = "SRC_PREFIX";
  static final String DEST_PREFIX = "DEST_PREFIX";
  static final String WORKERS = "WORKERS";
  static final String BATCH_SIZE = "BATCH_SIZE";

  /**
   * Resolves the settings. Without {@code --src}, the source is {@code s3://SRC_BUCKET/SRC_PREFIX}.
   * Without {@code --dst}, the destination is {@code s3://SRC_BUCKET/DEST_PREFIX}, and when {@code
   * DEST_PREFIX} is unset too and the source came from the environment, {@code SRC_PREFIX} without
   * its trailing slash plus {@code _repack}, in the same bucket. Workers: {@code --workers}, else
   * {@code WORKERS}, and 0 or neither means {@link RepackOptions#defaultWorkers()}.
   *
   * @param source {@code --src}, or null
   * @param destination {@code --dst}, or null
   * @param workers {@code --workers}, or null
   * @param batchRows {@code --batch-size}, or null
   * @param environment the environment variables
   * @throws IllegalArgumentException if a location is missing or a number is invalid
   */
  static RepackSettings of(
      String source,
      String destination,
      Integer workers,
      Integer batchRows,
      Map<String, String> environment) {
    String bucket = value(environment, SRC_BUCKET);
    String prefix = value(environment, SRC_PREFIX);
    String destinationPrefix = value(environment, DEST_PREFIX);
    Location sourceLocation;
    if (source != null) {
      sourceLocation = Sources.of(source);
    } else if (bucket != null) {
      sourceLocation = s3(bucket, prefix == null ? "" : prefix);
    } else {
      throw new IllegalArgumentException(
          "Missing the source: give --src URI, or SRC_BUCKET (and SRC_PREFIX) in the environment");
    }
    Location destinationLocation;
    if (destination != null) {
      destinationLocation = Sources.of(destination);
    } else if (bucket != null && destinationPrefix != null) {
      destinationLocation = s3(bucket, destinationPrefix);
    } else if (bucket != null && source == null) {
      String trimmed = prefix == null ? "" : prefix;
      if (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      destinationLocation = s3(bucket, trimmed + "_repack");
    } else {
      throw new IllegalArgumentException(
          "Missing the destination: give --dst URI, or DEST_PREFIX (with SRC_BUCKET) in the environment");
    }
    int workerCount = workers != null ? workers : number(environment, WORKERS, 0);
    if (workerCount < 0) {
      throw new IllegalArgumentException(
          "Invalid number of workers " + workerCount + ": must be 0 (the default) or more");
    }
    int rows =
        batchRows != null
            ? batchRows
            : number(environment, BATCH_SIZE, NormalizationOptions.DEFAULT_BATCH_ROWS);
    return new RepackSettings(
        sourceLocation,
        destinationLocation,
        workerCount == 0 ? RepackOptions.defaultWorkers() : workerCount,
        rows);
  }

  private static Location s3(String bucket, String key) {
    return Location.of("s3://" + bucket + "/" + (key.startsWith("/") ? key.substring(1) : key));
  }

  private static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int number(Map<String, String> environment, String name, int fallback) {
    String value = value(environment, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + name + " '" + value + "' in the environment: expected a whole number");
    }
  }
}
