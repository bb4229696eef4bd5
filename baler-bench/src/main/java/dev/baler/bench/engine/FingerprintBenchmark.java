package dev.baler.bench.engine;

import dev.baler.parquet.MergeListener;
import dev.baler.parquet.MergeResult;
import dev.baler.parquet.ParquetMerger;
import dev.baler.parquet.RowFingerprint;
import dev.baler.parquet.VerbatimChunks;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.InputFile;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * Verification's hot loop: reading a merged file back and fingerprinting its rows, as a bin's
 * output is checked before anything of its inputs is touched: every value decoded and hashed
 * ({@link #fingerprint}), and as the verification takes it, with the chunks the merge copied
 * verbatim digested by their pages' bytes ({@link #verify}; the same as {@link #fingerprint} where
 * the merge copied none). The score is values per second.
 */
public class FingerprintBenchmark extends EngineBenchmark {
  private InputFile merged;
  private VerbatimChunks verbatim;

  /** Writes the input files and merges them into the file to read back. */
  @Setup
  public void setUp() throws IOException {
    MemoryStorage storage = new MemoryStorage();
    Location output = Location.of("memory://bench/output.c.parquet");
    MergeResult result =
        new ParquetMerger(WriteOptions.builder().codec(codec).build())
            .merge(
                EngineInputs.write(storage, column, codec),
                storage.newOutputFile(output),
                MergeListener.NONE);
    merged = storage.newInputFile(output);
    verbatim = result.verbatim();
  }

  /** Reads the merged file back and fingerprints its rows. */
  @Benchmark
  @OperationsPerInvocation(EngineInputs.FILES * EngineInputs.ROWS)
  public RowFingerprint fingerprint() throws IOException {
    return RowFingerprint.of(merged);
  }

  /** Reads the merged file back as a bin's verification does, verbatim chunks by their bytes. */
  @Benchmark
  @OperationsPerInvocation(EngineInputs.FILES * EngineInputs.ROWS)
  public RowFingerprint verify() throws IOException {
    return RowFingerprint.of(merged, ParquetMerger.DEFAULT_WINDOW_BYTES, verbatim);
  }
}
