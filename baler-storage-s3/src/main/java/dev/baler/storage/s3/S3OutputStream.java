package dev.baler.storage.s3;

import dev.baler.storage.Location;
import dev.baler.storage.StorageOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes an S3 object: bytes collect in a buffer of one part; a file that fits one part is sent
 * with one {@code PutObject} on close, a larger one as a multipart upload whose parts are sent, one
 * at a time, as the buffer fills, and which is completed on close. Nothing is visible before close
 * returns. A failure while sending, or {@link #abort()}, aborts the multipart upload so that S3
 * keeps no parts. Not thread-safe.
 */
final class S3OutputStream extends StorageOutputStream {
  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final S3Client client;
  private final Location location;
  private final int partSize;
  private byte[] buffer;
  private int buffered;
  private long position;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private boolean done;

  S3OutputStream(S3Client client, Location location, int partSize) {
    this.client = client;
    this.location = location;
    this.partSize = partSize;
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
        completeUpload();
      }
    } catch (IOException | RuntimeException e) {
      done = true;
      abortUploadQuietly(e);
      throw e;
    }
    done = true;
    buffer = null;
  }

  @Override
  public void abort() throws IOException {
    if (done) {
      return;
    }
    done = true;
    buffer = null;
    if (uploadId != null) {
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
          request -> request.bucket(location.authority()).key(location.path()),
          body(buffer, buffered));
    } catch (SdkException e) {
      throw S3Errors.translate("write", location, e);
    }
  }

  private void uploadPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId =
            client
                .createMultipartUpload(
                    request -> request.bucket(location.authority()).key(location.path()))
                .uploadId();
      }
      int partNumber = parts.size() + 1;
      UploadPartResponse response =
          client.uploadPart(
              request ->
                  request
                      .bucket(location.authority())
                      .key(location.path())
                      .uploadId(uploadId)
                      .partNumber(partNumber),
              body(buffer, buffered));
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
      buffered = 0;
    } catch (SdkException e) {
      done = true;
      IOException failure = S3Errors.translate("write", location, e);
      abortUploadQuietly(failure);
      throw failure;
    }
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
