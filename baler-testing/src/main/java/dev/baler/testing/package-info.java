/**
 * Fixtures for Baler's tests: real servers started in process ({@link dev.baler.testing.S3Server})
 * and the contract suite every {@link dev.baler.storage.Storage} runs ({@link
 * dev.baler.testing.AbstractStorageTest}).
 *
 * <p>This module is used at test scope only; its code lives in {@code src/main} so that other
 * modules' tests can depend on it.
 */
package dev.baler.testing;
