#!/usr/bin/env python3
"""Peer tools for Baler's end-to-end benchmark.

Usage:
  peers.py compact TOOL INPUT_DIR OUTPUT_DIR [--target-bytes N] [--row-group-rows N]
      Compacts every *.parquet below INPUT_DIR into OUTPUT_DIR (created, must not exist) with a
      peer tool: snappy, files of about --target-bytes, row groups of --row-group-rows rows.
      TOOL is one of: pyarrow-stream, pyarrow-dataset, duckdb, polars.
  peers.py check
      Exits 0 if pyarrow, duckdb and polars all import, printing their versions as one JSON object.

The benchmark checks every tool's output itself, with DuckDB through Baler's test fixtures.

Each tool is run by the benchmark as its own process under /usr/bin/time, so an import happens
only where it is needed: the time and memory measured are the tool's own.
"""
import argparse
import glob
import json
import os
import sys

TOOLS = ("pyarrow-stream", "pyarrow-dataset", "duckdb", "polars")
SAMPLE_FILES = 16


def parquet_files(directory):
    """Every regular *.parquet file below directory, sorted by path."""
    found = glob.glob(os.path.join(directory, "**", "*.parquet"), recursive=True)
    return sorted(path for path in found if os.path.isfile(path))


def rows_per_output_file(files, target_bytes, row_group_rows):
    """How many rows make a file of about target_bytes, judged from a sample of the inputs.

    Row-count-limited writers (pyarrow's dataset writer, polars) need the size as rows. The count
    is rounded down to whole row groups, and is at least one row group.
    """
    import pyarrow.parquet as pq

    step = max(1, len(files) // SAMPLE_FILES)
    sample = files[::step][:SAMPLE_FILES]
    sample_bytes = sum(os.path.getsize(path) for path in sample)
    sample_rows = sum(pq.read_metadata(path).num_rows for path in sample)
    if sample_rows == 0:
        return row_group_rows
    rows = int(target_bytes / (sample_bytes / sample_rows))
    return max(row_group_rows, rows // row_group_rows * row_group_rows)


def compact_pyarrow_stream(files, output, target_bytes, row_group_rows):
    # The approach of the seeds' Python tools: read each small file batch by batch and stream the
    # batches into a ParquetWriter, opening a new output once target_bytes of input went in. Each
    # write_batch call ends a row group, so row groups stay as small as the input files.
    import pyarrow.parquet as pq

    writer = None
    consumed = 0
    number = 0
    try:
        for path in files:
            source = pq.ParquetFile(path)
            if writer is None or consumed >= target_bytes:
                if writer is not None:
                    writer.close()
                name = os.path.join(output, "part-%05d.parquet" % number)
                writer = pq.ParquetWriter(name, source.schema_arrow, compression="snappy")
                number += 1
                consumed = 0
            for batch in source.iter_batches(batch_size=65_536):
                writer.write_batch(batch, row_group_size=row_group_rows)
            consumed += os.path.getsize(path)
    finally:
        if writer is not None:
            writer.close()


def compact_pyarrow_dataset(files, output, target_bytes, row_group_rows):
    import pyarrow.dataset as ds

    dataset = ds.dataset(files, format="parquet")
    options = ds.ParquetFileFormat().make_write_options(compression="snappy")
    ds.write_dataset(
        dataset,
        output,
        format="parquet",
        file_options=options,
        min_rows_per_group=row_group_rows,
        max_rows_per_group=row_group_rows,
        max_rows_per_file=rows_per_output_file(files, target_bytes, row_group_rows),
        existing_data_behavior="error",
    )


def compact_duckdb(files, output, target_bytes, row_group_rows):
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET autoinstall_known_extensions = false")
    # DuckDB writes a directory of files when FILE_SIZE_BYTES is given; the list of inputs is
    # passed as a parameter so that no path needs quoting.
    connection.execute(
        "COPY (SELECT * FROM read_parquet($files)) TO '%s' "
        "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE %d, FILE_SIZE_BYTES %d)"
        % (output.replace("'", "''"), row_group_rows, target_bytes),
        {"files": files},
    )
    connection.close()


def compact_polars(files, output, target_bytes, row_group_rows):
    import polars as pl

    frame = pl.scan_parquet(files)
    if hasattr(pl, "PartitionBy"):
        rows = rows_per_output_file(files, target_bytes, row_group_rows)
        target = pl.PartitionBy(output, max_rows_per_file=rows, approximate_bytes_per_file=None)
        frame.sink_parquet(target, compression="snappy", row_group_size=row_group_rows, mkdir=True)
    else:
        # Older polars cannot split a sink into several files: one file holds everything.
        os.makedirs(output, exist_ok=True)
        frame.sink_parquet(
            os.path.join(output, "part-00000.parquet"),
            compression="snappy",
            row_group_size=row_group_rows,
        )


COMPACTORS = {
    "pyarrow-stream": compact_pyarrow_stream,
    "pyarrow-dataset": compact_pyarrow_dataset,
    "duckdb": compact_duckdb,
    "polars": compact_polars,
}


def compact(arguments):
    files = parquet_files(arguments.input)
    if not files:
        sys.exit("Cannot compact %s: no .parquet files below it" % arguments.input)
    if os.path.exists(arguments.output):
        sys.exit("Cannot compact into %s: it exists already" % arguments.output)
    if arguments.tool != "duckdb":
        os.makedirs(arguments.output)
    COMPACTORS[arguments.tool](files, arguments.output, arguments.target_bytes, arguments.row_group_rows)


def check(arguments):
    import duckdb
    import polars
    import pyarrow
    import pyarrow.dataset  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    versions = {"pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__, "polars": polars.__version__}
    print(json.dumps(versions))


def main():
    parser = argparse.ArgumentParser(description="Peer tools for Baler's end-to-end benchmark.")
    commands = parser.add_subparsers(dest="command", required=True)
    compact_parser = commands.add_parser("compact", help="compact a directory with a peer tool")
    compact_parser.add_argument("tool", choices=TOOLS)
    compact_parser.add_argument("input")
    compact_parser.add_argument("output")
    compact_parser.add_argument("--target-bytes", type=int, default=128 * 1024 * 1024)
    compact_parser.add_argument("--row-group-rows", type=int, default=128 * 1024)
    compact_parser.set_defaults(run=compact)
    check_parser = commands.add_parser("check", help="check that the peer libraries import")
    check_parser.set_defaults(run=check)
    arguments = parser.parse_args()
    arguments.run(arguments)


if __name__ == "__main__":
    main()
