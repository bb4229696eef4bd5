package dev.baler.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import dev.baler.storage.Storages;
import dev.baler.testing.AbstractStorageTest;
import dev.baler.testing.S3Server;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The storage contract and S3-specific behaviour of {@link S3Storage}, against S3Proxy. */
class S3StorageIT extends AbstractStorageTest {
  static final String BUCKET = "baler-test";
  private static final String WRONG_SECRET = "wrong/secret/0123456789/SHOULD-NEVER-SHOW";
  private static final int MIB = 1024 * 1024;
  private static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/baler-test";

  private static S3Server server;
  private static S3Storage storage;
  private static S3Client client;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3Server.inMemory().start();
    server.createBucket(BUCKET);
    storage = newStorage(UnaryOperator.identity());
    client = PlainS3Clients.of(server, server.endpoint());
  }

  @AfterAll
  static void stopServer() {
    if (client != null) {
      client.close();
    }
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static S3Storage newStorage(UnaryOperator<S3Storage.Builder> settings) {
    return settings
        .apply(
            S3Storage.builder()
                .endpoint(server.endpoint())
                .region(server.region())
                .credentials(server.accessKeyId(), server.secretAccessKey()))
        .build();
  }

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of("s3://" + BUCKET + "/" + UUID.randomUUID() + "/");
  }

  // ---- the server itself

  @Test
  void server_rejectsSecondPutWithIfNoneMatchStar() {
    String key = root().path() + "conditional";
    client.putObject(
        request -> request.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("one"));

    assertThatThrownBy(
            () ->
                client.putObject(
                    request -> request.bucket(BUCKET).key(key).ifNoneMatch("*"),
                    RequestBody.fromString("two")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(412);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
            });
    assertThat(client.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asUtf8String())
        .isEqualTo("one");
  }

  // ---- multipart upload

  @Test
  void multipart_largeFileRoundTripsByteIdentical() throws Exception {
    byte[] content = bytes(20 * MIB + 12_345, 100);
    Location location = root().resolve("large.parquet");

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      for (int offset = 0; offset < content.length; offset += 1_000_000) {
        stream.write(content, offset, Math.min(1_000_000, content.length - offset));
        if (offset == 10_000_000) {
          // two parts are uploaded by now, but nothing is visible
          assertThat(storage.newInputFile(location).exists()).isFalse();
        }
      }
      assertThat(stream.position()).isEqualTo(content.length);
    }

    assertThat(storage.list(location).toList())
        .singleElement()
        .satisfies(entry -> assertThat(entry.length()).isEqualTo(content.length));
    byte[] read = storage.newInputFile(location).readAllBytes();
    assertThat(read.length).isEqualTo(content.length);
    assertThat(sha256(read)).isEqualTo(sha256(content));
    assertThat(multipartUploads()).isEmpty();
  }

  @Test
  void multipart_partsWrittenIntoReusedBuffersRoundTripByteIdentical() throws Exception {
    // five parts: the fourth and the fifth, shorter, are written into buffers of parts sent before
    byte[] content = bytes(4 * S3Storage.DEFAULT_PART_SIZE + 3 * MIB + 7, 103);
    Location location = root().resolve("reused.parquet");

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      for (int offset = 0; offset < content.length; offset += 777_777) {
        stream.write(content, offset, Math.min(777_777, content.length - offset));
      }
    }

    byte[] read = storage.newInputFile(location).readAllBytes();
    assertThat(read.length).isEqualTo(content.length);
    assertThat(sha256(read)).isEqualTo(sha256(content));
  }

  @Test
  void multipart_fileOfExactlyTwoPartsRoundTrips() throws Exception {
    byte[] content = bytes(2 * S3Storage.DEFAULT_PART_SIZE, 101);
    Location location = root().resolve("two-parts.parquet");

    storage.newOutputFile(location).write(content);

    assertThat(sha256(storage.newInputFile(location).readAllBytes())).isEqualTo(sha256(content));
  }

  @Test
  void multipart_fileOfExactlyOnePartRoundTrips() throws Exception {
    byte[] content = bytes(S3Storage.DEFAULT_PART_SIZE, 102);
    Location location = root().resolve("one-part.parquet");

    storage.newOutputFile(location).write(content);

    assertThat(sha256(storage.newInputFile(location, content.length).readAllBytes()))
        .isEqualTo(sha256(content));
    assertThat(multipartUploads()).isEmpty();
  }

  @Test
  void multipart_partsGrowAsTheFileDoes() throws Exception {
    // parts of 5, 5, 10 and 3 MiB; at 5 MiB throughout it would take five
    try (S3Storage growing =
        newStorage(builder -> builder.partSizes(new PartSizes(5 * MIB, 2, 10_000)))) {
      byte[] content = bytes(23 * MIB, 109);
      Location location = root().resolve("growing.parquet");

      try (StorageOutputStream stream = growing.newOutputFile(location).create()) {
        for (int offset = 0; offset < content.length; offset += 999_999) {
          stream.write(content, offset, Math.min(999_999, content.length - offset));
        }
      }

      assertThat(sha256(storage.newInputFile(location).readAllBytes())).isEqualTo(sha256(content));
      assertThat(partCount(location)).isEqualTo(4);
    }
  }

  @Test
  void multipart_fileNeedingMorePartsThanS3AllowsFailsAndLeavesNothing() throws Exception {
    try (S3Storage twoParts =
        newStorage(builder -> builder.partSizes(new PartSizes(5 * MIB, 1_000, 2)))) {
      Location fits = root().resolve("two-parts-at-most.parquet");
      byte[] twoPartsOfBytes = bytes(10 * MIB, 110);
      twoParts.newOutputFile(fits).write(twoPartsOfBytes);
      assertThat(sha256(storage.newInputFile(fits).readAllBytes()))
          .isEqualTo(sha256(twoPartsOfBytes));

      Location location = root().resolve("too-many-parts.parquet");
      StorageOutputStream stream = twoParts.newOutputFile(location).create();
      stream.write(twoPartsOfBytes);

      assertThatThrownBy(() -> stream.write(1))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "Cannot write "
                  + location
                  + ": past 10485760 bytes it would take more than the 2 parts S3 allows in a"
                  + " multipart upload; write smaller files");
      stream.close();
      assertThat(storage.newInputFile(location).exists()).isFalse();
      assertThat(multipartUploads()).isEmpty();
    }
  }

  @Test
  void multipart_abortDiscardsUploadedParts() throws IOException {
    Location location = root().resolve("aborted-large.parquet");

    StorageOutputStream stream = storage.newOutputFile(location).create();
    stream.write(bytes(S3Storage.DEFAULT_PART_SIZE + 1_000, 103));
    stream.write(bytes(10, 104));
    assertThat(multipartUploads()).containsExactly(location.path());
    stream.abort();

    assertThat(storage.newInputFile(location).exists()).isFalse();
    assertThat(multipartUploads()).isEmpty();
    assertThatThrownBy(() -> stream.write(1))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot write " + location + ": stream is closed");
  }

  @Test
  void multipart_closeFailureLeavesNothingVisible() throws IOException {
    Location location = root().resolve("lost-upload.parquet");
    StorageOutputStream stream = storage.newOutputFile(location).create();
    stream.write(bytes(S3Storage.DEFAULT_PART_SIZE + 10, 108));
    // someone (a lifecycle rule, an operator) aborts the upload under our feet
    client
        .listMultipartUploads(request -> request.bucket(BUCKET).prefix(location.path()))
        .uploads()
        .forEach(
            upload ->
                client.abortMultipartUpload(
                    request ->
                        request.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId())));

    assertThatThrownBy(stream::close)
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(FileNotFoundException.class)
        .hasMessageStartingWith("Cannot write " + location + ": HTTP 404 NoSuchUpload");

    assertThat(storage.newInputFile(location).exists()).isFalse();
    stream.abort();
    stream.close();
  }

  @Test
  void readAllBytes_withUnknownLengthReadsTheWholeObject() throws IOException {
    byte[] content = bytes(1_000, 109);
    Location location = write("whole.parquet", content);

    assertThat(storage.newInputFile(location).readAllBytes()).isEqualTo(content);
    assertThatThrownBy(() -> storage.newInputFile(root().resolve("none")).readAllBytes())
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("File not found: " + root().resolve("none"));
  }

  @Test
  void rangedRead_seeksInALargeFile() throws IOException {
    byte[] content = bytes(9 * MIB, 105);
    Location location = write("ranged.parquet", content);

    try (SeekableInputStream stream = storage.newInputFile(location, content.length).newStream()) {
      stream.seek(content.length - 10);
      assertThat(stream.readNBytes(10)).isEqualTo(slice(content, content.length - 10, 10));
      stream.seek(3 * MIB);
      assertThat(stream.readNBytes(100)).isEqualTo(slice(content, 3 * MIB, 100));
      // a short forward seek reuses the open response
      stream.skip(1_000);
      assertThat(stream.position()).isEqualTo(3 * MIB + 1_100);
      assertThat(stream.readNBytes(100)).isEqualTo(slice(content, 3 * MIB + 1_100, 100));
      stream.seek(1);
      assertThat(stream.readNBytes(2 * MIB)).isEqualTo(slice(content, 1, 2 * MIB));
    }
  }

  @Test
  void rangedRead_failsWhenTheObjectIsReplaced() throws IOException {
    byte[] content = bytes(9 * MIB, 106);
    Location location = write("replaced-while-read.parquet", content);

    try (SeekableInputStream stream = storage.newInputFile(location).newStream()) {
      assertThat(stream.readNBytes(100)).isEqualTo(slice(content, 0, 100));
      write("replaced-while-read.parquet", bytes(9 * MIB, 107));
      stream.seek(5 * MIB);
      assertThatThrownBy(stream::read)
          .isInstanceOf(IOException.class)
          .hasMessage("Cannot read " + location + ": the object was replaced while it was read");
    }
  }

  // ---- listing

  @Test
  void list_fetchesPagesLazilyAndCompletely() throws IOException {
    List<Location> written = new ArrayList<>();
    for (int index = 0; index < 7; index++) {
      written.add(write("paged/file-" + index + ".parquet", bytes(10, index)));
    }

    try (S3Storage paged = newStorage(builder -> builder.listPageSize(2))) {
      assertThat(paged.list(root()).toList())
          .extracting(FileEntry::location)
          .containsExactlyElementsOf(written);
    }
  }

  @Test
  void list_requestsTheNextPageOnlyWhenReached() throws IOException {
    List<Location> written = new ArrayList<>();
    for (int index = 0; index < 5; index++) {
      written.add(write("lazy/file-" + index + ".parquet", bytes(10, index)));
    }

    try (S3Storage paged = newStorage(builder -> builder.listPageSize(2))) {
      FileIterator iterator = paged.list(root());
      assertThat(iterator.next().location()).isEqualTo(written.get(0));
      assertThat(iterator.next().location()).isEqualTo(written.get(1));
      // the second page is fetched after these deletes, so it no longer holds them
      storage.deleteFiles(written.subList(2, 4));
      assertThat(iterator.toList()).extracting(FileEntry::location).containsExactly(written.get(4));
    }
  }

  @Test
  void list_returnsKeysInUtf8Order() throws IOException {
    write("b.parquet", bytes(1, 1));
    write("a/z.parquet", bytes(1, 2));
    write("a.parquet", bytes(1, 3));

    assertThat(list(root()))
        .containsExactly(
            root().resolve("a.parquet"),
            root().resolve("a/z.parquet"),
            root().resolve("b.parquet"));
  }

  @Test
  void list_skipsFolderMarkers() throws IOException {
    client.putObject(
        request -> request.bucket(BUCKET).key(root().path() + "folder/"), RequestBody.empty());
    Location file = write("folder/file.parquet", bytes(10, 1));

    assertThat(list(root())).containsExactly(file);
  }

  @Test
  void list_handlesKeysWithSpacesAndNonAsciiCharacters() throws IOException {
    byte[] content = bytes(100, 1);
    Location location = write("date=2025-08-15/a b+c%20ü€.parquet", content);

    assertThat(list(root().resolve("date=2025-08-15/"))).containsExactly(location);
    assertThat(storage.newInputFile(location).readAllBytes()).isEqualTo(content);
  }

  @Test
  void list_missingBucketThrowsFileNotFound() {
    Location prefix = Location.of("s3://no-such-bucket/some/prefix/");

    assertThatThrownBy(() -> storage.list(prefix).hasNext())
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Cannot list " + prefix + ": bucket 'no-such-bucket' does not exist");
  }

  // ---- deleting

  @Test
  void deleteFiles_splitsIntoBatches() throws IOException {
    List<Location> locations = new ArrayList<>();
    for (int index = 0; index < 10; index++) {
      locations.add(write("batch/file-" + index + ".parquet", bytes(10, index)));
    }
    locations.add(root().resolve("batch/missing.parquet"));

    try (S3Storage batched = newStorage(builder -> builder.deleteBatchSize(3))) {
      assertThat(batched.deleteFiles(locations)).isEmpty();
    }

    assertThat(storage.list(root()).toList()).isEmpty();
  }

  @Test
  void deleteFiles_deletesInterleavedBucketsInBatchesAndKeysGivenTwice() throws IOException {
    server.createBucket("baler-interleaved");
    Location twice = write("mixed/twice.parquet", bytes(10, 9));
    // given twice within one batch of three, before the batches of the loop
    List<Location> locations = new ArrayList<>(List.of(twice, twice));
    for (int index = 0; index < 5; index++) {
      locations.add(write("mixed/here-" + index + ".parquet", bytes(10, index)));
      Location there = Location.of("s3://baler-interleaved/" + root().path() + "there-" + index);
      storage.newOutputFile(there).write(bytes(10, index));
      locations.add(there);
    }
    // and again in later batches
    locations.add(locations.get(2));
    locations.add(twice);

    try (S3Storage batched = newStorage(builder -> builder.deleteBatchSize(3))) {
      assertThat(batched.deleteFiles(locations)).isEmpty();
    }

    for (Location location : locations) {
      assertThat(storage.newInputFile(location).exists()).as(location.toString()).isFalse();
    }
  }

  @Test
  void deleteFiles_namesEachKeyOfAFailedBatchOnceAndDeletesTheOtherBuckets() throws IOException {
    List<Location> here = new ArrayList<>();
    List<Location> locations = new ArrayList<>();
    for (int index = 0; index < 3; index++) {
      Location good = write("good/file-" + index + ".parquet", bytes(10, index));
      here.add(good);
      locations.add(good);
      locations.add(Location.of("s3://baler-no-such-bucket/file-" + index + ".parquet"));
    }
    // a key of the missing bucket again, in a later batch
    locations.add(Location.of("s3://baler-no-such-bucket/file-0.parquet"));

    List<DeleteFailure> failures;
    try (S3Storage batched = newStorage(builder -> builder.deleteBatchSize(2))) {
      failures = batched.deleteFiles(locations);
    }

    assertThat(failures)
        .extracting(DeleteFailure::location)
        .containsExactly(
            Location.of("s3://baler-no-such-bucket/file-0.parquet"),
            Location.of("s3://baler-no-such-bucket/file-1.parquet"),
            Location.of("s3://baler-no-such-bucket/file-2.parquet"));
    assertThat(failures)
        .allSatisfy(failure -> assertThat(failure.reason()).startsWith("NoSuchBucket"));
    for (Location location : here) {
      assertThat(storage.newInputFile(location).exists()).as(location.toString()).isFalse();
    }
  }

  @Test
  void deleteFiles_withAnInvalidLocationDeletesNothing() throws IOException {
    Location first = write("kept/first.parquet", bytes(10, 1));
    Location second = write("kept/second.parquet", bytes(10, 2));

    try (S3Storage batched = newStorage(builder -> builder.deleteBatchSize(1))) {
      assertThatThrownBy(
              () -> batched.deleteFiles(List.of(first, second, Location.of("file:///tmp/x"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Not an S3 location: file:///tmp/x");
    }

    assertThat(storage.newInputFile(first).exists()).isTrue();
    assertThat(storage.newInputFile(second).exists()).isTrue();
  }

  @Test
  void deleteFiles_acrossBucketsDeletesEach() throws IOException {
    server.createBucket("baler-other");
    Location here = write("here.parquet", bytes(10, 1));
    Location there = Location.of("s3://baler-other/" + root().path() + "there.parquet");
    storage.newOutputFile(there).write(bytes(10, 2));

    assertThat(storage.deleteFiles(List.of(here, there))).isEmpty();

    assertThat(storage.newInputFile(here).exists()).isFalse();
    assertThat(storage.newInputFile(there).exists()).isFalse();
  }

  // ---- errors and credentials

  @Test
  void wrongSecret_errorsNameTheLocationAndNeverTheSecret() throws IOException {
    Location file = write("secret-test.parquet", bytes(10, 1));
    try (S3Storage wrong =
        newStorage(builder -> builder.credentials(server.accessKeyId(), WRONG_SECRET))) {
      List<Throwable> failures = new ArrayList<>();
      failures.add(catchIOException(() -> wrong.list(root()).hasNext()));
      failures.add(catchIOException(() -> wrong.newInputFile(file).readAllBytes()));
      failures.add(catchIOException(() -> wrong.newInputFile(file, 10).readAllBytes()));
      failures.add(catchIOException(() -> wrong.newInputFile(file).exists()));
      failures.add(catchIOException(() -> wrong.newOutputFile(file).write(bytes(10, 2))));
      failures.add(catchIOException(() -> wrong.createExclusive(file, bytes(10, 3))));

      assertThat(failures.get(0))
          .hasMessageStartingWith("Cannot list " + root() + ": HTTP 403 SignatureDoesNotMatch");
      assertThat(failures.get(1)).hasMessageStartingWith("Cannot read " + file + ": HTTP 403");
      for (Throwable failure : failures) {
        assertThat(failure).hasMessageContaining("s3://" + BUCKET + "/");
        assertThat(stackTrace(failure))
            .doesNotContain(WRONG_SECRET)
            .doesNotContain(server.secretAccessKey());
      }

      List<DeleteFailure> deleteFailures = wrong.deleteFiles(List.of(file));
      assertThat(deleteFailures)
          .singleElement()
          .satisfies(
              failure -> {
                assertThat(failure.location()).isEqualTo(file);
                assertThat(failure.reason())
                    .startsWith("HTTP 403 SignatureDoesNotMatch")
                    .doesNotContain(WRONG_SECRET);
              });
      assertThat(wrong.toString()).doesNotContain(WRONG_SECRET);
    }
    assertThat(storage.newInputFile(file).exists()).isTrue();
  }

  @Test
  void wrongAccessKey_failsWithAccessDenied() {
    try (S3Storage wrong =
        newStorage(builder -> builder.credentials("NOSUCHACCESSKEY", WRONG_SECRET))) {
      assertThatThrownBy(() -> wrong.list(root()).hasNext())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot list " + root() + ": HTTP 403")
          .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(WRONG_SECRET));
    }
  }

  @Test
  void unreachableEndpoint_failsAfterBoundedAttempts() {
    try (S3Storage unreachable =
        S3Storage.builder()
            .endpoint(URI.create("http://127.0.0.1:1"))
            .credentials("key", WRONG_SECRET)
            .maxAttempts(2)
            .build()) {
      Location file = root().resolve("x.parquet");
      assertThatThrownBy(() -> unreachable.newInputFile(file).length())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot read " + file + ": Unable to execute HTTP request")
          .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(WRONG_SECRET));
      assertThatThrownBy(() -> unreachable.deleteFiles(List.of(file)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot delete 1 files in s3://" + BUCKET + "/");
    }
  }

  @Test
  void locations_mustBeS3Objects() {
    assertThatThrownBy(() -> storage.newInputFile(Location.of("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an S3 location: file:///tmp/x");
    assertThatThrownBy(() -> storage.newOutputFile(root()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an S3 object location (no key): " + root());
    assertThatThrownBy(() -> storage.newInputFile(root().resolve("x"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid length -1 for " + root().resolve("x"));
  }

  // ---- server-side encryption

  @Test
  void encryption_everyWayOfWritingAnObjectAsksForIt() throws Exception {
    try (S3Storage encrypting =
        newStorage(
            builder -> builder.serverSideEncryption(ServerSideEncryption.AWS_KMS, KMS_KEY))) {
      Location small = root().resolve("small.parquet");
      Location large = root().resolve("large.parquet");
      Location exclusive = root().resolve("lease.json");
      Location moved = root().resolve("moved.parquet");
      Location unencrypted = root().resolve("written-without.parquet");
      encrypting.newOutputFile(small).write(bytes(1_000, 111));
      encrypting.newOutputFile(large).write(bytes(S3Storage.DEFAULT_PART_SIZE + 1_000, 112));
      assertThat(encrypting.createExclusive(exclusive, new byte[] {'{', '}'})).isTrue();
      // written without, then moved: the copy asks for the storage's encryption too
      Location toMove = root().resolve("to-move.parquet");
      storage.newOutputFile(toMove).write(bytes(1_000, 113));
      storage.newOutputFile(unencrypted).write(bytes(1_000, 114));
      encrypting.moveFile(toMove, moved);

      for (Location location : List.of(small, large, exclusive, moved)) {
        HeadObjectResponse head = head(location);
        assertThat(head.serverSideEncryption())
            .as(location.path())
            .isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as(location.path()).isEqualTo(KMS_KEY);
      }
      assertThat(head(unencrypted).serverSideEncryption())
          .isNotEqualTo(ServerSideEncryption.AWS_KMS);
      assertThat(encrypting.newInputFile(large).readAllBytes())
          .isEqualTo(bytes(S3Storage.DEFAULT_PART_SIZE + 1_000, 112));
    }
  }

  // ---- the provider

  @Test
  void storages_findsS3StorageThroughTheProvider() throws IOException {
    Location location = root().resolve("via-provider.parquet");
    try (Storage viaProvider = Storages.forLocation(location, server.storageProperties())) {
      assertThat(viaProvider).isInstanceOf(S3Storage.class);
      viaProvider.newOutputFile(location).write("hello".getBytes(UTF_8));
      assertThat(viaProvider.newInputFile(location).readAllBytes())
          .isEqualTo("hello".getBytes(UTF_8));
    }
  }

  // ---- helpers

  private static HeadObjectResponse head(Location location) {
    return client.headObject(request -> request.bucket(BUCKET).key(location.path()));
  }

  /** The number of parts an object was uploaded in, from its multipart ETag ("...-N"). */
  private static int partCount(Location location) {
    String eTag = client.headObject(request -> request.bucket(BUCKET).key(location.path())).eTag();
    return Integer.parseInt(eTag.replace("\"", "").replaceAll(".*-", ""));
  }

  private List<String> multipartUploads() {
    return client
        .listMultipartUploads(request -> request.bucket(BUCKET).prefix(root().path()))
        .uploads()
        .stream()
        .map(upload -> upload.key())
        .toList();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static IOException catchIOException(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("expected an IOException");
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter writer = new StringWriter();
    throwable.printStackTrace(new PrintWriter(writer));
    return writer.toString();
  }

  private static byte[] slice(byte[] content, int offset, int length) {
    return java.util.Arrays.copyOfRange(content, offset, offset + length);
  }

  private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
