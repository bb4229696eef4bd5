package dev.baler.cli;

import dev.baler.parquet.Codec;

/** The {@code --compression} option's value, checked against the codecs this machine has. */
final class Codecs {
  private Codecs() {}

  /**
   * The codec a {@code --compression} value names.
   *
   * @throws IllegalArgumentException if the name is unknown, or the codec cannot run here (lzo and
   *     brotli need native libraries Baler does not ship)
   */
  static Codec available(String name) {
    Codec codec = Codec.of(name);
    codec
        .unavailableReason()
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(
                  "Cannot compress with "
                      + codec.displayName()
                      + ": "
                      + reason
                      + "; choose snappy, zstd, gzip, lz4_raw, lz4 or uncompressed");
            });
    return codec;
  }
}
