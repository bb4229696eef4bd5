package dev.baler.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.Storages;
import dev.baler.testing.FaultInjectingProxy;
import dev.baler.testing.FaultInjectingProxy.Fault;
import dev.baler.testing.S3Server;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads of small objects whose responses break off half-way through the body, through a proxy that
 * cuts a share of them: the SDK's retry policy reads them again, and the bytes come out whole.
 */
class S3CutResponseIT {
  private static final Location LOCATION = Location.of("s3://cut/events.1.parquet");

  private static S3Server server;
  private static Storage direct;
  private static byte[] content;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.inMemory().start();
    server.createBucket("cut");
    direct = Storages.forLocation(Location.of("s3://cut/"), server.storageProperties());
    content = new byte[S3InputStream.TAIL_BYTES * 3 + 17];
    new Random(8).nextBytes(content);
    direct.newOutputFile(LOCATION).write(content);
  }

  @AfterAll
  static void stop() throws Exception {
    direct.close();
    server.close();
  }

  @Test
  void wholeAndTailReads_responsesCutShortAreReadAgain() throws Exception {
    // a fixed seed and one request at a time: the same requests are cut on every run
    try (FaultInjectingProxy proxy =
            FaultInjectingProxy.start(server.endpoint(), Map.of(Fault.CUT_BODY, 0.4), 3);
        Storage cut = throughProxy(proxy)) {
      for (int i = 0; i < 10; i++) {
        assertThat(cut.newInputFile(LOCATION, content.length).readAllBytes()).isEqualTo(content);
        try (SeekableInputStream stream = cut.newInputFile(LOCATION, content.length).newStream()) {
          byte[] footer = new byte[1000];
          stream.seek(content.length - 1000);
          stream.readFully(footer, 0, footer.length);
          assertThat(footer)
              .isEqualTo(Arrays.copyOfRange(content, content.length - 1000, content.length));
        }
      }

      assertThat(proxy.injected().get(Fault.CUT_BODY)).isGreaterThan(3);
    }
  }

  private static Storage throughProxy(FaultInjectingProxy proxy) throws Exception {
    Map<String, String> properties = new HashMap<>(server.storageProperties());
    properties.put(S3StorageProvider.ENDPOINT, proxy.uri().toString());
    return Storages.forLocation(Location.of("s3://cut/"), properties);
  }
}
