package dev.baler.compaction;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3CrashRecoveryScenarios} against S3Proxy. */
class S3CrashRecoveryIT extends S3CrashRecoveryScenarios {
  @RegisterExtension static final S3Bucket bucket = new S3Bucket("baler-crash");

  @Override
  S3Bucket bucket() {
    return bucket;
  }
}
