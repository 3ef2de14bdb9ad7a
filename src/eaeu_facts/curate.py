"""`eaeu-facts new`: a source copied in as received, its record, and a draft of its facts.

The drafter (draft/) reads the text with the lexicon, the gazetteer and the fact finder, and
links what it names to what the dataset knows: it drafts whole facts, people, places and
meetings, quotes with their speakers, trade between two countries with its period, and a
waiver with a reason for every figure it places in no row. Every entry is marked
`draft: true`, which the build refuses until a curator confirms it, so nothing drafted is
ever published unread. What the curator must still write is left empty: the English of a
quotation.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from eaeu_facts.draft.drafter import DRAFTERS, Article, Drafter
from eaeu_facts.draft.known import Known
from eaeu_facts.model import paths
from eaeu_facts.model import text as text_rules
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.seeds import DRAFT, decode_text

_RECEIVED = re.compile(r"^(?:[0-9]{3}_)?(?P<hex>[0-9a-f]{16})$")
EMPTY = (
    "# Nothing is drafted: the fact finder reads no figure, date or quotation in the text, and\n"
    "# it names no person, place or organisation the dataset or its gazetteer knows. Add the\n"
    "# facts by hand (see the curating guide), or leave the source without facts.\n"
)


def new_source(
    root: Path,
    text_file: Path,
    *,
    published: dt.date | None = None,
    publisher: str | None = None,
    title: str | None = None,
    drafter: Drafter | None = None,
) -> list[str]:
    """Copy `text_file` into seeds/sources/ under its canonical name, unchanged, and write its
    record (with what the curator gives up front) and the draft of its facts; the files
    written, relative to root. BuildError, with one line and nothing written, when the text
    is not an article in plain UTF-8 or is there already."""
    problems = Problems()
    data = text_file.read_bytes()
    text = decode_text(data, str(text_file), problems)
    if text is None:
        raise BuildError(problems)
    digest = sha256_hex(data)
    name = _canonical_name(root, text_file, digest, problems)
    for option, value in (("--publisher", publisher), ("--title", title)):
        if value is not None and (where := text_rules.refused_at(value)) is not None:
            problems.add(f"new {option}", None, option.lstrip("-"), where, text_rules.EXPECTED)
    if problems:
        raise BuildError(problems)
    known = Known.from_project(root)
    text_rel, record_rel, facts_rel = paths.source_files(name)
    source_id = f"src-{name.split('_', 1)[1]}"
    record = _record(source_id, digest, known, published, publisher, title)
    drafted = (drafter or DRAFTERS["rules"]).draft(Article(text, published), known)
    facts: dict[str, Any] = {"source_id": source_id}
    for table, entries in drafted.items():
        facts[table] = [{DRAFT: True, **entry} for entry in entries]
    (root / text_rel).parent.mkdir(parents=True, exist_ok=True)
    (root / facts_rel).parent.mkdir(parents=True, exist_ok=True)
    (root / text_rel).write_bytes(data)
    (root / record_rel).write_text(_dump(record), encoding="utf-8")
    header = EMPTY if len(facts) == 1 else ""
    (root / facts_rel).write_text(header + _dump(facts), encoding="utf-8")
    return [text_rel, record_rel, facts_rel]


def _record(
    source_id: str,
    digest: str,
    known: Known,
    published: dt.date | None,
    publisher: str | None,
    title: str | None,
) -> dict[str, Any]:
    """The source's record, with what the curator gave: the date of publication (as the
    record of receipt says, not the text: `inferred`, with why), the publisher (an
    organisation's id, or its name) and the English title."""
    by_id = {e.id: e for e in known.names.values() if e.kind == "organization"}
    organization = by_id.get(publisher) if publisher else None
    record: dict[str, Any] = {
        "source_id": source_id,
        "sha256": digest,
        "language": "ar",
        "title_en": title,
        "publisher_organization_id": organization.id if organization else None,
        "publisher_en": organization.name_en if organization else publisher,
        "published_date": published.isoformat() if published else None,
        "published_date_as_printed_ar": None,
        "published_date_basis": "inferred" if published else "open",
        "rights_status": None,
        "rights_note_en": None,
    }
    if published:
        record["published_date_note_en"] = (
            "Given by the curator who added the source (eaeu-facts new --published), from "
            "where the text was received; the text itself prints no date of publication."
        )
    return record


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


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
