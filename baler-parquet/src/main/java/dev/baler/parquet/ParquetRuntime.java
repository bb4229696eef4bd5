package dev.baler.parquet;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;

/**
 * The parquet-java objects that are costly to make: one shared Hadoop configuration (making one
 * parses XML resources), and the codec factories and read options built on it.
 */
final class ParquetRuntime {
  private static final Configuration CONFIGURATION = new Configuration(false);
  private static final int PAGE_SIZE_HINT = 1 << 20;

  private ParquetRuntime() {}

  /**
   * A codec factory for one thread's use; release it with {@code release()} when done.
   * parquet-java's factory caches one compressor and one decompressor per codec, and these are not
   * thread-safe. Snappy pages are decompressed as {@link PageCodecs} says.
   */
  static CompressionCodecFactory newCodecFactory() {
    return new PageCodecs(new CodecFactory(CONFIGURATION, PAGE_SIZE_HINT));
  }

  /**
   * Read options with a codec factory of their own ({@link #newCodecFactory()}), for one reader
   * (which releases it on close). Page checksums are verified where the writer stored them, so that
   * corrupt page data is detected rather than copied. Built on the shared configuration:
   * parquet-java's default builder makes a new Hadoop configuration each time, which parses
   * Hadoop's XML defaults and costs milliseconds per file.
   */
  static ParquetReadOptions readOptions() {
    return ParquetReadOptions.builder(new HadoopParquetConfiguration(CONFIGURATION))
        .usePageChecksumVerification(true)
        .withCodecFactory(newCodecFactory())
        .build();
  }

  /**
   * Read options for reading footers alone, shared by every thread: a footer read decompresses
   * nothing, so their codec factory is never used, and never released.
   */
  static ParquetReadOptions footerOptions() {
    return FOOTER_OPTIONS;
  }

  private static final ParquetReadOptions FOOTER_OPTIONS = readOptions();

  /**
   * Whether an {@code IOException} of parquet-java says that a file's bytes are corrupt rather than
   * that the store failed: parquet-java reports a page header it cannot decode as an {@code
   * IOException} caused by a Thrift {@code TException}, and page headers are the only Thrift
   * structures it decodes after the footer.
   */
  static boolean isCorruptData(IOException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
        if (type.getName().endsWith(".thrift.TException")) {
          return true;
        }
      }
    }
    return false;
  }
}
