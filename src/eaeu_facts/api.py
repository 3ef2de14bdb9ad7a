"""The published package from Python: a DuckDB connection, or one table as a typed DataFrame.

`connect()` opens the database the build writes beside the package (tables, constraints and
views). `load()` reads the published Parquet file of one table, so it works from a package
alone, without the database, and gives the types the schema declares (see `load`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from eaeu_facts.database import DATABASE_FILE, require_database
from eaeu_facts.schemas import Table

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import polars as pl

# The checkout this module belongs to (`make` installs it editable) holds the package.
PACKAGE_DIR = Path(__file__).resolve().parents[2] / "datapackage"


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the package database (default: this checkout's).

    Raises FileNotFoundError, saying how to build it, when the file is missing: the database
    is written by `make` or `eaeu-facts build` and is not kept in git.
    """
    import duckdb

    database = require_database(Path(path) if path else PACKAGE_DIR / DATABASE_FILE)
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
    """One table of the package (default: this checkout's datapackage/) as a DataFrame.

    Read from the published Parquet file and typed by the schema in datapackage.json. With
    pandas, the dtypes are those the build validates with: strings `string`, integers (amounts
    included) `Int64`, numbers `Float64`, booleans `boolean`, all nullable; dates are
    `datetime.date` objects in an `object` column (None where missing), because a date here
    is a calendar day, not an instant. With polars: String, Int64, Float64, Boolean, Date.
    Raises KeyError, naming the tables, when `table` is not one of them.
    """
    if engine not in ("pandas", "polars"):
        raise ValueError(f"engine: found {engine!r}, expected 'pandas' or 'polars'")
    base = Path(package) if package else PACKAGE_DIR
    parquet, schema = _parquet_resource(base, table)
    if engine == "polars":
        try:
            import polars as pl
        except ImportError:
            raise ImportError(
                "engine='polars' needs polars: pip install 'eaeu-facts[polars]'"
            ) from None
        return pl.read_parquet(parquet)
    import pyarrow.parquet as pq

    from eaeu_facts.frames import to_dataframe

    return to_dataframe(schema, pq.read_table(parquet).to_pylist())


def _parquet_resource(base: Path, table: str) -> tuple[Path, Table]:
    """The Parquet file of `table` and its schema, as the package's datapackage.json lists them."""
    from eaeu_facts.errors import Problems
    from eaeu_facts.package import catalog_from_descriptor, load_descriptor

    problems = Problems()
    descriptor = load_descriptor(base / "datapackage.json", problems)
    if descriptor is None:
        raise FileNotFoundError(
            f"{problems.lines()[0]}; run `make` or `eaeu-facts build` to build the package"
        )
    catalog = catalog_from_descriptor(descriptor)
    if table not in catalog.names:
        raise KeyError(f"no table {table!r} in the package; expected one of {catalog.names}")
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    return base / paths[f"{table}-parquet"], catalog.table(table)
