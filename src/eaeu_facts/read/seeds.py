"""Reading the files of seeds/: source texts as received, their records, curated facts.

Each function reads one file and collects its problems instead of stopping at the first; what
it returns keeps the line each mapping and key was written at, so that every later check can
point a curator at the line to fix (see model/paths.py for the layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.yamlio import LineDict, load_yaml
from eaeu_facts.read.evidence import sha256_hex

EVIDENCE_KEYS = ("evidence", "occurrence")
# The mark of an entry `eaeu-facts new` drafted: never published, never covering a candidate.
DRAFT = "draft"
DRAFT_FIX = "no drafts: confirm it by deleting `draft: true`, or delete it"
# Key of a facts file listing candidates the curator records no fact for, each with a reason.
WAIVERS = "waivers"


@dataclass(frozen=True)
class Origin:
    """Where a row was written: a file, the line of its entry, and the line of each key."""

    path: str
    line: int | None
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


@dataclass
class Source:
    source_id: str
    name: str
    text_path: str
    text: str
    sha256: str
    record: LineDict
    record_path: str

    @property
    def edited(self) -> bool:
        """Its bytes are not those its record's sha256 names: the facts citing it are not
        located in it, and one problem says so (read/evidence.py's `edited`)."""
        return self.record.get("sha256") not in (None, self.sha256)

    @property
    def origin(self) -> Origin:
        return Origin(self.record_path, self.record.line, dict(self.record.key_lines))


@dataclass
class Entry:
    """One curated row as written, before types are checked and evidence located."""

    table: str
    values: dict[str, Any]
    origin: Origin
    source_id: str | None = None


def load_source(root: Path, text_path: str, problems: Problems) -> tuple[Source | None, bool]:
    """The source text and its record; with False when its facts cannot be read against it
    (a text that cannot be decoded), so that they are skipped without a second report."""
    record_path = text_path.removesuffix(".txt") + ".yaml"
    if not (root / record_path).exists():
        name = Path(record_path).name
        problems.add(text_path, None, "file", "a source text without a record", f"{name} beside it")
        return None, True
    data = (root / text_path).read_bytes()
    text = decode_text(data, text_path, problems)
    record = load_yaml(root / record_path, record_path, problems)
    if not isinstance(record, LineDict):
        if record is not None:
            problems.add(record_path, None, "record", kind_of(record), "a mapping")
        return None, True
    if text is None:
        return None, False
    digest = sha256_hex(data)
    if record.get("sha256") is None:
        expected = f"the sha256 of {Path(text_path).name}: {digest}"
        problems.add(record_path, record.line, "sha256", "<missing>", expected)
    source_id = record.get("source_id")
    if not isinstance(source_id, str):
        problems.add(record_path, record.line, "source_id", source_id, "a source identifier")
        return None, True
    name = Path(text_path).stem
    return Source(source_id, name, text_path, text, digest, record, record_path), True


def decode_text(data: bytes, display: str, problems: Problems) -> str | None:
    """Source text must be plain UTF-8 with LF line ends, or offsets would mean other things."""
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add(display, 1, "encoding", "a byte order mark", "UTF-8 without BOM")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        found = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        problems.add(display, line, "encoding", found, "UTF-8" + _legacy_arabic(data))
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(display, line, "line ends", "<a carriage return (CR)>", "LF line ends only")
        return None
    if not text.strip():
        problems.add(display, None, "text", "<no text>", "the text of an article")
        return None
    if "\0" in text:  # a binary file, or one whose encoding is not UTF-8 (UTF-16)
        at = text.index("\0")
        line = text[:at].count("\n") + 1
        found = f"<a NUL character at character {at + 1}>"
        problems.add(display, line, "text", found, "the text of an article (no NUL)")
        return None
    return text


def _legacy_arabic(data: bytes) -> str:
    """What to do with a text in the legacy Arabic code page most Arabic files not in UTF-8
    are in, when the bytes read as Arabic there; empty otherwise."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return ""
    letters = [c for c in text if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    if not letters or arabic < len(letters) / 2:
        return ""
    return (
        " (the bytes read as Windows-1256 Arabic: save the text as UTF-8, or convert it with"
        " `iconv -f cp1256 -t utf-8`)"
    )


def load_reference(
    root: Path, path: str, table_names: list[str], problems: Problems
) -> list[Entry] | None:
    """The rows of a reference table; None when the file could not be read."""
    table = Path(path).stem
    if table not in table_names:
        expected = f"a file named after a table ({', '.join(table_names)})"
        problems.add(path, None, "file", table, expected)
        return None
    data = load_yaml(root / path, path, problems)
    return None if data is None else entries(data, table, None, path, problems)


def load_facts(
    root: Path, path: str, source: Source, table_names: list[str], problems: Problems
) -> tuple[list[Entry], list[Entry]] | None:
    """The curated entries of a facts file and its waivers; None when it could not be read."""
    data = load_yaml(root / path, path, problems)
    if data is None:
        return None
    if not isinstance(data, LineDict):
        problems.add(path, None, "file", kind_of(data), "a mapping of table names to lists")
        return None
    if data.get("source_id") != source.source_id:
        problems.add(
            path,
            data.line_of("source_id"),
            "source_id",
            data.get("source_id"),
            f"the source_id of a source record in seeds/sources/ ({source.record_path})",
        )
        return None
    rows, waivers = [], []
    for key, value in data.items():
        if key == "source_id":
            continue
        line = data.line_of(key)
        if key == WAIVERS:
            waivers += entries(value, key, source.source_id, path, problems, line)
        elif key in table_names:
            rows += entries(value, key, source.source_id, path, problems, line)
        else:
            problems.add(path, line, "table", key, "a table name from schemas/")
    return rows, waivers


def entries(
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
        problems.add(display, line, table, kind_of(data), "a list of entries")
        return []
    out = []
    for item in data:
        if not isinstance(item, LineDict):
            problems.add(display, line, table, repr(item), "an entry (a mapping of fields)")
            continue
        if item.get(DRAFT) is True:  # written by `eaeu-facts new`, not yet confirmed
            problems.add(display, item.line_of(DRAFT), "draft", "<a draft entry>", DRAFT_FIX)
            continue
        if item.get(DRAFT) is False:
            item = _without(item, DRAFT)
        out.append(
            Entry(table, dict(item), Origin(display, item.line, dict(item.key_lines)), source_id)
        )
    return out


def _without(item: LineDict, key: str) -> LineDict:
    out = LineDict({k: v for k, v in item.items() if k != key})
    out.line, out.key_lines = item.line, item.key_lines
    return out


def kind_of(value: Any) -> object:
    """A YAML value of the wrong shape, in the curator's words rather than Python's."""
    if isinstance(value, dict):
        return "<a mapping>"
    if isinstance(value, list):
        return "<a list>"
    return value


class Places:
    """Where each entry of the curated files was written, read again when a check that ran on
    whole tables (which keep only the line of each entry) needs the line of one key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[int, LineDict]] = {}

    def line_of(self, path: str, line: int | None, key: str) -> int | None:
        if line is None or not path.endswith(".yaml"):
            return line
        if path not in self.files:
            self.files[path] = _mappings(load_yaml(self.root / path, path, Problems()))
        entry = self.files[path].get(line)
        return entry.line_of(key) if entry is not None else line


def _mappings(data: Any, found: dict[int, LineDict] | None = None) -> dict[int, LineDict]:
    """Every mapping of a YAML document by the line it starts at (the first, where several do)."""
    found = {} if found is None else found
    if isinstance(data, LineDict):
        found.setdefault(data.line, data)
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        _mappings(child, found)
    return found
