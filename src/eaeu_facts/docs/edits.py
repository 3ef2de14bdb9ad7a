"""Edits that break a copy of the fixture the way a curator's mistake would.

Each edit makes its change and returns it in Markdown as the curating guide shows it: a diff
where a diff can show it, words where it cannot (an encoding, line ends, a Parquet file).
An edit that no longer applies to the fixture stops the docs build rather than showing a
change that was not made.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from eaeu_facts.docs.blocks import page_problem
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import format_value
from eaeu_facts.model.paths import DESCRIPTOR, PACKAGE_DIR
from eaeu_facts.publish.write import write_table
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.package import read_package


def stale_example(found: str, expected: str) -> BuildError:
    """The curating guide's examples no longer match the fixture or the command's output."""
    return BuildError(
        page_problem(
            "curating.md", "curating-errors", found, f"{expected} (update docs.EXAMPLE_GROUPS)"
        )
    )


class Edit(Protocol):
    """One change to a copy of the project; `apply` makes it and says in Markdown what changed."""

    def apply(self, root: Path) -> str: ...


@dataclass(frozen=True)
class Replace:
    """Replace words in a text file, at exactly `count` places; shown as a diff."""

    path: str
    old: str
    new: str
    count: int = 1

    def apply(self, root: Path) -> str:
        before = (root / self.path).read_text(encoding="utf-8")
        if before.count(self.old) != self.count:
            raise stale_example(
                f"{before.count(self.old)} occurrences of {self.old!r} in {self.path}",
                f"exactly {self.count}",
            )
        after = before.replace(self.old, self.new)
        (root / self.path).write_text(after, encoding="utf-8")
        return file_diff(self.path, before, after)


@dataclass(frozen=True)
class Rehash:
    """Record a source text's new sha256 in its record, as `sha256sum` gives it."""

    path: str

    def apply(self, root: Path) -> str:
        record = Path(self.path).with_suffix(".yaml").as_posix()
        digest = sha256_hex((root / self.path).read_bytes())
        before = (root / record).read_text(encoding="utf-8")
        after = re.sub(r"(?m)^sha256: .*$", f"sha256: {digest}", before)
        (root / record).write_text(after, encoding="utf-8")
        return file_diff(record, before, after)


@dataclass(frozen=True)
class ChangeBytes:
    """Change a file's bytes in a way a diff does not show (its encoding, its line ends)."""

    path: str
    how: str  # completes "`path` ...", in the page's words
    change: Callable[[bytes], bytes]

    def apply(self, root: Path) -> str:
        before = (root / self.path).read_bytes()
        after = self.change(before)
        (root / self.path).write_bytes(after)
        at = next(
            (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
            min(len(before), len(after)),
        )
        return (
            f"`{self.path}` {self.how}. From byte {at} on, `{before[at : at + 6].hex(' ')}` "
            f"became `{after[at : at + 6].hex(' ')}`."
        )


@dataclass(frozen=True)
class SetCell:
    """Change a cell of a published table in its CSV and its Parquet file alike, and list
    the files' new sizes and hashes in datapackage.json, so only the deeper checks can tell."""

    table: str
    key: str  # the value of the row's first primary key field
    field: str
    change: Callable[[str], str]

    def apply(self, root: Path) -> str:
        package = root / PACKAGE_DIR
        published = read_package(package / DESCRIPTOR)
        table = published.catalog.table(self.table)
        frame = published.frames[self.table]
        at = (frame[table.primary_key[0]] == self.key).arg_true()[0]
        value = self.change(format_value(frame[self.field][at]))
        column = frame[self.field].cast(pl.String).scatter(at, value)
        frame = frame.with_columns(column.cast(table.field(self.field).dtype))
        shown = f"{PACKAGE_DIR}/{table.path}"
        before = (root / shown).read_text(encoding="utf-8")
        write_table(table, frame, package)
        relist_files(package)
        after = (root / shown).read_text(encoding="utf-8")
        return (
            file_diff(shown, before, after)
            + f"\n\nThe Parquet file of `{self.table}` is rewritten to match, and "
            "`datapackage.json` lists the new sizes and hashes of both."
        )


def relist_files(package: Path) -> None:
    """Make datapackage.json list the sizes and hashes its files now have."""
    path = package / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        data = (package / res["path"]).read_bytes()
        res.update(bytes=len(data), hash=f"sha256:{sha256_hex(data)}")
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


def file_diff(path: str, before: str, after: str) -> str:
    """The change as `git diff` shows it, so the line numbers are the file's own."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"a/{path}", f"b/{path}", n=0, lineterm=""
    )
    return "\n".join(["```diff", *lines, "```"])


def resave_parquet(data: bytes) -> bytes:
    """The same rows written again with another compression, as a user's tool might."""
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pq.read_table(io.BytesIO(data)), out, compression="snappy")
    return out.getvalue()
