"""Holding the curated facts against everything the fact finder reads in a source.

A curator's reading can miss a figure; the finder's cannot skip one. Every candidate must be
covered by a curated row whose evidence contains it (an amount by a row with that amount, a
percentage by a row with that value) or waived in the facts file with a reason. The result is
published as the `coverage` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH, UNIT
from eaeu_facts.model.schemas import Table
from eaeu_facts.read.candidates import Candidate, find_candidates
from eaeu_facts.read.evidence import EvidenceError, Span, locate
from eaeu_facts.read.rows import Row
from eaeu_facts.read.seeds import WAIVERS, Entry, Origin, Source

COVERAGE = "coverage"
# A quotation row covers quotations; figures inside it must be recorded in their own rows.
QUOTATION_ONLY = ("quotes",)


@dataclass(frozen=True)
class Waiver:
    span: Span
    reason: str
    kind: str | None
    origin: Origin


def coverage_rows(
    source: Source,
    rows: dict[str, list[Row]],
    tables: dict[str, Table],
    waivers: list[Entry],
    unit: str,
    problems: Problems,
    uncovered: Problems,
) -> list[Row]:
    """The coverage rows of a source (read in `unit`), given the rows of its facts file; every
    unused or unreadable waiver goes to `problems`, every uncovered candidate to `uncovered`.

    The caller reports `uncovered` only if all else is sound: a row whose figure is wrong
    leaves the printed figure uncovered, an echo of the row's own problem. An unused waiver
    is no such echo.
    """
    spans = _spans(rows, tables)
    readable = _waivers(source, waivers, problems)
    used: set[int] = set()
    out = []
    for cand in find_candidates(source.text):
        row = _cover(cand, source, spans, readable, used)
        line = source.text.count("\n", 0, cand.start) + 1
        if row is None:
            uncovered.add(
                source.text_path,
                line,
                cand.kind,
                cand.text,
                "a curated row whose evidence covers it, or a waiver with a reason "
                f"under '{WAIVERS}' in seeds/facts/{source.name}.yaml",
            )
            continue
        out.append({**row, PATH: source.text_path, LINE: line, UNIT: unit})
    for i, waiver in enumerate(readable):
        if i not in used:
            problems.add(
                waiver.origin.path,
                waiver.origin.line,
                "waivers",
                source.text[waiver.span.start : waiver.span.end],
                "a waiver that covers at least one candidate of the fact finder",
            )
    return out


def _waivers(source: Source, entries: list[Entry], problems: Problems) -> list[Waiver]:
    waivers = []
    for entry in entries:
        values, origin = entry.values, entry.origin
        reason = values.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            expected = "the curator's reason for recording no fact"
            problems.add(origin.path, origin.line_of("reason"), "reason", reason, expected)
            continue
        for key in values:
            if key not in ("evidence", "occurrence", "reason", "kind"):
                problems.add(
                    origin.path,
                    origin.line_of(key),
                    key,
                    "an unknown field",
                    "one of evidence, occurrence, kind, reason",
                )
        try:
            span = locate(source.text, values.get("evidence"), values.get("occurrence"))
        except EvidenceError as exc:
            found = f"<{exc.found} in {source.text_path}>"
            problems.add(origin.path, origin.line_of("evidence"), "evidence", found, exc.expected)
            continue
        waivers.append(Waiver(span, " ".join(reason.split()), values.get("kind"), origin))
    return waivers


def _cover(
    cand: Candidate,
    source: Source,
    spans: list[_Span],
    waivers: list[Waiver],
    used: set[int],
) -> Row | None:
    covering = sorted(_covering_rows(cand, spans))
    row: Row = {
        "candidate_id": f"cand-{source.source_id.removeprefix('src-')}-{cand.kind}-{cand.start}",
        "candidate_kind": cand.kind,
        "value": None if cand.value is None else float(cand.value),
        "value_max": None if cand.value_max is None else float(cand.value_max),
        "currency_code": cand.currency,
        "date_text": cand.date,
        "calendar": cand.calendar or ("gregorian" if cand.date else None),
        "ambiguous": cand.ambiguous,
        "relative": cand.relative,
        "status": "covered",
        "covered_by": " ".join(covering) or None,
        "waiver_reason": None,
        "source_id": source.source_id,
        "char_start": cand.start,
        "char_end": cand.end,
        "evidence_ar": cand.text,
    }
    if covering:
        return row
    for i, waiver in enumerate(waivers):
        inside = waiver.span.start <= cand.start and cand.end <= waiver.span.end
        if inside and waiver.kind in (None, cand.kind):
            used.add(i)
            return {**row, "status": "waived", "waiver_reason": waiver.reason}
    return None


# A curated row as coverage reads it: (start, end, table, "table/key", row).
_Span = tuple[int, int, str, str, Row]


def _spans(rows: dict[str, list[Row]], tables: dict[str, Table]) -> list[_Span]:
    """The evidence spans of the curated rows of one source."""
    out = []
    for name, table_rows in rows.items():
        table = tables[name]
        if name == COVERAGE or not table.has_provenance:
            continue
        for row in table_rows:
            key = "+".join(str(row[k]) for k in table.primary_key)
            out.append((row["char_start"], row["char_end"], name, f"{name}/{key}", row))
    return out


def _covering_rows(cand: Candidate, spans: list[_Span]) -> set[str]:
    return {label for start, end, name, label, row in spans if covers(cand, start, end, name, row)}


def covers(cand: Candidate, start: int, end: int, table: str, row: Row) -> bool:
    """Whether a row of `table` with evidence at [start, end) covers the candidate (the one
    rule of coverage, which the drafter asks too before it drafts a waiver)."""
    if not (start <= cand.start and cand.end <= end):
        return False
    if table in QUOTATION_ONLY and cand.kind != "quotation":
        return False
    return _same_figure(cand, row)


def _same_figure(cand: Candidate, row: Row) -> bool:
    """An amount is covered only by a row stating that amount; a percentage by that value."""
    if cand.kind == "amount" and "amount" in row:
        return cand.value is not None and row["amount"] == cand.value
    if cand.kind == "amount":
        return False
    if cand.kind == "percentage":
        return row.get("value_pct") is not None and row["value_pct"] == cand.value
    return True
