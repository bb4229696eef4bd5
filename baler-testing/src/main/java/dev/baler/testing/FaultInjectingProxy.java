package dev.baler.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy on {@code 127.0.0.1} that sits between an S3 client and an S3 server and
 * answers a share of requests with a fault instead: {@code 503 SlowDown}, {@code 500
 * InternalError}, a reset connection (before the request reaches the server, or after the server
 * carried it out, so that the client never learns it did), or a stall (no answer until the client
 * gives up). For tests of how Baler behaves on a flaky store.
 *
 * <p>Each connection carries one request: the proxy drops {@code Expect: 100-continue} (answering
 * the client's expectation itself) and asks both sides for {@code Connection: close}. Neither
 * header is covered by AWS Signature Version 4, so signatures stay valid. Faults are drawn from a
 * seeded random number generator, so a test's sequence of faults is repeatable for a given order of
 * requests. Stalls last at most {@link #STALL}, so a test cannot hang on them.
 *
 * <p>Apart from the drawn faults, the proxy can play {@link Deviation deviations}: ways in which
 * S3-compatible servers have been seen to answer differently from S3, applied to every request they
 * concern, so that a test shows whether a client copes with such a server. Thread-safe.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  /** The longest a stalled request is held before its connection is closed. */
  public static final Duration STALL = Duration.ofSeconds(20);

  /** What the proxy can do instead of forwarding a request faithfully. */
  public enum Fault {
    /** Answer {@code 503 SlowDown} without forwarding. */
    SLOW_DOWN,
    /** Answer {@code 500 InternalError} without forwarding. */
    INTERNAL_ERROR,
    /** Reset the connection without forwarding. */
    RESET_BEFORE,
    /** Forward, let the server carry the request out, then reset instead of answering. */
    RESET_AFTER,
    /** Hold the request without forwarding until the client gives up (at most {@link #STALL}). */
    STALL,
    /**
     * Forward, then answer with the server's status and headers but only the first half of its
     * body, and reset: a response that breaks off while the client reads it.
     */
    CUT_BODY,
    /**
     * Answer a {@code CompleteMultipartUpload} or a copy ({@code CopyObject}, {@code
     * UploadPartCopy}) with {@code 200 OK} and an {@code InternalError} in the body, without
     * forwarding it, so that nothing was done: S3 documents that these operations may fail after
     * their {@code 200} was sent, with the error in the body (<a
     * href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html">CompleteMultipartUpload</a>,
     * <a
     * href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html">CopyObject</a>).
     * Drawn for any other request, it is no fault: that request is forwarded faithfully, and not
     * counted in {@link #injected()}.
     */
    ERROR_IN_OK
  }

  /**
   * A way in which an S3-compatible server has been seen to answer differently from S3. The proxy
   * forwards each request a renaming deviation concerns and rewrites the server's answer; it
   * answers a request a refusing one concerns itself.
   */
  public enum Deviation {
    /**
     * {@code CreateMultipartUpload} answered with the root element {@code
     * CreateMultipartUploadResponse} rather than {@code InitiateMultipartUploadResult}, as moto
     * 5.2.0 did (getmoto/moto#10015, where the AWS SDK for Java is said to fail on it).
     */
    CREATE_MULTIPART_ROOT_RENAMED("InitiateMultipartUploadResult", "CreateMultipartUploadResponse"),
    /**
     * {@code CompleteMultipartUpload} answered with the root element {@code
     * CompleteMultipartUploadResponse} rather than {@code CompleteMultipartUploadResult}, as moto
     * 5.2.1 did (getmoto/moto#10055): pyarrow 24 retries and fails on it.
     */
    COMPLETE_MULTIPART_ROOT_RENAMED(
        "CompleteMultipartUploadResult", "CompleteMultipartUploadResponse"),
    /**
     * A request whose body ends in a checksum trailer ({@code x-amz-trailer}, which the AWS SDKs
     * send with every {@code PutObject} and {@code UploadPart} since early 2025) refused with
     * {@code 501 NotImplemented}, without forwarding, as stores that predate those checksums do.
     */
    TRAILING_CHECKSUM_REFUSED(
        501,
        "Not Implemented",
        "NotImplemented",
        "A header you provided implies functionality that is not implemented."),
    /**
     * A {@code DeleteObjects} without a {@code Content-MD5} header refused with {@code 400
     * InvalidRequest}, as MinIO and other stores refused the AWS SDKs' deletes once those sent a
     * CRC32 instead (aws/aws-sdk-java-v2#5805). S3 itself documents the header as required.
     */
    DELETE_WITHOUT_MD5_REFUSED(
        400,
        "Bad Request",
        "InvalidRequest",
        "Missing required header for this request: Content-Md5."),
    /**
     * A {@code PutObject} with {@code If-None-Match: *} that finds the key taken answered {@code
     * 200 OK} rather than {@code 412 Precondition Failed}, as stores that drop the condition do (S3
     * has honoured it since August 2024). Such a store would overwrite the object; the proxy leaves
     * it as it was, which is the same when the bytes written are those stored.
     */
    IF_NONE_MATCH_IGNORED();

    private final String root;
    private final String renamed;
    private final int status;
    private final String reason;
    private final String code;
    private final String message;

    /** A deviation that answers success where the server failed a condition. */
    Deviation() {
      this(null, null, 0, null, null, null);
    }

    /** A deviation that renames the root element {@code root} of the server's answer. */
    Deviation(String root, String renamed) {
      this(root, renamed, 0, null, null, null);
    }

    /** A deviation that refuses the requests it concerns with this error. */
    Deviation(int status, String reason, String code, String message) {
      this(null, null, status, reason, code, message);
    }

    private Deviation(
        String root, String renamed, int status, String reason, String code, String message) {
      this.root = root;
      this.renamed = renamed;
      this.status = status;
      this.reason = reason;
      this.code = code;
      this.message = message;
    }

    /** Whether this deviation concerns {@code request}. */
    boolean concerns(Request request) {
      return switch (this) {
        case CREATE_MULTIPART_ROOT_RENAMED -> request.isCreateMultipartUpload();
        case COMPLETE_MULTIPART_ROOT_RENAMED -> request.isCompleteMultipartUpload();
        case TRAILING_CHECKSUM_REFUSED -> request.hasHeader("x-amz-trailer");
        case DELETE_WITHOUT_MD5_REFUSED ->
            request.isDeleteObjects() && !request.hasHeader("Content-MD5");
        case IF_NONE_MATCH_IGNORED ->
            request.method().equals("PUT") && request.hasHeader("If-None-Match");
      };
    }

    /**
     * Whether the proxy answers the requests this deviation concerns itself, not forwarding them.
     */
    boolean refuses() {
      return status != 0;
    }

    /** Whether the proxy rewrites the server's answer to the requests this deviation concerns. */
    boolean renames() {
      return root != null;
    }

    /**
     * The server's body as this deviation would have it: its root element renamed.
     *
     * @throws IOException if the body has no such root element to rename, so that a test of the
     *     deviation cannot pass without it
     */
    byte[] rewrite(byte[] body) throws IOException {
      String xml = new String(body, UTF_8);
      String rewritten =
          xml.replace("<" + root + ">", "<" + renamed + ">")
              .replace("<" + root + " ", "<" + renamed + " ")
              .replace("</" + root + ">", "</" + renamed + ">");
      if (rewritten.equals(xml)) {
        throw new IOException("No " + root + " element to rename in the server's answer: " + xml);
      }
      return rewritten.getBytes(UTF_8);
    }
  }

  private final URI upstream;
  private final Map<Fault, Double> shares;
  private final Set<Deviation> deviations;
  private final Random random;
  private final ServerSocket serverSocket;
  private final ExecutorService connections;
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final Map<Deviation, AtomicLong> deviated = new EnumMap<>(Deviation.class);
  private final AtomicLong forwarded = new AtomicLong();
  private final Map<String, AtomicLong> forwardedByMethod = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;
  private volatile boolean closed;

  private FaultInjectingProxy(
      URI upstream, Map<Fault, Double> shares, long seed, Set<Deviation> deviations)
      throws IOException {
    this.upstream = upstream;
    // EnumMap's copy constructor refuses an empty map that is not an EnumMap: copy entry by entry
    this.shares = new EnumMap<>(Fault.class);
    this.shares.putAll(shares);
    this.deviations =
        deviations.isEmpty() ? EnumSet.noneOf(Deviation.class) : EnumSet.copyOf(deviations);
    this.random = new Random(seed);
    for (Fault fault : Fault.values()) {
      injected.put(fault, new AtomicLong());
    }
    for (Deviation deviation : Deviation.values()) {
      deviated.put(deviation, new AtomicLong());
    }
    this.serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.connections =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "fault-proxy");
              thread.setDaemon(true);
              return thread;
            });
    Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy in front of {@code upstream} ({@code http://127.0.0.1:port}).
   *
   * @param shares for each fault, the share of requests that get it, each between 0 and 1 and
   *     together at most 1; the rest are forwarded faithfully
   * @param seed the seed of the random draw of faults
   */
  public static FaultInjectingProxy start(URI upstream, Map<Fault, Double> shares, long seed)
      throws IOException {
    return start(upstream, shares, seed, Set.of());
  }

  /**
   * Starts a proxy in front of {@code upstream} as {@link #start(URI, Map, long)} does, which also
   * plays {@code deviations} on every request they concern (faults drawn for such a request come
   * first). A request two of them concern gets the first in the enum's order only, such as a
   * conditional PUT with a checksum trailer, which {@link Deviation#TRAILING_CHECKSUM_REFUSED}
   * refuses before {@link Deviation#IF_NONE_MATCH_IGNORED} could see it.
   */
  public static FaultInjectingProxy start(
      URI upstream, Map<Fault, Double> shares, long seed, Set<Deviation> deviations)
      throws IOException {
    requireNonNull(upstream, "upstream is null");
    requireNonNull(deviations, "deviations is null");
    double total = 0;
    for (var share : shares.entrySet()) {
      if (share.getValue() < 0 || share.getValue() > 1) {
        throw new IllegalArgumentException(
            "Invalid share " + share.getValue() + " of " + share.getKey());
      }
      total += share.getValue();
    }
    if (total > 1) {
      throw new IllegalArgumentException("Invalid shares: together " + total + ", above 1");
    }
    return new FaultInjectingProxy(upstream, shares, seed, deviations);
  }

  /** The proxy's address, {@code http://127.0.0.1:port}, to give S3 clients as their endpoint. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort());
  }

  /** Turns faults on or off; off, every request is forwarded faithfully. */
  public void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** How many requests got each fault so far. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    injected.forEach((fault, count) -> counts.put(fault, count.get()));
    return counts;
  }

  /** How many answers each deviation rewrote so far. */
  public Map<Deviation, Long> deviated() {
    Map<Deviation, Long> counts = new EnumMap<>(Deviation.class);
    deviated.forEach((deviation, count) -> counts.put(deviation, count.get()));
    return counts;
  }

  /** How many requests were forwarded to the server so far, {@link Fault#RESET_AFTER} included. */
  public long forwarded() {
    return forwarded.get();
  }

  /**
   * How many requests of each HTTP method ({@code GET}, {@code PUT}, ...) were forwarded so far, as
   * {@link #forwarded()} counts them; a test of how many requests a job costs can run through a
   * proxy with no faults.
   */
  public Map<String, Long> forwardedByMethod() {
    Map<String, Long> counts = new TreeMap<>();
    forwardedByMethod.forEach((method, count) -> counts.put(method, count.get()));
    return counts;
  }

  /** Stops accepting and drops open connections. */
  @Override
  public void close() throws IOException {
    closed = true;
    serverSocket.close();
    connections.shutdownNow();
    try {
      connections.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = serverSocket.accept();
        connections.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          // a failed accept on an open socket: keep serving
          continue;
        }
        return;
      }
    }
  }

  private Fault draw() {
    if (!enabled) {
      return null;
    }
    double value;
    synchronized (random) {
      value = random.nextDouble();
    }
    double bound = 0;
    for (var share : shares.entrySet()) {
      bound += share.getValue();
      if (value < bound) {
        return share.getKey();
      }
    }
    return null;
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout((int) STALL.toMillis());
      InputStream fromClient = client.getInputStream();
      OutputStream toClient = client.getOutputStream();
      Request request = Request.read(fromClient, toClient);
      Fault fault = draw();
      if (fault == Fault.ERROR_IN_OK && !request.isCompleteMultipartUpload() && !request.isCopy()) {
        fault = null;
      }
      if (fault != null) {
        injected.get(fault).incrementAndGet();
      }
      Deviation deviation = deviationFor(request);
      if (fault == null && deviation != null && deviation.refuses()) {
        deviated.get(deviation).incrementAndGet();
        error(toClient, deviation.status, deviation.reason, deviation.code, deviation.message);
        return;
      }
      if (fault == null || fault == Fault.RESET_AFTER || fault == Fault.CUT_BODY) {
        forwarded.incrementAndGet();
        forwardedByMethod
            .computeIfAbsent(request.method(), method -> new AtomicLong())
            .incrementAndGet();
        forward(request, toClient, fault, client);
        return;
      }
      switch (fault) {
        case SLOW_DOWN ->
            error(toClient, 503, "Slow Down", "SlowDown", "Please reduce your request rate.");
        case INTERNAL_ERROR ->
            error(
                toClient,
                500,
                "Internal Server Error",
                "InternalError",
                "We encountered an internal error.");
        case ERROR_IN_OK ->
            error(
                toClient,
                200,
                "OK",
                "InternalError",
                "We encountered an internal error. Please try again.");
        case RESET_BEFORE -> reset(client);
        case STALL -> stall(fromClient);
        case RESET_AFTER, CUT_BODY -> throw new IllegalStateException("handled above");
      }
    } catch (IOException e) {
      // the client went away or sent something unreadable: nothing to answer
    }
  }

  /**
   * Sends the request to the server and its answer to the client, or with {@code RESET_AFTER} no
   * answer, or with {@code CUT_BODY} half of it.
   */
  private void forward(Request request, OutputStream toClient, Fault fault, Socket client)
      throws IOException {
    try (Socket server = new Socket(upstream.getHost(), upstream.getPort())) {
      server.setSoTimeout((int) STALL.toMillis());
      OutputStream toServer = server.getOutputStream();
      toServer.write(request.head());
      toServer.write(request.body());
      toServer.flush();
      InputStream fromServer = server.getInputStream();
      byte[] responseHead = readHead(fromServer);
      if (fault == Fault.RESET_AFTER) {
        // the server has carried the request out; drain its answer so that it is complete
        fromServer.transferTo(OutputStream.nullOutputStream());
        reset(client);
        return;
      }
      if (fault == Fault.CUT_BODY) {
        // the server answers with Connection: close here, so its body ends where its stream does
        byte[] body = fromServer.readAllBytes();
        toClient.write(withConnectionClose(responseHead));
        toClient.write(body, 0, body.length / 2);
        toClient.flush();
        reset(client);
        return;
      }
      Deviation deviation = deviationFor(request);
      if (deviation == Deviation.IF_NONE_MATCH_IGNORED
          && new String(responseHead, ISO_8859_1).startsWith("HTTP/1.1 412")) {
        fromServer.transferTo(OutputStream.nullOutputStream());
        deviated.get(deviation).incrementAndGet();
        toClient.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(ISO_8859_1));
        toClient.flush();
        return;
      }
      if (deviation != null && deviation.renames()) {
        byte[] body = deviation.rewrite(readBody(responseHead, fromServer));
        deviated.get(deviation).incrementAndGet();
        toClient.write(withContentLength(responseHead, body.length));
        toClient.write(body);
        toClient.flush();
        return;
      }
      toClient.write(withConnectionClose(responseHead));
      fromServer.transferTo(toClient);
      toClient.flush();
    }
  }

  /** The deviation this proxy plays on {@code request}, or null. */
  private Deviation deviationFor(Request request) {
    for (Deviation deviation : deviations) {
      if (deviation.concerns(request)) {
        return deviation;
      }
    }
    return null;
  }

  private static void error(
      OutputStream out, int status, String reason, String code, String message) throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>")
            .getBytes(ISO_8859_1);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static void reset(Socket socket) throws SocketException {
    socket.setSoLinger(true, 0); // close sends RST, not FIN
  }

  private static void stall(InputStream fromClient) {
    try {
      // returns when the client closes its end, or throws when STALL has passed
      fromClient.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // timed out or reset: the stall is over either way
    }
  }

  /** A request as read from the client, re-headed for forwarding. */
  private record Request(byte[] head, byte[] body) {
    /** The request line's method, such as {@code GET}. */
    String method() {
      String head = new String(this.head, ISO_8859_1);
      int space = head.indexOf(' ');
      return space < 0 ? head : head.substring(0, space);
    }

    /**
     * Whether this is a {@code CreateMultipartUpload}: a POST with an {@code uploads} parameter.
     */
    boolean isCreateMultipartUpload() {
      return method().equals("POST") && hasParameter("uploads");
    }

    /**
     * Whether this is a {@code CompleteMultipartUpload}: a POST with an {@code uploadId} parameter.
     */
    boolean isCompleteMultipartUpload() {
      return method().equals("POST") && hasParameter("uploadId");
    }

    /**
     * Whether this is a copy ({@code CopyObject}, {@code UploadPartCopy}): a PUT with an {@code
     * x-amz-copy-source} header.
     */
    boolean isCopy() {
      return method().equals("PUT") && hasHeader("x-amz-copy-source");
    }

    /** Whether this is a {@code DeleteObjects}: a POST with a {@code delete} parameter. */
    boolean isDeleteObjects() {
      return method().equals("POST") && hasParameter("delete");
    }

    /** Whether the request has a header of this name, in any case. */
    boolean hasHeader(String name) {
      for (String line : new String(head, ISO_8859_1).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return true;
        }
      }
      return false;
    }

    /** Whether the request line's query names {@code parameter}, with a value or without. */
    private boolean hasParameter(String parameter) {
      String head = new String(this.head, ISO_8859_1);
      int lineEnd = head.indexOf("\r\n");
      String target = head.substring(head.indexOf(' ') + 1, lineEnd < 0 ? head.length() : lineEnd);
      int query = target.indexOf('?');
      if (query < 0) {
        return false;
      }
      int end = target.indexOf(' ');
      for (String pair : target.substring(query + 1, end < 0 ? target.length() : end).split("&")) {
        if (pair.equals(parameter) || pair.startsWith(parameter + "=")) {
          return true;
        }
      }
      return false;
    }

    static Request read(InputStream in, OutputStream out) throws IOException {
      String head = new String(readHead(in), ISO_8859_1);
      String[] lines = head.split("\r\n");
      List<String> kept = new ArrayList<>();
      long contentLength = 0;
      boolean chunked = false;
      boolean expectContinue = false;
      kept.add(lines[0]);
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
          default -> {}
        }
        if (!name.equals("expect") && !name.equals("connection")) {
          kept.add(line);
        }
      }
      kept.add("Connection: close");
      if (expectContinue) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1));
        out.flush();
      }
      byte[] body = chunked ? readChunked(in) : in.readNBytes((int) contentLength);
      if (!chunked && body.length != contentLength) {
        throw new EOFException("request body ended early");
      }
      byte[] newHead = (String.join("\r\n", kept) + "\r\n\r\n").getBytes(ISO_8859_1);
      return new Request(newHead, body);
    }

    /** The chunked body as sent, framing included, so that it is forwarded unchanged. */
    private static byte[] readChunked(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        raw.write((sizeLine + "\r\n").getBytes(ISO_8859_1));
        int semicolon = sizeLine.indexOf(';');
        long size =
            Long.parseLong(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          // trailers, then the empty line
          for (String line = readLine(in); ; line = readLine(in)) {
            raw.write((line + "\r\n").getBytes(ISO_8859_1));
            if (line.isEmpty()) {
              return raw.toByteArray();
            }
          }
        }
        byte[] chunk = in.readNBytes((int) size + 2);
        if (chunk.length != size + 2) {
          throw new EOFException("chunk ended early");
        }
        raw.write(chunk);
      }
    }
  }

  /** The header block up to and including the empty line. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the header block");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in a line");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, ISO_8859_1);
      }
      line.write(b);
      previous = b;
    }
  }

  /**
   * A response's body after its header block {@code head}, as the server framed it: by {@code
   * Content-Length}, in chunks, or up to the end of the connection.
   */
  private static byte[] readBody(byte[] head, InputStream in) throws IOException {
    long contentLength = -1;
    boolean chunked = false;
    for (String line : new String(head, ISO_8859_1).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    if (chunked) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        int semicolon = sizeLine.indexOf(';');
        int size =
            Integer.parseInt(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers: not kept
          }
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(size + 2);
        if (chunk.length != size + 2) {
          throw new EOFException("chunk ended early");
        }
        body.write(chunk, 0, size);
      }
    }
    if (contentLength < 0) {
      return in.readAllBytes();
    }
    byte[] body = in.readNBytes(Math.toIntExact(contentLength));
    if (body.length != contentLength) {
      throw new EOFException("response body ended early");
    }
    return body;
  }

  /** The response's header block with any {@code Connection} header replaced by {@code close}. */
  private static byte[] withConnectionClose(byte[] head) {
    return reheaded(head, -1);
  }

  /**
   * The response's header block framed for a body of {@code length} bytes: its {@code
   * Content-Length} set to that, without {@code Transfer-Encoding}, and with {@code Connection:
   * close}.
   */
  private static byte[] withContentLength(byte[] head, int length) {
    return reheaded(head, length);
  }

  /**
   * The header block with {@code Connection: close}, and with a body of {@code length} bytes unless
   * it is negative, in which case the server's framing headers are kept.
   */
  private static byte[] reheaded(byte[] head, int length) {
    String[] lines = new String(head, ISO_8859_1).split("\r\n");
    StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String name = lines[i].toLowerCase(Locale.ROOT);
      boolean framing = name.startsWith("content-length:") || name.startsWith("transfer-encoding:");
      if (!lines[i].isEmpty() && !name.startsWith("connection:") && !(length >= 0 && framing)) {
        rewritten.append(lines[i]).append("\r\n");
      }
    }
    if (length >= 0) {
      rewritten.append("Content-Length: ").append(length).append("\r\n");
    }
    rewritten.append("Connection: close\r\n\r\n");
    return rewritten.toString().getBytes(ISO_8859_1);
  }
}
