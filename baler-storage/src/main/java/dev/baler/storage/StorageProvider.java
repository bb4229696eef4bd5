package dev.baler.storage;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Makes a {@link Storage} for some URI schemes; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.baler.storage.StorageProvider}.
 */
public interface StorageProvider {
  /** The schemes served, in lower case, such as {@code s3}. */
  Set<String> schemes();

  /**
   * Makes a storage.
   *
   * @param properties settings such as {@code s3.endpoint}; keys a provider does not know are
   *     ignored. Values may be secrets: never put them in messages.
   * @throws IllegalArgumentException if a setting is invalid
   * @throws IOException if the store's client cannot be set up
   */
  Storage create(Map<String, String> properties) throws IOException;
}
