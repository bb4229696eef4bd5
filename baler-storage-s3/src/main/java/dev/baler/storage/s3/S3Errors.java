package dev.baler.storage.s3;

import dev.baler.storage.Location;
import java.io.FileNotFoundException;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Translates SDK exceptions into {@link IOException}s that name the location. Messages carry what
 * S3 said (HTTP status, error code, error message) and never credentials: the SDK's messages and
 * S3's error responses do not contain secret keys or session tokens, and nothing here adds them.
 */
final class S3Errors {
  static final int NOT_FOUND = 404;
  static final int CONFLICT = 409;
  static final int PRECONDITION_FAILED = 412;
  static final int RANGE_NOT_SATISFIABLE = 416;

  private S3Errors() {}

  /**
   * The exception to throw for a failed request.
   *
   * @param action what could not be done, as a verb phrase: {@code "read"}, {@code "list"}
   * @param location the file or prefix the request was about
   * @return a {@link FileNotFoundException} for a missing object or bucket, otherwise an {@link
   *     IOException} with {@code exception} as its cause
   */
  static IOException translate(String action, Location location, SdkException exception) {
    if (exception instanceof S3Exception s3 && isNotFound(s3)) {
      String message =
          "NoSuchBucket".equals(errorCode(s3))
              ? "Cannot "
                  + action
                  + " "
                  + location
                  + ": bucket '"
                  + location.authority()
                  + "' does not exist"
              : "File not found: " + location;
      FileNotFoundException notFound = new FileNotFoundException(message);
      notFound.initCause(exception);
      return notFound;
    }
    return new IOException(
        "Cannot " + action + " " + location + ": " + describe(exception), exception);
  }

  /**
   * Whether S3 said that the object or its bucket does not exist: HTTP 404 with {@code NoSuchKey},
   * {@code NoSuchBucket}, or no code at all (a HEAD response has no body). Other 404s, such as
   * {@code NoSuchUpload} for a multipart upload that is gone, are not about a missing file.
   */
  static boolean isNotFound(S3Exception exception) {
    if (exception.statusCode() != NOT_FOUND) {
      return false;
    }
    String code = errorCode(exception);
    return code == null || code.equals("NoSuchKey") || code.equals("NoSuchBucket");
  }

  /**
   * What went wrong in one line: for an error S3 returned, {@code HTTP 403 AccessDenied: Access
   * Denied}; for a client-side failure, the SDK's message.
   */
  static String describe(SdkException exception) {
    if (exception instanceof S3Exception s3) {
      StringBuilder description = new StringBuilder("HTTP ").append(s3.statusCode());
      String code = errorCode(s3);
      if (code != null) {
        description.append(' ').append(code);
      }
      AwsErrorDetails details = s3.awsErrorDetails();
      if (details != null && details.errorMessage() != null) {
        description.append(": ").append(details.errorMessage());
      }
      return oneLine(description.toString());
    }
    return oneLine(String.valueOf(exception.getMessage()));
  }

  /** S3's error code, such as {@code NoSuchKey}, or null when the response had none (HEAD). */
  static String errorCode(S3Exception exception) {
    AwsErrorDetails details = exception.awsErrorDetails();
    return details == null ? null : details.errorCode();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
