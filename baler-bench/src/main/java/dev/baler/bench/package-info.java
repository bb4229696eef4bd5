/**
 * Benchmarks of Baler: the end-to-end benchmark that compacts one generated small-file data set
 * with the baler CLI and with peer tools (pyarrow, DuckDB, polars), each as a child process, and
 * reports wall time, peak memory and output shape as ratios between tools; JMH benchmarks live here
 * too. Nothing depends on this package.
 */
package dev.baler.bench;
