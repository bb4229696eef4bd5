/**
 * Fixtures for Baler's tests: real servers started in process ({@link dev.baler.testing.S3Server},
 * and {@link dev.baler.testing.HdfsServer}, whose mini cluster modules add at test scope), the
 * contract suite every {@link dev.baler.storage.Storage} runs ({@link
 * dev.baler.testing.AbstractStorageTest}), small Parquet files written by pyarrow, DuckDB and
 * polars ({@link dev.baler.testing.Fixtures}), and an independent reader of row multisets and
 * schemas through DuckDB ({@link dev.baler.testing.DuckDbVerifier}, {@link
 * dev.baler.testing.RowMultiset}).
 *
 * <p>This module is used at test scope only; its code lives in {@code src/main} so that other
 * modules' tests can depend on it.
 */
package dev.baler.testing;
