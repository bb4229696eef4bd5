package dev.baler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class S3ServerMainIT {
  @Test
  void main_printsItsEndpointAndStopsWhenStandardInputCloses() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    S3ServerMain.class.getName(),
                    "--bucket",
                    "numbers",
                    "--max-seconds",
                    "60"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line = reader.readLine();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) JsonReader.read(line);
        assertThat(fields)
            .containsEntry("region", "us-east-1")
            .containsEntry("bucket", "numbers")
            .containsKeys("access_key_id", "secret_access_key");
        URI endpoint = URI.create((String) fields.get("endpoint"));
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");

        // Unsigned: refused, which shows an S3 server answers there.
        HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(endpoint.resolve("/numbers")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);

        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
