/**
 * Baler's Parquet engine: footers, codecs, write options, row fingerprints, and the column-level
 * merge that compaction runs on.
 *
 * <p>The engine works on columns, not records: {@link dev.baler.parquet.ParquetMerger} copies each
 * leaf column's values, with their repetition and definition levels, from many input row groups
 * into few large output row groups, one column chunk at a time. The exact schema (logical types,
 * nested lists, maps and structs, field ids) survives, and no per-record objects are made.
 * Parquet-java does the encoding, compression, statistics and page indexes.
 */
package dev.baler.parquet;
