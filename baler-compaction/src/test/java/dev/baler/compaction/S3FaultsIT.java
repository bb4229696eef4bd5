package dev.baler.compaction;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3FaultScenarios} against S3Proxy. */
class S3FaultsIT extends S3FaultScenarios {
  @RegisterExtension static final S3Bucket bucket = new S3Bucket("baler-faults");

  @Override
  S3Bucket bucket() {
    return bucket;
  }
}
