"""Holding the curated facts against everything the fact finder reads in each source.

A curator's reading can miss a figure; the finder's cannot skip one. Every candidate must be
covered by a curated row whose evidence contains it (an amount by a row with that amount, a
percentage by a row with that value) or waived in the facts file with a reason. The result is
published as the `coverage` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from eaeu_facts.candidates import Candidate, find_candidates
from eaeu_facts.errors import Problems
from eaeu_facts.provenance import EvidenceError, Span, locate
from eaeu_facts.seeds import Entry, Origin, Seeds, Source
from eaeu_facts.tables import Row, TableRows

COVERAGE = "coverage"
# A quotation row covers quotations; figures inside it must be recorded in their own rows.
QUOTATION_ONLY = ("quotes",)


@dataclass(frozen=True)
class Waiver:
    span: Span
    reason: str
    kind: str | None
    origin: Origin


def add_coverage(
    tables: dict[str, TableRows],
    seeds: Seeds,
    problems: Problems,
    uncovered: Problems | None = None,
) -> None:
    """Fill the coverage table; report every unused or unreadable waiver to `problems` and
    every uncovered candidate to `uncovered` (default: `problems`).

    A caller that checks the rows afterwards keeps `uncovered` apart, to report only if all
    else is sound: a row whose figure is wrong leaves the printed figure uncovered, an echo
    of the row's own problem. An unused waiver is no such echo: it is reported with the rest.
    """
    uncovered = problems if uncovered is None else uncovered
    if COVERAGE not in tables:
        return
    out = tables[COVERAGE]
    spans = _spans_by_source(tables)
    entries_by_source: dict[str | None, list[Entry]] = {}
    for entry in seeds.waivers:
        entries_by_source.setdefault(entry.source_id, []).append(entry)
    for source in seeds.sources.values():
        waivers = _waivers(source, entries_by_source.get(source.source_id, []), problems)
        used: set[int] = set()
        for cand in find_candidates(source.text):
            row = _cover(cand, source, spans.get(source.source_id, []), waivers, used)
            origin = Origin(source.text_path, source.text.count("\n", 0, cand.start) + 1)
            if row is None:
                uncovered.add(
                    origin.path,
                    origin.line,
                    cand.kind,
                    cand.text,
                    "a curated row whose evidence covers it, or a waiver with a reason "
                    f"under '{'waivers'}' in seeds/facts/{source.name}.yaml",
                )
                continue
            out.append(row, origin)
        for i, waiver in enumerate(waivers):
            if i not in used:
                problems.add(
                    waiver.origin.path,
                    waiver.origin.line,
                    "waivers",
                    source.text[waiver.span.start : waiver.span.end],
                    "a waiver that covers at least one candidate of the fact finder",
                )
    out.sort()


def _waivers(source: Source, entries: list[Entry], problems: Problems) -> list[Waiver]:
    waivers = []
    for entry in entries:
        if entry.source_id != source.source_id:
            continue
        values, origin = entry.values, entry.origin
        reason = values.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.add(
                origin.path,
                origin.line_of("reason"),
                "reason",
                reason,
                "the curator's reason for recording no fact",
            )
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
            problems.add(
                origin.path,
                origin.line_of("evidence"),
                "evidence",
                f"<{exc.found} in {source.text_path}>",
                exc.expected,
            )
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


def _spans_by_source(tables: dict[str, TableRows]) -> dict[str, list[_Span]]:
    """The evidence spans of every curated row, grouped by source, so that a candidate is held
    against its own source's rows only (not every row of every table)."""
    out: dict[str, list[_Span]] = {}
    for name, rows in tables.items():
        if name == COVERAGE or not rows.table.has_provenance:
            continue
        key_fields = rows.table.primary_key
        for row in rows.rows:
            key = "+".join(str(row[k]) for k in key_fields)
            span = (row["char_start"], row["char_end"], name, f"{name}/{key}", row)
            out.setdefault(row["source_id"], []).append(span)
    return out


def _covering_rows(cand: Candidate, spans: list[_Span]) -> set[str]:
    found = set()
    for start, end, name, label, row in spans:
        if not (start <= cand.start and cand.end <= end):
            continue
        if name in QUOTATION_ONLY and cand.kind != "quotation":
            continue
        if _same_figure(cand, row):
            found.add(label)
    return found


def _same_figure(cand: Candidate, row: Row) -> bool:
    """An amount is covered only by a row stating that amount; a percentage by that value."""
    if cand.kind == "amount" and "amount" in row:
        return cand.value is not None and row["amount"] == cand.value
    if cand.kind == "amount":
        return False
    if cand.kind == "percentage":
        return row.get("value_pct") is not None and row["value_pct"] == cand.value
    return True
