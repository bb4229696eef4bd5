#!/usr/bin/env python3
"""Writes Baler's committed Parquet fixtures.

For each writer (pyarrow, duckdb, polars) this writes three small files of one telemetry-like
schema, named ``{writer}/events.{timestamp_millis}.parquet`` (one file per minute, starting at
2024-01-01T00:00:00Z), and a ``manifest.json`` beside the writer directories with the row count of
every file and, per writer, the total and the distinct row count.

Every writer gets the same logical rows, so the files differ only in how each library lays them
out in Parquet (list and map encoding, time stamp unit, field ids, codec, row groups). A few rows
are repeated exactly in later files of the same writer, as a producer that retries would leave
them, so that deduplication can be tested; the manifest records how many.

The rows come from a seeded random generator: running the script again gives the same rows. The
files themselves may change when a library's version changes, so commit the script's output, not
a promise of identical bytes.

Run from anywhere, in a virtual environment with pyarrow, duckdb and polars:

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install pyarrow duckdb polars
    .venv-fixtures/bin/python baler-testing/src/main/python/make_fixtures.py
"""

import argparse
import datetime
import decimal
import json
import random
from pathlib import Path

import duckdb
import polars
import pyarrow
import pyarrow.parquet

FIRST_FILE_MILLIS = 1704067200000  # 2024-01-01T00:00:00Z
FILE_INTERVAL_MILLIS = 60_000
ROWS_PER_FILE = (200, 250, 300)  # including the repeated rows below
PYARROW_ROW_GROUP_ROWS = 100  # pyarrow files get several row groups; the others keep one
EVENT_ID_FIELD_ID = 100
SEED = 20240101

# (file that repeats the row, file the row first appeared in, index of the row in that file).
# The row at index 5 of file 0 appears three times in all; the others twice.
REPEATED_ROWS = ((1, 0, 5), (1, 0, 17), (1, 0, 42), (2, 0, 5), (2, 1, 10))

SERVICES = ("checkout", "payments", "inventory", "search", "auth")
SERVICE_WEIGHTS = (30, 20, 20, 20, 10)
STATUS_CODES = (200, 201, 204, 400, 404, 500, 503)
STATUS_WEIGHTS = (70, 8, 4, 6, 6, 4, 2)
TAGS = ("canary", "beta", "mobile", "web", "retry", "cached", "slow")
REGIONS = ("eu-west-1", "us-east-1", "ap-south-1")

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parents[1] / "resources" / "dev" / "baler" / "testing" / "fixtures"
)


def arrow_schema(with_field_id):
    """The fixtures' schema; with_field_id marks event_id with a Parquet field id."""
    event_id_metadata = {"PARQUET:field_id": str(EVENT_ID_FIELD_ID)} if with_field_id else None
    return pyarrow.schema(
        [
            pyarrow.field("timestamp", pyarrow.timestamp("ms", tz="UTC"), nullable=False),
            pyarrow.field("event_id", pyarrow.int64(), nullable=False, metadata=event_id_metadata),
            pyarrow.field("service_name", pyarrow.string(), nullable=False),
            pyarrow.field("trace_id", pyarrow.string(), nullable=False),
            pyarrow.field("duration_ms", pyarrow.int64(), nullable=False),
            pyarrow.field("status_code", pyarrow.int32(), nullable=False),
            pyarrow.field("temperature", pyarrow.float64()),
            pyarrow.field("user_id", pyarrow.int64()),
            pyarrow.field("tags", pyarrow.list_(pyarrow.string())),
            pyarrow.field("attributes", pyarrow.map_(pyarrow.string(), pyarrow.string())),
            pyarrow.field(
                "location",
                pyarrow.struct(
                    [pyarrow.field("lat", pyarrow.float64()), pyarrow.field("lon", pyarrow.float64())]
                ),
            ),
            pyarrow.field("price", pyarrow.decimal128(10, 2)),
            pyarrow.field("day", pyarrow.date32()),
        ]
    )


def new_row(generator, event_id, file_millis):
    """One event within the minute that starts at file_millis."""
    millis = file_millis + generator.randrange(FILE_INTERVAL_MILLIS)
    moment = datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.timezone.utc)
    tags_choice = generator.random()
    if tags_choice < 0.10:
        tags = None
    elif tags_choice < 0.25:
        tags = []
    else:
        tags = generator.sample(TAGS, generator.randint(1, 3))
    attributes = []
    if generator.random() < 0.8:
        attributes.append(("region", generator.choice(REGIONS)))
    if generator.random() < 0.6:
        attributes.append(("host", "host-%02d" % generator.randrange(12)))
    if generator.random() < 0.3:
        attributes.append(("version", "1.4.%d" % generator.randrange(4)))
    location = (
        None
        if generator.random() < 0.05
        else {
            "lat": round(generator.uniform(-60.0, 70.0), 4),
            "lon": round(generator.uniform(-180.0, 180.0), 4),
        }
    )
    return {
        "timestamp": moment,
        "event_id": event_id,
        "service_name": generator.choices(SERVICES, SERVICE_WEIGHTS)[0],
        "trace_id": "%032x" % generator.getrandbits(128),
        "duration_ms": int(generator.lognormvariate(3.5, 1.0)),
        "status_code": generator.choices(STATUS_CODES, STATUS_WEIGHTS)[0],
        "temperature": None if generator.random() < 0.05 else round(generator.gauss(21.0, 4.0), 2),
        "user_id": None if generator.random() < 0.3 else generator.randrange(1, 5000),
        "tags": tags,
        "attributes": attributes,
        "location": location,
        "price": decimal.Decimal(generator.randrange(0, 100_000)).scaleb(-2),
        "day": moment.date(),
    }


