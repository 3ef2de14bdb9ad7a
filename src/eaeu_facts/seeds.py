"""Reading seeds/: the source texts as received, their records, and the curated facts.

Layout (adding a source is adding files, never code):
  seeds/sources/NAME.txt   the text exactly as received (UTF-8, no BOM, LF line ends)
  seeds/sources/NAME.yaml  its source record (publisher, date, rights, sha256 of the text)
  seeds/facts/NAME.yaml    the curated facts citing it, one list per table
  seeds/reference/TABLE.yaml  reference tables that cite no source (countries)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eaeu_facts.errors import Problems
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.yamlio import LineDict, load_yaml

EVIDENCE_KEYS = ("evidence", "occurrence")
# Key of a facts file listing candidates the curator records no fact for, each with a reason.
WAIVERS = "waivers"


@dataclass(frozen=True)
class Origin:
    """Where a row was written: a file, the line of its entry, and the line of each key."""

    path: str
    line: int | None
    key_lines: dict[str, int] = field(default_factory=dict)
    column_numbers: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)

    def column_of(self, key: str) -> int | None:
        return self.column_numbers.get(key)


@dataclass
class Source:
    source_id: str
    name: str
    text_path: str
    text: str
    sha256: str
    record: LineDict
    record_path: str


@dataclass
class Entry:
    """One curated row as written, before types are checked and evidence located."""

    table: str
    values: dict[str, Any]
    origin: Origin
    source_id: str | None = None


@dataclass
class Seeds:
    sources: dict[str, Source] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    waivers: list[Entry] = field(default_factory=list)
    # Sources whose text could not be read: their facts are skipped without a second report.
    unreadable: set[str] = field(default_factory=set)
    # False when a file could not be read in full, so rows other rows refer to may be missing.
    complete: bool = True


def load_seeds(root: Path, table_names: list[str], problems: Problems) -> Seeds:
    """Read every seed file, collecting problems instead of stopping at the first."""
    seeds = Seeds()
    base = root / "seeds"
    start = len(problems)
    for path in sorted((base / "sources").glob("*.txt")):
        source = _load_source(root, path, problems, seeds.unreadable)
        if source is None:
            continue
        if source.source_id in seeds.sources:
            problems.add(
                source.record_path,
                source.record.line_of("source_id"),
                "source_id",
                source.source_id,
                "an identifier no other source has",
            )
            continue
        seeds.sources[source.source_id] = source
    for path in sorted((base / "sources").glob("*.yaml")):
        if not path.with_suffix(".txt").exists():
            problems.add(
                _rel(root, path),
                None,
                "file",
                "a source record without its text",
                f"{path.with_suffix('.txt').name} beside it",
            )
    for path in sorted((base / "reference").glob("*.yaml")):
        seeds.entries.extend(_load_reference(root, path, table_names, problems))
    for path in sorted((base / "facts").glob("*.yaml")):
        seeds.entries.extend(_load_facts(root, path, seeds, table_names, problems))
    # Every problem found while reading files dropped something, except a changed hash.
    seeds.complete = not seeds.unreadable and all(
        p.field == "sha256" for p in problems.items[start:]
    )
    return seeds


def _load_source(root: Path, path: Path, problems: Problems, unreadable: set[str]) -> Source | None:
    display = _rel(root, path)
    data = path.read_bytes()
    text = _decode_source(data, display, problems)
    record_path = path.with_suffix(".yaml")
    record_display = _rel(root, record_path)
    if not record_path.exists():
        problems.add(
            display, None, "file", "a source text without a record", f"{record_path.name} beside it"
        )
        return None
    record = load_yaml(record_path, record_display, problems)
    if not isinstance(record, LineDict):
        if record is not None:
            problems.add(record_display, None, "record", _kind(record), "a mapping")
        return None
    if text is None:
        if isinstance(record.get("source_id"), str):
            unreadable.add(record["source_id"])
        return None
    digest = sha256_hex(data)
    if record.get("sha256") is None:
        problems.add(
            record_display,
            record.line,
            "sha256",
            "<missing>",
            f"the sha256 of {path.name}: {digest}",
        )
    elif record.get("sha256") != digest:
        problems.add(
            display,
            None,
            "sha256",
            digest,
            f"{record.get('sha256')} as recorded in {record_display} "
            "(a source is never edited once facts cite it)",
        )
    source_id = record.get("source_id")
    if not isinstance(source_id, str):
        problems.add(record_display, record.line, "source_id", source_id, "a source identifier")
        return None
    return Source(source_id, path.stem, display, text, digest, record, record_display)


def _decode_source(data: bytes, display: str, problems: Problems) -> str | None:
    """Source text must be plain UTF-8 with LF line ends, or offsets would mean other things."""
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add(display, 1, "encoding", "a byte order mark", "UTF-8 without BOM")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            display,
            line,
            "encoding",
            f"byte 0x{data[exc.start]:02x} at offset {exc.start}",
            "UTF-8",
        )
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(display, line, "line ends", "<a carriage return (CR)>", "LF line ends only")
        return None
    return text


def _load_reference(
    root: Path, path: Path, table_names: list[str], problems: Problems
) -> list[Entry]:
    display = _rel(root, path)
    table = path.stem
    if table not in table_names:
        problems.add(
            display, None, "file", table, f"a file named after a table ({', '.join(table_names)})"
        )
        return []
    data = load_yaml(path, display, problems)
    return _entries(data, table, None, display, problems)


def _load_facts(
    root: Path, path: Path, seeds: Seeds, table_names: list[str], problems: Problems
) -> list[Entry]:
    display = _rel(root, path)
    data = load_yaml(path, display, problems)
    if data is None:
        return []
    if not isinstance(data, LineDict):
        problems.add(display, None, "file", _kind(data), "a mapping of table names to lists")
        return []
    source_id = data.get("source_id")
    if isinstance(source_id, str) and source_id in seeds.unreadable:
        return []
    if not isinstance(source_id, str) or source_id not in seeds.sources:
        problems.add(
            display,
            data.line_of("source_id"),
            "source_id",
            source_id,
            "the source_id of a source record in seeds/sources/",
        )
        return []
    entries = []
    for key, value in data.items():
        if key == "source_id":
            continue
        if key == WAIVERS:
            seeds.waivers.extend(
                _entries(value, key, source_id, display, problems, data.line_of(key))
            )
            continue
        if key not in table_names:
            problems.add(display, data.line_of(key), "table", key, "a table name from schemas/")
            continue
        entries.extend(_entries(value, key, source_id, display, problems, data.line_of(key)))
    return entries


def _entries(
    data: Any,
    table: str,
    source_id: str | None,
    display: str,
    problems: Problems,
    line: int | None = None,
) -> list[Entry]:
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(display, line, table, _kind(data), "a list of entries")
        return []
    entries = []
    for item in data:
        if not isinstance(item, LineDict):
            problems.add(display, line, table, repr(item), "an entry (a mapping of fields)")
            continue
        origin = Origin(display, item.line, dict(item.key_lines))
        entries.append(Entry(table, dict(item), origin, source_id))
    return entries


def _kind(value: Any) -> object:
    """A YAML value of the wrong shape, in the curator's words rather than Python's."""
    if isinstance(value, dict):
        return "<a mapping>"
    if isinstance(value, list):
        return "<a list>"
    return value


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
