"""Reading seeds/ one unit at a time: a source with its record and facts, or a reference file.

A unit is what the build caches and a rebuild reads again: everything that depends on its
files alone (typed rows, evidence spans, the coverage of the fact finder's candidates) with
every problem found in them. What spans units (keys, references, the rules across rows) is
checked on whole tables by check/.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from eaeu_facts.model import paths
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH, UNIT
from eaeu_facts.model.schemas import Catalog, Table
from eaeu_facts.read.coverage import COVERAGE, coverage_rows
from eaeu_facts.read.evidence import edited
from eaeu_facts.read.rows import Cell, Row, entry_row, source_row
from eaeu_facts.read.seeds import load_facts, load_reference, load_source

# Meetings as each source reports them: derived for the source a meeting's row cites.
REPORTS = "meeting_reports"


@dataclass(frozen=True)
class Unit:
    """One source with its record and facts, or one reference file; paths relative to root.
    `key` is the hash its rows are cached under (publish/cache.py)."""

    name: str
    files: tuple[str, ...]
    key: str = ""


@dataclass
class Read:
    """What reading units gives: the rows of each table and the problems found in them.

    `uncovered` are the candidates no row covers, reported only when nothing else is wrong (a
    broken row leaves its figure uncovered: an echo). `unread` are the values that could not
    be read, reported already. `complete` is False when a file could not be read at all, so
    rows other rows refer to may be missing.
    """

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    uncovered: Problems = field(default_factory=Problems)
    unread: set[Cell] = field(default_factory=set)
    complete: bool = True

    def extend(self, other: Read) -> None:
        for name, rows in other.rows.items():
            self.rows.setdefault(name, []).extend(rows)
        self.problems.extend(other.problems)
        self.uncovered.extend(other.uncovered)
        self.unread |= other.unread
        self.complete = self.complete and other.complete


def find_units(root: Path) -> tuple[list[Unit], Problems]:
    """Every unit of the seeds, in name order, and the files that belong to none."""
    problems = Problems()
    texts, records = _stems(root, paths.SOURCES, ".txt"), _stems(root, paths.SOURCES, ".yaml")
    for stem in sorted(records - texts):
        text, record, _ = paths.source_files(stem)
        problems.add(
            record, None, "file", "a source record without its text", f"{Path(text).name} beside it"
        )
    for stem in sorted(_stems(root, paths.FACTS, ".yaml") - texts):
        text, _, facts = paths.source_files(stem)
        problems.add(facts, None, "file", "a facts file without its source text", f"{text}")
    units = [
        Unit(f"reference/{stem}", (paths.reference_file(stem),))
        for stem in sorted(_stems(root, paths.REFERENCE, ".yaml"))
    ]
    for stem in sorted(texts):
        files = paths.source_files(stem)
        units.append(Unit(f"sources/{stem}", files if (root / files[2]).exists() else files[:2]))
    return units, problems


def _stems(root: Path, folder: str, suffix: str) -> set[str]:
    try:
        names = os.listdir(root / folder)
    except FileNotFoundError:
        return set()
    return {n.removesuffix(suffix) for n in names if n.endswith(suffix) and n != suffix}


def read_unit(root: Path, catalog: Catalog, unit: Unit) -> Read:
    """The unit's rows of every table, and the problems found in its files and rows."""
    read, loading = Read(), Problems()
    tables = {t.name: t for t in catalog.tables}

    def add(name: str, row: Row) -> None:
        read.rows.setdefault(name, []).append(row)

    if unit.name.startswith("reference/"):
        entries = load_reference(root, unit.files[0], catalog.names, loading) or []
        for entry in entries:
            add(
                entry.table,
                entry_row(tables[entry.table], entry, None, unit.name, read.problems, read.unread),
            )
    else:
        source, readable = load_source(root, unit.files[0], loading)
        read.complete = readable
        if source is not None:
            add(
                "sources",
                source_row(tables["sources"], source, unit.name, read.problems, read.unread),
            )
            facts = (
                load_facts(root, unit.files[2], source, catalog.names, loading)
                if len(unit.files) > 2
                else ([], [])
            )
            entries, waivers = facts or ([], [])
            for entry in entries:
                table = tables[entry.table]
                add(
                    entry.table,
                    entry_row(table, entry, source, unit.name, read.problems, read.unread),
                )
            if source.edited:
                recorded = f"{source.record['sha256']} as recorded in {source.record_path}"
                edited(source.text_path, source.sha256, recorded, len(entries), loading)
            if COVERAGE in tables and not (loading or read.problems):
                add_all = coverage_rows(
                    source, read.rows, tables, waivers, unit.name, read.problems, read.uncovered
                )
                read.rows.setdefault(COVERAGE, []).extend(add_all)
            # Each meeting reported by the source its row cites (after coverage: a report
            # derived from a row covers nothing the row does not).
            if REPORTS in tables:
                for row in read.rows.get("meetings", []):
                    if row.get("char_start") is not None:  # else its evidence is reported
                        add(REPORTS, _reported(tables[REPORTS], row))
    # Every problem reading a file dropped something, except a changed hash.
    read.complete = read.complete and all(p.field == "sha256" for p in loading.items)
    read.problems.extend(loading)
    return read


def _reported(table: Table, meeting: Row) -> Row:
    """What the source a meeting's row cites says of it: its words, and the date and place
    only where it states them (an inferred date is the curator's, not the source's)."""
    row = {name: meeting.get(name) for name in table.field_names}
    row["note_en"] = None
    if meeting.get("date_basis") != "stated":
        row["date"] = None
    if meeting.get("place_basis") != "stated":
        row["place_id"] = None
    row.update({k: meeting[k] for k in (PATH, LINE, UNIT)})
    return row


def read_texts(root: Path, sources: pl.DataFrame) -> dict[str, str]:
    """The texts of the sources rows, by source_id (each was held to its record's sha256 when
    its unit was read)."""
    texts = {}
    for source_id, rel in sources.select("source_id", "path").drop_nulls().iter_rows():
        try:
            texts[source_id] = (root / rel).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # changed since its unit was read: the next build reads it again
    return texts
