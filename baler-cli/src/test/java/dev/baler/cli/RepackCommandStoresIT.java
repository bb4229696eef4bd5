package dev.baler.cli;

import static dev.baler.cli.RepackCommandTest.baler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.cli.CompactCommandTest.Run;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.HdfsServer;
import dev.baler.testing.RowMultiset;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baler repack} across stores through the CLI: S3 configured by the container's environment
 * variables, S3 to local disk, and HDFS to S3, against an in-process S3 server and an HDFS mini
 * cluster.
 */
class RepackCommandStoresIT {
  private static S3Server s3Server;
  private static HdfsServer hdfsServer;
  private static Storage s3;
  private static Storage hdfs;

  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path directory;

  @BeforeAll
  static void start() throws Exception {
    s3Server = S3Server.inMemory().start();
    s3Server.createBucket("lake");
    s3 = Storages.forLocation(Location.of("s3://lake/"), s3Server.storageProperties());
    hdfsServer = HdfsServer.start();
    hdfs =
        Storages.forLocation(Location.of(hdfsServer.uri() + "/"), hdfsServer.storageProperties());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable resource : new AutoCloseable[] {s3, hdfs, s3Server, hdfsServer}) {
      if (resource != null) {
        resource.close();
      }
    }
  }

  private String[] s3Flags(String... args) {
    String[] flags = {
      "--endpoint", s3Server.endpoint().toString(),
      "--region", s3Server.region(),
      "--access-key-id", s3Server.accessKeyId(),
      "--secret-access-key", s3Server.secretAccessKey()
    };
    String[] all = new String[args.length + flags.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(flags, 0, all, args.length, flags.length);
    return all;
  }

  /**
   * The rows of the data files below a prefix, read by DuckDB from a local copy: normalisation
   * makes the data set's millisecond time stamps microseconds, so Baler's own fingerprint, which
   * compares physical values, would differ while the rows are the same.
   */
  private RowMultiset rows(Storage storage, Location prefix) throws IOException {
    Path copy = Files.createTempDirectory(directory, "copy");
    for (FileEntry entry : storage.list(prefix).toList()) {
      Path file = copy.resolve(entry.location().path().substring(prefix.path().length()));
      Files.createDirectories(file.getParent());
      Files.write(file, storage.newInputFile(entry.location()).readAllBytes());
    }
    return duckDb.rows(DuckDbVerifier.parquetFilesUnder(copy));
  }

  @Test
  void environment_configuresAContainerRunOnS3() throws IOException {
    Location raw = Location.of("s3://lake/env/raw/");
    DataFiles.writeTelemetry(s3, raw, 5);

    Run run =
        baler(
            Map.of(
                "SRC_BUCKET", "lake", "SRC_PREFIX", "env/raw/", "WORKERS", "2", "BATCH_SIZE", "64"),
            s3Flags("repack"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("source").asText()).isEqualTo("s3://lake/env/raw/");
    assertThat(run.json().get("destination").asText()).isEqualTo("s3://lake/env/raw_repack/");
    assertThat(run.json().get("files_completed").asInt()).isEqualTo(5);
    Location repacked = Location.of("s3://lake/env/raw_repack/");
    assertThat(rows(s3, repacked)).isEqualTo(rows(s3, raw));
    assertThat(run.stdout() + run.stderr()).doesNotContain(s3Server.secretAccessKey());

    // a flag wins over the environment: the same source, now to local disk
    Path local = directory.resolve("local");
    Run toLocal =
        baler(
            Map.of("SRC_BUCKET", "lake", "SRC_PREFIX", "env/raw/", "DEST_PREFIX", "ignored"),
            s3Flags("repack", "--dst", local.toString()));

    assertThat(toLocal.exitCode()).as(toLocal.stderr()).isZero();
    assertThat(toLocal.json().get("files_completed").asInt()).isEqualTo(5);
    assertThat(duckDb.rows(DuckDbVerifier.parquetFilesUnder(local))).isEqualTo(rows(s3, raw));
  }

  @Test
  void repack_fromHdfsToS3() throws IOException {
    Location raw = Location.of(hdfsServer.uri() + "/warehouse/events/");
    DataFiles.writeTelemetry(hdfs, raw, 4);
    RowMultiset before = rows(hdfs, raw);

    Run run =
        baler(Map.of(), s3Flags("repack", "--src", raw.toString(), "--dst", "s3://lake/from-hdfs"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.json().get("files_completed").asInt()).isEqualTo(4);
    assertThat(rows(s3, Location.of("s3://lake/from-hdfs/"))).isEqualTo(before);
    Run again =
        baler(Map.of(), s3Flags("repack", "--src", raw.toString(), "--dst", "s3://lake/from-hdfs"));
    assertThat(again.json().get("files_skipped").asInt()).isEqualTo(4);
    assertThat(again.json().get("files_completed").asInt()).isZero();
  }
}
