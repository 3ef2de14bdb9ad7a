"""The one table type: a polars DataFrame per table, in schema order, with where each row
was written; and the one form in which a table is published as CSV.

Every stage passes tables as these frames: read/ makes them from seeds or from a published
package, check/ finds the problems in them, build/ caches, sorts, writes and loads them.
Besides the schema's columns, a frame carries hidden columns (a leading underscore, which no
schema field has):
  _path, _line  the file and line each row was written at: a facts file and the line of its
                entry, a source text and the line of a candidate, or a published CSV file and
                the row's line; so every check can point at the place to fix;
  _unit         the unit (a source with its files, or a reference file) a row was read from,
                so that the cache can keep and replace one unit's rows.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import polars as pl
import pyarrow as pa

from eaeu_facts.model.schemas import Table

PATH, LINE, UNIT = "_path", "_line", "_unit"
HIDDEN = {PATH: pl.String, LINE: pl.Int64, UNIT: pl.String}
# How each type is written in a CSV cell (Frictionless's lexical forms); an empty cell is a
# missing value. A reader accepts exactly these, in full.
LEXICAL = {
    "integer": r"-?[0-9]+",
    "number": r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?",
    "boolean": r"true|false",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}


def from_rows(table: Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as dicts of the schema's fields (missing ones None) and the hidden columns."""
    return pl.from_dicts(rows, schema={**table.dtypes, **HIDDEN}) if rows else empty(table)


def empty(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema={**table.dtypes, **HIDDEN})


def sort(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows in primary-key order, missing values first, strings by code point; rows that tie
    (a repeated key, which the checks report) keep the order they came in."""
    key = list(table.primary_key)
    return frame.sort(key, nulls_last=False, maintain_order=True) if key else frame


def data(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """The schema's columns only, as published."""
    return frame.select(table.field_names)


def to_arrow(table: Table, frame: pl.DataFrame) -> pa.Table:
    """The published columns as Arrow, typed and described by the schema, in one chunk."""
    return data(table, frame).to_arrow().cast(table.arrow_schema()).combine_chunks()


def format_value(value: Any) -> str:
    """One value as a CSV cell holds it: '' for missing, true or false, an ISO date, a number
    as Python's repr writes it (the shortest form that reads back the same)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(table: Table, frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a header and LF line ends, fields quoted where they need it, each value
    in the form format_value gives (polars writes the others so)."""
    numbers = {f.name: _numbers(frame[f.name]) for f in table.fields if f.type == "number"}
    out = io.BytesIO()
    cells = frame.select(table.field_names).with_columns(**numbers)
    cells.write_csv(out, line_terminator="\n", quote_style="necessary")
    return out.getvalue()


def _numbers(values: pl.Series) -> pl.Series:
    """Numbers as format_value writes them. Polars writes a number from 0.0001 up to 10**16 as
    repr does (tests/test_frames.py holds it to that); the others are few, and Python's."""
    text = values.cast(pl.String)
    size = values.abs()
    odd = (values.is_not_null() & (values != 0) & ((size < 1e-4) | (size >= 1e16))).arg_true()
    if len(odd):
        text = text.scatter(odd, [format_value(v) for v in values.gather(odd)])
    return text
