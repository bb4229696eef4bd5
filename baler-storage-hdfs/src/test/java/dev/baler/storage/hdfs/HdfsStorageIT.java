package dev.baler.storage.hdfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.DeleteFailure;
import dev.baler.storage.FileEntry;
import dev.baler.storage.Location;
import dev.baler.storage.SeekableInputStream;
import dev.baler.storage.Storage;
import dev.baler.storage.StorageOutputStream;
import dev.baler.storage.Storages;
import dev.baler.testing.AbstractStorageTest;
import dev.baler.testing.HdfsServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract and HDFS-specific behaviour of {@link HdfsStorage}, on a mini cluster. */
class HdfsStorageIT extends AbstractStorageTest {
  private static HdfsServer server;
  private static Storage storage;

  @BeforeAll
  static void startServer() throws IOException {
    server = HdfsServer.start();
    storage = Storages.forLocation(Location.of(server.uri() + "/"), server.storageProperties());
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Storage storage() {
    return storage;
  }

  @Override
  protected Location newRoot() {
    return Location.of(server.uri() + "/test/" + UUID.randomUUID() + "/");
  }

  @Test
  void storages_findsHdfsStorageThroughTheProvider() {
    assertThat(storage).isInstanceOf(HdfsStorage.class);
  }

  @Test
  void write_leavesNoTemporaryFileBehind() throws IOException {
    Location location = write("dir/out.parquet", bytes(10_000, 1));
    write("dir/out.parquet", bytes(20_000, 2));
    assertThat(storage.createExclusive(root().resolve("dir/lease"), bytes(10, 3))).isTrue();
    assertThat(storage.createExclusive(root().resolve("dir/lease"), bytes(10, 4))).isFalse();

    assertThat(storage.list(root()).toList())
        .extracting(FileEntry::location)
        .containsExactlyInAnyOrder(location, root().resolve("dir/lease"));
  }

  @Test
  void write_temporaryFileIsHiddenBesideTheTarget() throws IOException {
    Location location = root().resolve("dir/out.parquet");

    try (StorageOutputStream stream = storage.newOutputFile(location).create()) {
      stream.write(bytes(100, 5));
      assertThat(storage.list(root()).toList())
          .singleElement()
          .satisfies(
              entry ->
                  assertThat(entry.location().fileName())
                      .startsWith(".out.parquet.")
                      .endsWith(".tmp"));
    }
    assertThat(storage.list(root()).toList())
        .extracting(FileEntry::location)
        .containsExactly(location);
  }

  @Test
  void write_largerThanABlockRoundTrips() throws IOException {
    // the mini cluster's blocks are 128 MiB by default; 3 MiB still spans many packets
    byte[] content = bytes(3 * 1024 * 1024 + 17, 6);
    Location location = write("large.parquet", content);

    try (SeekableInputStream stream = storage.newInputFile(location).newStream()) {
      stream.seek(content.length - 100);
      assertThat(stream.readNBytes(100))
          .isEqualTo(Arrays.copyOfRange(content, content.length - 100, content.length));
      stream.seek(0);
      assertThat(stream.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void write_overADirectoryFails() throws IOException {
    write("taken/file.parquet", bytes(10, 7));
    Location directory = root().resolve("taken");

    assertThatThrownBy(() -> storage.newOutputFile(directory).write(bytes(10, 8)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot write " + directory + ": ");
    assertThat(storage.list(root()).toList())
        .extracting(FileEntry::location)
        .containsExactly(root().resolve("taken/file.parquet"));
  }

  @Test
  void newInputFile_onADirectoryIsNotAFile() throws IOException {
    write("dir/file.parquet", bytes(10, 9));
    Location directory = root().resolve("dir");

    assertThat(storage.newInputFile(directory).exists()).isFalse();
    assertThatThrownBy(() -> storage.newInputFile(directory).length())
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Not a file: " + directory + " is a directory");
  }

  @Test
  void deleteFiles_reportsADirectoryAsAFailure() throws IOException {
    write("dir/file.parquet", bytes(10, 10));
    Location directory = root().resolve("dir");

    List<DeleteFailure> failures = storage.deleteFiles(List.of(directory));

    assertThat(failures)
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.location()).isEqualTo(directory);
              assertThat(failure.reason()).contains("PathIsNotEmptyDirectoryException");
            });
  }

  @Test
  void list_keepsSpacesAndNonAsciiCharacters() throws IOException {
    byte[] content = bytes(100, 11);
    Location location = write("date=2025-08-15/a b+c%20ü€.parquet", content);

    assertThat(storage.list(root().resolve("date=2025-08-15/")).toList())
        .extracting(FileEntry::location)
        .containsExactly(location);
    assertThat(storage.newInputFile(location).readAllBytes()).isEqualTo(content);
  }

  @Test
  void locations_mustBeHdfsFiles() {
    assertThatThrownBy(() -> storage.newInputFile(Location.of("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an HDFS location: file:///tmp/x");
    assertThatThrownBy(() -> storage.newOutputFile(root()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an HDFS file location (a directory): " + root());
  }

  @Test
  void unreachableNamenode_failsNamingTheLocation() throws IOException {
    try (Storage unreachable =
        new HdfsStorageProvider()
            .create(
                Map.of(
                    "hadoop.ipc.client.connect.max.retries", "0",
                    "hadoop.ipc.client.connect.timeout", "1000"))) {
      Location file = Location.of("hdfs://127.0.0.1:1/x.parquet");
      assertThatThrownBy(() -> unreachable.newInputFile(file).length())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot read " + file + ": ConnectException");
      assertThatThrownBy(() -> unreachable.deleteFiles(List.of(file)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Cannot delete 1 files in hdfs://127.0.0.1:1/: ");
    }
  }

  @Test
  void provider_passesUserAndHadoopProperties() throws IOException {
    Location location = root().resolve("as-user.txt");
    try (Storage asUser =
        new HdfsStorageProvider()
            .create(Map.of(HdfsStorageProvider.USER, "etl", "hadoop.dfs.replication", "1"))) {
      asUser.newOutputFile(location).write("hello".getBytes(UTF_8));
      assertThat(asUser.newInputFile(location).readAllBytes()).isEqualTo("hello".getBytes(UTF_8));
    }
    assertThatThrownBy(() -> new HdfsStorageProvider().create(Map.of("hadoop.", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid property 'hadoop.': no Hadoop key");
  }

  @Test
  void moveToTrash_movesFilesIntoTheUsersTrashWhenEnabled() throws IOException {
    Location file = write("date=2024-01-01/a.parquet", bytes(100, 9));
    Location missing = root().resolve("date=2024-01-01/gone.parquet");
    try (Storage withTrash =
        new HdfsStorageProvider()
            .create(Map.of(HdfsStorageProvider.USER, "etl", "hadoop.fs.trash.interval", "60"))) {
      assertThat(withTrash.hasTrash(file)).isTrue();

      List<DeleteFailure> failures = withTrash.moveToTrash(List.of(file, missing));

      assertThat(failures).isEmpty();
      assertThat(storage.newInputFile(file).exists()).isFalse();
      Location trashed = Location.of(server.uri() + "/user/etl/.Trash/Current/" + file.path());
      assertThat(storage.newInputFile(trashed).readAllBytes()).isEqualTo(bytes(100, 9));
    }
  }

  @Test
  void moveToTrash_isRefusedWhenTrashIsDisabled() throws IOException {
    Location file = write("a.parquet", bytes(10, 1));

    assertThat(storage.hasTrash(file)).isFalse();
    assertThatThrownBy(() -> storage.moveToTrash(List.of(file)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("trash is not enabled");
    assertThat(storage.newInputFile(file).exists()).isTrue();
  }
}
