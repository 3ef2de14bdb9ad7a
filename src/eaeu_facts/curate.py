"""`eaeu-facts new`: a source copied in as received, its record, and a draft of its facts.

Adding a source used to mean typing hundreds of lines of YAML. Here the fact finder drafts
them: every candidate it reads becomes an entry of the table it most likely belongs to (an
amount a trade or investment figure, a percentage an indicator, a quotation a quote, a date
a meeting; numbers and years a waiver to decide), with its evidence and what the finder
knows. Every entry is marked `draft: true`, which the build refuses until a curator confirms
it, so nothing drafted is ever published unread.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from eaeu_facts.model import paths
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.read.candidates import Candidate, find_candidates
from eaeu_facts.read.evidence import occurrences, sha256_hex
from eaeu_facts.read.seeds import DRAFT, WAIVERS, decode_text

_RECEIVED = re.compile(r"^(?:[0-9]{3}_)?(?P<hex>[0-9a-f]{16})$")
_HEDGES = {  # the words before a figure, as the finder leaves them outside its span
    "about": r"(?:نحو|بنحو|حوالي|بحوالي|قرابة|زهاء|تقريبا)",
    "more_than": r"(?:أكثر من|اكثر من|تجاوز|تجاوزت|يتجاوز|يزيد عن|يزيد على|ما يزيد على)",
    "less_than": r"(?:أقل من|اقل من)",
}
_INVESTMENT = re.compile(r"استثمار")


def new_source(root: Path, text_file: Path) -> list[str]:
    """Copy `text_file` into seeds/sources/ under its canonical name, unchanged, and write its
    record and draft facts; the files written, relative to root. BuildError, with one line
    and nothing written, when the text is not plain UTF-8 or is there already."""
    problems = Problems()
    data = text_file.read_bytes()
    text = decode_text(data, str(text_file), problems)
    if text is None:
        raise BuildError(problems)
    digest = sha256_hex(data)
    name = _canonical_name(root, text_file, digest, problems)
    if problems:
        raise BuildError(problems)
    text_rel, record_rel, facts_rel = paths.source_files(name)
    source_id = f"src-{name.split('_', 1)[1]}"
    record = {
        "source_id": source_id,
        "sha256": digest,
        "language": "ar",
        "title_en": None,
        "publisher_organization_id": None,
        "publisher_en": None,
        "published_date": None,
        "published_date_as_printed_ar": None,
        "published_date_basis": "open",
        "rights_status": None,
        "rights_note_en": None,
    }
    facts: dict[str, Any] = {"source_id": source_id}
    for table, entry in (_draft(text, c) for c in find_candidates(text)):
        facts.setdefault(table, []).append(entry)
    (root / text_rel).parent.mkdir(parents=True, exist_ok=True)
    (root / facts_rel).parent.mkdir(parents=True, exist_ok=True)
    (root / text_rel).write_bytes(data)
    (root / record_rel).write_text(_dump(record), encoding="utf-8")
    (root / facts_rel).write_text(_dump(facts), encoding="utf-8")
    return [text_rel, record_rel, facts_rel]


def _canonical_name(root: Path, text_file: Path, digest: str, problems: Problems) -> str:
    """NNN_HEX: the next sequence number, and the 16 hexadecimal digits the file was received
    under (its name), or else the first 16 of its sha256."""
    folder = root / paths.SOURCES
    texts = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    for existing in texts:
        if sha256_hex(existing.read_bytes()) == digest:
            where = f"{paths.SOURCES}/{existing.name}"
            problems.add(str(text_file), None, "file", f"<the text of {where}>", "a new source")
            return ""
    received = _RECEIVED.match(text_file.stem)
    hexdigits = received["hex"] if received else digest[:16]
    if any(p.stem.endswith(f"_{hexdigits}") for p in texts):
        problems.add(str(text_file), None, "name", hexdigits, "16 digits no source has yet")
        return ""
    numbers = [int(p.stem[:3]) for p in texts if p.stem[:3].isdigit()]
    return f"{max(numbers, default=-1) + 1:03d}_{hexdigits}"


def _draft(text: str, c: Candidate) -> tuple[str, dict[str, Any]]:
    """The table a candidate most likely belongs to, and its draft entry there."""
    entry: dict[str, Any] = {DRAFT: True}
    if c.kind == "amount":
        before = text[text.rfind("\n", 0, c.start) + 1 : c.start]
        table = "investment" if _INVESTMENT.search(before) else "trade"
        entry["trade_id" if table == "trade" else "investment_id"] = None
        entry.update(
            amount=c.value,
            currency_code=c.currency,
            currency_basis="stated" if c.currency_explicit else "inferred",
            amount_as_printed_ar=c.text,
            hedge=_hedge(text, c),
        )
    elif c.kind == "percentage":
        table = "indicators"
        entry.update(indicator_id=None, value_pct=c.value, value_as_printed_ar=c.text)
        entry["hedge"] = _hedge(text, c)
    elif c.kind == "quotation":
        table = "quotes"
        entry.update(quote_id=None, speaker_person_id=None, meeting_id=None)
        entry["attribution_ar"] = c.attribution
    elif c.kind == "date":
        table = "meetings"
        full = c.calendar is None and c.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.date)
        entry.update(meeting_id=None, date=c.date if full else None, date_as_printed_ar=c.text)
        entry["date_basis"] = "stated" if full else "relative" if c.relative else "open"
    else:  # a number or a year: recorded in a row, or waived with a reason
        table = WAIVERS
        entry.update(kind=c.kind, reason=None)
    entry["evidence"] = c.text
    starts = occurrences(text, c.text)
    if len(starts) > 1:
        entry["occurrence"] = starts.index(c.start) + 1
    return table, entry


def _hedge(text: str, c: Candidate) -> str:
    before = text[max(0, c.start - 20) : c.start].rstrip()
    for hedge, words in _HEDGES.items():
        if re.search(words + r"$", before):
            return hedge
    return "exactly"


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
