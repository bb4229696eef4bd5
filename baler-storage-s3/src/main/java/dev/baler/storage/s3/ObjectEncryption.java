package dev.baler.storage.s3;

import java.util.Locale;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The server-side encryption that requests which create an object ask for: {@code PutObject},
 * {@code CreateMultipartUpload} and the destination of {@code CopyObject} (whose copy would
 * otherwise take the bucket's default, not the source's encryption). Parts of a multipart upload
 * take the encryption of their upload, and reads need no header for SSE-S3 or SSE-KMS.
 *
 * @param algorithm the {@code x-amz-server-side-encryption} value, or null to send none (the
 *     bucket's default encryption then applies)
 * @param kmsKeyId the KMS key of SSE-KMS ({@code x-amz-server-side-encryption-aws-kms-key-id}), as
 *     an id, alias or ARN; null for the account's AWS managed key ({@code aws/s3}), and always with
 *     SSE-S3
 */
record ObjectEncryption(ServerSideEncryption algorithm, String kmsKeyId) {
  /** No header: the bucket's default encryption applies. */
  static final ObjectEncryption NONE = new ObjectEncryption(null, null);

  ObjectEncryption {
    if (algorithm == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
      throw new IllegalArgumentException("Invalid server-side encryption " + algorithm);
    }
    if (kmsKeyId != null && kmsKeyId.isBlank()) {
      throw new IllegalArgumentException("Invalid KMS key id: blank");
    }
    if (kmsKeyId != null && !usesKms(algorithm)) {
      throw new IllegalArgumentException(
          "A KMS key id needs server-side encryption aws:kms or aws:kms:dsse, not " + algorithm);
    }
  }

  /**
   * The encryption named by its header value, case-insensitively: {@code AES256} (SSE-S3), {@code
   * aws:kms} (SSE-KMS) or {@code aws:kms:dsse} (dual-layer SSE-KMS).
   *
   * @throws IllegalArgumentException for any other value, or a key id with {@code AES256}
   */
  static ObjectEncryption parse(String algorithm, String kmsKeyId) {
    for (ServerSideEncryption known : ServerSideEncryption.knownValues()) {
      if (known.toString().toLowerCase(Locale.ROOT).equals(algorithm.toLowerCase(Locale.ROOT))) {
        return new ObjectEncryption(known, kmsKeyId);
      }
    }
    throw new IllegalArgumentException(
        "Invalid server-side encryption '"
            + algorithm
            + "': expected AES256, aws:kms or aws:kms:dsse");
  }

  private static boolean usesKms(ServerSideEncryption algorithm) {
    return algorithm == ServerSideEncryption.AWS_KMS
        || algorithm == ServerSideEncryption.AWS_KMS_DSSE;
  }

  PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
    return algorithm == null
        ? request
        : request.serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId);
  }

  CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
    return algorithm == null
        ? request
        : request.serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId);
  }

  CopyObjectRequest.Builder applyTo(CopyObjectRequest.Builder request) {
    return algorithm == null
        ? request
        : request.serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId);
  }

  @Override
  public String toString() {
    // no key id: it names the account and the key, which logs need not show
    return algorithm == null ? "bucket default" : algorithm.toString();
  }
}
