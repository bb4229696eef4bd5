package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;

/**
 * A row group store of one column whose pages are in memory already, decompressed, for
 * parquet-java's column reader. Each {@link #getPageReader} call reads the pages from the first.
 */
final class PageList implements PageReadStore {
  private final ColumnDescriptor descriptor;
  private final DictionaryPage dictionary;
  private final List<DataPage> pages;
  private final long rows;

  /**
   * @param dictionary the column's dictionary page, or null
   * @param rows the number of rows the pages hold
   */
  PageList(
      ColumnDescriptor descriptor, DictionaryPage dictionary, List<DataPage> pages, long rows) {
    this.descriptor = requireNonNull(descriptor, "descriptor is null");
    this.dictionary = dictionary;
    this.pages = List.copyOf(pages);
    this.rows = rows;
  }

  @Override
  public PageReader getPageReader(ColumnDescriptor column) {
    if (!column.equals(descriptor)) {
      throw new IllegalArgumentException(
          "Cannot read column " + CarriedChunk.pathOf(column) + ": this store holds another");
    }
    long values = pages.stream().mapToLong(DataPage::getValueCount).sum();
    Iterator<DataPage> next = pages.iterator();
    return new PageReader() {
      @Override
      public DictionaryPage readDictionaryPage() {
        return dictionary;
      }

      @Override
      public long getTotalValueCount() {
        return values;
      }

      @Override
      public DataPage readPage() {
        return next.hasNext() ? next.next() : null;
      }
    };
  }

  @Override
  public long getRowCount() {
    return rows;
  }
}
