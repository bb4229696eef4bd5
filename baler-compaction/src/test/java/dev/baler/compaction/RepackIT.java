package dev.baler.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.parquet.Footer;
import dev.baler.parquet.ParquetNormalizer;
import dev.baler.parquet.TelemetryDataset;
import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.Fixtures;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Repack between stores: pyarrow's, DuckDB's and polars' fixtures on local disk, and S3 to local
 * disk and back through an in-process S3 server; rows checked through DuckDB.
 */
class RepackIT {
  private static final String BUCKET = "baler-repack";

  private static S3Server server;
  private static Storage s3;

  private final LocalStorage local = new LocalStorage();
  private final DuckDbVerifier duckDb = new DuckDbVerifier();

  @TempDir Path directory;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(BUCKET);
    s3 = Storages.forLocation(Location.of("s3://" + BUCKET + "/"), server.storageProperties());
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void repack_keepsEveryRowOfEachWritersFiles(Fixtures.Writer writer) throws IOException {
    Path source = directory.resolve("source");
    Path destination = directory.resolve("destination");
    List<Path> inputs = Fixtures.of(writer).copyTo(source);

    RepackResult result =
        new Repack(local, local, RepackOptions.builder().workers(2).build(), RepackListener.NONE)
            .run(Location.local(source), Location.local(destination));

    assertThat(result.failed()).isEmpty();
    assertThat(result.completed()).hasSize(inputs.size());
    List<Path> outputs = DuckDbVerifier.parquetFilesUnder(destination);
    assertThat(outputs).hasSize(inputs.size());
    assertThat(duckDb.rows(outputs)).isEqualTo(duckDb.rows(inputs));
    for (Path output : outputs) {
      Footer footer = Footer.read(local.newInputFile(Location.local(output)));
      assertThat(footer.keyValueMetadata()).doesNotContainKey(ParquetNormalizer.ARROW_SCHEMA);
    }
  }

  @Test
  void repack_fromS3ToLocalDiskAndBack() throws IOException {
    Location raw = Location.of("s3://" + BUCKET + "/lake/raw/");
    TelemetryDataset.builder().files(6).rowsPerFile(200).threads(1).build().write(s3, raw);
    Path copy = directory.resolve("copy");

    RepackResult down =
        new Repack(s3, local, RepackOptions.builder().workers(3).build(), RepackListener.NONE)
            .run(raw, Location.local(copy));

    assertThat(down.status()).isEqualTo(RepackResult.Status.SUCCESS);
    assertThat(down.completed()).hasSize(6);
    assertThat(down.rows()).isEqualTo(1200);
    Location back = Location.of("s3://" + BUCKET + "/lake/raw_repack");
    RepackResult up =
        new Repack(local, s3, RepackOptions.builder().workers(3).build(), RepackListener.NONE)
            .run(Location.local(copy), back);

    assertThat(up.completed()).hasSize(6);
    List<String> keys =
        s3.list(back.asDirectory()).toList().stream()
            .map(entry -> entry.location().path())
            .sorted()
            .toList();
    List<String> original =
        s3.list(raw).toList().stream()
            .map(entry -> entry.location().path().replace("lake/raw/", "lake/raw_repack/"))
            .sorted()
            .toList();
    assertThat(keys).isEqualTo(original);
    Path downloaded = directory.resolve("downloaded");
    Path originals = directory.resolve("originals");
    download(back.asDirectory(), downloaded);
    download(raw, originals);
    assertThat(duckDb.rows(DuckDbVerifier.parquetFilesUnder(downloaded)))
        .isEqualTo(duckDb.rows(DuckDbVerifier.parquetFilesUnder(originals)));

    RepackResult again =
        new Repack(local, s3, RepackOptions.builder().build(), RepackListener.NONE)
            .run(Location.local(copy), back);
    assertThat(again.skipped()).hasSize(6);
    assertThat(again.completed()).isEmpty();
  }

  private void download(Location prefix, Path target) throws IOException {
    for (var entry : s3.list(prefix).toList()) {
      Path file = target.resolve(entry.location().path().substring(prefix.path().length()));
      Files.createDirectories(file.getParent());
      Files.write(file, s3.newInputFile(entry.location()).readAllBytes());
    }
  }
}
