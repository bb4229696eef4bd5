package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baler.storage.LocalStorage;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import dev.baler.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FooterTest {
  private static final Location DIRECTORY = Location.of("memory://test/in/");

  private final MemoryStorage storage = new MemoryStorage();

  /** Writes one small file of the telemetry data set into {@link #DIRECTORY}; returns it. */
  private Location telemetryFile() throws IOException {
    TelemetryDataset.builder()
        .files(1)
        .rowsPerFile(20)
        .threads(1)
        .build()
        .write(storage, DIRECTORY);
    return storage.list(DIRECTORY).toList().get(0).location();
  }

  @Test
  void read_refusesAnInputWhoseCodecIsNotAvailable() throws IOException {
    Location original = telemetryFile();
    Location lzo = DIRECTORY.resolve("lzo.parquet");
    storage.newOutputFile(lzo).write(withCodec(storage.bytes(original), CompressionCodec.LZO));

    assertThatThrownBy(() -> Footer.read(storage.newInputFile(lzo)))
        .isInstanceOf(InvalidParquetFileException.class)
        .hasMessageStartingWith(
            "Cannot read memory://test/in/lzo.parquet: unsupported codec lzo: lzo needs the"
                + " GPL-licensed hadoop-lzo library");
    assertThat(Footer.read(storage.newInputFile(original)).codecs()).containsExactly(Codec.SNAPPY);
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void layouts_readWhatFooterReadGivesOfFilesOfEveryWriter(
      Fixtures.Writer writer, @TempDir Path dir) throws IOException {
    FooterLayouts layouts = new FooterLayouts();
    LocalStorage local = new LocalStorage();
    for (Path path : Fixtures.of(writer).copyTo(dir)) {
      var file = local.newInputFile(Location.local(path));

      FooterLayouts.Read read = layouts.readFast(file).orElseThrow();

      Footer footer = Footer.read(file);
      assertThat(read.layout()).isEqualTo(footer.layout());
      assertThat(read.schema()).isEqualTo(footer.schema());
    }
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void readInput_givesWhatParquetJavasReaderGivesOfFilesOfEveryWriter(
      Fixtures.Writer writer, @TempDir Path dir) throws IOException {
    LocalStorage local = new LocalStorage();
    List<Path> paths = Fixtures.of(writer).copyTo(dir);
    for (Path path : paths) {
      Footer footer = Footer.read(local.newInputFile(Location.local(path)));

      boolean read =
          InputFooterChecks.assertReadsAsParquetJava(
              Files.readAllBytes(path), footer, path.toString());

      assertThat(read).as(path.toString()).isTrue();
    }
    assertThat(paths).isNotEmpty();
  }

  @Test
  void readInput_leavesOddFilesToParquetJava() throws IOException {
    byte[] valid = storage.bytes(telemetryFile());
    byte[] encrypted = valid.clone();
    encrypted[encrypted.length - 1] = 'E'; // PARE: an encrypted footer
    FooterLayouts footers = new FooterLayouts();
    CompressionCodecName snappy = CompressionCodecName.SNAPPY;

    assertThat(footers.readInput(valid, valid.length, snappy)).isPresent();
    assertThat(footers.readInput(encrypted, encrypted.length, snappy)).isEmpty();
    assertThat(footers.readInput(valid, 8, snappy)).isEmpty();
    byte[] garbled = valid.clone();
    Arrays.fill(garbled, garbled.length - 200, garbled.length - 8, (byte) 0xEE);
    assertThat(footers.readInput(garbled, garbled.length, snappy)).isEmpty();
  }

  @Test
  void layouts_readAFooterLargerThanTheTailReadFirst() throws IOException {
    Location original = telemetryFile();
    Location large = DIRECTORY.resolve("large-footer.parquet");
    // 100 KB of key-value metadata: the footer is longer than the 64 KiB read from the end first
    storage.newOutputFile(large).write(withMetadata(storage.bytes(original), "x".repeat(100_000)));

    FooterLayouts.Read read =
        new FooterLayouts().readFast(storage.newInputFile(large)).orElseThrow();

    Footer footer = Footer.read(storage.newInputFile(large));
    assertThat(footer.keyValueMetadata()).containsKey("padding");
    assertThat(read.layout()).isEqualTo(footer.layout());
    assertThat(read.schema()).isEqualTo(footer.schema());
  }

  @Test
  void layouts_refuseBadFilesWithFooterReadsReasons() throws IOException {
    byte[] valid = storage.bytes(telemetryFile());
    java.util.Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("empty.parquet", new byte[0]);
    bad.put("short.parquet", Arrays.copyOf(valid, 8));
    bad.put("truncated.parquet", Arrays.copyOf(valid, valid.length / 2));
    bad.put("text.parquet", "not parquet at all, just some text".getBytes(StandardCharsets.UTF_8));
    bad.put("lzo.parquet", withCodec(valid, CompressionCodec.LZO));
    byte[] garbled = valid.clone();
    for (int i = garbled.length - 200; i < garbled.length - 8; i++) {
      garbled[i] = (byte) 0xEE;
    }
    bad.put("garbled-footer.parquet", garbled);
    bad.put("unknown-column.parquet", TestFiles.withFirstChunkPath(valid, "not_a_column"));
    FooterLayouts layouts = new FooterLayouts();
    for (var entry : bad.entrySet()) {
      Location location = DIRECTORY.resolve(entry.getKey());
      storage.newOutputFile(location).write(entry.getValue());

      Throwable expected =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> Footer.read(storage.newInputFile(location)));
      assertThat(expected).as(entry.getKey()).isInstanceOf(InvalidParquetFileException.class);
      assertThat(layouts.readFast(storage.newInputFile(location))).as(entry.getKey()).isEmpty();
      assertThatThrownBy(() -> layouts.read(storage.newInputFile(location)))
          .as(entry.getKey())
          .isInstanceOf(InvalidParquetFileException.class)
          .hasMessage(expected.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Fixtures.Writer.class)
  void layouts_neverGiveWhatFooterReadDoesNotOfGarbledFooters(
      Fixtures.Writer writer, @TempDir Path dir) throws IOException {
    // Bytes of a footer changed at random: the fast read either leaves the file to Footer.read or
    // gives what Footer.read gives. Its contract allows one more outcome, a file planned that
    // Footer.read refuses for bytes the fast read skips (statistics, say; the merge then leaves it
    // out with parquet-java's reason), but these trials have none: without the checks of enum
    // values and encoding_stats, 26 of them had one.
    Random random = new Random(writer.ordinal());
    int agreed = 0;
    int leftToFooterRead = 0;
    int plannedButRefused = 0;
    for (Path path : Fixtures.of(writer).copyTo(dir)) {
      byte[] valid = Files.readAllBytes(path);
      FooterLayouts primed = new FooterLayouts();
      assertThat(primed.readFast(new LocalStorage().newInputFile(Location.local(path))))
          .isPresent();
      int footerLength = TestFiles.footerLength(valid);
      for (int trial = 0; trial < 300; trial++) {
        byte[] garbled = valid.clone();
        for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
          garbled[valid.length - 8 - 1 - random.nextInt(footerLength)] = (byte) random.nextInt();
        }
        Location location = DIRECTORY.resolve("garbled-" + trial + ".parquet");
        storage.newOutputFile(location).write(garbled);

        // every other trial meets the schemas of the valid files in the cache of converted ones
        var fast =
            (trial % 2 == 0 ? primed : new FooterLayouts())
                .readFast(storage.newInputFile(location));
        Footer footer;
        try {
          footer = Footer.read(storage.newInputFile(location));
        } catch (InvalidParquetFileException refused) {
          footer = null;
        }

        if (fast.isEmpty()) {
          leftToFooterRead++;
        } else if (footer == null) {
          plannedButRefused++;
        } else {
          assertThat(fast.get().layout()).as(path + " trial " + trial).isEqualTo(footer.layout());
          assertThat(fast.get().schema()).as(path + " trial " + trial).isEqualTo(footer.schema());
          agreed++;
        }
      }
    }
    assertThat(plannedButRefused).isZero();
    // both outcomes happen, or the trials prove little
    assertThat(agreed).isPositive();
    assertThat(leftToFooterRead).isPositive();
  }

  /** The same file with a key-value entry {@code padding} of {@code value} in its footer. */
  private static byte[] withMetadata(byte[] file, String value) throws IOException {
    return TestFiles.withFooter(
        file,
        metadata -> metadata.addToKey_value_metadata(new KeyValue("padding").setValue(value)));
  }

  /** The same file with its footer saying every column chunk uses {@code codec}. */
  private static byte[] withCodec(byte[] file, CompressionCodec codec) throws IOException {
    return TestFiles.withFooter(
        file,
        metadata -> {
          for (RowGroup rowGroup : metadata.getRow_groups()) {
            for (ColumnChunk column : rowGroup.getColumns()) {
              column.getMeta_data().setCodec(codec);
            }
          }
        });
  }
}
