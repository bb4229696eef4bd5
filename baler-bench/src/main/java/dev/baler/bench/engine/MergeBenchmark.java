package dev.baler.bench.engine;

import dev.baler.parquet.MergeInput;
import dev.baler.parquet.MergeListener;
import dev.baler.parquet.MergeResult;
import dev.baler.parquet.ParquetMerger;
import dev.baler.parquet.WriteOptions;
import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The merge's hot loops: {@link EngineInputs#FILES} files of one column merged into one row group,
 * in memory, by page carry-over or dictionary merge where the inputs allow it ({@code CARRY_OVER})
 * or by decoding and encoding every value ({@code REENCODE}). The score is values per second, nulls
 * included; each merge also hashes every value for the row fingerprint.
 */
public class MergeBenchmark extends EngineBenchmark {
  @Param({"CARRY_OVER", "REENCODE"})
  WriteOptions.Pages pages;

  private final MemoryStorage storage = new MemoryStorage();
  private List<MergeInput> inputs;
  private ParquetMerger merger;

  /** Writes the input files. */
  @Setup
  public void setUp() throws IOException {
    inputs = EngineInputs.write(storage, column, codec);
    merger =
        new ParquetMerger(
            WriteOptions.builder()
                .codec(codec)
                .pages(pages)
                .rowGroupRows(EngineInputs.FILES * EngineInputs.ROWS)
                .build());
  }

  /** Merges the inputs into one file of one row group. */
  @Benchmark
  @OperationsPerInvocation(EngineInputs.FILES * EngineInputs.ROWS)
  public MergeResult merge() throws IOException {
    return merger.merge(
        inputs,
        storage.newOutputFile(Location.of("memory://bench/output.c.parquet")),
        MergeListener.NONE);
  }
}
