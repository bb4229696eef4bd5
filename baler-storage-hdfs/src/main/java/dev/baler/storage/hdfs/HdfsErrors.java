package dev.baler.storage.hdfs;

import dev.baler.storage.Location;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.hadoop.ipc.RemoteException;

/** Turns Hadoop's exceptions into {@link IOException}s that name the location. */
final class HdfsErrors {
  private HdfsErrors() {}

  /**
   * An exception saying that {@code action} ("read", "write", ...) failed for {@code location}, of
   * the same kind as {@code cause} where callers tell kinds apart: a missing file stays a {@link
   * FileNotFoundException}, an end of file an {@link EOFException}, an interrupt an {@link
   * InterruptedIOException}.
   */
  static IOException translate(String action, Location location, IOException cause) {
    IOException unwrapped = unwrap(cause);
    String message = "Cannot " + action + " " + location + ": " + describe(unwrapped);
    IOException translated;
    if (unwrapped instanceof FileNotFoundException) {
      translated = new FileNotFoundException(message);
    } else if (unwrapped instanceof EOFException) {
      translated = new EOFException(message);
    } else if (unwrapped instanceof InterruptedIOException) {
      translated = new InterruptedIOException(message);
    } else {
      return new IOException(message, cause);
    }
    translated.initCause(cause);
    return translated;
  }

  /** {@code File not found: location}, the message the other storages use. */
  static FileNotFoundException notFound(Location location, IOException cause) {
    var exception = new FileNotFoundException("File not found: " + location);
    exception.initCause(cause);
    return exception;
  }

  /** One line for a failure: the exception's simple class name and the first line of its text. */
  static String describe(Throwable failure) {
    Throwable shown = failure instanceof RemoteException remote ? unwrap(remote) : failure;
    String message = shown.getMessage();
    String name =
        shown instanceof RemoteException remote
            ? remote.getClassName().substring(remote.getClassName().lastIndexOf('.') + 1)
            : shown.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    int newline = message.indexOf('\n');
    return name + ": " + (newline < 0 ? message : message.substring(0, newline));
  }

  private static IOException unwrap(IOException failure) {
    if (failure instanceof RemoteException remote) {
      return remote.unwrapRemoteException(FileNotFoundException.class, EOFException.class);
    }
    return failure;
  }
}
