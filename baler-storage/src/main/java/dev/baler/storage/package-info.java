/**
 * Baler's storage SPI: where Parquet files live and how they are listed, read, written and deleted.
 *
 * <p>{@link dev.baler.storage.Storage} is deliberately small. It has one implementation per kind of
 * store ({@link dev.baler.storage.LocalStorage}, {@link dev.baler.storage.MemoryStorage}, and S3
 * and HDFS in their own modules), found through {@link dev.baler.storage.Storages} by URI scheme.
 * Where blob stores and file systems behave differently, the interface says so.
 */
package dev.baler.storage;
