"""Typed tabular forms of the rows: pandas for checking, Arrow for Parquet and DuckDB."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from eaeu_facts.schemas import Table, pandas_dtype

if TYPE_CHECKING:
    import pandas as pd

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def to_dataframe(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with one nullable column per field, in schema order."""
    import pandas as pd

    data = {}
    for f in table.fields:
        values = [row.get(f.name) for row in rows]
        data[f.name] = pd.Series(values, dtype=pandas_dtype(f.type), name=f.name)
    return pd.DataFrame(data, columns=table.field_names)


def arrow_schema(table: Table) -> pa.Schema:
    """Arrow schema carrying each field's title and description, so Parquet is self-describing."""
    fields = [
        pa.field(
            f.name,
            ARROW_TYPES[f.type],
            nullable=not f.required,
            metadata={"title": f.title, "description": f.description},
        )
        for f in table.fields
    ]
    return pa.schema(fields, metadata={"name": table.name, "description": table.description})


def to_arrow(table: Table, rows: list[dict[str, Any]]) -> pa.Table:
    columns = {f.name: [row.get(f.name) for row in rows] for f in table.fields}
    return pa.Table.from_pydict(columns, schema=arrow_schema(table))
