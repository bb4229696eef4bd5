package dev.baler.compaction;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3FaultScenarios} against moto's S3 server, run as its own Python process. */
class S3FaultsMotoIT extends S3FaultScenarios {
  @RegisterExtension
  static final S3Bucket bucket = new S3Bucket("baler-faults", S3Bucket.Server.MOTO);

  @Override
  S3Bucket bucket() {
    return bucket;
  }
}
