"""Turning curated entries into typed rows, with their evidence located in the source text.

A row is a dict of every field of its table (None where the entry gives no usable value) and
the hidden columns of model/frames.py: the file and line it was written at, and its unit. A
value that cannot be read as its field's type is reported here, where its line is known, and
named in `unread`, so that no check reports it again.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH, UNIT
from eaeu_facts.model.schemas import PROVENANCE_FIELDS, Field, Table
from eaeu_facts.model.text import surrogate_at
from eaeu_facts.read.evidence import EvidenceError, locate
from eaeu_facts.read.seeds import EVIDENCE_KEYS, Entry, Origin, Source

# Columns the build fills from the evidence rather than the curator.
DERIVED_FROM_EVIDENCE = {"quotes": ("text_ar",)}
# Source columns computed from the text file itself.
SOURCE_COMPUTED = ("path", "char_count", "title_ar")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The range of a whole number in every table type of the build (a 64-bit integer).
_INT64 = (-(2**63), 2**63 - 1)

Row = dict[str, Any]
# A value that could not be read, as (table, path, line of its entry, field).
Cell = tuple[str, str, int | None, str]


def source_row(
    table: Table, source: Source, unit: str, problems: Problems, unread: set[Cell]
) -> Row:
    """The sources row of a source: its record's fields and those computed from its text."""
    origin = source.origin
    allowed = [n for n in table.field_names if n not in SOURCE_COMPUTED]
    _check_keys(source.record, allowed, (), origin, problems)
    row = _typed_values(table, source.record, origin, problems, skip=SOURCE_COMPUTED)
    row.update(path=source.text_path, char_count=len(source.text))
    row["title_ar"] = source.text.split("\n", 1)[0]
    return _complete(table, row, source.record, (), origin, unit, unread)


def entry_row(
    table: Table,
    entry: Entry,
    source: Source | None,
    unit: str,
    problems: Problems,
    unread: set[Cell],
) -> Row:
    """The row of a curated entry, its evidence located in its source's text."""
    computed = DERIVED_FROM_EVIDENCE.get(table.name, ())
    provenance = table.has_provenance
    if provenance:
        computed = (*computed, *PROVENANCE_FIELDS)
    allowed = [n for n in table.field_names if n not in computed]
    _check_keys(entry.values, allowed, EVIDENCE_KEYS if provenance else (), entry.origin, problems)
    row = _typed_values(table, entry.values, entry.origin, problems, skip=computed)
    if provenance:
        row.update(_evidence(table, entry, source, problems))
    return _complete(table, row, entry.values, computed, entry.origin, unit, unread)


def _evidence(table: Table, entry: Entry, source: Source | None, problems: Problems) -> Row:
    origin = entry.origin
    if source is None:
        expected = "facts of this table to be written in a seeds/facts/ file of a source"
        problems.add(origin.path, origin.line, "source_id", None, expected)
        return {}
    if "evidence" not in entry.values:  # reported by _check_keys
        return {"source_id": source.source_id}
    if source.edited:  # one problem says so
        return {"source_id": source.source_id}
    evidence = entry.values["evidence"]
    try:
        span = locate(source.text, evidence, entry.values.get("occurrence"))
    except EvidenceError as exc:
        key = "occurrence" if "occurrence" in entry.values else "evidence"
        found = f"<{exc.found} in {source.text_path}>"
        problems.add(origin.path, origin.line_of(key), key, found, exc.expected)
        return {"source_id": source.source_id}
    row = dict(
        source_id=source.source_id, char_start=span.start, char_end=span.end, evidence_ar=evidence
    )
    row.update(dict.fromkeys(DERIVED_FROM_EVIDENCE.get(table.name, ()), evidence))
    return row


def _complete(
    table: Table,
    row: Row,
    values: dict,
    computed: tuple[str, ...],
    origin: Origin,
    unit: str,
    unread: set[Cell],
) -> Row:
    """Every field in schema order, then the hidden columns; the fields left empty because
    their value could not be read (not because none was given) go to `unread`."""
    out = {name: row.get(name) for name in table.field_names}
    for name, value in out.items():
        if value is None and (name in computed or values.get(name) not in (None, "")):
            unread.add((table.name, origin.path, origin.line, name))
    out.update({PATH: origin.path, LINE: origin.line, UNIT: unit})
    return out


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
        expected = "the words of the source that support the row"
        problems.add(origin.path, origin.line, "evidence", "<missing>", expected)


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
    return row


def coerce(f: Field, value: Any) -> Any:
    """A curated value as the schema's Python type; None for empty. Raises ValueError."""
    if value is None or value == "":
        return None
    kind = f.type
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError("a string (quote it)")
        if where := surrogate_at(value):  # UTF-8 cannot hold it, nor any file of the package
            raise ValueError(f"text without unpaired surrogates, not {where[1:-1]}")
        return value
    if kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            if _INT64[0] <= value <= _INT64[1]:
                return value
            raise ValueError(f"a whole number from {_INT64[0]} to {_INT64[1]}")
        raise ValueError("a whole number written with digits only")
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value) if abs(value) < 1e308 else math.inf
            if math.isfinite(number):
                return number
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
