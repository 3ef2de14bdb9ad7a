"""Every check of a set of tables: each against its pandera schema and the rules of one
table, then the rules across tables. The build runs it on the curated rows before anything
is written; `eaeu-facts validate` on a published package read back from its files, one table
at a time, so that a large package is never held in full.
"""

from __future__ import annotations

import polars as pl

from eaeu_facts.check.findings import Finding
from eaeu_facts.check.rules import ACROSS, ONE_TABLE, Tables, across_columns
from eaeu_facts.check.schema import schema_findings
from eaeu_facts.model.frames import UNIT
from eaeu_facts.model.schemas import Catalog, Table
from eaeu_facts.read.rows import Cell


class Checker:
    """The checks, fed one table at a time; each value reported once.

    A value that could not be read was reported when it was read (and named in `unread`,
    which grows as tables are read), and one its schema refuses is reported by the schema
    alone: a rule reading it would only echo that. Of each table, only what the rules across
    tables read is kept for them.
    """

    def __init__(self, catalog: Catalog, texts: dict[str, str], unread: set[Cell]) -> None:
        self.unread = unread
        # The rules see the tables through one view, so that they read the texts into a
        # frame once (Tables.with_text), not once a table.
        self.view = Tables(catalog, {}, texts, unread)
        self.found: list[Finding] = []
        self.refused: set[Cell] = set()
        self.kept: dict[str, pl.DataFrame] = {}

    def add(self, table: Table, frame: pl.DataFrame, new: pl.DataFrame | None = None) -> None:
        """Check a table: all of it against its schema, and its `new` rows (default: all)
        against the rules of one table, which read nothing but a row and its source's text.
        A rebuild gives the rows of the sources that changed since the last build, whose
        other rows passed the same checks then."""
        schema = list(schema_findings(table, frame))
        self.refused |= {f.cell for f in schema}
        self.found += schema
        rows = frame if new is None else new
        self.view.frames.clear()
        if rows.height:  # the rules of one table find nothing in no rows
            self.view.frames[table.name] = rows
            self.found += self._ruled(ONE_TABLE)
        self.kept[table.name] = frame.select(across_columns(self.view.catalog, table))

    def finish(self, complete: bool = True) -> list[Finding]:
        """Every finding, after the rules across tables: skipped when some input could not
        be read at all (`complete` False), since a missing row would make them report
        follow-on errors."""
        self.view.frames.clear()
        self.view.frames.update(self.kept)
        if complete:
            self.found += self._ruled(ACROSS)
        return [f for f in self.found if f.cell not in self.unread]

    def _ruled(self, rules: tuple) -> list[Finding]:
        return [f for rule in rules for f in rule(self.view) if f.cell not in self.refused]


def check_tables(
    tables: Tables, complete: bool = True, units: set[str] | None = None
) -> list[Finding]:
    """Every finding in the tables (see Checker); with `units`, the rules of one table read
    only the rows of these units."""
    checker = Checker(tables.catalog, tables.texts, set(tables.unread))
    for table in tables.catalog.tables:
        frame = tables.frames[table.name]
        new = None if units is None else frame.filter(pl.col(UNIT).is_in(list(units)))
        checker.add(table, frame, new)
    return checker.finish(complete)
