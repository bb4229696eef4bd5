package dev.baler.storage.s3;

import dev.baler.testing.S3Server;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK clients of the SDK's own defaults, without Baler's settings, for tests to look with. */
final class PlainS3Clients {
  private PlainS3Clients() {}

  /**
   * A client with {@code server}'s region and credentials, path-style, talking to {@code endpoint}:
   * the server itself, or a proxy in front of it. The caller closes it.
   */
  static S3Client of(S3Server server, URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(server.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKeyId(), server.secretAccessKey())))
        .build();
  }
}
