package dev.baler.storage.s3;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.StorageProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;

/**
 * Makes an {@link S3Storage} for {@code s3://} locations from string properties; registered for
 * {@link java.util.ServiceLoader} so that {@link dev.baler.storage.Storages} finds it.
 *
 * <p>Properties, all optional (a blank value counts as absent; see {@link S3Storage.Builder} for
 * the defaults):
 *
 * <ul>
 *   <li>{@value #ENDPOINT}: an {@code http(s)://host[:port]} URI of an S3-compatible store
 *   <li>{@value #REGION}: the region, such as {@code eu-west-1}
 *   <li>{@value #ACCESS_KEY_ID} and {@value #SECRET_ACCESS_KEY}: static credentials, both or
 *       neither; {@value #SESSION_TOKEN} with them for temporary credentials
 *   <li>{@value #PROFILE}: a profile of {@code ~/.aws/credentials} and {@code ~/.aws/config}
 *   <li>{@value #PATH_STYLE}: {@code true} for path-style addressing, {@code false} for virtual
 *       hosts; by default path style exactly when an endpoint is set
 *   <li>{@value #MAX_ATTEMPTS}: attempts per request, retries included ({@link
 *       S3Storage.Builder#maxAttempts})
 *   <li>{@value #ATTEMPT_TIMEOUT_MILLIS}: how long one attempt may take, in milliseconds ({@link
 *       S3Storage.Builder#attemptTimeout})
 *   <li>{@value #REQUEST_CHECKSUM_CALCULATION}: {@code when_supported} or {@code when_required}
 *       ({@link S3Storage.Builder#requestChecksumCalculation}), in the words of the AWS setting
 *       {@code request_checksum_calculation}
 *   <li>{@value #SERVER_SIDE_ENCRYPTION}: {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse},
 *       the encryption of every object written ({@link S3Storage.Builder#serverSideEncryption});
 *       {@value #SSE_KMS_KEY_ID} with a KMS one for a key other than {@code aws/s3}
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class S3StorageProvider implements StorageProvider {
  /** The endpoint property. */
  public static final String ENDPOINT = "s3.endpoint";

  /** The region property. */
  public static final String REGION = "s3.region";

  /** The access key id property. */
  public static final String ACCESS_KEY_ID = "s3.access-key-id";

  /** The secret access key property; its value is never shown in messages. */
  public static final String SECRET_ACCESS_KEY = "s3.secret-access-key";

  /** The session token property; its value is never shown in messages. */
  public static final String SESSION_TOKEN = "s3.session-token";

  /** The profile name property. */
  public static final String PROFILE = "s3.profile";

  /** The path-style addressing property, {@code true} or {@code false}. */
  public static final String PATH_STYLE = "s3.path-style";

  /** The most attempts per request, retries included: 1 to 20 (default 5). */
  public static final String MAX_ATTEMPTS = "s3.max-attempts";

  /** How long one attempt may take, in milliseconds (default 120000). */
  public static final String ATTEMPT_TIMEOUT_MILLIS = "s3.attempt-timeout-ms";

  /**
   * When requests carry a checksum of their body: {@code when_supported} or {@code when_required}
   * (default: the SDK's own settings, {@code AWS_REQUEST_CHECKSUM_CALCULATION} among them).
   */
  public static final String REQUEST_CHECKSUM_CALCULATION = "s3.request-checksum-calculation";

  /**
   * The server-side encryption of objects written: {@code AES256}, {@code aws:kms} or {@code
   * aws:kms:dsse} (default: none asked, the bucket's default applies).
   */
  public static final String SERVER_SIDE_ENCRYPTION = "s3.server-side-encryption";

  /** The KMS key of {@code aws:kms} or {@code aws:kms:dsse}: an id, alias or ARN. */
  public static final String SSE_KMS_KEY_ID = "s3.sse-kms-key-id";

  /** Serves the {@code s3} scheme. */
  @Override
  public Set<String> schemes() {
    return Set.of(S3Storage.SCHEME);
  }

  /**
   * Makes an S3 storage from the properties listed on this class; other keys are ignored.
   *
   * @throws IllegalArgumentException if a value is invalid, or only one of the access key id and
   *     the secret access key is given; messages name the property, never a secret value
   */
  @Override
  public S3Storage create(Map<String, String> properties) {
    requireNonNull(properties, "properties is null");
    S3Storage.Builder builder = S3Storage.builder();
    value(properties, ENDPOINT).ifPresent(endpoint -> builder.endpoint(parseEndpoint(endpoint)));
    value(properties, REGION).ifPresent(builder::region);
    Optional<String> accessKeyId = value(properties, ACCESS_KEY_ID);
    Optional<String> secretAccessKey = value(properties, SECRET_ACCESS_KEY);
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new IllegalArgumentException(
          "Invalid S3 credentials: "
              + ACCESS_KEY_ID
              + " and "
              + SECRET_ACCESS_KEY
              + " must be given together");
    }
    if (accessKeyId.isPresent()) {
      builder.credentials(accessKeyId.get(), secretAccessKey.get());
    }
    Optional<String> sessionToken = value(properties, SESSION_TOKEN);
    if (sessionToken.isPresent()) {
      if (accessKeyId.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid S3 credentials: " + SESSION_TOKEN + " needs " + ACCESS_KEY_ID);
      }
      builder.sessionToken(sessionToken.get());
    }
    value(properties, PROFILE).ifPresent(builder::profile);
    value(properties, PATH_STYLE)
        .ifPresent(pathStyle -> builder.addressingStyle(parseAddressingStyle(pathStyle)));
    value(properties, MAX_ATTEMPTS)
        .ifPresent(attempts -> builder.maxAttempts(integer(MAX_ATTEMPTS, attempts)));
    value(properties, ATTEMPT_TIMEOUT_MILLIS)
        .ifPresent(
            millis ->
                builder.attemptTimeout(Duration.ofMillis(integer(ATTEMPT_TIMEOUT_MILLIS, millis))));
    value(properties, REQUEST_CHECKSUM_CALCULATION)
        .ifPresent(
            calculation ->
                builder.requestChecksumCalculation(parseChecksumCalculation(calculation)));
    Optional<String> encryption = value(properties, SERVER_SIDE_ENCRYPTION);
    Optional<String> kmsKeyId = value(properties, SSE_KMS_KEY_ID);
    if (encryption.isPresent()) {
      builder.serverSideEncryption(ObjectEncryption.parse(encryption.get(), kmsKeyId.orElse(null)));
    } else if (kmsKeyId.isPresent()) {
      throw new IllegalArgumentException(
          "Invalid " + SSE_KMS_KEY_ID + ": it needs " + SERVER_SIDE_ENCRYPTION + " aws:kms");
    }
    return builder.build();
  }

  private static RequestChecksumCalculation parseChecksumCalculation(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "when_supported" -> RequestChecksumCalculation.WHEN_SUPPORTED;
      case "when_required" -> RequestChecksumCalculation.WHEN_REQUIRED;
      default ->
          throw new IllegalArgumentException(
              "Invalid "
                  + REQUEST_CHECKSUM_CALCULATION
                  + " '"
                  + value
                  + "': expected when_supported or when_required");
    };
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + key + " '" + value + "': expected a whole number");
    }
  }

  private static Optional<String> value(Map<String, String> properties, String key) {
    return Optional.ofNullable(properties.get(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static URI parseEndpoint(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid " + ENDPOINT + " '" + value + "': " + e.getReason(), e);
    }
  }

  private static S3Storage.AddressingStyle parseAddressingStyle(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return S3Storage.AddressingStyle.PATH;
      case "false":
        return S3Storage.AddressingStyle.VIRTUAL_HOST;
      default:
        throw new IllegalArgumentException(
            "Invalid " + PATH_STYLE + " '" + value + "': expected true or false");
    }
  }
}
