package dev.baler.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An iterator over listed files whose steps may fetch the next page of a listing and so may throw
 * {@link IOException}. Not thread-safe.
 */
public interface FileIterator {
  /** Whether another entry follows; may fetch the next page. */
  boolean hasNext() throws IOException;

  /**
   * The next entry.
   *
   * @throws java.util.NoSuchElementException if there is none
   */
  FileEntry next() throws IOException;

  /** Drains this iterator into a list; for listings that fit in memory. */
  default List<FileEntry> toList() throws IOException {
    List<FileEntry> entries = new ArrayList<>();
    while (hasNext()) {
      entries.add(next());
    }
    return entries;
  }

  /** An iterator over entries already in memory. */
  static FileIterator of(List<FileEntry> entries) {
    var iterator = List.copyOf(entries).iterator();
    return new FileIterator() {
      @Override
      public boolean hasNext() {
        return iterator.hasNext();
      }

      @Override
      public FileEntry next() {
        return iterator.next();
      }
    };
  }
}
