package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a file or a prefix lives: an immutable value parsed from {@code s3://bucket/key}, {@code
 * hdfs://host:port/path}, {@code file:///path}, {@code memory://name/path} or a plain local path.
 *
 * <p>A location has a scheme ({@code s3}, {@code file}, ...), an authority (the bucket, the
 * namenode {@code host:port}, or empty for local files) and a path. For {@code file} the path is
 * absolute and starts with {@code /}; for the other schemes it is the key or path below the
 * authority, without a leading slash. A trailing slash is kept: {@code s3://b/dir/} names the
 * directory-like prefix {@code dir/}, {@code s3://b/dir} the key prefix {@code dir}.
 *
 * <p>Equality is by scheme, authority and path. Instances are immutable and thread-safe.
 */
public final class Location {
  private final String scheme;
  private final String authority;
  private final String path;

  private Location(String scheme, String authority, String path) {
    this.scheme = requireNonNull(scheme, "scheme is null");
    this.authority = requireNonNull(authority, "authority is null");
    this.path = requireNonNull(path, "path is null");
  }

  /**
   * Parses a location.
   *
   * @param value a URI such as {@code s3://bucket/key}, or a plain path, which is made absolute
   *     against the working directory and becomes a {@code file} location
   * @return the location; never null
   * @throws IllegalArgumentException if the value is empty or a URI has no authority where its
   *     scheme needs one
   */
  public static Location of(String value) {
    requireNonNull(value, "value is null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("Invalid location: empty");
    }
    int schemeEnd = value.indexOf("://");
    if (schemeEnd < 0) {
      return local(Path.of(value));
    }
    String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = value.substring(schemeEnd + 3);
    if (scheme.equals("file")) {
      if (!rest.startsWith("/")) {
        throw new IllegalArgumentException(
            "Invalid location: file URI needs an absolute path: " + value);
      }
      return new Location("file", "", rest);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("Invalid location: no bucket or host in " + value);
    }
    return new Location(scheme, authority, path);
  }

  /**
   * Makes a {@code file} location of a local path.
   *
   * @param path any path; made absolute and normalized, a trailing slash is not kept
   */
  public static Location local(Path path) {
    String absolute = path.toAbsolutePath().normalize().toString();
    return new Location("file", "", absolute);
  }

  /** The scheme in lower case, such as {@code s3} or {@code file}. */
  public String scheme() {
    return scheme;
  }

  /** The bucket, namenode {@code host:port}, or the empty string for local files. */
  public String authority() {
    return authority;
  }

  /** The path below the authority: a key for S3, an absolute path for {@code file}. */
  public String path() {
    return path;
  }

  /** Whether this location names a directory-like prefix, that is, its path ends with a slash. */
  public boolean isDirectory() {
    return path.isEmpty() || path.endsWith("/");
  }

  /**
   * The last path segment: the file name, or for a key prefix such as {@code s3://b/dir/events} the
   * name prefix {@code events}. Empty for a directory location.
   */
  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * The location of the directory holding this one, with a trailing slash; for {@code
   * s3://b/dir/x.parquet} that is {@code s3://b/dir/}.
   *
   * @return the parent, or empty if this is the root of its authority
   */
  public Optional<Location> parent() {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.isEmpty() || trimmed.equals("")) {
      return Optional.empty();
    }
    int slash = trimmed.lastIndexOf('/');
    if (slash < 0) {
      return Optional.of(new Location(scheme, authority, ""));
    }
    return Optional.of(new Location(scheme, authority, trimmed.substring(0, slash + 1)));
  }

  /**
   * The location of {@code name} inside this one, treating this location as a directory.
   *
   * @param name a relative path without a leading slash, such as {@code x.parquet} or {@code
   *     _baler/lease}
   * @throws IllegalArgumentException if the name is empty or starts with a slash
   */
  public Location resolve(String name) {
    requireNonNull(name, "name is null");
    if (name.isEmpty() || name.startsWith("/")) {
      throw new IllegalArgumentException("Invalid name to resolve: '" + name + "'");
    }
    if (path.isEmpty()) {
      return new Location(scheme, authority, scheme.equals("file") ? "/" + name : name);
    }
    return new Location(scheme, authority, path.endsWith("/") ? path + name : path + "/" + name);
  }

  /**
   * This location with {@code suffix} appended to its last segment: {@code x.parquet} to {@code
   * x.parquet.processed}.
   */
  public Location appendSuffix(String suffix) {
    requireNonNull(suffix, "suffix is null");
    if (isDirectory()) {
      throw new IllegalStateException("Cannot append a suffix to a directory location: " + this);
    }
    return new Location(scheme, authority, path + suffix);
  }

  /** This location as a directory: the same path with a trailing slash. */
  public Location asDirectory() {
    return isDirectory() ? this : new Location(scheme, authority, path + "/");
  }

  /** Whether {@code other} lies below this location in the key-prefix sense, or equals it. */
  public boolean contains(Location other) {
    return scheme.equals(other.scheme)
        && authority.equals(other.authority)
        && other.path.startsWith(path);
  }

  /** For a {@code file} location, the local path. */
  public Path toLocalPath() {
    if (!scheme.equals("file")) {
      throw new IllegalStateException("Not a local location: " + this);
    }
    return Path.of(path);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Location that
        && scheme.equals(that.scheme)
        && authority.equals(that.authority)
        && path.equals(that.path);
  }

  @Override
  public int hashCode() {
    return (scheme.hashCode() * 31 + authority.hashCode()) * 31 + path.hashCode();
  }

  /** The URI form, such as {@code s3://bucket/key} or {@code file:///tmp/x.parquet}. */
  @Override
  public String toString() {
    return scheme + "://" + authority + (scheme.equals("file") ? "" : "/") + path;
  }
}
