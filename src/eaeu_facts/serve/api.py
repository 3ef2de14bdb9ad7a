"""The published package from Python: a DuckDB connection, or one table as a typed DataFrame.

`connect()` opens the database the build writes beside the package (tables, constraints and
views). `load()` reads the published Parquet file of one table, so it works from a package
alone, without the database, and gives the types the schema declares (see `load`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from eaeu_facts.model import paths
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.schemas import TYPES, Catalog, Table
from eaeu_facts.read.package import busy_line, consistent, load_descriptor
from eaeu_facts.serve.query import require_database

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb
    import pandas as pd
    import polars as pl


def _default_package() -> Path:
    """The checkout's datapackage/ when this module runs from one (`make` installs it
    editable); otherwise, installed from a wheel that holds no package, the working folder's."""
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "src" / "eaeu_facts").is_dir():
        return checkout / paths.PACKAGE_DIR
    return Path.cwd() / paths.PACKAGE_DIR


PACKAGE_DIR = _default_package()


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the package database (default: this checkout's, or
    from an installed wheel the working folder's datapackage/).

    Raises FileNotFoundError, saying how to build it, when the file is missing: the database
    is written by `make` or `eaeu-facts build` and is not kept in git.
    """
    import duckdb

    database = require_database(Path(path) if path else PACKAGE_DIR / paths.DATABASE_FILE)
    return duckdb.connect(str(database), read_only=True)


@overload
def load(
    table: str, engine: Literal["pandas"] = "pandas", package: str | Path | None = None
) -> pd.DataFrame: ...
@overload
def load(
    table: str, engine: Literal["polars"], package: str | Path | None = None
) -> pl.DataFrame: ...
def load(
    table: str,
    engine: Literal["pandas", "polars"] = "pandas",
    package: str | Path | None = None,
) -> pd.DataFrame | pl.DataFrame:
    """One table of the package (default: this checkout's datapackage/, or from an installed
    wheel the working folder's) as a DataFrame.

    Read from the published Parquet file and typed by the schema in datapackage.json. With
    pandas, every column is nullable: strings `string`, integers (amounts included) `Int64`,
    numbers `Float64`, booleans `boolean`; dates are `datetime.date` objects in an `object`
    column (None where missing), because a date here is a calendar day, not an instant. With
    polars: String, Int64, Float64, Boolean, Date. Raises KeyError, naming the tables, when
    `table` is not one of them, and ValueError, opening nothing, when datapackage.json cannot
    be read or names a file outside the package folder.
    """
    import pandas as pd
    import polars as pl

    if engine not in ("pandas", "polars"):
        raise ValueError(f"engine: found {engine!r}, expected 'pandas' or 'polars'")
    base = Path(package) if package else PACKAGE_DIR

    def read() -> tuple[pl.DataFrame, Table] | OSError:
        try:
            parquet, schema = _parquet_resource(base, table)
            return pl.read_parquet(parquet), schema
        except FileNotFoundError as exc:  # its file gone, with the package it belonged to
            return exc

    # The descriptor and the file of one package, never of two (read/package.consistent).
    out = consistent(base, read, lambda _: True, _busy(base))
    if isinstance(out, OSError):
        raise out
    frame, schema = out
    if engine == "polars":
        return frame
    columns = {
        f.name: pd.Series(frame[f.name].to_list(), dtype=TYPES[f.type].pandas, name=f.name)
        for f in schema.fields
    }
    return pd.DataFrame(columns, columns=schema.field_names)


def _busy(base: Path) -> Callable[[object], OSError]:
    """What load() raises when a build replaced the package during every read of it."""

    def error(_: object) -> OSError:
        field, found, expected = busy_line(base)
        return OSError(f"{base}: {field}: found {found}, expected {expected}")

    return error


def _parquet_resource(base: Path, table: str) -> tuple[Path, Table]:
    """The Parquet file of `table` and its schema, as the package's datapackage.json lists them."""
    problems = Problems()
    descriptor = load_descriptor(base / paths.DESCRIPTOR, problems)
    if descriptor is None and not (base / paths.DESCRIPTOR).is_file():
        raise FileNotFoundError(
            f"{problems.lines()[0]}; run `make` or `eaeu-facts build` to build the package"
        )
    if descriptor is None:  # unreadable, or naming files outside the package: none is opened
        raise ValueError("; ".join(problems.lines()))
    catalog = Catalog.from_frictionless(descriptor)
    if table not in catalog.names:
        raise KeyError(f"no table {table!r} in the package; expected one of {catalog.names}")
    files = {r["name"]: r["path"] for r in descriptor["resources"]}
    return base / files[paths.parquet_resource(table)], catalog.table(table)
