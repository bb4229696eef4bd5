package dev.baler.compaction;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3CrashRecoveryScenarios} against moto's S3 server, run as its own Python process. */
class S3CrashRecoveryMotoIT extends S3CrashRecoveryScenarios {
  @RegisterExtension
  static final S3Bucket bucket = new S3Bucket("baler-crash", S3Bucket.Server.MOTO);

  @Override
  S3Bucket bucket() {
    return bucket;
  }
}
