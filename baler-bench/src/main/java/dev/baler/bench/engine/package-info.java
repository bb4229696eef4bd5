/**
 * JMH benchmarks of the engine's hot loops: merging and fingerprinting one column of a given type
 * and codec, in values per second. Run them with {@code baler-bench/jmh}.
 */
package dev.baler.bench.engine;
