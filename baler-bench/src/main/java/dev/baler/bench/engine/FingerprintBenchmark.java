package dev.baler.bench.engine;

import dev.baler.parquet.Codec;
import dev.baler.parquet.MergeListener;
import dev.baler.parquet.ParquetMerger;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verification's hot loop: reading a merged file back and fingerprinting its rows, as a bin's
 * output is checked before anything of its inputs is touched. The score is values per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class FingerprintBenchmark {
  @Param({"INT64", "DOUBLE", "STRING_DICTIONARY", "STRING_UNIQUE"})
  EngineInputs.Column column;

  @Param({"SNAPPY", "ZSTD"})
  Codec codec;

  private InputFile merged;

  /** Writes the input files and merges them into the file to read back. */
  @Setup
  public void setUp() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location output = Location.of("memory://bench/output.c.parquet");
    new ParquetMerger(WriteOptions.builder().codec(codec).build())
        .merge(
            EngineInputs.write(storage, column, codec),
            storage.newOutputFile(output),
            MergeListener.NONE);
    merged = storage.newInputFile(output);
  }

  /** Reads the merged file back and fingerprints its rows. */
  @Benchmark
  @OperationsPerInvocation(EngineInputs.FILES * EngineInputs.ROWS)
  public RowFingerprint fingerprint() throws IOException {
    return RowFingerprint.of(merged);
  }
}
