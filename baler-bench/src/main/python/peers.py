#!/usr/bin/env python3
"""Peer tools for Baler's end-to-end benchmark.

Usage:
  peers.py compact TOOL INPUT OUTPUT [--target-bytes N] [--row-group-rows N] [--endpoint URL]
      Compacts every *.parquet below INPUT into OUTPUT (created, must not exist) with a
      peer tool: snappy, files of about --target-bytes, row groups of --row-group-rows rows.
      TOOL is one of: pyarrow-stream, pyarrow-dataset, duckdb, polars. INPUT and OUTPUT are
      directories, or s3://BUCKET/PREFIX locations on the S3 server at --endpoint (http, path-style
      addressing), with credentials and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
      AWS_REGION; duckdb works on directories only.
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


class Store:
    """Where a tool reads and writes: local disk, or an S3 server (filesystem is then pyarrow's).

    Paths are local paths, or BUCKET/KEY without the s3:// scheme, as pyarrow's filesystems take
    them; url() gives what polars takes.
    """

    def __init__(self, endpoint=None):
        self.endpoint = endpoint
        self.filesystem = None
        self.sizes = {}
        if endpoint:
            from pyarrow import fs

            self.filesystem = fs.S3FileSystem(
                endpoint_override=endpoint.split("://", 1)[1],
                scheme=endpoint.split("://", 1)[0],
                access_key=os.environ["AWS_ACCESS_KEY_ID"],
                secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
                region=os.environ.get("AWS_REGION", "us-east-1"),
            )

    @staticmethod
    def path(location):
        return location[len("s3://"):].rstrip("/") if location.startswith("s3://") else location

    def url(self, path):
        return "s3://" + path if self.filesystem else path

    def storage_options(self):
        """polars' options for the S3 server."""
        return {
            "aws_endpoint_url": self.endpoint,
            "aws_access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "aws_region": os.environ.get("AWS_REGION", "us-east-1"),
            "aws_allow_http": "true",
            "aws_virtual_hosted_style_request": "false",
        }

    def parquet_files(self, directory):
        """Every regular *.parquet file below directory, sorted by path; sizes noted."""
        if self.filesystem is None:
            found = glob.glob(os.path.join(directory, "**", "*.parquet"), recursive=True)
            files = sorted(path for path in found if os.path.isfile(path))
            self.sizes = {path: os.path.getsize(path) for path in files}
            return files
        from pyarrow import fs

        infos = self.filesystem.get_file_info(fs.FileSelector(directory, recursive=True))
        self.sizes = {
            info.path: info.size
            for info in infos
            if info.type == fs.FileType.File and info.path.endswith(".parquet")
        }
        return sorted(self.sizes)

    def exists(self, path):
        if self.filesystem is None:
            return os.path.exists(path)
        from pyarrow import fs

        if self.filesystem.get_file_info(path).type != fs.FileType.NotFound:
            return True
        return bool(self.filesystem.get_file_info(fs.FileSelector(path, allow_not_found=True)))

    def makedirs(self, path):
        if self.filesystem is None:
            os.makedirs(path)


def rows_per_output_file(files, store, target_bytes, row_group_rows):
    """How many rows make a file of about target_bytes, judged from a sample of the inputs.

    Row-count-limited writers (pyarrow's dataset writer, polars) need the size as rows. The count
    is rounded down to whole row groups, and is at least one row group.
    """
    import pyarrow.parquet as pq

    step = max(1, len(files) // SAMPLE_FILES)
    sample = files[::step][:SAMPLE_FILES]
    sample_bytes = sum(store.sizes[path] for path in sample)
    sample_rows = sum(pq.read_metadata(path, filesystem=store.filesystem).num_rows for path in sample)
    if sample_rows == 0:
        return row_group_rows
    rows = int(target_bytes / (sample_bytes / sample_rows))
    return max(row_group_rows, rows // row_group_rows * row_group_rows)


def compact_pyarrow_stream(files, store, output, target_bytes, row_group_rows):
    # The approach of the seeds' Python tools: read each small file batch by batch and stream the
    # batches into a ParquetWriter, opening a new output once target_bytes of input went in. Each
    # write_batch call ends a row group, so row groups stay as small as the input files.
    import pyarrow.parquet as pq

    writer = None
    consumed = 0
    number = 0
    try:
        for path in files:
            source = pq.ParquetFile(path, filesystem=store.filesystem)
            if writer is None or consumed >= target_bytes:
                if writer is not None:
                    writer.close()
                name = "%s/part-%05d.parquet" % (output, number)
                writer = pq.ParquetWriter(
                    name, source.schema_arrow, compression="snappy", filesystem=store.filesystem
                )
                number += 1
                consumed = 0
            for batch in source.iter_batches(batch_size=65_536):
                writer.write_batch(batch, row_group_size=row_group_rows)
            consumed += store.sizes[path]
    finally:
        if writer is not None:
            writer.close()


def compact_pyarrow_dataset(files, store, output, target_bytes, row_group_rows):
    import pyarrow.dataset as ds

    dataset = ds.dataset(files, format="parquet", filesystem=store.filesystem)
    options = ds.ParquetFileFormat().make_write_options(compression="snappy")
    ds.write_dataset(
        dataset,
        output,
        format="parquet",
        filesystem=store.filesystem,
        file_options=options,
        min_rows_per_group=row_group_rows,
        max_rows_per_group=row_group_rows,
        max_rows_per_file=rows_per_output_file(files, store, target_bytes, row_group_rows),
        existing_data_behavior="error",
    )


def compact_duckdb(files, store, output, target_bytes, row_group_rows):
    import duckdb

    if store.filesystem is not None:
        sys.exit("Cannot compact with duckdb on S3: its S3 extension cannot be installed offline")
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


def compact_polars(files, store, output, target_bytes, row_group_rows):
    import polars as pl

    cloud = {"storage_options": store.storage_options()} if store.filesystem else {}
    frame = pl.scan_parquet([store.url(path) for path in files], **cloud)
    if hasattr(pl, "PartitionBy"):
        rows = rows_per_output_file(files, store, target_bytes, row_group_rows)
        target = pl.PartitionBy(
            store.url(output), max_rows_per_file=rows, approximate_bytes_per_file=None
        )
        frame.sink_parquet(
            target,
            compression="snappy",
            row_group_size=row_group_rows,
            mkdir=store.filesystem is None,
            **cloud,
        )
    else:
        # Older polars cannot split a sink into several files: one file holds everything.
        store.makedirs(output)
        frame.sink_parquet(
            store.url(output + "/part-00000.parquet"),
            compression="snappy",
            row_group_size=row_group_rows,
            **cloud,
        )


COMPACTORS = {
    "pyarrow-stream": compact_pyarrow_stream,
    "pyarrow-dataset": compact_pyarrow_dataset,
    "duckdb": compact_duckdb,
    "polars": compact_polars,
}


def compact(arguments):
    store = Store(arguments.endpoint)
    source, output = Store.path(arguments.input), Store.path(arguments.output)
    files = store.parquet_files(source)
    if not files:
        sys.exit("Cannot compact %s: no .parquet files below it" % arguments.input)
    if store.exists(output):
        sys.exit("Cannot compact into %s: it exists already" % arguments.output)
    if arguments.tool != "duckdb":
        store.makedirs(output)
    COMPACTORS[arguments.tool](files, store, output, arguments.target_bytes, arguments.row_group_rows)


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
    compact_parser.add_argument("--endpoint", help="the S3 server of s3:// locations, http://HOST:PORT")
    compact_parser.set_defaults(run=compact)
    check_parser = commands.add_parser("check", help="check that the peer libraries import")
    check_parser.set_defaults(run=check)
    arguments = parser.parse_args()
    arguments.run(arguments)


if __name__ == "__main__":
    main()
