package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3OutputStreamTest {
  private static final int MIB = 1024 * 1024;
  private static final Duration TWO_MINUTES = Duration.ofMinutes(2);

  @Test
  void attemptTimeout_isTheStoragesUntilAPartTakesLongerAtOneMebibyteASecond() {
    assertThat(S3OutputStream.attemptTimeout(TWO_MINUTES, 5 * MIB)).isEqualTo(TWO_MINUTES);
    assertThat(S3OutputStream.attemptTimeout(TWO_MINUTES, 120 * MIB)).isEqualTo(TWO_MINUTES);
    assertThat(S3OutputStream.attemptTimeout(TWO_MINUTES, 120 * MIB + 1))
        .isEqualTo(Duration.ofSeconds(121));
    assertThat(S3OutputStream.attemptTimeout(TWO_MINUTES, PartSizes.MAX_SIZE))
        .isEqualTo(Duration.ofSeconds(512));
    assertThat(S3OutputStream.attemptTimeout(Duration.ofMinutes(20), PartSizes.MAX_SIZE))
        .isEqualTo(Duration.ofMinutes(20));
  }
}
