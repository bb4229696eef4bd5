package dev.baler.storage.s3;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.DaemonThreads;
import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileIterator;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.OutputFile;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Storage on Amazon S3 or an S3-compatible store, for {@code s3://bucket/key} locations, on the AWS
 * SDK for Java v2 (synchronous client, Apache HTTP client).
 *
 * <p>How the SPI maps to S3:
 *
 * <ul>
 *   <li>{@link #list} is {@code ListObjectsV2} without a delimiter, fetched page by page as the
 *       iterator advances, in the UTF-8 key order S3 returns. Keys ending in {@code /} (the empty
 *       "folder" objects that consoles create) are not files and are skipped.
 *   <li>{@link #newInputFile} reads with ranged {@code GetObject} requests from the current
 *       position, reusing the open response for sequential reads; a file of at most 8 MiB whose
 *       length is known is fetched whole by its first read. Its length comes from {@code
 *       HeadObject} only when it was not given.
 *   <li>{@link #newOutputFile} buffers parts in memory (5 MiB, larger past a file's 1,000th part:
 *       {@link PartSizes}): a file that fits one part is written with one {@code PutObject} on
 *       close; a larger one with a multipart upload whose parts are sent in the background as they
 *       fill (two at a time per file, on {@value #UPLOAD_THREADS} threads shared by all files)
 *       while the writer fills the next, and which is completed on close, or aborted by {@link
 *       StorageOutputStream#abort()} or a failed close.
 *   <li>{@link #createExclusive} is {@code PutObject} with {@code If-None-Match: *}.
 *   <li>{@link #deleteFiles} is {@code DeleteObjects} in batches of 1000 keys.
 *   <li>{@link #moveFile} is {@code CopyObject} then {@code DeleteObject}, so objects of at most 5
 *       GiB, S3's limit for a single copy.
 *   <li>Every request that creates an object asks for the server-side encryption set by {@link
 *       Builder#serverSideEncryption}, if any.
 * </ul>
 *
 * <p>Requests are retried by the SDK's standard retry strategy with a bounded number of attempts
 * ({@link Builder#maxAttempts}); this class adds no retries of its own. An attempt may take {@link
 * Builder#attemptTimeout}, an {@code UploadPart} at least a second per MiB of its part. Failures
 * are {@link IOException}s naming the {@code s3://} location ({@link java.io.FileNotFoundException}
 * for a missing object or bucket); their messages never contain credentials.
 *
 * <p>Thread-safe. {@link #close()} releases the HTTP connections.
 */
public final class S3Storage implements Storage {
  static final String SCHEME = "s3";

  /** Threads sending parts of multipart uploads, shared by all streams of a storage. */
  static final int UPLOAD_THREADS = 8;

  /** How long one attempt of a request may take unless set: 2 minutes. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Bytes of a multipart upload's parts but the last, S3's smallest, up to the 1,000th part (later
   * ones grow, see {@link PartSizes}). A file being written holds up to three parts in memory, so
   * every bin merging at once holds three: with 8 MiB parts, a compaction of the benchmark's
   * reference set through S3Proxy (two bins) peaked at 247 to 254 MB resident, with 5 MiB at 230 to
   * 232 MB, its time within the host's drift (four interleaved runs each). More parts cost more
   * requests.
   */
  static final int DEFAULT_PART_SIZE = 5 * 1024 * 1024;

  static final long DEFAULT_WHOLE_OBJECT_READ_LIMIT = 8 * 1024 * 1024;
  static final int MAX_KEYS_PER_DELETE = 1000;
  static final int MAX_KEYS_PER_LIST = 1000;
  private static final String DEFAULT_REGION = "us-east-1";

  private final S3Client client;
  private final ThreadPoolExecutor uploads;
  private final AwsCredentialsProvider credentialsProvider;
  private final String description;
  private final PartSizes partSizes;
  private final ObjectEncryption encryption;
  private final Duration attemptTimeout;
  private final long wholeObjectReadLimit;
  private final int listPageSize;
  private final int deleteBatchSize;

  /**
   * Whether a refused upload should say how to send no checksum trailer: when talking to a store
   * other than AWS (an endpoint is set), whose uploads are not set to carry checksums only where an
   * operation requires them.
   */
  private final boolean checksumHint;

  private S3Storage(Builder builder) {
    Region region = builder.resolveRegion();
    this.credentialsProvider = builder.credentialsProvider();
    S3ClientBuilder clientBuilder =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentialsProvider)
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(builder.maxConnections))
            // DeleteObjects with Content-MD5, which S3 documents as required and MinIO and other
            // stores refuse to do without; the SDK sends a CRC32 instead since 2.30
            // (aws/aws-sdk-java-v2#5805). Only operations that require a checksum get it.
            .addPlugin(LegacyMd5Plugin.create())
            .overrideConfiguration(
                configuration ->
                    configuration
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(builder.maxAttempts)
                                .build())
                        .apiCallAttemptTimeout(builder.attemptTimeout));
    AddressingStyle addressingStyle = builder.addressingStyle();
    clientBuilder.forcePathStyle(addressingStyle == AddressingStyle.PATH);
    if (builder.requestChecksumCalculation != null) {
      clientBuilder.requestChecksumCalculation(builder.requestChecksumCalculation);
    }
    this.checksumHint = builder.endpoint != null && !checksumsWhenRequired(builder);
    if (builder.endpoint != null) {
      clientBuilder.endpointOverride(builder.endpoint);
    } else if (builder.region == null) {
      // no region was chosen: let the SDK follow a bucket to the region it lives in
      clientBuilder.crossRegionAccessEnabled(true);
    }
    this.client = clientBuilder.build();
    this.description =
        "S3Storage[endpoint="
            + (builder.endpoint == null ? "AWS" : builder.endpoint)
            + ", region="
            + region.id()
            + ", addressing="
            + addressingStyle
            + (builder.encryption.algorithm() == null ? "" : ", encryption=" + builder.encryption)
            + "]";
    this.partSizes = builder.partSizes;
    this.encryption = builder.encryption;
    this.attemptTimeout = builder.attemptTimeout;
    this.uploads =
        new ThreadPoolExecutor(
            UPLOAD_THREADS,
            UPLOAD_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("baler-s3-upload"));
    uploads.allowCoreThreadTimeOut(true);
    this.wholeObjectReadLimit = builder.wholeObjectReadLimit;
    this.listPageSize = builder.listPageSize;
    this.deleteBatchSize = builder.deleteBatchSize;
  }

  /**
   * Whether uploads carry checksums only where an operation requires them: as the builder says,
   * else as the SDK's system property or environment variable does (its profile setting is not
   * read).
   */
  private static boolean checksumsWhenRequired(Builder builder) {
    if (builder.requestChecksumCalculation != null) {
      return builder.requestChecksumCalculation == RequestChecksumCalculation.WHEN_REQUIRED;
    }
    return SdkSystemSetting.AWS_REQUEST_CHECKSUM_CALCULATION
        .getStringValue()
        .map(value -> value.trim().equalsIgnoreCase("when_required"))
        .orElse(false);
  }

  /** A builder with the defaults described on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>On S3 the listing is lazy: each page of up to 1000 keys is requested when the iterator
   * reaches it, so {@link FileIterator#hasNext()} may throw: a {@link
   * java.io.FileNotFoundException} if the bucket does not exist, an {@link IOException} if the
   * listing is refused or S3 cannot be reached.
   *
   * @throws IllegalArgumentException if the prefix is not an {@code s3} location
   */
  @Override
  public FileIterator list(Location prefix) {
    return new S3FileIterator(client, checkS3(prefix), listPageSize);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the location is not an {@code s3} object location
   */
  @Override
  public InputFile newInputFile(Location location) {
    return new S3InputFile(client, checkFile(location), -1, wholeObjectReadLimit);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the location is not an {@code s3} object location or the
   *     length is negative
   */
  @Override
  public InputFile newInputFile(Location location, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("Invalid length " + length + " for " + location);
    }
    return new S3InputFile(client, checkFile(location), length, wholeObjectReadLimit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream holds up to three parts in memory, one being filled and two being sent: 15 MiB,
   * until a file passes its 1,000th part ({@link PartSizes}).
   *
   * @throws IllegalArgumentException if the location is not an {@code s3} object location
   */
  @Override
  public OutputFile newOutputFile(Location location) {
    Location checked = checkFile(location);
    return new OutputFile() {
      @Override
      public Location location() {
        return checked;
      }

      @Override
      public StorageOutputStream create() {
        return new S3OutputStream(
            client, uploads, checked, partSizes, encryption, attemptTimeout, checksumHint);
      }
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns false when S3 answers 412 Precondition Failed (the key exists) and also on 409
   * Conditional Request Conflict, which S3 returns while a concurrent conditional write of the same
   * key is in flight: the other writer is then the one that may win. If the SDK retries a request
   * whose first attempt did create the object, the retry sees 412 and this method returns false
   * although the file holds this caller's bytes; callers that must tell these apart should write
   * unique content and read it back.
   *
   * @throws IllegalArgumentException if the location is not an {@code s3} object location
   */
  @Override
  public boolean createExclusive(Location location, byte[] bytes) throws IOException {
    Location checked = checkFile(location);
    requireNonNull(bytes, "bytes is null");
    try {
      client.putObject(
          request ->
              encryption.applyTo(
                  request.bucket(checked.authority()).key(checked.path()).ifNoneMatch("*")),
          RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == S3Errors.PRECONDITION_FAILED || e.statusCode() == S3Errors.CONFLICT) {
        return false;
      }
      throw S3Errors.translate("create", checked, e);
    } catch (SdkException e) {
      throw S3Errors.translate("create", checked, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Keys are deleted with {@code DeleteObjects}, up to 1000 keys of one bucket a request, as
   * {@code locations} is read: a request goes as soon as its batch is full, so that a bin of tens
   * of thousands of files (read through a view that makes each location as it is asked for) keeps
   * no copy of all their keys. A key S3 reports as not deleted becomes a {@link DeleteFailure} with
   * S3's error code and message for it; every key of a request that S3 refused as a whole (such as
   * with HTTP 403) becomes one with the HTTP status too. A key given twice is sent once per batch
   * it falls in; deleting a key that is gone is no failure, and a key that two batches name is
   * reported once, as a failure if either batch failed it.
   *
   * @throws IllegalArgumentException if a location is not an {@code s3} object location; then
   *     nothing is deleted, as every location is checked before the first request
   * @throws IOException if S3 cannot be reached (no response at all, after the SDK's retries)
   */
  @Override
  public List<DeleteFailure> deleteFiles(Collection<Location> locations) throws IOException {
    for (Location location : locations) {
      checkFile(location);
    }
    // the batch being filled, per bucket, in the order the buckets come
    Map<String, Set<String>> batches = new LinkedHashMap<>();
    List<DeleteFailure> failures = new ArrayList<>();
    for (Location location : locations) {
      Location checked = checkFile(location);
      Set<String> batch =
          batches.computeIfAbsent(checked.authority(), bucket -> new LinkedHashSet<>());
      batch.add(checked.path());
      if (batch.size() == deleteBatchSize) {
        failures.addAll(deleteBatch(checked.authority(), List.copyOf(batch)));
        batch.clear();
      }
    }
    for (Map.Entry<String, Set<String>> batch : batches.entrySet()) {
      if (!batch.getValue().isEmpty()) {
        failures.addAll(deleteBatch(batch.getKey(), List.copyOf(batch.getValue())));
      }
    }
    return onePerLocation(failures);
  }

  /** The failures with the first of each location's only: few, unless a whole batch failed. */
  private static List<DeleteFailure> onePerLocation(List<DeleteFailure> failures) {
    Map<Location, DeleteFailure> first = new LinkedHashMap<>();
    for (DeleteFailure failure : failures) {
      first.putIfAbsent(failure.location(), failure);
    }
    return first.size() == failures.size() ? failures : List.copyOf(first.values());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A server-side {@code CopyObject} (the bytes do not pass through this process) and a {@code
   * DeleteObject}; within one bucket or across buckets of the same endpoint.
   *
   * @throws IOException also for a source above 5 GiB, which {@code CopyObject} refuses
   */
  @Override
  public void moveFile(Location source, Location target) throws IOException {
    Location from = checkFile(source);
    Location to = checkFile(target);
    if (from.equals(to)) {
      throw new IllegalArgumentException("Cannot move " + source + " onto itself");
    }
    try {
      client.copyObject(
          request ->
              encryption.applyTo(
                  request
                      .sourceBucket(from.authority())
                      .sourceKey(from.path())
                      .destinationBucket(to.authority())
                      .destinationKey(to.path())));
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e) && newInputFile(to).exists()) {
        return; // moved before: a crash came between the copy and the delete
      }
      throw S3Errors.translate("move", from, e);
    } catch (SdkException e) {
      throw S3Errors.translate("move", from, e);
    }
    try {
      client.deleteObject(request -> request.bucket(from.authority()).key(from.path()));
    } catch (SdkException e) {
      throw S3Errors.translate("delete the moved", from, e);
    }
  }

  private List<DeleteFailure> deleteBatch(String bucket, List<String> keys) throws IOException {
    List<ObjectIdentifier> objects =
        keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
    DeleteObjectsResponse response;
    try {
      response =
          client.deleteObjects(
              request ->
                  request
                      .bucket(bucket)
                      .delete(Delete.builder().objects(objects).quiet(true).build()));
    } catch (S3Exception e) {
      String reason = S3Errors.describe(e);
      return keys.stream().map(key -> new DeleteFailure(location(bucket, key), reason)).toList();
    } catch (SdkClientException e) {
      Location bucketLocation = Location.of(SCHEME + "://" + bucket + "/");
      throw new IOException(
          "Cannot delete "
              + keys.size()
              + " files in "
              + bucketLocation
              + ": "
              + S3Errors.describe(e),
          e);
    } catch (SdkException e) {
      throw S3Errors.translate("delete files in", Location.of(SCHEME + "://" + bucket + "/"), e);
    }
    List<DeleteFailure> failures = new ArrayList<>();
    for (S3Error error : response.errors()) {
      if ("NoSuchKey".equals(error.code())) {
        continue;
      }
      failures.add(new DeleteFailure(location(bucket, error.key()), reason(error)));
    }
    return failures;
  }

  private static String reason(S3Error error) {
    String code = error.code() == null ? "unknown error" : error.code();
    return error.message() == null ? code : code + ": " + error.message();
  }

  static Location location(String bucket, String key) {
    return Location.of(SCHEME + "://" + bucket + "/" + key);
  }

  /**
   * Closes the S3 client, its HTTP connections, its upload threads and its credentials provider.
   */
  @Override
  public void close() {
    uploads.shutdownNow();
    client.close();
    if (credentialsProvider instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  /** The endpoint, region and addressing style; never credentials. */
  @Override
  public String toString() {
    return description;
  }

  private static Location checkS3(Location location) {
    requireNonNull(location, "location is null");
    if (!location.scheme().equals(SCHEME)) {
      throw new IllegalArgumentException("Not an S3 location: " + location);
    }
    return location;
  }

  private static Location checkFile(Location location) {
    checkS3(location);
    if (location.isDirectory()) {
      throw new IllegalArgumentException("Not an S3 object location (no key): " + location);
    }
    return location;
  }

  /** How requests name the bucket. */
  public enum AddressingStyle {
    /** The bucket in the host name: {@code https://bucket.s3.us-east-1.amazonaws.com/key}. */
    VIRTUAL_HOST,
    /**
     * The bucket in the path: {@code http://127.0.0.1:9000/bucket/key}; what most S3-compatible
     * stores need.
     */
    PATH
  }

  /**
   * Settings for an {@link S3Storage}. Setters check their argument at once and throw {@link
   * IllegalArgumentException} for an invalid one; {@link #build()} makes the storage. Not
   * thread-safe.
   *
   * <p>Where settings come from when not given:
   *
   * <ul>
   *   <li><b>Credentials</b>: {@link #credentials} given here, else the named {@link #profile},
   *       else the SDK's default chain: system properties, the {@code AWS_ACCESS_KEY_ID}, {@code
   *       AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} environment variables, web identity,
   *       the {@code AWS_PROFILE} (or {@code default}) profile in {@code ~/.aws/credentials}, then
   *       container and instance credentials.
   *   <li><b>Region</b>: {@link #region} given here, else the {@code aws.region} system property or
   *       {@code AWS_REGION} environment variable, else the profile's {@code region}, else {@code
   *       us-east-1}; without an endpoint and an explicit region, requests follow a bucket to the
   *       region it is in.
   *   <li><b>Addressing</b>: {@link AddressingStyle#PATH} when an {@link #endpoint} is set,
   *       otherwise {@link AddressingStyle#VIRTUAL_HOST}.
   * </ul>
   */
  public static final class Builder {
    private URI endpoint;
    private String region;
    private String accessKeyId;
    private String secretAccessKey;
    private String sessionToken;
    private String profile;
    private AddressingStyle addressingStyle;
    private int maxAttempts = 5;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private int maxConnections = 64;
    private PartSizes partSizes = PartSizes.of(DEFAULT_PART_SIZE);
    private long wholeObjectReadLimit = DEFAULT_WHOLE_OBJECT_READ_LIMIT;
    private int listPageSize = MAX_KEYS_PER_LIST;
    private int deleteBatchSize = MAX_KEYS_PER_DELETE;
    private RequestChecksumCalculation requestChecksumCalculation;
    private ObjectEncryption encryption = ObjectEncryption.NONE;

    private Builder() {}

    /**
     * Asks S3 to encrypt every object this storage writes (outputs, markers, journal records,
     * leases, moved files) with this server-side encryption, as buckets whose policy refuses writes
     * without the header need. Without it, requests name none and the bucket's default encryption
     * applies (on AWS at least SSE-S3 since January 2023). SSE-KMS needs {@code
     * kms:GenerateDataKey} on the key to write and {@code kms:Decrypt} to read back; reads send no
     * header. SSE-C (customer-provided keys) is not offered.
     *
     * @param algorithm {@code AES256} (SSE-S3), {@code AWS_KMS} (SSE-KMS) or {@code AWS_KMS_DSSE}
     *     (dual-layer SSE-KMS)
     * @param kmsKeyId with SSE-KMS, the key as an id, alias ({@code alias/NAME}) or ARN; null for
     *     the AWS managed key {@code aws/s3}; must be null with {@code AES256}
     * @throws IllegalArgumentException if the algorithm is unknown to the SDK, or a key id is given
     *     with {@code AES256}
     */
    public Builder serverSideEncryption(ServerSideEncryption algorithm, String kmsKeyId) {
      requireNonNull(algorithm, "algorithm is null");
      this.encryption = new ObjectEncryption(algorithm, kmsKeyId);
      return this;
    }

    /**
     * {@link #serverSideEncryption(ServerSideEncryption, String)}, as parsed from the properties
     * ({@link ObjectEncryption#parse}); {@link ObjectEncryption#NONE} for none.
     */
    Builder serverSideEncryption(ObjectEncryption encryption) {
      this.encryption = requireNonNull(encryption, "encryption is null");
      return this;
    }

    /**
     * Talks to this endpoint instead of AWS, for S3-compatible stores such as MinIO or a test
     * server; switches to path-style addressing unless {@link #addressingStyle} says otherwise.
     *
     * @param endpoint an absolute {@code http} or {@code https} URI with a host, such as {@code
     *     http://127.0.0.1:9000}
     * @throws IllegalArgumentException if the URI is not such an address
     */
    public Builder endpoint(URI endpoint) {
      requireNonNull(endpoint, "endpoint is null");
      String scheme = endpoint.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "Invalid S3 endpoint '" + endpoint + "': expected http://host[:port] or https://...");
      }
      this.endpoint = endpoint;
      return this;
    }

    /**
     * The region to sign requests for and, on AWS, to send them to.
     *
     * @param region a region name such as {@code eu-west-1}
     * @throws IllegalArgumentException if it is blank
     */
    public Builder region(String region) {
      this.region = nonBlank(region, "region");
      return this;
    }

    /**
     * Static credentials, which take precedence over every other source.
     *
     * @throws IllegalArgumentException if either is blank (the message does not show values)
     */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      this.accessKeyId = nonBlank(accessKeyId, "access key id");
      this.secretAccessKey = nonBlank(secretAccessKey, "secret access key");
      return this;
    }

    /**
     * The session token that goes with temporary {@link #credentials}.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public Builder sessionToken(String sessionToken) {
      this.sessionToken = nonBlank(sessionToken, "session token");
      return this;
    }

    /**
     * A profile of {@code ~/.aws/credentials} and {@code ~/.aws/config} to take credentials (unless
     * {@link #credentials} are given) and the region (unless {@link #region} is given) from.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public Builder profile(String profile) {
      this.profile = nonBlank(profile, "profile");
      return this;
    }

    /**
     * How requests name the bucket; by default {@code PATH} with an endpoint, else virtual host.
     */
    public Builder addressingStyle(AddressingStyle addressingStyle) {
      this.addressingStyle = requireNonNull(addressingStyle, "addressingStyle is null");
      return this;
    }

    /**
     * How many times the SDK's standard retry strategy tries a request in all, first attempt
     * included; default 5.
     *
     * @throws IllegalArgumentException if not between 1 and 20
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 20) {
        throw new IllegalArgumentException(
            "Invalid maximum attempts " + maxAttempts + ": expected 1 to 20");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * How long one attempt of a request may take until its response starts (for a download) or
     * ends, before it is abandoned and, within {@link #maxAttempts}, retried; default 2 minutes. A
     * stalled request is therefore retried after this long, and a request gives up after at most
     * {@code maxAttempts} times it plus the retry strategy's backoff. Reads of a response body that
     * stalls fail after the HTTP client's socket timeout instead (30 seconds).
     *
     * @throws IllegalArgumentException if not between 100 milliseconds and 1 hour
     */
    public Builder attemptTimeout(Duration attemptTimeout) {
      requireNonNull(attemptTimeout, "attemptTimeout is null");
      if (attemptTimeout.compareTo(Duration.ofMillis(100)) < 0
          || attemptTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "Invalid attempt timeout " + attemptTimeout + ": expected 100 ms to 1 hour");
      }
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    /**
     * The largest number of open HTTP connections, which bounds concurrent requests; default 64.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "Invalid maximum connections " + maxConnections + ": expected at least 1");
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * When requests carry a checksum of their body: {@code WHEN_SUPPORTED} sends a CRC32 with every
     * {@code PutObject} and {@code UploadPart}, in a trailer after an {@code aws-chunked} body;
     * {@code WHEN_REQUIRED} only with operations that require one ({@code DeleteObjects}). Some
     * S3-compatible stores refuse the trailer or store its framing as data; for them, {@code
     * WHEN_REQUIRED}. Either way Baler reads back every output it writes before it deletes an
     * input. Unset, the SDK decides: {@code AWS_REQUEST_CHECKSUM_CALCULATION}, the {@code
     * aws.requestChecksumCalculation} system property, the profile's {@code
     * request_checksum_calculation}, else {@code WHEN_SUPPORTED}.
     */
    public Builder requestChecksumCalculation(RequestChecksumCalculation calculation) {
      this.requestChecksumCalculation = requireNonNull(calculation, "calculation is null");
      return this;
    }

    /** For tests: the sizes of multipart uploads' parts; S3 needs at least 5 MiB but the last. */
    Builder partSizes(PartSizes partSizes) {
      this.partSizes = requireNonNull(partSizes, "partSizes is null");
      return this;
    }

    /** For tests: the largest known length in bytes for which a file is read with one GET. */
    Builder wholeObjectReadLimit(long wholeObjectReadLimit) {
      this.wholeObjectReadLimit = wholeObjectReadLimit;
      return this;
    }

    /** For tests: keys per listing page, at most 1000. */
    Builder listPageSize(int listPageSize) {
      if (listPageSize < 1 || listPageSize > MAX_KEYS_PER_LIST) {
        throw new IllegalArgumentException("Invalid list page size " + listPageSize);
      }
      this.listPageSize = listPageSize;
      return this;
    }

    /** For tests: keys per {@code DeleteObjects} request, at most 1000. */
    Builder deleteBatchSize(int deleteBatchSize) {
      if (deleteBatchSize < 1 || deleteBatchSize > MAX_KEYS_PER_DELETE) {
        throw new IllegalArgumentException("Invalid delete batch size " + deleteBatchSize);
      }
      this.deleteBatchSize = deleteBatchSize;
      return this;
    }

    /**
     * Makes the storage. Nothing is sent to S3 yet: wrong credentials or an unreachable endpoint
     * show up as {@link IOException}s from the first request.
     *
     * @throws IllegalStateException if a session token was given without credentials
     */
    public S3Storage build() {
      if (sessionToken != null && accessKeyId == null) {
        throw new IllegalStateException("Cannot use a session token without credentials");
      }
      return new S3Storage(this);
    }

    private AddressingStyle addressingStyle() {
      if (addressingStyle != null) {
        return addressingStyle;
      }
      return endpoint == null ? AddressingStyle.VIRTUAL_HOST : AddressingStyle.PATH;
    }

    private AwsCredentialsProvider credentialsProvider() {
      if (accessKeyId != null) {
        AwsCredentials credentials =
            sessionToken == null
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
        return StaticCredentialsProvider.create(credentials);
      }
      if (profile != null) {
        return ProfileCredentialsProvider.builder().profileName(profile).build();
      }
      return DefaultCredentialsProvider.builder().build();
    }

    private Region resolveRegion() {
      if (region != null) {
        return Region.of(region);
      }
      Optional<String> fromEnvironment = SdkSystemSetting.AWS_REGION.getStringValue();
      if (fromEnvironment.isPresent() && !fromEnvironment.get().isBlank()) {
        return Region.of(fromEnvironment.get().trim());
      }
      return profileRegion().map(Region::of).orElse(Region.of(DEFAULT_REGION));
    }

    private Optional<String> profileRegion() {
      String profileName =
          profile != null
              ? profile
              : ProfileFileSystemSetting.AWS_PROFILE.getStringValue().orElse("default");
      try {
        return ProfileFile.defaultProfileFile()
            .profile(profileName)
            .flatMap(found -> found.property(ProfileProperty.REGION))
            .filter(value -> !value.isBlank());
      } catch (RuntimeException e) {
        // an unreadable or malformed profile file gives no region; credentials report it later
        return Optional.empty();
      }
    }

    private static String nonBlank(String value, String name) {
      requireNonNull(value, name + " is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException("Invalid " + name + ": blank");
      }
      return value;
    }
  }
}
