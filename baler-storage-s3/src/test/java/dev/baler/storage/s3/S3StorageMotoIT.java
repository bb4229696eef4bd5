package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import dev.baler.testing.AbstractStorageTest;
import dev.baler.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract of {@link S3Storage} against moto's S3 server, a second S3-compatible server
 * beside S3Proxy ({@link S3StorageIT}), run as its own Python process. moto answers some requests
 * in ways of its own (pyarrow's multipart uploads failed against moto 5.2.1); every operation Baler
 * uses must work against both.
 */
class S3StorageMotoIT extends AbstractStorageTest {
  private static final String BUCKET = "baler-moto";

  private static MotoServer server;
  private static S3Storage storage;

  @BeforeAll
  static void startServer() throws IOException {
    server = MotoServer.create().start();
    server.createBucket(BUCKET);
    storage =
        S3Storage.builder()
            .endpoint(server.endpoint())
            .region(server.region())
            .credentials(server.accessKeyId(), server.secretAccessKey())
            .build();
  }

  @AfterAll
  static void stopServer() {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("s3://" + BUCKET + "/" + UUID.randomUUID() + "/");
  }

  @Test
  void multipart_uploadOfThreePartsRoundTripsByteIdentical() throws IOException {
    // two full parts and a short one: CreateMultipartUpload, UploadPart and the
    // CompleteMultipartUpload that pyarrow failed on
    byte[] content = new byte[2 * S3Storage.DEFAULT_PART_SIZE + 54_321];
    new Random(4).nextBytes(content);
    Location location = root().resolve("large.parquet");

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      for (int offset = 0; offset < content.length; offset += 1_000_000) {
        stream.write(content, offset, Math.min(1_000_000, content.length - offset));
      }
    }

    byte[] read = new byte[content.length];
    try (SeekableInputStream stream = storage.newInputFile(location).newStream()) {
      stream.readFully(read, 0, read.length);
    }
    assertThat(read).isEqualTo(content);
    assertThat(storage.newInputFile(location).length()).isEqualTo(content.length);
    // in three parts, put together by moto's CompleteMultipartUpload
    String key = location.path();
    assertThat(Files.readString(server.logFile()))
        .contains("PUT /" + BUCKET + "/" + key + "?partNumber=3&")
        .containsPattern(
            Pattern.compile("POST /" + BUCKET + "/" + Pattern.quote(key) + "\\?uploadId="));
  }
}
