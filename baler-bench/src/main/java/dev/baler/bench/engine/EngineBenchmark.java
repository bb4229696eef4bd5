package dev.baler.bench.engine;

import dev.baler.parquet.Codec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine benchmarks share: their JMH settings (values per second; 1 fork, 2 warm-up and 2
 * measured iterations of 1 s) and their parameters, the column's type and the codec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public abstract class EngineBenchmark {
  /** The column of the input files. */
  @Param({
    "INT64",
    "DOUBLE",
    "STRING_DICTIONARY",
    "STRING_UNIQUE",
    "STRING_REPEATING_PLAIN",
    "STRING_LIST_DICTIONARY"
  })
  public EngineInputs.Column column;

  /** The codec of the input files and of the output. */
  @Param({"SNAPPY", "ZSTD"})
  public Codec codec;
}
