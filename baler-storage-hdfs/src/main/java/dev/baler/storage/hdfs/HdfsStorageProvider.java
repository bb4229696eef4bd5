package dev.baler.storage.hdfs;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.StorageProvider;
import java.util.Map;
import java.util.Set;

/**
 * Makes an {@link HdfsStorage} for {@code hdfs://} locations from string properties; registered for
 * {@link java.util.ServiceLoader} so that {@link dev.baler.storage.Storages} finds it.
 *
 * <p>Properties, all optional:
 *
 * <ul>
 *   <li>{@value #USER}: the user to act as, with simple authentication; a blank value counts as
 *       absent, and then the current user is used
 *   <li>{@value #HADOOP_PREFIX}{@code *}: any Hadoop configuration property, without the prefix:
 *       {@code hadoop.dfs.client.use.datanode.hostname=true} sets {@code
 *       dfs.client.use.datanode.hostname}
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class HdfsStorageProvider implements StorageProvider {
  /** The user property. */
  public static final String USER = "hdfs.user";

  /** The prefix of properties passed to Hadoop's configuration, without it. */
  public static final String HADOOP_PREFIX = "hadoop.";

  /** Serves the {@code hdfs} scheme. */
  @Override
  public Set<String> schemes() {
    return Set.of(HdfsStorage.SCHEME);
  }

  /**
   * Makes an HDFS storage from the properties listed on this class; other keys are ignored. No
   * connection is made until a location is used.
   *
   * @throws IllegalArgumentException if a {@value #HADOOP_PREFIX} key names no property
   */
  @Override
  public HdfsStorage create(Map<String, String> properties) {
    requireNonNull(properties, "properties is null");
    HdfsStorage.Builder builder = HdfsStorage.builder();
    String user = properties.get(USER);
    if (user != null && !user.isBlank()) {
      builder.user(user.trim());
    }
    properties.forEach(
        (key, value) -> {
          if (key.startsWith(HADOOP_PREFIX)) {
            String hadoopKey = key.substring(HADOOP_PREFIX.length());
            if (hadoopKey.isEmpty()) {
              throw new IllegalArgumentException("Invalid property '" + key + "': no Hadoop key");
            }
            builder.property(hadoopKey, value == null ? "" : value);
          }
        });
    return builder.build();
  }
}
