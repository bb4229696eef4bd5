package dev.baler.cli;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.security.Security;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the Amazon Corretto Crypto Provider (ACCP, native code of AWS-LC) first among the JVM's
 * security providers for runs that talk to S3, where it computes the SHA-256 of request signing
 * and, over HTTPS, the AES-GCM of TLS.
 *
 * <p>Why: the AWS SDK signs every request's payload with SHA-256 when the connection is plain HTTP
 * (an S3-compatible endpoint such as {@code http://127.0.0.1:9000}), and Baler's launcher runs the
 * JVM with the C1 compiler only, for its start-up time, and C1 has none of the JDK's SHA-2 and
 * AES-GCM intrinsics: the digests ran as plain Java, about 28% of a compaction's CPU samples on S3
 * (the reference set through S3Proxy on 127.0.0.1, 2 cores). With ACCP, three interleaved pairs of
 * runs through the launcher: 8.24, 8.54, 7.79 s → 7.16, 7.21, 7.44 s wall, user CPU about 11.5 →
 * 9.9 s.
 *
 * <p>Only the command-line tool does this, not the storage library: which providers a JVM prefers
 * is the application's choice. Installing is skipped, and the JDK's providers serve as before, when
 * the environment variable {@value #SWITCH} is {@code jdk}, when ACCP's native library cannot load
 * (a platform other than Linux on x86-64), when its self-tests fail, and when the JVM records a
 * class archive at exit ({@code -XX:ArchiveClassesAtExit}, as the {@code baler} launcher does on a
 * build's first run): JDK 17.0.15 then crashes at exit, in {@code
 * SystemDictionaryShared::adjust_lambda_proxy_class_dictionary}, once ACCP's classes (from a signed
 * jar, which a class archive leaves out) have run their lambdas; the same family as JDK-8274944.
 *
 * <p>Loading ACCP takes about a third of a second (its native library is unpacked to a temporary
 * file, then its self-tests run), so a run that will talk to S3 starts it on a thread of its own
 * ({@link #startInstalling}) while the command line is parsed, and the S3 storage waits for it
 * ({@link #install}) before any request is signed.
 *
 * <p>Thread-safe; installs at most once per JVM.
 */
final class CryptoProvider {
  /** The environment variable that, set to {@code jdk}, keeps the JDK's own providers. */
  static final String SWITCH = "BALER_CRYPTO_PROVIDER";

  private static final Logger log = LoggerFactory.getLogger(CryptoProvider.class);
  private static final FutureTask<Outcome> installing =
      new FutureTask<>(CryptoProvider::installUnlessSwitchedOff);
  private static final AtomicBoolean reported = new AtomicBoolean();

  /**
   * What installing came to, logged by the first {@link #install} rather than where it happened: on
   * {@link #startInstalling}'s thread it may happen before logging is configured.
   *
   * @param unusable whether ACCP should have been usable but was not: a warning
   * @param message what was done and why
   */
  private record Outcome(boolean unusable, String message) {}

  private CryptoProvider() {}

  /** Starts {@link #install} on a daemon thread and returns at once. */
  static void startInstalling() {
    Thread thread = new Thread(installing, "baler-crypto");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Installs ACCP as the preferred provider unless {@value #SWITCH} says not to or it is unusable
   * here, or waits for {@link #startInstalling}'s thread to have done so, and logs what came of it
   * once; never throws.
   *
   * @return whether ACCP is the preferred provider afterwards
   */
  static boolean install() {
    installing.run(); // returns at once if it ran, or runs, already
    Outcome outcome;
    try {
      outcome = installing.get();
    } catch (ExecutionException e) {
      outcome = new Outcome(true, "installing ACCP failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return isPreferred();
    }
    if (!reported.getAndSet(true)) {
      if (outcome.unusable()) {
        log.warn(outcome.message());
      } else {
        log.debug(outcome.message());
      }
    }
    return isPreferred();
  }

  /** Whether ACCP is the JVM's first security provider. */
  static boolean isPreferred() {
    var providers = Security.getProviders();
    return providers.length > 0
        && providers[0].getName().equals(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
  }

  private static Outcome installUnlessSwitchedOff() {
    if ("jdk".equalsIgnoreCase(System.getenv(SWITCH))) {
      return new Outcome(false, SWITCH + "=jdk: keeping the JDK's security providers");
    }
    if (recordsClassArchive()) {
      return new Outcome(false, "recording a class archive: keeping the JDK's security providers");
    }
    try {
      Throwable loading = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      if (loading != null) {
        return new Outcome(false, "ACCP cannot load here, keeping the JDK's providers: " + loading);
      }
      AmazonCorrettoCryptoProvider.install();
      AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
      return new Outcome(false, "security provider: " + AmazonCorrettoCryptoProvider.INSTANCE);
    } catch (RuntimeException | LinkageError e) {
      Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
      return new Outcome(true, "ACCP is unusable here, keeping the JDK's security providers: " + e);
    }
  }

  /** Whether the JVM writes a dynamic class archive when it exits. */
  private static boolean recordsClassArchive() {
    try {
      var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return diagnostics != null
          && !diagnostics.getVMOption("ArchiveClassesAtExit").getValue().isEmpty();
    } catch (RuntimeException | LinkageError e) {
      return true; // cannot tell: keep clear of the crash
    }
  }
}
