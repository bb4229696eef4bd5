package dev.baler.storage.s3;

import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object to read. Its length is the one given, or comes from one {@code HeadObject} that is
 * then remembered. Thread-safe.
 */
final class S3InputFile implements InputFile {
  private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 16;

  private final S3Client client;
  private final Location location;
  private final long wholeObjectReadLimit;
  private volatile long length;

  S3InputFile(S3Client client, Location location, long length, long wholeObjectReadLimit) {
    this.client = client;
    this.location = location;
    this.length = length;
    this.wholeObjectReadLimit = wholeObjectReadLimit;
  }

  @Override
  public Location location() {
    return location;
  }

  @Override
  public long length() throws IOException {
    long known = length;
    if (known < 0) {
      known = head().contentLength();
      length = known;
    }
    return known;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends a {@code HeadObject} first when the length is not known; otherwise no request is sent
   * until the first read, and a missing object shows up there as a {@link
   * java.io.FileNotFoundException}.
   */
  @Override
  public SeekableInputStream newStream() throws IOException {
    return new S3InputStream(client, location, length(), wholeObjectReadLimit);
  }

  @Override
  public boolean exists() throws IOException {
    try {
      client.headObject(request -> request.bucket(location.authority()).key(location.path()));
      return true;
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        return false;
      }
      throw S3Errors.translate("check", location, e);
    } catch (SdkException e) {
      throw S3Errors.translate("check", location, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>When the length is not known, sends one {@code GetObject} instead of a {@code HeadObject}
   * and a {@code GetObject}, and refuses an object above 2 GiB before reading its body.
   */
  @Override
  public byte[] readAllBytes() throws IOException {
    if (length >= 0) {
      return InputFile.super.readAllBytes();
    }
    ResponseInputStream<GetObjectResponse> response;
    try {
      response =
          client.getObject(request -> request.bucket(location.authority()).key(location.path()));
    } catch (SdkException e) {
      throw S3Errors.translate("read", location, e);
    }
    Long contentLength = response.response().contentLength();
    long size = contentLength == null ? -1 : contentLength;
    if (size > MAX_ARRAY_LENGTH) {
      response.abort();
      closeQuietly(response);
      throw new IOException("Cannot read " + location + " into memory: " + size + " bytes");
    }
    byte[] bytes;
    try {
      bytes = response.readAllBytes();
    } catch (IOException e) {
      throw new IOException("Cannot read " + location + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw S3Errors.translate("read", location, e);
    } finally {
      closeQuietly(response);
    }
    if (size >= 0 && bytes.length != size) {
      throw new IOException(
          "Cannot read "
              + location
              + ": expected "
              + size
              + " bytes, got "
              + bytes.length
              + " (was it replaced?)");
    }
    length = bytes.length;
    return bytes;
  }

  private static void closeQuietly(ResponseInputStream<GetObjectResponse> response) {
    try {
      response.close();
    } catch (IOException e) {
      // the body was read or the response aborted; a failure to release it changes nothing
    }
  }

  private HeadObjectResponse head() throws IOException {
    try {
      return client.headObject(
          request -> request.bucket(location.authority()).key(location.path()));
    } catch (SdkException e) {
      throw S3Errors.translate("read", location, e);
    }
  }

  @Override
  public String toString() {
    return location.toString();
  }
}
