package dev.baler.parquet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes input records under a normalised schema: each record of the input schema goes through the
 * schema's field writers to parquet-java's record consumer, and through a {@link RecordHasher} on
 * the way. One per output file; not thread-safe.
 */
final class NormalizingWriteSupport extends WriteSupport<Group> {
  private final NormalizedSchema schema;
  private final Map<String, String> keyValueMetadata;
  private RecordHasher hasher;
  private Emitter emitter;

  /**
   * @param keyValueMetadata the output's key-value metadata, copied; a value may be null, as
   *     parquet-java reads a pair without one (Thrift's value is optional)
   */
  NormalizingWriteSupport(NormalizedSchema schema, Map<String, String> keyValueMetadata) {
    this.schema = schema;
    this.keyValueMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(keyValueMetadata));
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema.output(), keyValueMetadata);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema.output(), keyValueMetadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    hasher = new RecordHasher(recordConsumer);
    emitter = new Emitter(hasher);
  }

  @Override
  public void write(Group record) {
    hasher.startMessage();
    FieldWriter.writeAll(schema.fields(), record, emitter);
    hasher.endMessage();
  }

  @Override
  public String getName() {
    return "baler-normalize";
  }

  /** The records written so far. */
  RowFingerprint written() {
    return hasher.fingerprint();
  }

  long truncatedTimestamps() {
    return emitter.truncatedTimestamps();
  }
}
