/**
 * Baler's storage on HDFS, built on Hadoop's {@code FileSystem} client.
 *
 * <p>{@link dev.baler.storage.hdfs.HdfsStorage} is the one public implementation, made with its
 * builder or, by URI scheme {@code hdfs}, through {@link
 * dev.baler.storage.hdfs.HdfsStorageProvider}. Hadoop stays inside this package: no Hadoop type
 * appears in a public signature, and Hadoop's exceptions are translated into {@link
 * java.io.IOException}s naming the {@code hdfs://} location.
 */
package dev.baler.storage.hdfs;
