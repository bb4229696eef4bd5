package dev.baler.storage;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;

/**
 * Thread factories for Baler's pools. Their threads are daemons, so that a pool a failed run leaves
 * behind never keeps the JVM from exiting, and named, so that thread dumps and profiles say whose
 * they are.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * A factory of daemon threads that all take {@code name}, such as {@code baler-footer}.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public static ThreadFactory named(String name) {
    requireNonNull(name, "name is null");
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
