package dev.baler.storage;

import java.io.IOException;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link Storage} for a location's scheme. */
public final class Storages {
  private Storages() {}

  /**
   * Makes the storage for {@code location}: {@link LocalStorage} for {@code file}, {@link
   * MemoryStorage} (a new, empty one) for {@code memory}, otherwise the {@link StorageProvider} on
   * the class path that serves the scheme.
   *
   * @param properties settings passed to the provider, such as {@code s3.region}
   * @throws IllegalArgumentException if no provider serves the scheme; the message names the module
   *     to add
   */
  public static Storage forLocation(Location location, Map<String, String> properties)
      throws IOException {
    String scheme = location.scheme();
    switch (scheme) {
      case "file":
        return new LocalStorage();
      case "memory":
        return new MemoryStorage();
      default:
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class)) {
          if (provider.schemes().contains(scheme)) {
            return provider.create(properties);
          }
        }
        throw new IllegalArgumentException(
            "Cannot open "
                + location
                + ": no storage for scheme '"
                + scheme
                + "' on the class path"
                + " (s3 needs baler-storage-s3, hdfs needs baler-storage-hdfs)");
    }
  }
}
