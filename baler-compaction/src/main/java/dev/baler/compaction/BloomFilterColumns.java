package dev.baler.compaction;

import dev.baler.parquet.Footer;
import dev.baler.parquet.ParquetSchemas;
import dev.baler.storage.Storage;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** The check that the columns asked to have bloom filters are leaf columns of the data. */
final class BloomFilterColumns {
  private BloomFilterColumns() {}

  /**
   * Refuses a bloom filter column that no bin's schema has. A column that only some schemas have
   * gets filters in the outputs of those. Reads one footer per distinct schema of the plan's bins,
   * and none when no bloom filter is asked for or there are no bins.
   *
   * @throws IllegalArgumentException naming the unknown column and the leaf columns that may have a
   *     bloom filter
   * @throws IOException if a footer cannot be read
   */
  static void check(Storage storage, CompactionPlan plan, CompactionOptions options)
      throws IOException {
    Set<String> asked = options.writeOptions().bloomFilterColumns();
    if (asked.isEmpty() || plan.bins().isEmpty()) {
      return;
    }
    Set<String> schemas = new HashSet<>();
    Set<String> known = new LinkedHashSet<>();
    for (Bin bin : plan.bins()) {
      InputEntry first = bin.inputs().get(0);
      if (schemas.add(first.layout().schemaKey())) {
        Footer footer = Footer.read(storage.newInputFile(first.location(), first.length()));
        known.addAll(ParquetSchemas.bloomFilterColumns(footer.schema()));
      }
    }
    for (String column : asked.stream().sorted().toList()) {
      if (!known.contains(column)) {
        throw new IllegalArgumentException(
            "Unknown bloom filter column '"
                + column
                + "': the leaf columns that may have one are "
                + String.join(", ", known));
      }
    }
  }
}
