package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.GroupWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;

/**
 * Rewrites one Parquet file into one new file that readers such as Snowflake load: the schema
 * normalised by {@link SchemaNormalizer}, data pages V1 with statistics and page indexes, and the
 * {@code ARROW:schema} key-value entry dropped (an Arrow reader then derives its schema from the
 * Parquet schema; the other key-value entries are kept). The root schema element never has a
 * repetition in the output.
 *
 * <p>Works on records: each row is read into a parquet-java example {@code Group} and written
 * through the normalised schema's writers, so only one input row group and one output row group are
 * held in memory at a time, and nothing is copied to local disk. The output is published only when
 * the whole file is written (its stream is closed); on any failure it is aborted and nothing
 * appears at its location.
 *
 * <p>Thread-safe: it holds only its options; run one {@link #normalize} per thread.
 */
public final class ParquetNormalizer {
  /** The key-value entry in which Arrow writers keep their own schema. */
  public static final String ARROW_SCHEMA = "ARROW:schema";

  private static final Configuration CONFIGURATION = new Configuration(false);

  private final NormalizationOptions options;

  /** A normaliser that writes with {@code options}. */
  public ParquetNormalizer(NormalizationOptions options) {
    this.options = requireNonNull(options, "options is null");
  }

  /**
   * Reads {@code source} and writes it, normalised, to {@code destination}, which becomes visible
   * only when this returns.
   *
   * @param listener told of every batch of rows written; called from this thread
   * @return what was written; pass it to {@link #verify} once the output is readable
   * @throws InvalidParquetFileException if the source is not usable (empty, truncated, not Parquet,
   *     an unsupported codec, undecodable pages) or holds a value normalisation refuses (an
   *     unsigned 64-bit value above 2^63-1 under {@link Uint64Handling#REFUSE}); {@code reason()}
   *     says which
   * @throws IOException if a store fails; nothing is left at {@code destination}
   */
  public NormalizationResult normalize(
      InputFile source, OutputFile destination, NormalizationListener listener) throws IOException {
    requireNonNull(listener, "listener is null");
    Location location = source.location();
    Footer footer = Footer.read(source);
    NormalizedSchema schema;
    try {
      schema = SchemaNormalizer.normalize(footer.schema(), options.uint64Handling());
    } catch (IllegalArgumentException e) {
      throw new InvalidParquetFileException(location, e.getMessage(), e);
    }
    List<String> changes = new ArrayList<>();
    if (usesV2Pages(footer)) {
      changes.add("data pages V2 written as V1");
    }
    changes.addAll(schema.changes());
    Map<String, String> keyValueMetadata = new LinkedHashMap<>(footer.keyValueMetadata());
    if (keyValueMetadata.remove(ARROW_SCHEMA) != null) {
      changes.add(ARROW_SCHEMA + " key-value metadata dropped");
    }
    NormalizingWriteSupport writeSupport = new NormalizingWriteSupport(schema, keyValueMetadata);
    ParquetInputFile input = new ParquetInputFile(source);
    ParquetOutputFile output = new ParquetOutputFile(destination);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            input, footer.metadata(), ParquetRuntime.readOptions(), input.newStream())) {
      ParquetWriter<Group> writer = newWriter(output, writeSupport);
      long[] batch = {0};
      long rows =
          GroupRecords.read(
              reader,
              record -> {
                writer.write(record);
                if (++batch[0] == options.batchRows()) {
                  listener.rowsWritten(batch[0]);
                  batch[0] = 0;
                }
              });
      if (rows != footer.rows()) {
        throw new InvalidParquetFileException(
            location, "read " + rows + " rows, but its footer counts " + footer.rows(), null);
      }
      writer.close();
      if (batch[0] > 0) {
        listener.rowsWritten(batch[0]);
      }
    } catch (ValueRefusedException e) {
      abort(output, e);
      throw new InvalidParquetFileException(location, e.getMessage(), e);
    } catch (RuntimeException e) {
      // parquet-java reports pages it cannot decode as runtime exceptions
      abort(output, e);
      throw new InvalidParquetFileException(
          location,
          "cannot decode its rows (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          e);
    } catch (IOException | Error e) {
      abort(output, e);
      if (e instanceof IOException io
          && !(e instanceof InvalidParquetFileException)
          && ParquetRuntime.isCorruptData(io)) {
        throw new InvalidParquetFileException(
            location, "corrupt page data (" + e.getMessage() + ")", e);
      }
      throw e;
    }
    return new NormalizationResult(
        location,
        destination.location(),
        writeSupport.truncatedTimestamps(),
        changes,
        writeSupport.written());
  }

  /**
   * Reads a published output back and checks that it holds exactly what {@link #normalize} wrote:
   * the same number of rows, and the same records (the same hash sums of every record's values).
   *
   * @param written the output file
   * @param expected what {@link #normalize} returned for it
   * @return why the output does not match, or empty if it does
   * @throws IOException if the output cannot be read
   */
  public Optional<String> verify(InputFile written, NormalizationResult expected)
      throws IOException {
    Footer footer = Footer.read(written);
    if (footer.rows() != expected.rows()) {
      return Optional.of(
          "the output's footer counts " + footer.rows() + " rows, expected " + expected.rows());
    }
    RecordHasher hasher = new RecordHasher(null);
    GroupWriter replay = new GroupWriter(hasher, footer.schema());
    ParquetInputFile input = new ParquetInputFile(written);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            input, footer.metadata(), ParquetRuntime.readOptions(), input.newStream())) {
      GroupRecords.read(reader, replay::write);
    } catch (RuntimeException e) {
      return Optional.of(
          "the output cannot be decoded ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
    RowFingerprint read = hasher.fingerprint();
    if (!read.equals(expected.written())) {
      return Optional.of(
          "the output's rows differ from those written (read "
              + read
              + ", wrote "
              + expected.written()
              + ")");
    }
    return Optional.empty();
  }

  /** Whether any column chunk of the file has data pages V2, by its encoding statistics. */
  static boolean usesV2Pages(Footer footer) {
    for (BlockMetaData block : footer.rowGroups()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        if (column.getEncodingStats() != null && column.getEncodingStats().usesV2Pages()) {
          return true;
        }
      }
    }
    return false;
  }

  private ParquetWriter<Group> newWriter(ParquetOutputFile output, WriteSupport<Group> support)
      throws IOException {
    WriteOptions write = options.writeOptions();
    return new Builder(output, support)
        .withConf(CONFIGURATION)
        .withCompressionCodec(write.codec().parquetName())
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withRowGroupSize(write.rowGroupBytes())
        .withRowGroupRowCountLimit((int) write.rowGroupRows())
        .withPageSize(write.pageBytes())
        .withDictionaryPageSize(write.pageBytes())
        .withDictionaryEncoding(write.dictionaryEncoding())
        .withStatisticsEnabled(true)
        .withPageWriteChecksumEnabled(true)
        .build();
  }

  /**
   * Aborts the output's stream before anything closes it: closing parquet-java's writer after a
   * failure would close the stream, which publishes what was written.
   */
  private static void abort(ParquetOutputFile output, Throwable failure) {
    Optional<StorageOutputStream> stream = output.stream();
    if (stream.isEmpty()) {
      return;
    }
    try {
      stream.get().abort();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** parquet-java's writer builder with our write support. */
  private static final class Builder extends ParquetWriter.Builder<Group, Builder> {
    private final WriteSupport<Group> writeSupport;

    Builder(org.apache.parquet.io.OutputFile file, WriteSupport<Group> writeSupport) {
      super(file);
      this.writeSupport = writeSupport;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Group> getWriteSupport(Configuration configuration) {
      return writeSupport;
    }

    @Override
    protected WriteSupport<Group> getWriteSupport(ParquetConfiguration configuration) {
      return writeSupport;
    }
  }
}
