package dev.baler.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The YAML file of {@code baler consolidate --config}, in the layout of the consolidation utility
 * Baler replaces, so that its files work as they are:
 *
 * <pre>{@code
 * hdfs:
 *   namenode: namenode.example.com
 *   port: 8020
 *   base_path: /telemetry-data-v2
 *   user: etl                     # Baler's own: the HDFS user to act as
 * consolidation:
 *   target_size_mb: 128
 *   min_files_threshold: 5
 *   temp_directory: /tmp/x        # accepted and ignored: nothing is copied locally
 * compression:
 *   codec: snappy
 *   row_group_size: 50000
 *   use_dictionary: true
 *   bloom_filter_columns: [trace_id]  # Baler's own: as --bloom-filter
 *   bloom_filter_fpp: 0.01        # Baler's own: as --bloom-filter-fpp
 * safety:
 *   verify_integrity: true        # Baler always verifies; false is ignored with a warning
 *   backup_before_delete: true    # false: delete originals, even where there is a trash
 *   backup_dir: /backup/telemetry # Baler's own: move originals here instead
 *   max_retries: 3                # accepted and ignored: the clients' own retries apply
 * }</pre>
 *
 * Every section and key is optional; an unknown key is an error, so that a typo is not silently
 * ignored. Flags given on the command line win over the file. Immutable.
 */
record ConsolidationConfig(
    Hdfs hdfs, Consolidation consolidation, Compression compression, Safety safety) {
  /** A missing section reads as a section with nothing set, so callers never see null. */
  ConsolidationConfig {
    hdfs = hdfs == null ? new Hdfs(null, null, null, null) : hdfs;
    consolidation = consolidation == null ? new Consolidation(null, null, null) : consolidation;
    compression = compression == null ? new Compression(null, null, null, null, null) : compression;
    safety = safety == null ? new Safety(null, null, null, null) : safety;
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Where the data is: {@code hdfs://namenode:port/base_path}. */
  record Hdfs(
      String namenode, Integer port, @JsonProperty("base_path") String basePath, String user) {}

  /** Sizes and thresholds. */
  record Consolidation(
      @JsonProperty("target_size_mb") Long targetSizeMb,
      @JsonProperty("min_files_threshold") Integer minFilesThreshold,
      @JsonProperty("temp_directory") String tempDirectory) {}

  /** How outputs are written. */
  record Compression(
      String codec,
      @JsonProperty("row_group_size") Long rowGroupSize,
      @JsonProperty("use_dictionary") Boolean useDictionary,
      @JsonProperty("bloom_filter_columns") List<String> bloomFilterColumns,
      @JsonProperty("bloom_filter_fpp") Double bloomFilterFpp) {}

  /** What becomes of originals, and switches Baler accepts but does not need. */
  record Safety(
      @JsonProperty("verify_integrity") Boolean verifyIntegrity,
      @JsonProperty("backup_before_delete") Boolean backupBeforeDelete,
      @JsonProperty("backup_dir") String backupDir,
      @JsonProperty("max_retries") Integer maxRetries) {}

  /** A configuration with nothing set. */
  static ConsolidationConfig empty() {
    return new ConsolidationConfig(null, null, null, null);
  }

  /**
   * Reads a configuration file.
   *
   * @throws IllegalArgumentException if the file is missing, is not YAML, or has an unknown key or
   *     a value of the wrong type; the message names the file and the key
   */
  static ConsolidationConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot read config file " + file + ": no such file");
    }
    try {
      ConsolidationConfig config = YAML.readValue(file.toFile(), ConsolidationConfig.class);
      return config == null ? empty() : config;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "Invalid config file "
              + file
              + ": unknown key '"
              + path(e)
              + "'; known keys are "
              + e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(
          "Invalid config file " + file + ": key '" + path(e) + "': " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read config file " + file + ": " + e.getMessage());
    }
  }

  /** The source the {@code hdfs} section names, {@code hdfs://namenode:port/base_path/}. */
  Optional<String> source() {
    if (hdfs.namenode() == null) {
      return Optional.empty();
    }
    String base = hdfs.basePath() == null ? "/" : hdfs.basePath();
    return Optional.of(
        "hdfs://"
            + hdfs.namenode()
            + (hdfs.port() == null ? "" : ":" + hdfs.port())
            + (base.startsWith("/") ? base : "/" + base));
  }

  /** Warnings about settings that are accepted but do nothing in Baler. */
  List<String> ignoredSettings() {
    List<String> warnings = new ArrayList<>();
    if (consolidation.tempDirectory() != null) {
      warnings.add(
          "consolidation.temp_directory is ignored: Baler streams between storages and keeps no"
              + " local copies");
    }
    if (Boolean.FALSE.equals(safety.verifyIntegrity())) {
      warnings.add(
          "safety.verify_integrity: false is ignored: every output is verified before an original"
              + " is removed");
    }
    if (safety.maxRetries() != null) {
      warnings.add(
          "safety.max_retries is ignored: the HDFS client's and the AWS SDK's own retries apply");
    }
    return warnings;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(
            reference ->
                reference.getFieldName() == null
                    ? "[" + reference.getIndex() + "]"
                    : reference.getFieldName())
        .collect(Collectors.joining("."));
  }
}
