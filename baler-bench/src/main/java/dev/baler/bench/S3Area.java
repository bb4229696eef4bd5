package dev.baler.bench;

import static java.util.Objects.requireNonNull;

import dev.baler.testing.DuckDbVerifier;
import dev.baler.testing.MotoServer;
import dev.baler.testing.S3ServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs through S3: an in-memory S3Proxy on {@code 127.0.0.1}, started as a process of its own
 * ({@link S3ServerMain}), or moto's in-memory S3 server, a Python process of its own ({@link
 * MotoServer}), so that neither the server's CPU time nor its memory counts toward a tool (GNU time
 * measures only the tool's process tree). Each run gets its input uploaded to {@code
 * s3://BUCKET/NAME/input/}; peers write to {@code s3://BUCKET/NAME/output/}. Outputs are downloaded
 * to {@code runs/NAME/downloaded/} for checking. Uploads, listings and downloads are not timed.
 *
 * <p>Not thread-safe.
 */
final class S3Area implements RunArea {
  /** Longest the server may live: it stops by itself after this, whatever happens here. */
  private static final int SERVER_MAX_SECONDS = 4 * 3_600;

  private static final int TRANSFER_THREADS = 8;
  private static final int DELETE_BATCH = 1_000;

  /**
   * A running S3 server and what the tools need of it.
   *
   * @param stop stops it: closes S3ServerMain's standard input, or stops moto
   * @param name what it is, for the report's heading
   */
  private record Server(
      AutoCloseable stop,
      String name,
      URI endpoint,
      String region,
      String accessKeyId,
      String secretAccessKey,
      String bucket) {}

  private final AutoCloseable server;
  private final String serverName;
  private final URI endpoint;
  private final String region;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String bucket;
  private final S3Client client;
  private final ExecutorService transfers = Executors.newFixedThreadPool(TRANSFER_THREADS);
  private final Path runs;

