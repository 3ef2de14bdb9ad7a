"""Breaking a valid project or package on purpose, as a careless curator or a tamperer would.

The base project is tests/fixtures/mini with tests/fixtures/figures laid over it (a second
source with an indicator and an amount in Arabic-Indic digits). Edits are made to the file
text, so the line a problem names is the line a person would open.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from eaeu_facts.model.errors import Problem, Problems
from eaeu_facts.model.frames import to_arrow
from eaeu_facts.model.paths import parquet_file
from eaeu_facts.model.schemas import Catalog
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.package import read_csv
from tests.conftest import MINI, MINI_TEXT, REPO, copy_project

FIGURES = REPO / "tests" / "fixtures" / "figures"
MINI_RECORD = MINI_TEXT.removesuffix(".txt") + ".yaml"
FIG_FACTS = "seeds/facts/002_fedcba9876543210.yaml"
FIG_TEXT = "seeds/sources/002_fedcba9876543210.txt"
FIG_RECORD = FIG_TEXT.removesuffix(".txt") + ".yaml"
COUNTRIES = "seeds/reference/countries.yaml"
PACKAGE = "datapackage"


def make_project(root: Path) -> Path:
    """The real schemas with the mini and figures seeds, in a fresh directory."""
    root.mkdir(parents=True)
    return copy_project(root, MINI / "seeds", FIGURES / "seeds")


def replace(root: Path, rel: str, old: str, new: str, nth: int = 1) -> None:
    """Replace the nth occurrence of `old` in a text file; fail loudly if it is not there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth):
        at = text.find(old, at + 1)
        assert at != -1, f"{old!r} occurs fewer than {nth} times in {rel}"
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of a file containing `needle`."""
    lines = [
        i for i, line in enumerate((root / rel).read_text("utf-8").split("\n"), 1) if needle in line
    ]
    assert len(lines) >= nth, f"{needle!r} is on fewer than {nth} lines of {rel}"
    return lines[nth - 1]


def rehash(root: Path, text_rel: str, record_rel: str) -> None:
    """Record the text's new sha256, as a curator adding a corrected source would."""
    digest = sha256_hex((root / text_rel).read_bytes())
    path = root / record_rel
    path.write_text(
        re.sub(r"(?m)^sha256: .*$", f"sha256: {digest}", path.read_text("utf-8")), encoding="utf-8"
    )


@dataclass(frozen=True)
class Expect:
    """A problem line as it must be reported: exact place and field, parts of the rest."""

    path: str
    line: int | None
    field: str
    found: str
    expected: str
    column: int | None = None

    def matches(self, p: Problem) -> bool:
        return (
            (p.path, p.line, p.column, p.field) == (self.path, self.line, self.column, self.field)
            and self.found in p.found
            and self.expected in p.expected
        )


def assert_reported(problems: Problems, expect: Expect) -> None:
    report = "\n".join(problems.lines()) or "(no problems)"
    assert any(expect.matches(p) for p in problems.items), f"{expect}\nnot in:\n{report}"
    for line in problems.lines():
        assert "\n" not in line and re.match(
            r"^\S+?(:\d+){0,2}: [^:]+: found .*, expected .+", line
        )


# Tampering with a published package ---------------------------------------------------------


def read_rows(package: Path, name: str) -> list[dict[str, str]]:
    with (package / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(package: Path, name: str, rows: list[dict[str, str]], parquet: bool = True) -> None:
    """Rewrite a table's CSV (and, if asked, its Parquet to match) and fix the descriptor's
    bytes and hashes, so only the deeper checks can see what changed."""
    table = Catalog.from_frictionless(_descriptor(package)).table(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.field_names)
    writer.writerows([row[n] for n in table.field_names] for row in rows)
    content = buffer.getvalue().encode("utf-8")
    (package / "csv" / f"{name}.csv").write_bytes(content)
    if parquet:
        typed = read_csv(table, content, name, Problems(), set())
        path = package / parquet_file(name)
        pq.write_table(to_arrow(table, typed), path, compression="zstd")
    fix_hashes(package)


def change_rows(
    package: Path, name: str, change: Callable[[list[dict[str, str]]], None], parquet: bool = True
) -> None:
    rows = read_rows(package, name)
    change(rows)
    write_rows(package, name, rows, parquet)


def fix_hashes(package: Path) -> None:
    """Make datapackage.json list the bytes and hashes the files now have."""
    descriptor = _descriptor(package)
    for res in descriptor["resources"]:
        data = (package / res["path"]).read_bytes()
        if "hash" in res:
            res["hash"] = f"sha256:{sha256_hex(data)}"
        if "bytes" in res:
            res["bytes"] = len(data)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (package / "datapackage.json").write_text(text, encoding="utf-8")


def at_cell(
    root: Path, name: str, where: tuple[str, str], found: str, expected: str, nth: int = 1
) -> Expect:
    """The problem a cell of the published CSV must get, the cell given as `(key, field)` (the
    nth row whose first column is key) or as `(field, value)` (the nth row with that value)."""
    rows = read_rows(root / PACKAGE, name)
    header = list(rows[0])
    if where[0] in header[1:]:
        (field, value), match = where, where[0]
    else:
        (value, field), match = where, header[0]
    lines = [line for line, row in enumerate(rows, 2) if row[match] == value]
    assert len(lines) >= nth, f"{match} {value!r} is in fewer than {nth} rows of {name}.csv"
    rel = f"{PACKAGE}/csv/{name}.csv"
    return Expect(rel, lines[nth - 1], field, found, expected, header.index(field) + 1)


def _descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
