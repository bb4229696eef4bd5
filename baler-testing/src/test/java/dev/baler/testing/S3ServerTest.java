package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerTest {
  @Test
  void start_listensOnLoopbackAndRejectsUnsignedRequests() throws Exception {
    try (S3Server server = S3Server.inMemory().start()) {
      URI endpoint = server.endpoint();
      assertThat(endpoint.getScheme()).isEqualTo("http");
      assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
      assertThat(endpoint.getPort()).isPositive();

      server.createBucket("bucket");
      server.createBucket("bucket");

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void close_stopsListening() throws Exception {
    S3Server server = S3Server.inMemory().start();
    int port = server.endpoint().getPort();

    server.close();
    server.close();

    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void onDisk_startsOnAnExistingDirectory(@TempDir Path directory) throws IOException {
    try (S3Server server = S3Server.onDisk(directory).start()) {
      server.createBucket("bucket");
      assertThat(directory.resolve("bucket")).isDirectory();
    }
  }

  @Test
  void endpoint_beforeStartThrows() {
    try (S3Server server = S3Server.inMemory()) {
      assertThatThrownBy(server::endpoint)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("The S3 server has not been started");
    }
  }

  @Test
  void start_twiceThrows() throws IOException {
    try (S3Server server = S3Server.inMemory().start()) {
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot start the S3 server: it was started before");
    }
  }

  @Test
  void storageProperties_nameEndpointRegionAndCredentials() throws IOException {
    try (S3Server server = S3Server.inMemory().start()) {
      assertThat(server.storageProperties())
          .containsEntry("s3.endpoint", server.endpoint().toString())
          .containsEntry("s3.region", "us-east-1")
          .containsEntry("s3.access-key-id", server.accessKeyId())
          .containsEntry("s3.secret-access-key", server.secretAccessKey())
          .containsEntry("s3.path-style", "true");
    }
  }
}
