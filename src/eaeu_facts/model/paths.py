"""Where everything is: the seeds a build reads, the package it publishes, the cache it keeps.

Every path the stages share is named here once, relative to the project root (or, for the
files of a package, to the package folder), so that no stage spells out another's layout.
"""

from __future__ import annotations

# The inputs (adding a source is adding files, never code):
#   seeds/sources/NAME.txt      the text exactly as received (UTF-8, no BOM, LF line ends)
#   seeds/sources/NAME.yaml     its source record (publisher, date, rights, sha256 of the text)
#   seeds/facts/NAME.yaml       the curated facts citing it, one list per table
#   seeds/reference/TABLE.yaml  a reference table that cites no source (countries)
SCHEMAS = "schemas"
SOURCES = "seeds/sources"
FACTS = "seeds/facts"
REFERENCE = "seeds/reference"

# The published package, and the files in it.
PACKAGE_DIR = "datapackage"
DESCRIPTOR = "datapackage.json"
# Not byte-reproducible (DuckDB keeps its own block layout): written by every build, kept out
# of git and out of datapackage.json.
DATABASE_FILE = "eaeu-facts.duckdb"

# What a build keeps to be quick next time (gitignored; deleting it costs time, not bytes).
CACHE = ".cache"
UNIT_CACHE = ".cache/build"  # each source's rows, by the hash of its files
FILE_HASHES = ".cache/files.json"  # the sha256 of input files, by what stat() says of them
LAST_BUILD = ".cache/published.json"  # what the last published package was built from


def source_files(name: str) -> tuple[str, str, str]:
    """A source's text, record and facts file, for the NAME they share."""
    return f"{SOURCES}/{name}.txt", f"{SOURCES}/{name}.yaml", f"{FACTS}/{name}.yaml"


def reference_file(table: str) -> str:
    return f"{REFERENCE}/{table}.yaml"


def csv_file(table: str) -> str:
    """A table's CSV file, inside the package."""
    return f"csv/{table}.csv"


def parquet_file(table: str) -> str:
    """A table's Parquet file, inside the package."""
    return f"parquet/{table}.parquet"


def parquet_resource(table: str) -> str:
    """The name of a table's Parquet resource in datapackage.json."""
    return f"{table}-parquet"
