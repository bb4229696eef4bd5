package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baler.storage.Location;
import dev.baler.storage.MemoryStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.GeospatialStatistics;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.SortingColumn;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import shaded.parquet.org.apache.thrift.TBase;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.transport.TMemoryBuffer;

/**
 * Footers written byte by byte where Thrift's reader and {@link FooterLayouts}'s walk could part
 * ways: each is either left to {@link Footer#read} by the fast read or read as Footer.read reads
 * it. Found by a review of the walk; each failed before the fix it names.
 */
class FooterLayoutsTest {
  private final MemoryStorage storage = new MemoryStorage();

  /** A small file of two columns ({@link TestFiles#otherSchemaFile}). */
  private static byte[] base() throws IOException {
    return TestFiles.otherSchemaFile();
  }

  private static byte[] bytes(TBase<?, ?> struct) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(256);
    struct.write(new TCompactProtocol(buffer));
    return Arrays.copyOf(buffer.getArray(), buffer.length());
  }

  /** A list of structures: header byte(s) and each structure's bytes. */
  private static byte[] list(List<? extends TBase<?, ?>> elements) throws TException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (elements.size() < 15) {
      out.write(elements.size() << 4 | CompactProtocolReader.STRUCT);
    } else {
      out.write(0xF0 | CompactProtocolReader.STRUCT);
      varint(out, elements.size());
    }
    for (TBase<?, ?> element : elements) {
      out.writeBytes(bytes(element));
    }
    return out.toByteArray();
  }

  /** FileMetaData's first fields as Thrift writes them: version 1, the schema, num_rows. */
  private static void writeHead(ByteArrayOutputStream out, FileMetaData metadata)
      throws TException {
    field(out, CompactProtocolReader.I32, 1);
    varint(out, 2); // zigzag of 1
    field(out, CompactProtocolReader.LIST, 2);
    out.writeBytes(list(metadata.getSchema()));
    field(out, CompactProtocolReader.I64, 3);
    i64(out, metadata.getNum_rows());
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** A field header in long form: the type, then the id as a zigzag varint. */
  private static void field(ByteArrayOutputStream out, int type, int id) {
    out.write(type);
    varint(out, ((long) id << 1) ^ (id >> 31));
  }

  private static void i64(ByteArrayOutputStream out, long value) {
    varint(out, (value << 1) ^ (value >> 63));
  }

  private Optional<FooterLayouts.Read> fast(byte[] file, String name) throws IOException {
    return fast(new FooterLayouts(), file, name);
  }

  private Optional<FooterLayouts.Read> fast(FooterLayouts layouts, byte[] file, String name)
      throws IOException {
    Location location = Location.of("memory://review/" + name + ".parquet");
    storage.newOutputFile(location).write(file);
    return layouts.readFast(storage.newInputFile(location));
  }

  private Footer footerRead(String name) throws IOException {
    try {
      return Footer.read(storage.newInputFile(Location.of("memory://review/" + name + ".parquet")));
    } catch (InvalidParquetFileException refused) {
      return null;
    }
  }

  /**
   * The contract: empty, or exactly what Footer.read gives (and Footer.read does not refuse); for
   * planning's read and for a merge's ({@link InputFooterChecks}).
   */
  private void assertContract(byte[] file, String name) throws IOException {
    Optional<FooterLayouts.Read> fast = fast(file, name);
    Footer footer = footerRead(name);
    InputFooterChecks.assertReadsAsParquetJava(file, footer, name);
    if (fast.isEmpty()) {
      return;
    }
    assertThat(footer).as("Footer.read refuses what the fast read planned").isNotNull();
    assertThat(fast.get().layout()).isEqualTo(footer.layout());
    assertThat(fast.get().schema()).isEqualTo(footer.schema());
  }

  @Test
  void schemaBytesWithAndWithoutColumnOrdersAreKeptApartInTheCache() throws Exception {
    byte[] ordered = base();
    byte[] unordered = TestFiles.withFooter(ordered, metadata -> metadata.setColumn_orders(null));
    assertThat(TestFiles.footer(ordered).isSetColumn_orders()).isTrue();
    FooterLayouts layouts = new FooterLayouts();

    // the same schema's bytes, with column orders and without: two keys, each read as Footer.read
    for (String name : List.of("ordered", "unordered", "ordered-again", "unordered-again")) {
      byte[] file = name.startsWith("unordered") ? unordered : ordered;
      Optional<FooterLayouts.Read> fast = fast(layouts, file, name);
      assertThat(fast).as(name).isPresent();
      assertThat(fast.get().schema()).as(name).isEqualTo(footerRead(name).schema());
    }
  }

  /**
   * Thrift reads a union (TUnion) as one field and then one more field header, which it takes for
   * the stop byte without looking: a ColumnOrder of two fields ends, for Thrift, inside its second
   * field, whose value Thrift then reads as FileMetaData's next fields. The fast read skips the
   * union to its real stop byte and reads other row groups.
   */
  @Test
  void aColumnOrderOfTwoFieldsIsFramedAsThriftFramesIt() throws Exception {
    byte[] file = base();
    FileMetaData metadata = TestFiles.footer(file);
    List<RowGroup> other = new ArrayList<>();
    for (RowGroup rowGroup : metadata.getRow_groups()) {
      other.add(rowGroup.deepCopy().setNum_rows(rowGroup.getNum_rows() + 1000));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, metadata);
    field(out, CompactProtocolReader.LIST, 7); // column orders, one per leaf
    int leaves = metadata.getColumn_orders().size();
    out.write(leaves << 4 | CompactProtocolReader.STRUCT);
    for (int i = 0; i < leaves - 1; i++) {
      out.writeBytes(bytes(metadata.getColumn_orders().get(i)));
    }
    // the last ColumnOrder: TYPE_ORDER, then a field 2 (a structure) holding row_groups
    out.write(0x1C); // field 1, struct
    out.write(0x00); // TypeDefinedOrder's stop
    out.write(0x2C); // field 2, struct: Thrift takes this byte for the union's stop
    field(
        out,
        CompactProtocolReader.LIST,
        4); // inside field 2 for the fast read; FileMetaData's row_groups for Thrift
    out.writeBytes(list(metadata.getRow_groups()));
    out.write(0x00); // field 2's stop for the fast read; FileMetaData's stop for Thrift
    out.write(0x00); // the union's stop for the fast read
    field(out, CompactProtocolReader.LIST, 4); // row_groups, for the fast read only
    out.writeBytes(list(other));
    out.write(0x00);

    assertContract(TestFiles.withRawFooter(file, out.toByteArray()), "union");
  }

  /**
   * Thrift keeps field ids as shorts: a long-form id of 65539 is id 3 to Thrift (RowGroup's
   * num_rows, here given a second time), but an unknown id to the fast read, which keeps the first.
   */
  @Test
  void aFieldIdBeyondAShortIsTruncatedAsThriftTruncatesIt() throws Exception {
    byte[] file = base();
    FileMetaData metadata = TestFiles.footer(file);
    List<byte[]> rowGroups = new ArrayList<>();
    for (RowGroup rowGroup : metadata.getRow_groups()) {
      byte[] plain = bytes(rowGroup);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(plain, 0, plain.length - 1); // without its stop
      field(out, CompactProtocolReader.I64, 65536 + 3);
      i64(out, rowGroup.getNum_rows() + 1000);
      out.write(0x00);
      rowGroups.add(out.toByteArray());
    }
    FileMetaData without = metadata.deepCopy();
    without.setRow_groups(List.of());
    byte[] rest = bytes(without); // row_groups (field 4) is an empty list here: replace it
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(rest, 0, rest.length - 1);
    field(out, CompactProtocolReader.LIST, 4);
    out.write(rowGroups.size() << 4 | CompactProtocolReader.STRUCT);
    for (byte[] rowGroup : rowGroups) {
      out.writeBytes(rowGroup);
    }
    out.write(0x00);

    assertContract(TestFiles.withRawFooter(file, out.toByteArray()), "short-id");
  }

  /**
   * column_orders given twice, the second time with another type: Thrift keeps the first list (it
   * skips a field of the wrong type), the fast read forgets it and converts the schema without
   * column orders.
   */
  @Test
  void columnOrdersFollowedByAFieldSevenOfAnotherTypeKeepTheOrders() throws Exception {
    byte[] file = base();
    FileMetaData metadata = TestFiles.footer(file);
    List<ColumnOrder> undefined = new ArrayList<>();
    for (int i = 0; i < metadata.getSchema().size() - 1; i++) {
      undefined.add(new ColumnOrder()); // no member set: parquet-java's undefined order
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, metadata);
    field(out, CompactProtocolReader.LIST, 4);
    out.writeBytes(list(metadata.getRow_groups()));
    field(out, CompactProtocolReader.LIST, 7);
    // ColumnOrder with an unknown member (field 5, an empty structure): Thrift reads it as unset,
    // parquet-java as the undefined order
    out.write(undefined.size() << 4 | CompactProtocolReader.STRUCT);
    for (int i = 0; i < undefined.size(); i++) {
      out.write(0x5C);
      out.write(0x00);
      out.write(0x00);
    }
    field(out, CompactProtocolReader.I32, 7); // field 7 again, an i32: Thrift skips it
    varint(out, 0);
    out.write(0x00);

    assertContract(TestFiles.withRawFooter(file, out.toByteArray()), "orders-twice");
  }

  /**
   * One column chunk with file_path and another without: parquet-java refuses the footer ("all
   * column chunks of the same row group must be in the same file"), the fast read skips file_path.
   */
  @Test
  void aRowGroupWhoseChunksDisagreeOnFilePathIsLeftToFooterRead() throws Exception {
    byte[] file =
        TestFiles.withFooter(
            base(),
            metadata -> metadata.getRow_groups().get(0).getColumns().get(1).setFile_path("x"));

    assertContract(file, "file-path");
  }

  /**
   * A schema of no columns and a row group of no column chunks: parquet-java takes the row group's
   * first chunk for its file path (IndexOutOfBounds); the fast read finds 0 = 0 columns.
   */
  @Test
  void aRowGroupOfNoColumnsIsLeftToFooterRead() throws Exception {
    byte[] file = base();
    FileMetaData empty =
        new FileMetaData(
            1,
            List.of(new SchemaElement("m").setNum_children(0)),
            5,
            List.of(new RowGroup(List.of(), 0, 5)));
    assertContract(TestFiles.withRawFooter(file, bytes(empty)), "no-columns");
  }

  /** Asserts that a merge's walk reads the file, and reads it as parquet-java does. */
  private void assertMergeWalkReads(byte[] file, String name) throws IOException {
    storage.newOutputFile(Location.of("memory://review/" + name + ".parquet")).write(file);
    assertThat(InputFooterChecks.assertReadsAsParquetJava(file, footerRead(name), name))
        .as("%s: read by the walk", name)
        .isTrue();
  }

  /** The same file with its first column chunk's metadata changed by {@code change}. */
  private static byte[] withFirstChunk(byte[] file, Consumer<ColumnMetaData> change)
      throws IOException {
    return TestFiles.withFooter(
        file,
        metadata ->
            change.accept(metadata.getRow_groups().get(0).getColumns().get(0).getMeta_data()));
  }

  private static PageEncodingStats pages(PageType type, Encoding encoding) {
    return new PageEncodingStats(type, encoding, 1);
  }

  /**
   * Encoding statistics decide which chunks may have their dictionaries merged or be carried over:
   * the walk reads them as parquet-java's {@code EncodingStats} does, down to its counting data
   * pages in both dictionary encodings as pages of another encoding, and its ignoring index pages.
   */
  @Test
  void theMergesWalkReadsEncodingStatisticsAsParquetJavaDoes() throws Exception {
    PageEncodingStats dictionary = pages(PageType.DICTIONARY_PAGE, Encoding.PLAIN);
    Map<String, List<PageEncodingStats>> variants = new LinkedHashMap<>();
    variants.put(
        "both-dictionary-encodings",
        List.of(
            dictionary,
            pages(PageType.DATA_PAGE, Encoding.PLAIN_DICTIONARY),
            pages(PageType.DATA_PAGE, Encoding.RLE_DICTIONARY)));
    variants.put(
        "plain-dictionary",
        List.of(dictionary, pages(PageType.DATA_PAGE, Encoding.PLAIN_DICTIONARY)));
    variants.put("v2", List.of(dictionary, pages(PageType.DATA_PAGE_V2, Encoding.RLE_DICTIONARY)));
    variants.put(
        "index-page",
        List.of(
            dictionary,
            pages(PageType.INDEX_PAGE, Encoding.PLAIN),
            pages(PageType.DATA_PAGE, Encoding.RLE_DICTIONARY)));
    variants.put(
        "fallen-back",
        List.of(
            dictionary,
            pages(PageType.DATA_PAGE, Encoding.RLE_DICTIONARY),
            pages(PageType.DATA_PAGE, Encoding.PLAIN)));
    variants.put("no-data-pages", List.of(dictionary));
    for (var variant : variants.entrySet()) {
      assertMergeWalkReads(
          withFirstChunk(base(), chunk -> chunk.setEncoding_stats(variant.getValue())),
          variant.getKey());
      assertMergeWalkReads(
          withFirstChunk(
              TestFiles.plainFile(), chunk -> chunk.setEncoding_stats(variant.getValue())),
          "plain-" + variant.getKey());
    }
    // without encoding statistics, the list of encodings tells
    assertMergeWalkReads(
        withFirstChunk(base(), chunk -> chunk.setEncoding_stats(null)), "no-stats");
    assertMergeWalkReads(
        withFirstChunk(TestFiles.plainFile(), chunk -> chunk.setEncoding_stats(null)),
        "plain-no-stats");
    assertMergeWalkReads(
        withFirstChunk(
            TestFiles.plainFile(),
            chunk ->
                chunk
                    .setEncoding_stats(null)
                    .setEncodings(List.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY))),
        "plain-listing-a-dictionary");
  }

  /**
   * Statistics of chunks that may be carried over are converted by parquet-java, which falls back
   * on the deprecated min and max fields only where their sort order is signed or they are equal,
   * and then not for a binary column written by parquet-mr before 1.8 or by an unnamed writer
   * (PARQUET-251): each writer with each kind of bounds.
   */
  @Test
  void theMergesWalkConvertsStatisticsAsParquetJavaDoes() throws Exception {
    Map<String, Consumer<FileMetaData>> writers = new LinkedHashMap<>();
    writers.put("parquet-mr", metadata -> {});
    writers.put("old-parquet-mr", metadata -> metadata.setCreated_by("parquet-mr version 1.6.0"));
    writers.put("unnamed", FileMetaData::unsetCreated_by);
    Map<String, Consumer<Statistics>> bounds = new LinkedHashMap<>();
    bounds.put("bounds", statistics -> {});
    bounds.put(
        "deprecated-bounds",
        statistics -> {
          statistics.setMin(statistics.getMin_value()).setMax(statistics.getMax_value());
          statistics.unsetMin_value();
          statistics.unsetMax_value();
        });
    bounds.put(
        "equal-deprecated-bounds",
        statistics -> {
          statistics.setMin(statistics.getMax_value()).setMax(statistics.getMax_value());
          statistics.unsetMin_value();
          statistics.unsetMax_value();
        });
    bounds.put("no-null-count", Statistics::unsetNull_count);
    for (var writer : writers.entrySet()) {
      for (var bound : bounds.entrySet()) {
        byte[] file =
            TestFiles.withFooter(
                TestFiles.plainFile(),
                metadata -> {
                  writer.getValue().accept(metadata);
                  for (ColumnChunk chunk : metadata.getRow_groups().get(0).getColumns()) {
                    bound.getValue().accept(chunk.getMeta_data().getStatistics());
                  }
                });
        assertMergeWalkReads(file, writer.getKey() + "-" + bound.getKey());
      }
    }
    assertMergeWalkReads(
        withFirstChunk(TestFiles.plainFile(), ColumnMetaData::unsetStatistics), "no-statistics");
  }

  /**
   * Key-value metadata as parquet-java keeps it: a pair without a value, and of two pairs with one
   * key the later. A pair without a key Thrift refuses, and the walk leaves it to parquet-java.
   */
  @Test
  void theMergesWalkReadsKeyValueMetadataAsParquetJavaDoes() throws Exception {
    assertMergeWalkReads(
        TestFiles.withFooter(
            base(),
            metadata -> {
              metadata.addToKey_value_metadata(new KeyValue("empty"));
              metadata.addToKey_value_metadata(new KeyValue("twice").setValue("first"));
              metadata.addToKey_value_metadata(new KeyValue("twice").setValue("second"));
            }),
        "pairs");

    byte[] keyless =
        TestFiles.withFooter(
            base(), metadata -> metadata.addToKey_value_metadata(new KeyValue("lost")));
    // the pair's key field (1, a string) becomes field 3, which KeyValue does not have
    int at = indexOf(keyless, "lost".getBytes(StandardCharsets.UTF_8)) - 2;
    assertThat(keyless[at]).isEqualTo((byte) 0x18);
    keyless[at] = 0x38;
    storage.newOutputFile(Location.of("memory://review/keyless.parquet")).write(keyless);
    assertThat(footerRead("keyless")).as("Footer.read refuses it").isNull();
    assertThat(InputFooterChecks.assertReadsAsParquetJava(keyless, null, "keyless")).isFalse();
  }

  /** A column index needs both its offset and its length, as parquet-java takes it. */
  @Test
  void theMergesWalkTakesAColumnIndexOnlyWithItsOffsetAndLength() throws Exception {
    byte[] plain = TestFiles.plainFile();
    assertThat(
            TestFiles.footer(plain)
                .getRow_groups()
                .get(0)
                .getColumns()
                .get(0)
                .isSetColumn_index_offset())
        .isTrue();
    assertMergeWalkReads(
        TestFiles.withFooter(
            plain,
            metadata ->
                metadata.getRow_groups().get(0).getColumns().get(0).unsetColumn_index_length()),
        "index-without-length");
  }

  /**
   * A statistics bound shorter than parquet-java reads it (an INT64's of two bytes) fails
   * parquet-java's conversion of the statistics, which it makes for every chunk: such a footer is
   * left to it, by planning's walk and by a merge's whatever codec decides which chunks may be
   * carried (before, a merge into another codec than the chunk's took the file). Found by review.
   */
  @Test
  void aStatisticsBoundShorterThanParquetJavaReadsItIsLeftToIt() throws Exception {
    for (boolean deprecated : new boolean[] {false, true}) {
      byte[] file =
          withFirstChunk(
              TestFiles.plainFile(),
              chunk -> {
                Statistics statistics = chunk.getStatistics();
                if (deprecated) {
                  statistics.unsetMin_value();
                  statistics.unsetMax_value();
                  statistics.setMin(new byte[] {1, 2}).setMax(new byte[] {3, 4});
                } else {
                  statistics.setMin_value(new byte[] {1, 2}).setMax_value(new byte[] {3, 4});
                }
              });
      String name = deprecated ? "short-deprecated-bounds" : "short-bounds";

      assertContract(file, name);

      assertThat(fast(file, name)).as(name).isEmpty();
      assertThat(InputFooterChecks.assertReadsAsParquetJava(file, footerRead(name), name))
          .as(name)
          .isFalse();
    }
    assertThat(footerRead("short-bounds")).as("Footer.read refuses it").isNull();
  }

  /**
   * Sorting columns, geospatial statistics and a column's key-value metadata are not kept, but
   * parquet-java reads them: one that Thrift refuses (a sorting column without nulls_first, a pair
   * without its key), and geospatial statistics, whose conversion the walk does not follow, are
   * left to it. Sorting columns as Thrift writes them are read.
   */
  @Test
  void whatParquetJavaReadsOfTheSkippedPartsIsLeftToIt() throws Exception {
    byte[] sorted =
        TestFiles.withFooter(
            TestFiles.plainFile(),
            metadata ->
                metadata
                    .getRow_groups()
                    .get(0)
                    .setSorting_columns(List.of(new SortingColumn(0, false, true))));
    assertContract(sorted, "sorted");
    assertMergeWalkReads(sorted, "sorted");

    // SortingColumn(0, false, true): column_idx i32 0, descending false, nulls_first true; the
    // last field's header (id 3, boolean true: 0x11) becomes a field 4, which SortingColumn lacks
    byte[] unsorted = sorted.clone();
    int at = indexOf(unsorted, new byte[] {0x15, 0x00, 0x12, 0x11, 0x00});
    unsorted[at + 3] = 0x21;
    byte[] keyless =
        withFirstChunk(
            TestFiles.plainFile(),
            chunk -> chunk.addToKey_value_metadata(new KeyValue("chunk-key-to-lose")));
    int key = indexOf(keyless, "chunk-key-to-lose".getBytes(StandardCharsets.UTF_8)) - 2;
    assertThat(keyless[key]).isEqualTo((byte) 0x18);
    keyless[key] = 0x38;
    byte[] geospatial =
        withFirstChunk(
            TestFiles.plainFile(),
            chunk -> chunk.setGeospatial_statistics(new GeospatialStatistics()));
    Map<String, byte[]> left =
        Map.of("unsorted", unsorted, "chunk-keyless", keyless, "geospatial", geospatial);
    for (var file : left.entrySet()) {
      assertContract(file.getValue(), file.getKey());
      assertThat(
              InputFooterChecks.assertReadsAsParquetJava(
                  file.getValue(), footerRead(file.getKey()), file.getKey()))
          .as(file.getKey())
          .isFalse();
    }
    assertThat(footerRead("unsorted")).as("Footer.read refuses it").isNull();
    assertThat(footerRead("chunk-keyless")).as("Footer.read refuses it").isNull();
  }

  /**
   * The walk takes the row groups in one pass where they follow the schema, as writers write them,
   * and after the footer's last field where they come first; a schema given again after the row
   * groups it walked leaves the footer to parquet-java, as the paths it walked them with may not be
   * the schema Thrift keeps.
   */
  @Test
  void rowGroupsBeforeTheSchemaOrASchemaAfterThemAreReadAsThriftReadsThem() throws Exception {
    byte[] file = TestFiles.plainFile();
    FileMetaData metadata = TestFiles.footer(file);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    field(first, CompactProtocolReader.I32, 1);
    varint(first, 2);
    field(first, CompactProtocolReader.LIST, 4);
    first.writeBytes(list(metadata.getRow_groups()));
    field(first, CompactProtocolReader.LIST, 2);
    first.writeBytes(list(metadata.getSchema()));
    field(first, CompactProtocolReader.I64, 3);
    i64(first, metadata.getNum_rows());
    field(first, CompactProtocolReader.LIST, 7);
    first.writeBytes(list(metadata.getColumn_orders()));
    first.write(0x00);
    byte[] rowGroupsFirst = TestFiles.withRawFooter(file, first.toByteArray());

    assertContract(rowGroupsFirst, "row-groups-first");
    assertThat(fast(rowGroupsFirst, "row-groups-first")).isPresent();
    assertMergeWalkReads(rowGroupsFirst, "row-groups-first");

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    writeHead(again, metadata);
    field(again, CompactProtocolReader.LIST, 4);
    again.writeBytes(list(metadata.getRow_groups()));
    // the same schema with its first column renamed: Thrift keeps it, and the chunks' paths then
    // name a column it does not have
    List<SchemaElement> renamed = new ArrayList<>();
    for (SchemaElement element : metadata.getSchema()) {
      renamed.add(
          element.getName().equals("status") ? element.deepCopy().setName("state") : element);
    }
    field(again, CompactProtocolReader.LIST, 2);
    again.writeBytes(list(renamed));
    again.write(0x00);
    byte[] schemaAgain = TestFiles.withRawFooter(file, again.toByteArray());

    assertContract(schemaAgain, "schema-again");
    assertThat(fast(schemaAgain, "schema-again")).isEmpty();
    assertThat(footerRead("schema-again")).as("Footer.read refuses it").isNull();
  }

  /**
   * A structure's bytes with {@code fields} (field headers and values, as {@link #field} and the
   * like write them) added after its own, before its stop byte: a field given twice, as Thrift
   * reads but does not write.
   */
  private static byte[] withFields(TBase<?, ?> struct, byte[] fields) throws TException {
    byte[] own = bytes(struct);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(own, 0, own.length - 1);
    out.writeBytes(fields);
    out.write(0x00);
    return out.toByteArray();
  }

  /**
   * The file with its footer rewritten, field by field as Thrift writes them, so that its first row
   * group's first column chunk's ColumnMetaData ends with {@code fields}, and the footer with
   * {@code footerFields}.
   */
  private static byte[] withRawFields(byte[] file, byte[] fields, byte[] footerFields)
      throws Exception {
    FileMetaData metadata = TestFiles.footer(file);
    RowGroup rowGroup = metadata.getRow_groups().get(0);
    ColumnChunk chunk = rowGroup.getColumns().get(0);
    ByteArrayOutputStream metaData = new ByteArrayOutputStream();
    field(metaData, CompactProtocolReader.STRUCT, 3);
    metaData.writeBytes(withFields(chunk.getMeta_data(), fields));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.LIST, 1); // columns
    out.write(rowGroup.getColumns().size() << 4 | CompactProtocolReader.STRUCT);
    out.writeBytes(withFields(chunk.deepCopy().setMeta_data(null), metaData.toByteArray()));
    for (ColumnChunk other : rowGroup.getColumns().subList(1, rowGroup.getColumns().size())) {
      out.writeBytes(bytes(other));
    }
    field(out, CompactProtocolReader.I64, 2);
    i64(out, rowGroup.getTotal_byte_size());
    field(out, CompactProtocolReader.I64, 3);
    i64(out, rowGroup.getNum_rows());
    out.write(0x00);
    byte[] rowGroupBytes = out.toByteArray();

    out = new ByteArrayOutputStream();
    writeHead(out, metadata);
    field(out, CompactProtocolReader.LIST, 4);
    out.write(metadata.getRow_groups().size() << 4 | CompactProtocolReader.STRUCT);
    out.writeBytes(rowGroupBytes);
    for (RowGroup other : metadata.getRow_groups().subList(1, metadata.getRow_groups().size())) {
      out.writeBytes(bytes(other));
    }
    if (metadata.isSetKey_value_metadata()) {
      field(out, CompactProtocolReader.LIST, 5);
      out.writeBytes(list(metadata.getKey_value_metadata()));
    }
    byte[] writer = metadata.getCreated_by().getBytes(StandardCharsets.UTF_8);
    field(out, CompactProtocolReader.BINARY, 6);
    varint(out, writer.length);
    out.writeBytes(writer);
    field(out, CompactProtocolReader.LIST, 7);
    out.writeBytes(list(metadata.getColumn_orders()));
    out.writeBytes(footerFields);
    out.write(0x00);
    return TestFiles.withRawFooter(file, out.toByteArray());
  }

  /**
   * Fields a merge's walk reads, given a second time, the later of another type, or of the right
   * type after a first of another: Thrift keeps the last of the right type and skips the others,
   * and so must the walk. Each footer is read by the walk as parquet-java reads it.
   */
  @Test
  void theMergesWalkReadsFieldsGivenTwiceAsThriftDoes() throws Exception {
    byte[] plain = TestFiles.plainFile();
    ColumnMetaData chunk =
        TestFiles.footer(plain).getRow_groups().get(0).getColumns().get(0).getMeta_data();
    assertMergeWalkReads(withRawFields(plain, new byte[0], new byte[0]), "rewritten");
    Map<String, byte[]> chunkFields = new LinkedHashMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.I32, 4); // codec again: SNAPPY (1) where it was UNCOMPRESSED
    varint(out, 2);
    chunkFields.put("codec-again", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.LIST, 2); // encodings again, with a dictionary encoding
    out.write(2 << 4 | CompactProtocolReader.I32);
    varint(out, 2 * Encoding.PLAIN.getValue());
    varint(out, 2 * Encoding.RLE_DICTIONARY.getValue());
    chunkFields.put("encodings-again", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.LIST, 13); // encoding statistics again: a dictionary page
    out.writeBytes(list(List.of(pages(PageType.DICTIONARY_PAGE, Encoding.PLAIN))));
    chunkFields.put("encoding-stats-again", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.STRUCT, 12); // statistics again: no null count
    Statistics noNullCount = chunk.getStatistics().deepCopy();
    noNullCount.unsetNull_count();
    out.writeBytes(bytes(noNullCount));
    chunkFields.put("statistics-again", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.I32, 12); // statistics again, as an i32: skipped
    varint(out, 0);
    chunkFields.put("statistics-of-another-type", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.I64, 11); // a dictionary page after the first data page
    i64(out, chunk.getData_page_offset() + 1);
    chunkFields.put("dictionary-after-data", out.toByteArray());
    for (var fields : chunkFields.entrySet()) {
      assertMergeWalkReads(withRawFields(plain, fields.getValue(), new byte[0]), fields.getKey());
    }
    // the same fields given again on a chunk whose first ones say it has a dictionary: the later
    // ones take it away, which only a walk that replaces what it read, rather than adds to it, sees
    byte[] listed =
        withFirstChunk(
            plain,
            first ->
                first
                    .setEncoding_stats(null)
                    .setEncodings(List.of(Encoding.PLAIN_DICTIONARY, Encoding.RLE)));
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.LIST, 2); // encodings again, without a dictionary encoding
    out.write(2 << 4 | CompactProtocolReader.I32);
    varint(out, 2 * Encoding.PLAIN.getValue());
    varint(out, 2 * Encoding.RLE.getValue());
    assertMergeWalkReads(
        withRawFields(listed, out.toByteArray(), new byte[0]), "dictionary-encodings-again");
    byte[] counted =
        withFirstChunk(
            plain,
            first ->
                first.setEncoding_stats(
                    List.of(
                        pages(PageType.DICTIONARY_PAGE, Encoding.PLAIN),
                        pages(PageType.DATA_PAGE, Encoding.RLE_DICTIONARY))));
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.LIST, 13); // encoding statistics again: plain data pages
    out.writeBytes(list(List.of(pages(PageType.DATA_PAGE, Encoding.PLAIN))));
    assertMergeWalkReads(
        withRawFields(counted, out.toByteArray(), new byte[0]), "dictionary-stats-again");

    Map<String, byte[]> footerFields = new LinkedHashMap<>();
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.I32, 6); // created_by as an i32: skipped, the first kept
    varint(out, 0);
    footerFields.put("writer-of-another-type", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.BINARY, 6); // created_by again: the later kept
    byte[] writer = "parquet-mr version 1.6.0".getBytes(StandardCharsets.UTF_8);
    varint(out, writer.length);
    out.writeBytes(writer);
    footerFields.put("writer-again", out.toByteArray());
    out = new ByteArrayOutputStream();
    field(out, CompactProtocolReader.I64, 5); // key_value_metadata as an i64: skipped
    i64(out, 7);
    footerFields.put("key-values-of-another-type", out.toByteArray());
    for (var fields : footerFields.entrySet()) {
      assertMergeWalkReads(withRawFields(plain, new byte[0], fields.getValue()), fields.getKey());
    }
  }

  /**
   * A footer's row group count is its own word: one that claims 200,000 row groups of 2,000
   * columns, with bytes enough for the count but not for the row groups, is left to parquet-java
   * without the walk making room for 400 million chunks first (1.6 GB; a larger claim ran a merge
   * out of memory, found by review).
   */
  @Test
  void aRowGroupCountTheBytesCannotHoldMakesNoRoomForItsChunks() throws Exception {
    List<SchemaElement> schema = new ArrayList<>();
    schema.add(new SchemaElement("wide").setNum_children(2000));
    for (int column = 0; column < 2000; column++) {
      schema.add(
          new SchemaElement("c" + column)
              .setType(org.apache.parquet.format.Type.INT32)
              .setRepetition_type(org.apache.parquet.format.FieldRepetitionType.OPTIONAL));
    }
    FileMetaData metadata = new FileMetaData(1, schema, 0, List.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, metadata);
    field(out, CompactProtocolReader.LIST, 4);
    out.write(0xF0 | CompactProtocolReader.STRUCT);
    varint(out, 200_000);
    out.write(new byte[200_000], 0, 200_000); // as many empty structures: no columns, no rows
    out.write(0x00);
    byte[] file = TestFiles.withRawFooter(base(), out.toByteArray());
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();

    long before = threads.getThreadAllocatedBytes(thread);
    Optional<InputFooter> read =
        new FooterLayouts().readInput(file, file.length, CompressionCodecName.SNAPPY);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(read).isEmpty();
    assertThat(allocated).as("bytes allocated").isLessThan(64L << 20);
  }

  /** row_groups given twice after the schema: Thrift keeps the later list, and so does the walk. */
  @Test
  void rowGroupsGivenTwiceAreTakenFromTheLaterList() throws Exception {
    byte[] file = TestFiles.plainFile();
    FileMetaData metadata = TestFiles.footer(file);
    List<RowGroup> other = new ArrayList<>();
    for (RowGroup rowGroup : metadata.getRow_groups()) {
      other.add(rowGroup.deepCopy().setNum_rows(rowGroup.getNum_rows() + 1000));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHead(out, metadata);
    field(out, CompactProtocolReader.LIST, 4);
    out.writeBytes(list(other));
    field(out, CompactProtocolReader.LIST, 4);
    out.writeBytes(list(metadata.getRow_groups()));
    field(out, CompactProtocolReader.LIST, 7);
    out.writeBytes(list(metadata.getColumn_orders()));
    out.write(0x00);
    byte[] twice = TestFiles.withRawFooter(file, out.toByteArray());

    assertContract(twice, "row-groups-twice");
    assertThat(fast(twice, "row-groups-twice").orElseThrow().layout().rows())
        .isEqualTo(metadata.getNum_rows());
    assertMergeWalkReads(twice, "row-groups-twice");
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
