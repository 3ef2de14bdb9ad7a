"""Turning curated entries into typed rows, one list per table, with evidence located.

Each row keeps the Origin it was written at, so a later check can point at a file and line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from eaeu_facts.errors import Problems
from eaeu_facts.provenance import EvidenceError, locate
from eaeu_facts.schemas import PROVENANCE_FIELDS, Catalog, Field, Table
from eaeu_facts.seeds import EVIDENCE_KEYS, Entry, Origin, Seeds, Source

# Columns the build fills from the evidence rather than the curator.
DERIVED_FROM_EVIDENCE = {"quotes": ("text_ar",)}
# Source columns computed from the text file itself.
SOURCE_COMPUTED = ("path", "char_count", "title_ar")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Row = dict[str, Any]


@dataclass
class TableRows:
    """The rows of one table and, index for index, where each was written.

    `unknown` names, for each row, the fields whose value could not be read (given in a wrong
    form, or computed from evidence that could not be placed). That was reported when it was
    read; the row is kept so other rows can refer to it, and checks stay silent on those fields.
    """

    table: Table
    rows: list[Row] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    unknown: list[frozenset[str]] = field(default_factory=list)

    def append(self, row: Row, origin: Origin, unknown: frozenset[str] = frozenset()) -> None:
        self.rows.append(row)
        self.origins.append(origin)
        self.unknown.append(unknown)

    def sort(self) -> None:
        """Order rows by primary key, so every build writes them in the same order."""
        key = self.table.primary_key
        triples = sorted(
            zip(self.rows, self.origins, self.unknown, strict=True),
            key=lambda p: tuple(_sort_value(p[0].get(k)) for k in key),
        )
        self.rows = [r for r, _, _ in triples]
        self.origins = [o for _, o, _ in triples]
        self.unknown = [u for _, _, u in triples]


def build_tables(catalog: Catalog, seeds: Seeds, problems: Problems) -> dict[str, TableRows]:
    """Typed rows for every table in the catalog (empty tables included)."""
    out = {t.name: TableRows(t) for t in catalog.tables}
    for source in seeds.sources.values():
        table = out["sources"].table
        row = _complete(table, _source_row(table, source, problems))
        origin = Origin(source.record_path, source.record.line, dict(source.record.key_lines))
        out["sources"].append(row, origin, _unknown(row, source.record, ()))
    for entry in seeds.entries:
        table = out[entry.table].table
        source = seeds.sources.get(entry.source_id) if entry.source_id else None
        row = _complete(table, _entry_row(table, entry, source, problems))
        computed = (*PROVENANCE_FIELDS, *DERIVED_FROM_EVIDENCE.get(table.name, ()))
        out[entry.table].append(row, entry.origin, _unknown(row, entry.values, computed))
    for rows in out.values():
        rows.sort()
    return out


def _complete(table: Table, row: Row) -> Row:
    """Every field of the table, in schema order; None where the entry gave no usable value."""
    return {name: row.get(name) for name in table.field_names}


def _unknown(row: Row, values: dict, computed: tuple[str, ...]) -> frozenset[str]:
    """Fields left empty because their value could not be read, not because none was given."""
    return frozenset(
        name
        for name, value in row.items()
        if value is None and (name in computed or values.get(name) not in (None, ""))
    )


def _source_row(table: Table, source: Source, problems: Problems) -> Row:
    record = source.record
    origin = Origin(source.record_path, record.line, dict(record.key_lines))
    allowed = [n for n in table.field_names if n not in SOURCE_COMPUTED]
    _check_keys(record, allowed, (), origin, problems)
    row = _typed_values(table, record, origin, problems, skip=SOURCE_COMPUTED)
    row["path"] = source.text_path
    row["char_count"] = len(source.text)
    row["title_ar"] = source.text.split("\n", 1)[0]
    return row


def _entry_row(table: Table, entry: Entry, source: Source | None, problems: Problems) -> Row:
    computed = DERIVED_FROM_EVIDENCE.get(table.name, ())
    provenance = table.has_provenance
    if provenance:
        computed = (*computed, "source_id", "char_start", "char_end", "evidence_ar")
    allowed = [n for n in table.field_names if n not in computed]
    extra = EVIDENCE_KEYS if provenance else ()
    _check_keys(entry.values, allowed, extra, entry.origin, problems)
    row = _typed_values(table, entry.values, entry.origin, problems, skip=computed)
    if not provenance:
        return row
    if source is None:
        problems.add(
            entry.origin.path,
            entry.origin.line,
            "source_id",
            None,
            "facts of this table to be written in a seeds/facts/ file of a source",
        )
        return row
    evidence = entry.values.get("evidence")
    if "evidence" not in entry.values:  # reported by _check_keys
        row["source_id"] = source.source_id
        return row
    try:
        span = locate(source.text, evidence, entry.values.get("occurrence"))
    except EvidenceError as exc:
        key = "occurrence" if "occurrence" in entry.values else "evidence"
        problems.add(
            entry.origin.path,
            entry.origin.line_of(key),
            key,
            f"<{exc.found} in {source.text_path}>",
            exc.expected,
        )
        row["source_id"] = source.source_id
        return row
    row.update(
        source_id=source.source_id, char_start=span.start, char_end=span.end, evidence_ar=evidence
    )
    for name in DERIVED_FROM_EVIDENCE.get(table.name, ()):
        row[name] = evidence
    return row


def _check_keys(
    values: dict, allowed: list[str], extra: tuple[str, ...], origin: Origin, problems: Problems
) -> None:
    for key in values:
        if key not in allowed and key not in extra:
            problems.add(
                origin.path,
                origin.line_of(key),
                str(key),
                "an unknown field",
                f"one of {', '.join([*allowed, *extra])}",
            )
    if extra and "evidence" not in values:
        problems.add(
            origin.path,
            origin.line,
            "evidence",
            "<missing>",
            "the words of the source that support the row",
        )


def _typed_values(
    table: Table, values: dict, origin: Origin, problems: Problems, skip: tuple[str, ...]
) -> Row:
    row: Row = {}
    for f in table.fields:
        if f.name in skip:
            continue
        raw = values.get(f.name)
        try:
            row[f.name] = coerce(f, raw)
        except ValueError as exc:
            problems.add(origin.path, origin.line_of(f.name), f.name, raw, str(exc))
            row[f.name] = None
            continue
        if row[f.name] is None and f.required:
            problems.add(
                origin.path, origin.line_of(f.name), f.name, "<missing>", "a value (required)"
            )
    return row


def coerce(f: Field, value: Any) -> Any:
    """A curated value as the schema's Python type; None for empty. Raises ValueError."""
    if value is None or value == "":
        return None
    kind = f.type
    if kind == "string":
        if isinstance(value, str):
            return value
        raise ValueError("a string (quote it)")
    if kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError("a whole number written with digits only")
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise ValueError("a number written with digits")
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        raise ValueError("true or false")
    if kind == "date":
        return parse_date(value)
    raise ValueError(f"a value of type {kind}")


def parse_date(value: Any) -> dt.date:
    """An ISO date that exists; '2025-02-30' is refused, not rolled over."""
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("a date that exists, written YYYY-MM-DD")


def _sort_value(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)
