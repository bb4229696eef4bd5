package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.Location;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import dev.baler.storage.Storages;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.FaultInjectingProxy.Deviation;
import dev.baler.testing.FaultInjectingProxy.Fault;
import dev.baler.testing.S3Server;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads, moves and deletes against answers that S3-compatible servers, and S3 itself, give and
 * that some clients fail on, played by a proxy in front of S3Proxy: the root elements moto 5.2.0
 * and 5.2.1 renamed (pyarrow failed against the second); S3's {@code 200 OK} with an error in the
 * body of a {@code CompleteMultipartUpload} or a {@code CopyObject}; a store that refuses the
 * checksum trailers AWS SDKs send with uploads; one that requires {@code Content-MD5} on batch
 * deletes. Each operation either does what it was asked, or fails with an {@link IOException} that
 * says what went wrong and leaves neither a new object nor an open upload behind, nor a source
 * deleted.
 */
class S3ServerDeviationsIT {
  private static final String BUCKET = "deviations";

  /** Two parts: one full, one short, so that the upload is a multipart one. */
  private static final int CONTENT_BYTES = S3Storage.DEFAULT_PART_SIZE + 12_345;

  private static S3Server server;
  private static S3Client client;
  private static byte[] content;

  @BeforeAll
  static void start() throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(BUCKET);
    client = PlainS3Clients.of(server, server.endpoint());
    content = new byte[CONTENT_BYTES];
    new Random(21).nextBytes(content);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"CREATE_MULTIPART_ROOT_RENAMED", "COMPLETE_MULTIPART_ROOT_RENAMED"})
  void multipartUpload_answeredWithRenamedRoot_completes(Deviation deviation) throws IOException {
    Location location = newLocation();
    try (FaultInjectingProxy proxy = proxy(Map.of(), deviation);
        Storage storage = throughProxy(proxy, 3)) {
      storage.newOutputFile(location).write(content);

      assertThat(proxy.deviated().get(deviation)).isEqualTo(1);
    }
    assertThat(stored(location)).isEqualTo(content);
    assertThat(openUploads(location)).isZero();
  }

  @Test
  void multipartUpload_completeOnceAnsweredWithErrorInOk_isSentAgainAndCompletes()
      throws IOException {
    Location location = newLocation();
    // Requests draw in the order they arrive: the create, two parts, then the completion, whose
    // first draw (the fourth of seed 1) is below the share and whose second is not.
    try (FaultInjectingProxy proxy = proxy(Map.of(Fault.ERROR_IN_OK, 0.5), null);
        Storage storage = throughProxy(proxy, 3)) {
      storage.newOutputFile(location).write(content);

      assertThat(proxy.injected().get(Fault.ERROR_IN_OK)).isEqualTo(1);
    }
    assertThat(stored(location)).isEqualTo(content);
    assertThat(openUploads(location)).isZero();
  }

  @Test
  void multipartUpload_completeAlwaysAnsweredWithErrorInOk_failsLeavingNothing()
      throws IOException {
    Location location = newLocation();
    try (FaultInjectingProxy proxy = proxy(Map.of(Fault.ERROR_IN_OK, 1.0), null);
        Storage storage = throughProxy(proxy, 2)) {
      StorageOutputStream stream = storage.newOutputFile(location).create();
      stream.write(content);

      assertThatThrownBy(stream::close)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Cannot write " + location)
          .hasMessageContaining("InternalError");
      assertThat(proxy.injected().get(Fault.ERROR_IN_OK)).isEqualTo(2);
    }
    assertThat(exists(location)).isFalse();
    assertThat(openUploads(location)).isZero();
  }

  @Test
  void uploads_storeRefusingChecksumTrailers_failWithWhatToDo() throws IOException {
    Location small = newLocation();
    Location large = newLocation();
    try (FaultInjectingProxy proxy = proxy(Map.of(), Deviation.TRAILING_CHECKSUM_REFUSED);
        Storage storage = throughProxy(proxy, 1)) {
      assertThatThrownBy(() -> storage.newOutputFile(small).write(new byte[] {1, 2, 3}))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot write " + small + ": HTTP 501 NotImplemented")
          .hasMessageContaining("AWS_REQUEST_CHECKSUM_CALCULATION=when_required")
          .hasMessageContaining("s3.request-checksum-calculation");
      StorageOutputStream stream = storage.newOutputFile(large).create();
      assertThatThrownBy(
              () -> {
                stream.write(content);
                stream.close();
              })
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HTTP 501 NotImplemented")
          .hasMessageContaining("AWS_REQUEST_CHECKSUM_CALCULATION=when_required");

      assertThat(proxy.deviated().get(Deviation.TRAILING_CHECKSUM_REFUSED)).isGreaterThan(1);
    }
    assertThat(openUploads(large)).isZero();
  }

  @Test
  void uploads_checksumsWhenRequired_passAStoreRefusingChecksumTrailers() throws IOException {
    Location small = newLocation();
    Location large = newLocation();
    Map<String, String> properties = new HashMap<>(server.storageProperties());
    properties.put(S3StorageProvider.MAX_ATTEMPTS, "1");
    properties.put(S3StorageProvider.REQUEST_CHECKSUM_CALCULATION, "when_required");
    try (FaultInjectingProxy proxy = proxy(Map.of(), Deviation.TRAILING_CHECKSUM_REFUSED)) {
      properties.put(S3StorageProvider.ENDPOINT, proxy.uri().toString());
      try (Storage storage = Storages.forLocation(small, properties)) {
        storage.newOutputFile(small).write(new byte[] {1, 2, 3});
        storage.newOutputFile(large).write(content);
      }

      assertThat(proxy.deviated().get(Deviation.TRAILING_CHECKSUM_REFUSED)).isZero();
    }
    assertThat(stored(small)).containsExactly(1, 2, 3);
    assertThat(stored(large)).isEqualTo(content);
  }

  /**
   * The SDK's own setting, which the error message names: its environment variable {@code
   * AWS_REQUEST_CHECKSUM_CALCULATION} is read after this system property, in the same way. Test
   * classes run one after another, so setting the property for the client's construction is safe.
   */
  @Test
  void uploads_sdkSettingWhenRequired_passAStoreRefusingChecksumTrailers() throws IOException {
    Location large = newLocation();
    try (FaultInjectingProxy proxy = proxy(Map.of(), Deviation.TRAILING_CHECKSUM_REFUSED)) {
      Storage storage;
      System.setProperty("aws.requestChecksumCalculation", "when_required");
      try {
        storage = throughProxy(proxy, 1);
      } finally {
        System.clearProperty("aws.requestChecksumCalculation");
      }
      try (storage) {
        storage.newOutputFile(large).write(content);
      }

      assertThat(proxy.deviated().get(Deviation.TRAILING_CHECKSUM_REFUSED)).isZero();
    }
    assertThat(stored(large)).isEqualTo(content);
  }

  @Test
  void moveFile_copyOnceAnsweredWithErrorInOk_isSentAgainAndMoves() throws IOException {
    Location source = newLocation();
    Location target = newLocation();
    put(source, new byte[] {7, 8});
    // seed 8019 draws below the share for the copy, then above it for the copy sent again
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(server.endpoint(), Map.of(Fault.ERROR_IN_OK, 0.5), 8019);
        Storage storage = throughProxy(proxy, 3)) {
      storage.moveFile(source, target);

      assertThat(proxy.injected().get(Fault.ERROR_IN_OK)).isEqualTo(1);
    }
    assertThat(stored(target)).containsExactly(7, 8);
    assertThat(exists(source)).isFalse();
  }

  /**
   * The case where taking the answer for success would lose data: the move deletes its source once
   * the copy has succeeded.
   */
  @Test
  void moveFile_copyAlwaysAnsweredWithErrorInOk_failsAndKeepsTheSource() throws IOException {
    Location source = newLocation();
    Location target = newLocation();
    put(source, new byte[] {7, 8});
    try (FaultInjectingProxy proxy = proxy(Map.of(Fault.ERROR_IN_OK, 1.0), null);
        Storage storage = throughProxy(proxy, 2)) {
      assertThatThrownBy(() -> storage.moveFile(source, target))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("InternalError");

      assertThat(proxy.injected().get(Fault.ERROR_IN_OK)).isEqualTo(2);
    }
    assertThat(stored(source)).containsExactly(7, 8);
    assertThat(exists(target)).isFalse();
  }

  @Test
  void deleteFiles_storeRequiringContentMd5_deletesEveryFile() throws IOException {
    Location first = newLocation();
    Location second = newLocation();
    try (FaultInjectingProxy proxy = proxy(Map.of(), Deviation.DELETE_WITHOUT_MD5_REFUSED);
        Storage storage = throughProxy(proxy, 1)) {
      storage.newOutputFile(first).write(new byte[] {1});
      storage.newOutputFile(second).write(new byte[] {2});
      // the proxy does refuse a DeleteObjects without the header, as the SDK sends it by default
      try (S3Client plain = PlainS3Clients.of(server, proxy.uri())) {
        assertThatThrownBy(
                () ->
                    plain.deleteObjects(
                        request ->
                            request
                                .bucket(BUCKET)
                                .delete(d -> d.objects(o -> o.key(first.path())))))
            .isInstanceOf(S3Exception.class)
            .hasMessageContaining("Content-Md5");
      }
      assertThat(proxy.deviated().get(Deviation.DELETE_WITHOUT_MD5_REFUSED)).isEqualTo(1);

      assertThat(storage.deleteFiles(List.of(first, second))).isEmpty();

      assertThat(proxy.deviated().get(Deviation.DELETE_WITHOUT_MD5_REFUSED)).isEqualTo(1);
    }
    assertThat(exists(first)).isFalse();
    assertThat(exists(second)).isFalse();
  }

  private static FaultInjectingProxy proxy(Map<Fault, Double> shares, Deviation deviation)
      throws IOException {
    return FaultInjectingProxy.start(
        server.endpoint(), shares, 1, deviation == null ? Set.of() : Set.of(deviation));
  }

  private static Storage throughProxy(FaultInjectingProxy proxy, int maxAttempts) {
    return S3Storage.builder()
        .endpoint(proxy.uri())
        .region(server.region())
        .credentials(server.accessKeyId(), server.secretAccessKey())
        .maxAttempts(maxAttempts)
        .build();
  }

  private static Location newLocation() {
    return Location.of("s3://" + BUCKET + "/" + UUID.randomUUID() + "/large.parquet");
  }

  private static byte[] stored(Location location) {
    return client
        .getObjectAsBytes(request -> request.bucket(BUCKET).key(location.path()))
        .asByteArray();
  }

  private static void put(Location location, byte[] bytes) {
    client.putObject(
        request -> request.bucket(BUCKET).key(location.path()), RequestBody.fromBytes(bytes));
  }

  private static boolean exists(Location location) {
    return client.listObjectsV2(r -> r.bucket(BUCKET).prefix(location.path())).keyCount() > 0;
  }

  private static int openUploads(Location location) {
    return client
        .listMultipartUploads(request -> request.bucket(BUCKET).prefix(location.path()))
        .uploads()
        .size();
  }
}
