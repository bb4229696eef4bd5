/**
 * Baler's storage on Amazon S3 and S3-compatible stores, built on the AWS SDK for Java v2.
 *
 * <p>{@link dev.baler.storage.s3.S3Storage} is the one public implementation, made with its builder
 * or, by URI scheme {@code s3}, through {@link dev.baler.storage.s3.S3StorageProvider}. The SDK
 * stays inside this package: no SDK type appears in a public signature, and SDK exceptions are
 * translated into {@link java.io.IOException}s naming the {@code s3://} location.
 */
package dev.baler.storage.s3;