  private S3Area(Server server, Path runs) {
    this.server = server.stop();
    this.serverName = server.name();
    this.endpoint = server.endpoint();
    this.region = server.region();
    this.accessKeyId = server.accessKeyId();
    this.secretAccessKey = server.secretAccessKey();
    this.bucket = server.bucket();
    this.runs = runs.toAbsolutePath();
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(TRANSFER_THREADS * 2))
            .build();
  }

  /**
   * Starts the S3 server process (this JVM's {@code java}, this class path, {@link S3ServerMain})
   * and waits for the line with its endpoint.
   *
   * @param runs the local directory for downloads, such as {@code bench-work/runs}
   * @param logs the prefix of the server's log, {@code logs + ".stderr"}
   * @throws IOException if the server does not start
   */
  static S3Area start(Path runs, Path logs) throws IOException {
    requireNonNull(runs, "runs is null");
    Files.createDirectories(logs.toAbsolutePath().getParent());
    Path stderr = Path.of(logs + ".stderr");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Room for the data set, one run's copy of it and that run's output, all in memory.
            "-Xmx3g",
            "-cp",
            System.getProperty("java.class.path"),
            S3ServerMain.class.getName(),
            "--max-seconds",
            Integer.toString(SERVER_MAX_SECONDS));
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
    // The server stops when its standard input closes: when close() closes it, or when this JVM
    // exits, however it exits.
    String line;
    try {
      line =
          new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IOException("Cannot start the S3 server: it printed no endpoint, see " + stderr);
    }
    AutoCloseable stop =
        () -> {
          // S3ServerMain stops when its standard input closes
          process.getOutputStream().close();
          try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
              process.destroyForcibly();
            }
          } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
          }
        };
    Map<String, String> fields = fields(line);
    return new S3Area(
        new Server(
            stop,
            "S3Proxy (in-memory, own process)",
            URI.create(fields.get("endpoint")),
            fields.get("region"),
            fields.get("access_key_id"),
            fields.get("secret_access_key"),
            fields.get("bucket")),
        runs);
  }

  /**
   * Starts moto's S3 server ({@link MotoServer}, run by {@code python3} or the Python that {@code
   * BALER_TEST_PYTHON} names) and creates the bucket {@code bench} on it.
   *
   * @param runs the local directory for downloads, such as {@code bench-work/runs}
   * @throws IOException if moto does not start, or is not installed
   */
  static S3Area startMoto(Path runs) throws IOException {
    requireNonNull(runs, "runs is null");
    MotoServer moto = MotoServer.create().start();
    try {
      moto.createBucket("bench");
    } catch (IOException | RuntimeException e) {
      moto.close();
      throw e;
    }
    return new S3Area(
        new Server(
            moto,
            "moto (in-memory, own Python process)",
            moto.endpoint(),
            moto.region(),
            moto.accessKeyId(),
            moto.secretAccessKey(),
            "bench"),
        runs);
  }

  /** The string fields of the server's one-line JSON object. */
  private static Map<String, String> fields(String line) throws IOException {
    Map<String, String> fields = new HashMap<>();
    Matcher matcher = Pattern.compile("\"([a-z_]+)\": \"([^\"]*)\"").matcher(line);
    while (matcher.find()) {
      fields.put(matcher.group(1), matcher.group(2));
    }
    for (String name :
        List.of("endpoint", "region", "access_key_id", "secret_access_key", "bucket")) {
      if (!fields.containsKey(name)) {
        throw new IOException("Cannot use the S3 server: its line lacks " + name + ": " + line);
      }
    }
    return fields;
  }

  @Override
  public Copy prepare(String name, Path dataset, int maxFiles) throws IOException {
    Copy copy =
        new Copy(
            name,
            "s3://" + bucket + "/" + name + "/input",
            "s3://" + bucket + "/" + name + "/output");
    clear(copy);
    List<Path> files = DuckDbVerifier.parquetFilesUnder(dataset);
    List<Future<?>> uploads = new ArrayList<>();
    for (Path file : files.subList(0, Math.min(maxFiles, files.size()))) {
      String key = name + "/input/" + dataset.relativize(file).toString().replace('\\', '/');
      uploads.add(
          transfers.submit(
              () ->
                  client.putObject(
                      put -> put.bucket(bucket).key(key), RequestBody.fromFile(file))));
    }
    awaitAll(uploads, "upload " + dataset + " to " + copy.input());
    return copy;
  }

  /**
   * Uploads the data set, reads every object's tail and then the whole object (as footer reads and
   * merges do), twice, writes one multipart object of four 8 MiB parts (as outputs are written),
   * lists, and deletes it all. The reference set's runs through a fresh server took 10.2 to 10.6 s
   * for Baler at first and 7.8 to 8.4 s later, by hand; polars' first run in a benchmark, after
   * Baler's, 8.50 s, and its second 5.90 s. With this warm-up (15 s) the first round is still the
   * slower for every tool (Baler 9.98 then 7.63 s, polars 8.04 then 5.67 s): the server goes on
   * warming, so compare the medians of {@code --repeat 3}.
   */
  @Override
  public void warmUpStore(Path dataset) throws IOException {
    Copy copy = prepare("store-warm-up", dataset, Integer.MAX_VALUE);
    String prefix = copy.name() + "/input/";
    List<S3Object> objects = list(prefix);
    for (int round = 0; round < 2; round++) {
      List<Future<?>> reads = new ArrayList<>();
      for (S3Object object : objects) {
        reads.add(
            transfers.submit(
                () -> {
                  client.getObjectAsBytes(
                      get ->
                          get.bucket(bucket)
                              .key(object.key())
                              .range("bytes=" + Math.max(0, object.size() - 65_536) + "-"));
                  return client.getObjectAsBytes(get -> get.bucket(bucket).key(object.key()));
                }));
      }
      awaitAll(reads, "read the warm-up copy " + prefix);
    }
    byte[] part = new byte[8 << 20];
    String key = copy.name() + "/output/multipart.parquet";
    try {
      String upload =
          client.createMultipartUpload(create -> create.bucket(bucket).key(key)).uploadId();
      List<CompletedPart> parts = new ArrayList<>();
      for (int number = 1; number <= 4; number++) {
        int partNumber = number;
        String etag =
            client
                .uploadPart(
                    put -> put.bucket(bucket).key(key).uploadId(upload).partNumber(partNumber),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      client.completeMultipartUpload(
          complete ->
              complete
                  .bucket(bucket)
                  .key(key)
                  .uploadId(upload)
                  .multipartUpload(multipart -> multipart.parts(parts)));
    } catch (SdkException e) {
      throw new IOException("Cannot warm up the S3 server with a multipart upload: " + e, e);
    }
    clear(copy);
  }

  @Override
  public List<Path> outputs(Copy copy, Tool tool) throws IOException {
    String prefix = copy.name() + (tool == Tool.BALER ? "/input/" : "/output/");
    Path downloads = runs.resolve(copy.name()).resolve("downloaded");
    FileTrees.delete(downloads);
    List<Path> files = new ArrayList<>();
    List<Future<?>> gets = new ArrayList<>();
    for (S3Object object : list(prefix)) {
      String relative = object.key().substring(prefix.length());
      if (!tool.isOutput(relative)) {
        continue;
      }
      Path file = downloads.resolve(relative);
      Files.createDirectories(file.getParent());
      files.add(file);
      gets.add(
          transfers.submit(
              () -> client.getObject(get -> get.bucket(bucket).key(object.key()), file)));
    }
    awaitAll(gets, "download the outputs of " + tool.label() + " from " + prefix);
    return files.stream().sorted().toList();
  }

  @Override
  public void clear(Copy copy) throws IOException {
    List<ObjectIdentifier> keys =
        list(copy.name() + "/").stream()
            .map(object -> ObjectIdentifier.builder().key(object.key()).build())
            .toList();
    try {
      for (int start = 0; start < keys.size(); start += DELETE_BATCH) {
        List<ObjectIdentifier> batch =
            keys.subList(start, Math.min(keys.size(), start + DELETE_BATCH));
        client.deleteObjects(
            delete ->
                delete.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
      }
    } catch (SdkException e) {
      throw new IOException("Cannot delete s3://" + bucket + "/" + copy.name() + "/: " + e, e);
    }
    FileTrees.delete(runs.resolve(copy.name()));
  }

  private List<S3Object> list(String prefix) throws IOException {
    try {
      List<S3Object> objects = new ArrayList<>();
      client
          .listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix))
          .contents()
          .forEach(objects::add);
      return objects;
    } catch (SdkException e) {
      throw new IOException("Cannot list s3://" + bucket + "/" + prefix + ": " + e, e);
    }
  }

  private static void awaitAll(List<Future<?>> tasks, String what) throws IOException {
    try {
      for (Future<?> task : tasks) {
        task.get();
      }
    } catch (InterruptedException e) {
      tasks.forEach(task -> task.cancel(true));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while trying to " + what);
    } catch (ExecutionException e) {
      tasks.forEach(task -> task.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException unchecked) {
        cause = unchecked.getCause();
      }
      throw new IOException("Cannot " + what + ": " + cause, cause);
    }
  }

  @Override
  public List<String> balerArguments() {
    return List.of("--endpoint", endpoint.toString(), "--region", region);
  }

  @Override
  public List<String> peerArguments() {
    return List.of("--endpoint", endpoint.toString());
  }

  @Override
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", accessKeyId,
        "AWS_SECRET_ACCESS_KEY", secretAccessKey,
        "AWS_REGION", region,
        "AWS_DEFAULT_REGION", region);
  }

  @Override
  public Optional<String> unsupported(Tool tool) {
    return tool == Tool.DUCKDB
        ? Optional.of(
            "DuckDB's S3 extension (httpfs) is not bundled and cannot be installed offline")
        : Optional.empty();
  }

  @Override
  public String description() {
    return serverName + " at " + endpoint;
  }

  /** Closes the client and stops the server, waiting for it at most 10 seconds. */
  @Override
  public void close() throws IOException {
    transfers.shutdownNow();
    client.close();
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Cannot stop the S3 server: " + e, e);
    }
  }
}
