package dev.baler.storage.s3;

import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads an S3 object of known length with {@code GetObject} requests.
 *
 * <p>A seek only moves the position; the next read opens a ranged {@code GET} from there to the end
 * of the object, and later sequential reads, or short forward seeks (up to {@value
 * #FORWARD_SKIP_LIMIT} bytes, read and dropped), reuse it. A backward or far seek aborts the open
 * response and the next read opens a new one. An object of at most the whole-object read limit is
 * fetched whole by its first read and then read from memory. Every request after the first asks for
 * the first response's ETag ({@code If-Match}), so an object replaced while it is read fails the
 * read instead of mixing two versions. Not thread-safe.
 */
final class S3InputStream extends SeekableInputStream {
  static final long FORWARD_SKIP_LIMIT = 1024 * 1024;

  /** Bytes fetched for a first read near the end of a small object: enough for most footers. */
  static final int TAIL_BYTES = 64 * 1024;

  private final S3Client client;
  private final Location location;
  private final long length;
  private final boolean readWhole;
  private long position;
  private String etag;
  private byte[] whole;
  private byte[] tail;
  private long tailStart;
  private ResponseInputStream<GetObjectResponse> response;
  private long responsePosition;
  private boolean closed;

  S3InputStream(S3Client client, Location location, long length, long wholeObjectReadLimit) {
    this.client = client;
    this.location = location;
    this.length = length;
    this.readWhole = length <= wholeObjectReadLimit;
  }

  @Override
  public long position() throws IOException {
    checkOpen();
    return position;
  }

  @Override
  public void seek(long newPosition) throws IOException {
    checkOpen();
    if (newPosition < 0 || newPosition > length) {
      throw new IOException(
          "Cannot seek to " + newPosition + " in " + location + ": file has " + length + " bytes");
    }
    position = newPosition;
  }

  @Override
  public long skip(long count) throws IOException {
    checkOpen();
    long skipped = Math.max(0, Math.min(count, length - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    checkOpen();
    if (whole != null) {
      return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
    return 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, count, buffer.length);
    if (count == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    int wanted = (int) Math.min(count, length - position);
    if (readWhole) {
      // A first read near the end is a footer read (planning reads nothing else): fetch only the
      // last TAIL_BYTES, not the whole object; a later read before them fetches the whole object.
      if (whole == null
          && (tail != null || position >= length - TAIL_BYTES)
          && length > TAIL_BYTES) {
        if (tail == null) {
          tailStart = length - TAIL_BYTES;
          tail = fetchRange(tailStart, length - 1);
        }
        if (position >= tailStart) {
          System.arraycopy(tail, (int) (position - tailStart), buffer, offset, wanted);
          position += wanted;
          return wanted;
        }
      }
      if (whole == null) {
        whole = fetchWhole();
        tail = null;
      }
      System.arraycopy(whole, (int) position, buffer, offset, wanted);
      position += wanted;
      return wanted;
    }
    seekResponse();
    int read;
    try {
      read = response.read(buffer, offset, wanted);
    } catch (IOException e) {
      dropResponse();
      throw new IOException(
          "Cannot read " + location + " at position " + position + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      dropResponse();
      throw S3Errors.translate("read", location, e);
    }
    if (read < 0) {
      dropResponse();
      throw new EOFException(
          "Cannot read "
              + location
              + ": it ended at position "
              + position
              + ", before its expected length of "
              + length
              + " bytes (was it replaced?)");
    }
    position += read;
    responsePosition += read;
    return read;
  }

  /** Makes {@link #response} deliver the byte at {@link #position}, reusing it if it can. */
  private void seekResponse() throws IOException {
    if (response != null) {
      long gap = position - responsePosition;
      if (gap == 0) {
        return;
      }
      if (gap > 0 && gap <= FORWARD_SKIP_LIMIT) {
        try {
          response.skipNBytes(gap);
          responsePosition += gap;
          return;
        } catch (IOException e) {
          // a broken or short response: open a new one below
        }
      }
      dropResponse();
    }
    GetObjectRequest request = request().range("bytes=" + position + "-").build();
    try {
      response = client.getObject(request);
    } catch (SdkException e) {
      throw translate(e);
    }
    rememberEtag(response.response().eTag());
    responsePosition = position;
  }

  private byte[] fetchRange(long first, long last) throws IOException {
    Fetched fetched =
        fetch(request().range("bytes=" + first + "-" + last).build(), (int) (last - first + 1));
    if (fetched.bytes().length != last - first + 1) {
      throw new IOException(
          "Cannot read "
              + location
              + ": expected "
              + (last - first + 1)
              + " bytes at "
              + first
              + ", got "
              + fetched.bytes().length
              + " (was it replaced?)");
    }
    return fetched.bytes();
  }

  private byte[] fetchWhole() throws IOException {
    Fetched fetched = fetch(request().build(), Math.toIntExact(length));
    if (fetched.bytes().length != length) {
      throw new IOException(
          "Cannot read "
              + location
              + ": expected "
              + length
              + " bytes, the object has "
              + (fetched.longer() ? "more" : Integer.toString(fetched.bytes().length))
              + " (was it replaced?)");
    }
    return fetched.bytes();
  }

  /**
   * A response's body: exactly the bytes expected, or fewer if it ended first, or, when it had
   * more, the expected bytes and {@code longer}.
   */
  private record Fetched(byte[] bytes, boolean longer) {}

  /**
   * Sends {@code request} and reads its body into an array of the {@code expected} length, which is
   * then all the memory the read takes (the SDK's {@code getObjectAsBytes} grows a buffer by
   * doubling and copies it once more: two and a half times the object in garbage). A body that
   * breaks off is retried by the SDK's retry policy, as {@code getObjectAsBytes} is.
   */
  private Fetched fetch(GetObjectRequest request, int expected) throws IOException {
    try {
      return client.getObject(
          request,
          (GetObjectResponse response, AbortableInputStream body) -> {
            rememberEtag(response.eTag());
            byte[] content = new byte[expected];
            try {
              int read = body.readNBytes(content, 0, expected);
              if (read < expected) {
                return new Fetched(Arrays.copyOf(content, read), false);
              }
              return new Fetched(content, body.read() >= 0);
            } catch (IOException e) {
              throw RetryableException.builder()
                  .message("Cannot read the response for " + location)
                  .cause(e)
                  .build();
            }
          });
    } catch (SdkException e) {
      throw translate(e);
    }
  }

  private GetObjectRequest.Builder request() {
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(location.authority()).key(location.path());
    if (etag != null) {
      request.ifMatch(etag);
    }
    return request;
  }

  private void rememberEtag(String responseEtag) {
    if (etag == null) {
      etag = responseEtag;
    }
  }

  private IOException translate(SdkException exception) {
    if (exception instanceof S3Exception s3) {
      if (s3.statusCode() == S3Errors.PRECONDITION_FAILED) {
        return new IOException(
            "Cannot read " + location + ": the object was replaced while it was read", exception);
      }
      if (s3.statusCode() == S3Errors.RANGE_NOT_SATISFIABLE) {
        EOFException eof =
            new EOFException(
                "Cannot read "
                    + location
                    + " at position "
                    + position
                    + ": the object is shorter than its expected length of "
                    + length
                    + " bytes");
        eof.initCause(exception);
        return eof;
      }
    }
    return S3Errors.translate("read", location, exception);
  }

  /** Gives up the open response without reading the rest of it. */
  private void dropResponse() {
    if (response != null) {
      if (responsePosition < length) {
        response.abort();
      }
      try {
        response.close();
      } catch (IOException e) {
        // the response was aborted or its connection is broken; nothing more to release
      }
      response = null;
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("Cannot read " + location + ": stream is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      dropResponse();
      whole = null;
      tail = null;
    }
  }
}
