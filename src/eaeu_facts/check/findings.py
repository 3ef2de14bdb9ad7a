"""What a check finds, and how each finding becomes one located line.

Every check (a pandera schema, a rule) returns findings: the offending row of a table, by the
file and line it was written at (the hidden columns of model/frames.py), with the field, what
was found and what was expected. `report` turns them into problems at the exact place to fix:
the line of the field's key in a curated YAML file, or the line and column of the cell in a
published CSV file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH
from eaeu_facts.model.schemas import Catalog
from eaeu_facts.read.seeds import Places


@dataclass(frozen=True)
class Finding:
    """One offending value: the row (table, file, line of its entry), field, found, expected."""

    table: str
    path: str
    line: int | None
    field: str
    found: Any
    expected: str

    @property
    def cell(self) -> tuple[str, str, int | None, str]:
        return (self.table, self.path, self.line, self.field)


Say = Callable[[dict[str, Any]], tuple[str, Any, str]]


def findings(table: str, rows: pl.DataFrame, say: Say) -> Iterator[Finding]:
    """A finding for each offending row, worded by `say` from the row's values."""
    for row in rows.iter_rows(named=True):
        field, found, expected = say(row)
        yield Finding(table, row[PATH], row[LINE], field, found, expected)


def offending(
    table: str, rows: pl.DataFrame, field: str, expected: str | Callable[[dict], str]
) -> Iterator[Finding]:
    """A finding for each row, of the value of `field` in it."""

    def say(row: dict[str, Any]) -> tuple[str, Any, str]:
        return field, row[field], expected(row) if callable(expected) else expected

    return findings(table, rows, say)


class Locator:
    """Where to point for a finding: the line of the field's key in a YAML file (read again
    from the file, see read/seeds.Places), the column of the field in a CSV file."""

    def __init__(self, root: Path, catalog: Catalog) -> None:
        self.places = Places(root)
        self.columns = {
            t.name: {n: i for i, n in enumerate(t.field_names, 1)} for t in catalog.tables
        }

    def __call__(self, f: Finding) -> tuple[int | None, int | None]:
        first = f.field.split(", ")[0]  # a composite key is located at its first field
        if f.path.endswith(".csv"):
            return f.line, self.columns.get(f.table, {}).get(first)
        return self.places.line_of(f.path, f.line, first), None


def report(found: Iterable[Finding], locate: Locator, problems: Problems) -> None:
    for f in found:
        line, column = locate(f)
        problems.add(f.path, line, f.field, f.found, f.expected, column)
