package dev.baler.compaction;

import static java.util.Objects.requireNonNull;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Function;

/**
 * A read-only view of a list whose elements are made from another's as they are read, so that a bin
 * of tens of thousands of small files keeps no second list of their locations or names while it
 * runs. Each read calls the function again: it should be cheap. As thread-safe as the list viewed
 * and the function.
 */
final class MappedList<T, R> extends AbstractList<R> {
  private final List<T> source;
  private final Function<? super T, ? extends R> mapping;

  private MappedList(List<T> source, Function<? super T, ? extends R> mapping) {
    this.source = requireNonNull(source, "source is null");
    this.mapping = requireNonNull(mapping, "mapping is null");
  }

  /** {@code source} seen through {@code mapping}, element by element, in its order. */
  static <T, R> List<R> of(List<T> source, Function<? super T, ? extends R> mapping) {
    return new MappedList<>(source, mapping);
  }

  @Override
  public R get(int index) {
    return mapping.apply(source.get(index));
  }

  @Override
  public int size() {
    return source.size();
  }
}
