package dev.baler.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The compression codecs of the Parquet format, under the names the {@code --compression} option
 * takes.
 *
 * <p>Not every codec can be used on every machine: parquet-java finds its codecs on the class path
 * and, for some, in native libraries. {@link #unavailableReason()} tries a real round trip once and
 * says why a codec cannot be used, so a run can refuse it up front rather than fail half-way.
 */
public enum Codec {
  SNAPPY(CompressionCodecName.SNAPPY),
  GZIP(CompressionCodecName.GZIP),
  LZO(CompressionCodecName.LZO),
  BROTLI(CompressionCodecName.BROTLI),
  LZ4(CompressionCodecName.LZ4),
  ZSTD(CompressionCodecName.ZSTD),
  UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED),
  LZ4_RAW(CompressionCodecName.LZ4_RAW);

  private static final ConcurrentMap<Codec, Optional<String>> AVAILABILITY =
      new ConcurrentHashMap<>();

  private final CompressionCodecName parquetName;

  Codec(CompressionCodecName parquetName) {
    this.parquetName = parquetName;
  }

  /**
   * Parses a codec name, case-insensitively: {@code snappy}, {@code gzip}, {@code lzo}, {@code
   * brotli}, {@code lz4}, {@code zstd}, {@code uncompressed} (or {@code none}), {@code lz4_raw}.
   *
   * @throws IllegalArgumentException naming the valid values if the name is unknown
   */
  public static Codec of(String name) {
    String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (normalized.equals("NONE")) {
      return UNCOMPRESSED;
    }
    for (Codec codec : values()) {
      if (codec.name().equals(normalized)) {
        return codec;
      }
    }
    throw new IllegalArgumentException(
        "Invalid compression '" + name + "': expected one of " + Arrays.toString(names()));
  }

  /** The codec of a parquet-java codec name. */
  public static Codec of(CompressionCodecName name) {
    for (Codec codec : values()) {
      if (codec.parquetName == name) {
        return codec;
      }
    }
    throw new IllegalArgumentException("Unknown Parquet codec " + name);
  }

  /** The names {@link #of(String)} accepts, in lower case. */
  public static String[] names() {
    return Arrays.stream(values()).map(Codec::displayName).toArray(String[]::new);
  }

  /** The lower-case name, as the command line spells it. */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  CompressionCodecName parquetName() {
    return parquetName;
  }

  /**
   * Why this codec cannot compress and decompress on this machine, or empty if it can. The answer
   * comes from a real round trip through parquet-java, done once per codec and cached. Thread-safe.
   */
  public Optional<String> unavailableReason() {
    return AVAILABILITY.computeIfAbsent(this, Codec::probe);
  }

  private static Optional<String> probe(Codec codec) {
    byte[] sample =
        "baler codec probe: the quick brown fox jumps over the lazy dog, twice, the quick brown fox"
            .getBytes(StandardCharsets.UTF_8);
    // A factory of its own: parquet-java's caches compressors in a plain map, and probes of
    // different codecs may run at once.
    CompressionCodecFactory factory = ParquetRuntime.newCodecFactory();
    try {
      BytesInput compressed =
          factory.getCompressor(codec.parquetName).compress(BytesInput.from(sample));
      byte[] compressedBytes = compressed.toByteArray();
      byte[] restored =
          factory
              .getDecompressor(codec.parquetName)
              .decompress(BytesInput.from(compressedBytes), sample.length)
              .toByteArray();
      if (!Arrays.equals(sample, restored)) {
        return Optional.of("a round trip through the codec did not give back the original bytes");
      }
      return Optional.empty();
    } catch (Exception | LinkageError e) {
      return Optional.of(explain(codec, e));
    } finally {
      factory.release();
    }
  }

  private static String explain(Codec codec, Throwable error) {
    String detail =
        error.getClass().getSimpleName()
            + (error.getMessage() == null ? "" : ": " + error.getMessage());
    return switch (codec) {
      case LZO ->
          "lzo needs the GPL-licensed hadoop-lzo library and its native liblzo2, which Baler"
              + " does not ship ("
              + detail
              + ")";
      case BROTLI ->
          "brotli needs a Hadoop brotli codec with a native library (such as"
              + " jbrotli), which Baler does not ship ("
              + detail
              + ")";
      case SNAPPY, GZIP, LZ4, ZSTD, UNCOMPRESSED, LZ4_RAW -> detail;
    };
  }
}
