package dev.baler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each case runs in a JVM of its own: the preferred security provider is the whole JVM's. */
class CryptoProviderTest {
  @TempDir Path directory;

  /** Installs as a run that talks to S3 does, and prints whether ACCP is preferred then. */
  public static final class Probe {
    public static void main(String[] args) {
      CryptoProvider.startInstalling();
      System.out.println("preferred=" + CryptoProvider.install());
    }
  }

  /** Whether ACCP's native library loads on this machine (Linux on x86-64). */
  private static boolean loadsHere() {
    return AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null;
  }

  @Test
  void install_prefersAccpWhereItLoads() throws Exception {
    String printed = runProbe(List.of(), Map.of(), System.getProperty("java.class.path"));

    assertThat(printed).contains("preferred=" + loadsHere());
  }

  @Test
  void install_keepsTheJdkProviders_whenSwitchedOff() throws Exception {
    String printed =
        runProbe(
            List.of(), Map.of(CryptoProvider.SWITCH, "jdk"), System.getProperty("java.class.path"));

    assertThat(printed).contains("preferred=false");
  }

  @Test
  void install_keepsTheJdkProviders_whileAClassArchiveIsRecorded() throws Exception {
    // With ACCP installed, JDK 17.0.15 crashed at exit writing the archive (SIGSEGV, status 134).
    // A dynamic archive takes only jars on the class path, so the classes are packed into one.
    Path archive = directory.resolve("probe.jsa");

    String printed =
        runProbe(
            List.of(
                "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
            Map.of(),
            jarsOnlyClassPath());

    assertThat(printed).contains("preferred=false");
    assertThat(archive).isNotEmptyFile();
  }

  @Test
  void talksToS3_looksForAnS3LocationOrABucket() {
    assertThat(Baler.talksToS3(new String[] {"compact", "s3://bucket/prefix"})).isTrue();
    assertThat(Baler.talksToS3(new String[] {"compact", "--bucket", "b", "--prefix", "p"}))
        .isTrue();
    assertThat(Baler.talksToS3(new String[] {"compact", "--bucket=b"})).isTrue();
    assertThat(Baler.talksToS3(new String[] {"compact", "./data"})).isFalse();
    assertThat(Baler.talksToS3(new String[] {"consolidate", "hdfs://nn:8020/data"})).isFalse();
  }

  /** Runs {@link Probe} in a JVM of its own and returns what it printed, once it ended with 0. */
  private String runProbe(List<String> options, Map<String, String> environment, String classPath)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-cp", classPath, Probe.class.getName()));
    Path output = directory.resolve("probe-" + System.nanoTime() + ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.directory(directory.toFile()); // where a crashing JVM leaves its hs_err file
    builder.environment().remove(CryptoProvider.SWITCH);
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(ended).as("the probe ended: %s", printed).isTrue();
    assertThat(process.exitValue()).as("the probe's status: %s", printed).isZero();
    return printed;
  }

  /** This JVM's class path with each directory on it replaced by a jar of its contents. */
  private String jarsOnlyClassPath() throws IOException {
    ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path packed = directory.resolve("classes-" + entries.size() + ".jar");
        int status =
            jar.run(
                System.out, System.err, "--create", "--file", packed.toString(), "-C", entry, ".");
        assertThat(status).as("jar of %s", entry).isZero();
        entries.add(packed.toString());
      } else if (Files.isRegularFile(path)) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
