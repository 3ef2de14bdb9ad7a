"""Each table against its pandera schema (generated from schemas/, on pandera's polars backend).

The schema enforces every per-table constraint: type, required, enum, pattern, minimum and
maximum, lengths, unique fields and the primary key. Its failure cases are read back as
findings, worded as a curator reads them.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator
from typing import Any

import polars as pl

from eaeu_facts.check.findings import Finding
from eaeu_facts.model import text
from eaeu_facts.model.frames import LINE, PATH
from eaeu_facts.model.interrupts import moment
from eaeu_facts.model.schemas import Table

_EXPECTED = {
    "not_nullable": "a value (required)",
    "field_uniqueness": "a value no other row has (unique)",
}


def warm_up() -> None:
    """Start importing pandera on another thread (it takes most of a second, most of it
    waiting on files), so that it is ready by the time the first table is checked."""
    threading.Thread(target=_import_pandera, daemon=True).start()


def _import_pandera() -> None:
    # A failure here (too many open files, say) is met again, and reported, where pandera
    # is used.
    with contextlib.suppress(Exception):
        importlib.import_module("pandera.polars")


def schema_findings(table: Table, frame: pl.DataFrame) -> Iterator[Finding]:
    """Every value of the frame that the table's schema refuses, lazily: all of them, at once."""
    import pandera.polars as pa
    from pandera.config import ValidationDepth, config_context

    if frame.height == 0:
        return
    moment("check:schema")
    rows = frame.select(table.field_names)
    try:  # every rule in one query; lazily, not collected again, its data checked all the same
        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            table.to_pandera().validate(rows.lazy(), lazy=True)
        return
    except pa.errors.SchemaErrors:
        pass
    try:  # refused: each rule on its own, to say which value broke which
        table.to_pandera(whole=True).validate(rows, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failed = exc.failure_cases
        # A failure of no row (a check that could not run at all) is the table's problem.
        for column, check, case in (
            failed.filter(pl.col("index").is_null())
            .select("column", "check", "failure_case")
            .iter_rows()
        ):
            yield Finding(table.name, table.path, None, column or table.name, case, check)
        cases = failed.filter(pl.col("index").is_not_null())
        rows = frame[cases["index"]].iter_rows(named=True)
        for (column, check), row in zip(
            cases.select("column", "check").iter_rows(), rows, strict=True
        ):
            yield _finding(table, row, column, check)


def _finding(table: Table, row: dict[str, Any], column: str, check: str) -> Finding:
    if check == "multiple_fields_uniqueness":  # one problem of the row, not of a column
        field = ", ".join(table.primary_key)
        found: Any = tuple(row[k] for k in table.primary_key)
        expected = f"a primary key ({field}) no other row of {table.name} has"
        return Finding(table.name, row[PATH], row[LINE], field, found, expected)
    found = "<missing>" if check == "not_nullable" else row[column]
    if check == "text":  # the code point and where it stands, not the invisible text
        found = text.refused_at(row[column], table.field(column).multiline)
    return Finding(table.name, row[PATH], row[LINE], column, found, _expected(table, column, check))


def _expected(table: Table, column: str, check: str) -> str:
    constraints = table.field(column).constraints
    value = constraints.get(check)
    return {
        "enum": lambda: f"one of {', '.join(map(str, constraints.get('enum', ())))}",
        "pattern": lambda: f"a value matching {value}",
        "minimum": lambda: f"at least {value}",
        "maximum": lambda: f"at most {value}",
        "minLength": lambda: f"at least {value} characters",
        "maxLength": lambda: f"at most {value} characters",
        "text": lambda: text.EXPECTED,
    }.get(check, lambda: _EXPECTED.get(check, check))()
