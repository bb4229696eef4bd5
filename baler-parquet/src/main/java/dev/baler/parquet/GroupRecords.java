package dev.baler.parquet;

import java.io.IOException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a file's records as parquet-java's example {@link Group}s, one row group in memory at a
 * time. Not thread-safe.
 */
final class GroupRecords {
  /** Takes the records, one at a time. */
  interface Sink {
    void accept(Group record) throws IOException;
  }

  private GroupRecords() {}

  /**
   * Passes every record of the file {@code reader} reads to {@code sink}, in file order.
   *
   * @return the records read
   */
  static long read(ParquetFileReader reader, Sink sink) throws IOException {
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
    long records = 0;
    PageReadStore rowGroup;
    while ((rowGroup = reader.readNextRowGroup()) != null) {
      RecordReader<Group> recordReader =
          columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
      long rows = rowGroup.getRowCount();
      for (long row = 0; row < rows; row++) {
        sink.accept(recordReader.read());
      }
      records += rows;
    }
    return records;
  }
}
