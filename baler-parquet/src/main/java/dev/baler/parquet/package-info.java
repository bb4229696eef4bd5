/**
 * Baler's Parquet engine: footers, codecs, write options, row fingerprints, and the column-level
 * merge that compaction runs on.
 *
 * <p>The engine works on columns, not records: {@link dev.baler.parquet.ParquetMerger} copies each
 * leaf column's values, with their repetition and definition levels, from many input row groups
 * into few large output row groups, one column chunk at a time. The exact schema (logical types,
 * nested lists, maps and structs, field ids) survives, and no per-record objects are made.
 * Parquet-java does the encoding, compression, statistics and page indexes.
 *
 * <p>Repacking works on records instead: {@link dev.baler.parquet.ParquetNormalizer} rewrites one
 * file into one new file whose schema {@link dev.baler.parquet.SchemaNormalizer} has put into the
 * form picky readers load (three-level lists, standard maps, microsecond time stamps, data pages
 * V1), converting each value on the way.
 */
package dev.baler.parquet;
