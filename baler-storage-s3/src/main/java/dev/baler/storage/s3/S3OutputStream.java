package dev.baler.storage.s3;

import dev.baler.storage.Location;
import dev.baler.storage.StorageOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes an S3 object: bytes collect in a buffer of one part; a file that fits one part is sent
 * with one {@code PutObject} on close, a larger one as a multipart upload whose parts are sent in
 * the background as the buffer fills, while the writer goes on filling the next, and which is
 * completed on close. At most {@link #PARTS_IN_FLIGHT} parts are sent at once; a writer that gets
 * further ahead waits, so a stream holds at most {@code PARTS_IN_FLIGHT + 1} parts in memory, in
 * buffers it reuses once their parts are sent: a new part-sized array per part would be garbage
 * that outlives young collections, filling the old generation. Nothing is visible before close
 * returns. A failure while sending, or {@link #abort()}, aborts the multipart upload so that S3
 * keeps no parts. Not thread-safe: one writer per stream.
 *
 * <p>Parts grow as the file does ({@link PartSizes}), so that S3's 10,000 parts hold a file of
 * about 2.1 TiB. A file that would need more parts fails as its writer passes the last, and its
 * upload is aborted.
 */
final class S3OutputStream extends StorageOutputStream {
  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;
  private static final String CONTENT_TYPE = "application/octet-stream";

  /** Parts of one stream sent at once. */
  static final int PARTS_IN_FLIGHT = 2;

  private final S3Client client;
  private final Executor uploads;
  private final Location location;
  private final PartSizes partSizes;
  private final ObjectEncryption encryption;
  private final Duration attemptTimeout;
  private int partSize; // of the part being filled

  /** Whether uploads may carry the SDK's checksum trailer to a store that may refuse it. */
  private final boolean uploadChecksums;

  private final Deque<Sending> inFlight = new ArrayDeque<>();
  private byte[] buffer;
  private byte[] spare; // a part-sized buffer whose part is sent
  private int buffered;
  private long position;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private boolean done;

  /**
   * @param uploads runs part uploads; shared by the streams of one storage
   * @param partSizes the sizes of the parts
   * @param encryption the server-side encryption the object is written with
   * @param attemptTimeout how long an attempt of a request may take ({@link #attemptTimeout} for an
   *     {@code UploadPart})
   * @param uploadChecksums whether a refused {@code PutObject} or {@code UploadPart} should say how
   *     to send no checksum trailer: the store is not AWS, and the SDK's setting is not {@code
   *     WHEN_REQUIRED}
   */
  S3OutputStream(
      S3Client client,
      Executor uploads,
      Location location,
      PartSizes partSizes,
      ObjectEncryption encryption,
      Duration attemptTimeout,
      boolean uploadChecksums) {
    this.client = client;
    this.uploads = uploads;
    this.location = location;
    this.partSizes = partSizes;
    this.encryption = encryption;
    this.attemptTimeout = attemptTimeout;
    this.partSize = partSizes.sizeOf(1);
    this.uploadChecksums = uploadChecksums;
    this.buffer = new byte[Math.min(partSize, INITIAL_BUFFER_SIZE)];
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int remaining = length;
    int from = offset;
    while (remaining > 0) {
      // a full buffer is sent only when more bytes follow, so a file of exactly one part is
      // still written with a single PutObject
      if (buffered == partSize) {
        if (parts.size() + inFlight.size() + 1 >= partSizes.most()) {
          throw tooManyParts();
        }
        uploadPart();
      }
      int count = Math.min(remaining, partSize - buffered);
      ensureCapacity(buffered + count);
      System.arraycopy(bytes, from, buffer, buffered, count);
      buffered += count;
      from += count;
      remaining -= count;
      position += count;
    }
  }

  /**
   * Publishes the object: one {@code PutObject}, or the last part and {@code
   * CompleteMultipartUpload}. On failure the multipart upload is aborted and nothing new is
   * visible.
   */
  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    try {
      if (uploadId == null) {
        putObject();
      } else {
        if (buffered > 0) {
          uploadPart();
        }
        awaitParts(0);
        completeUpload();
      }
    } catch (IOException | RuntimeException e) {
      done = true;
      cancelParts();
      abortUploadQuietly(e);
      throw e;
    }
    done = true;
    buffer = null;
    spare = null;
  }

  @Override
  public void abort() throws IOException {
    if (done) {
      return;
    }
    done = true;
    buffer = null;
    if (uploadId != null) {
      cancelParts();
      try {
        client.abortMultipartUpload(
            request ->
                request.bucket(location.authority()).key(location.path()).uploadId(uploadId));
      } catch (SdkException e) {
        throw S3Errors.translate("abort the upload of", location, e);
      }
    }
  }

  private void putObject() throws IOException {
    try {
      client.putObject(
          request -> encryption.applyTo(request.bucket(location.authority()).key(location.path())),
          body(buffer, buffered));
    } catch (SdkException e) {
      throw uploadFailure(e);
    }
  }

  /**
   * The exception for a {@code PutObject} or {@code UploadPart} that failed with {@code e}. A
   * {@code 400} or {@code 501} of an upload that carried the SDK's checksum trailer is what stores
   * that do not take those checksums answer: the message then says how to send none.
   */
  private IOException uploadFailure(SdkException e) {
    IOException failure = S3Errors.translate("write", location, e);
    if (uploadChecksums
        && e instanceof S3Exception s3
        && (s3.statusCode() == 400 || s3.statusCode() == 501)) {
      return new IOException(
          failure.getMessage()
              + " (if this store does not take the checksums AWS SDKs send with uploads since"
              + " 2025, run with AWS_REQUEST_CHECKSUM_CALCULATION=when_required, or set "
              + S3StorageProvider.REQUEST_CHECKSUM_CALCULATION
              + " to when_required)",
          e);
    }
    return failure;
  }

  /** Hands the full buffer to a background upload, after waiting for room among those sent. */
  private void uploadPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId =
            client
                .createMultipartUpload(
                    request ->
                        encryption.applyTo(
                            request.bucket(location.authority()).key(location.path())))
                .uploadId();
      }
    } catch (SdkException e) {
      done = true;
      throw S3Errors.translate("write", location, e);
    }
    awaitParts(PARTS_IN_FLIGHT - 1);
    int partNumber = parts.size() + inFlight.size() + 1;
    byte[] part = buffer;
    int length = buffered;
    String upload = uploadId;
    Duration partTimeout = attemptTimeout(attemptTimeout, length);
    FutureTask<CompletedPart> task =
        new FutureTask<>(
            () -> {
              UploadPartResponse response =
                  client.uploadPart(
                      request ->
                          request
                              .bucket(location.authority())
                              .key(location.path())
                              .uploadId(upload)
                              .partNumber(partNumber)
                              .overrideConfiguration(
                                  override -> override.apiCallAttemptTimeout(partTimeout)),
                      body(part, length));
              return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
            });
    inFlight.addLast(new Sending(task, part));
    uploads.execute(task);
    // the part's bytes now belong to its upload; fill another buffer meanwhile
    partSize = partSizes.sizeOf(partNumber + 1);
    buffer = spare != null && spare.length == partSize ? spare : new byte[partSize];
    spare = null;
    buffered = 0;
  }

  /**
   * How long an attempt to send a part of {@code partBytes} may take: {@code timeout}, or a second
   * per MiB where that is longer (parts of more than 120 MiB with the default of 2 minutes, which
   * files reach past 151 GiB), so that a link of 1 MiB/s or more sends a part of any size ({@link
   * PartSizes#MAX_SIZE}: 512 s). Without it, a 512 MiB part would need 4.3 MiB/s, shared by the
   * parts in flight, and on a slower link every attempt would time out, each sending the part
   * again.
   */
  static Duration attemptTimeout(Duration timeout, int partBytes) {
    Duration perMebibyte = Duration.ofSeconds((partBytes + (1L << 20) - 1) >> 20);
    return perMebibyte.compareTo(timeout) > 0 ? perMebibyte : timeout;
  }

  /**
   * The failure of a write whose bytes would go past the last part: the parts sent and being sent
   * are aborted.
   */
  private IOException tooManyParts() {
    done = true;
    IOException failure =
        new IOException(
            "Cannot write "
                + location
                + ": past "
                + position
                + " bytes it would take more than the "
                + partSizes.most()
                + " parts S3 allows in a multipart upload; write smaller files");
    cancelParts();
    abortUploadQuietly(failure);
    return failure;
  }

  /** A part being sent, and the buffer its request reads until it has returned. */
  private record Sending(Future<CompletedPart> part, byte[] buffer) {}

  /**
   * Waits until at most {@code most} parts are still being sent, oldest first.
   *
   * @throws IOException if a part could not be sent; the upload is then aborted
   */
  private void awaitParts(int most) throws IOException {
    while (inFlight.size() > most) {
      Sending oldest = inFlight.removeFirst();
      try {
        parts.add(oldest.part().get());
        if (oldest.buffer().length == partSize) {
          spare = oldest.buffer(); // its request has returned: no retry reads it again
        }
      } catch (ExecutionException e) {
        done = true;
        IOException failure =
            e.getCause() instanceof SdkException sdk
                ? uploadFailure(sdk)
                : new IOException("Cannot write " + location + ": " + e.getCause(), e.getCause());
        cancelParts();
        abortUploadQuietly(failure);
        throw failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done = true;
        InterruptedIOException failure =
            new InterruptedIOException("Interrupted while writing " + location);
        cancelParts();
        abortUploadQuietly(failure);
        throw failure;
      }
    }
  }

  /** Stops the parts still being sent and waits for them, so that an abort removes every part. */
  private void cancelParts() {
    for (Sending sending : inFlight) {
      sending.part().cancel(true);
    }
    for (Sending sending : inFlight) {
      try {
        sending.part().get();
      } catch (CancellationException | ExecutionException e) {
        // cancelled or failed: either way it sends nothing more
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    inFlight.clear();
  }

  private void completeUpload() throws IOException {
    try {
      client.completeMultipartUpload(
          request ->
              request
                  .bucket(location.authority())
                  .key(location.path())
                  .uploadId(uploadId)
                  .multipartUpload(upload -> upload.parts(parts)));
    } catch (SdkException e) {
      throw S3Errors.translate("write", location, e);
    }
  }

  private void abortUploadQuietly(Exception failure) {
    if (uploadId == null) {
      return;
    }
    try {
      client.abortMultipartUpload(
          request -> request.bucket(location.authority()).key(location.path()).uploadId(uploadId));
    } catch (SdkException e) {
      failure.addSuppressed(S3Errors.translate("abort the upload of", location, e));
    }
    uploadId = null;
  }

  private static RequestBody body(byte[] bytes, int length) {
    // each attempt, retries included, reads the buffer afresh; the buffer is not touched until the
    // request has returned
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(bytes, 0, length), length, CONTENT_TYPE);
  }

  private void ensureCapacity(int capacity) {
    if (capacity > buffer.length) {
      int grown = (int) Math.min(partSize, Math.max(capacity, 2L * buffer.length));
      buffer = Arrays.copyOf(buffer, grown);
    }
  }

  private void checkOpen() throws IOException {
    if (done) {
      throw new IOException("Cannot write " + location + ": stream is closed");
    }
  }
}