def files_of_rows():
    """The rows of every file, in file order: fresh rows sorted by time, with repeats mixed in."""
    generator = random.Random(SEED)
    files = []
    event_id = 0
    for index, total in enumerate(ROWS_PER_FILE):
        repeats = [r for r in REPEATED_ROWS if r[0] == index]
        file_millis = FIRST_FILE_MILLIS + index * FILE_INTERVAL_MILLIS
        fresh = []
        for _ in range(total - len(repeats)):
            fresh.append(new_row(generator, event_id, file_millis))
            event_id += 1
        fresh.sort(key=lambda row: (row["timestamp"], row["event_id"]))
        for _, source_file, source_index in repeats:
            # A repeat is a copy of the row as first written, so its time stamp is older than the
            # file's own rows, as a retried send would be.
            position = generator.randrange(len(fresh) + 1)
            fresh.insert(position, dict(files[source_file][source_index]))
        files.append(fresh)
    return files


def write_pyarrow(table, path):
    pyarrow.parquet.write_table(table, path, row_group_size=PYARROW_ROW_GROUP_ROWS)


def write_duckdb(table, path):
    connection = duckdb.connect()
    connection.register("fixture", table)
    connection.execute(
        "COPY (SELECT * FROM fixture) TO '%s' (FORMAT parquet, FIELD_IDS {event_id: %d})"
        % (str(path).replace("'", "''"), EVENT_ID_FIELD_ID)
    )
    connection.close()


def write_polars(table, path):
    frame = polars.from_arrow(table)
    # Polars has no map type: the map arrives as a list of key/value structs, and is written so.
    # Its native writer takes field ids from an Arrow schema whose types match its own.
    schema = frame.to_arrow().schema
    event_id_index = schema.get_field_index("event_id")
    schema = schema.set(
        event_id_index,
        schema.field(event_id_index).with_metadata({"PARQUET:field_id": str(EVENT_ID_FIELD_ID)}),
    )
    frame.write_parquet(path, arrow_schema=schema)


WRITERS = {"pyarrow": write_pyarrow, "duckdb": write_duckdb, "polars": write_polars}


def count_rows(paths, distinct):
    listed = ", ".join("'%s'" % str(path).replace("'", "''") for path in paths)
    query = "SELECT count(*) FROM (SELECT %s * FROM read_parquet([%s]))" % (
        "DISTINCT" if distinct else "",
        listed,
    )
    return duckdb.connect().execute(query).fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="fixture directory")
    output = parser.parse_args().output

    files = files_of_rows()
    expected_rows = sum(len(rows) for rows in files)
    expected_distinct = expected_rows - len(REPEATED_ROWS)
    manifest = {
        "description": "Parquet fixtures written by make_fixtures.py; do not edit by hand.",
        "schema_note": "Same logical rows for every writer; event_id carries Parquet field id %d"
        " where the writer supports it." % EVENT_ID_FIELD_ID,
        "writers": {},
    }
    for writer, write in WRITERS.items():
        directory = output / writer
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.parquet"):
            stale.unlink()
        entries = []
        paths = []
        for index, rows in enumerate(files):
            millis = FIRST_FILE_MILLIS + index * FILE_INTERVAL_MILLIS
            path = directory / ("events.%d.parquet" % millis)
            table = pyarrow.Table.from_pylist(rows, schema=arrow_schema(writer == "pyarrow"))
            write(table, path)
            metadata = pyarrow.parquet.read_metadata(path)
            if metadata.num_rows != len(rows):
                raise SystemExit("Cannot write %s: %d rows written, expected %d"
                                 % (path, metadata.num_rows, len(rows)))
            entries.append(
                {
                    "name": "%s/%s" % (writer, path.name),
                    "timestamp_millis": millis,
                    "rows": len(rows),
                    "row_groups": metadata.num_row_groups,
                    "bytes": path.stat().st_size,
                }
            )
            paths.append(path)
        rows = count_rows(paths, distinct=False)
        distinct_rows = count_rows(paths, distinct=True)
        if (rows, distinct_rows) != (expected_rows, expected_distinct):
            raise SystemExit("Cannot write %s fixtures: DuckDB reads %d rows, %d distinct; expected"
                             " %d and %d" % (writer, rows, distinct_rows, expected_rows,
                                             expected_distinct))
        manifest["writers"][writer] = {
            "version": {"pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__,
                        "polars": polars.__version__}[writer],
            "created_by": pyarrow.parquet.read_metadata(paths[0]).created_by,
            "files": entries,
            "rows": rows,
            "distinct_rows": distinct_rows,
            "duplicate_rows": rows - distinct_rows,
        }
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    total = sum(path.stat().st_size for path in output.rglob("*") if path.is_file())
    print("Wrote %s: %d bytes in all" % (output, total))


if __name__ == "__main__":
    main()
