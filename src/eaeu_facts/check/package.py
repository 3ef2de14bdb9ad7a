"""Validating a published package as a user receives it (`eaeu-facts validate`).

Nothing is trusted but datapackage.json and the files beside it: every file must be as long,
and hash as, the descriptor lists; each CSV table is read (header, row widths, the lexical form
of every cell) and its Parquet file must hold the same rows; the source texts must be those
the sources table records; then every table goes through the same checks as the build.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from eaeu_facts.check.findings import Locator, report
from eaeu_facts.check.schema import warm_up
from eaeu_facts.check.tables import Checker
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import data, empty
from eaeu_facts.model.interrupts import moment
from eaeu_facts.model.paths import identity, parquet_resource
from eaeu_facts.model.schemas import Catalog, Table
from eaeu_facts.read.evidence import edited, sha256_hex
from eaeu_facts.read.package import display, load_descriptor, read_csv, source_texts
from eaeu_facts.read.rows import Cell


@dataclass
class Package:
    """A published package as read: its tables as frames, and what reading them found."""

    catalog: Catalog
    frames: dict[str, pl.DataFrame]
    unread: set[Cell] = field(default_factory=set)
    problems: Problems = field(default_factory=Problems)
    # Files missing, or not as long or not hashing as the descriptor lists them: then what
    # is in the files is not what the package describes, and nothing else is reported.
    files: Problems = field(default_factory=Problems)
    # False once a table could not be read in full: rows others reference may be missing.
    complete: bool = True

    @property
    def found(self) -> Problems:
        return self.files or self.problems


def check_package(descriptor_path: Path, root: Path | None = None) -> Problems:
    """Every problem of the package, located in its files; none when it is sound. Source
    texts are read from the project at `root` (default: the folder above the package).

    Tables are read and checked one at a time, the next read while one is checked, so that
    only what the rules across tables need is held of the others; each file is read once.
    A package published while it is read is read again (see `consistent`)."""
    return consistent(descriptor_path.parent, lambda: _check(descriptor_path, root), bool)


T = TypeVar("T")
# How often a reader starts again when packages keep being published under it.
ATTEMPTS = 5


def consistent(folder: Path, read: Callable[[], T], failed: Callable[[T], bool]) -> T:
    """What `read` gives of one package, never of two. A build publishes by putting a new
    folder where the old one was, in one rename; a reader that found problems while the
    folder was replaced under it may have read the descriptor of one package and the files
    of the other, and reads again."""
    for _ in range(ATTEMPTS - 1):
        before = identity(folder)
        out = read()
        if not failed(out) or identity(folder) == before:
            return out
    return read()


def _check(descriptor_path: Path, root: Path | None) -> Problems:
    warm_up()
    moment("validate:read")
    package = Package(Catalog({}, ()), {})
    tables = _tables(descriptor_path, package)
    root = root or descriptor_path.parent.parent
    first = next(tables, None)  # the sources table, whose rows name the texts
    if first is None:
        return package.found
    texts, changed = source_texts(first[1], root, package.problems, package.unread)
    checker = Checker(package.catalog, texts, package.unread)
    citing: Counter[str] = Counter()
    for table, frame in itertools.chain([first], tables):
        checker.add(table, frame)
        if changed and "source_id" in frame.columns and table.name != "sources":
            ids = frame.get_column("source_id").filter(frame["source_id"].is_in(list(changed)))
            citing.update(ids.to_list())
    for source_id, (path, digest, recorded) in sorted(changed.items()):
        edited(
            path, digest, f"{recorded} as recorded in sources", citing[source_id], package.problems
        )
    if not package.files:
        report(checker.finish(package.complete), Locator(root, package.catalog), package.problems)
    return package.found


def read_package(descriptor_path: Path) -> Package:
    """Every table of the package read into a frame, each file held to the descriptor's byte
    count and hash, and each Parquet file to its table's rows."""
    package = Package(Catalog({}, ()), {})
    for table, frame in _tables(descriptor_path, package):
        package.frames[table.name] = frame
    if package.files:
        package.frames.clear()
    return package


def _tables(descriptor_path: Path, package: Package) -> Iterator[tuple[Table, pl.DataFrame]]:
    """The tables of the package, the sources table first, each read while the one before is
    checked; none when the descriptor cannot be read (its problem is in `package`)."""
    descriptor = load_descriptor(descriptor_path, package.problems)
    if descriptor is None:
        return
    moment("validate:tables")
    base, shown = descriptor_path.parent, display(descriptor_path)
    package.catalog = Catalog.from_frictionless(descriptor)
    listed = {r["path"]: r for r in descriptor["resources"]}
    read_by_tables = {t.path for t in package.catalog.tables} | {
        r["path"] for r in descriptor["resources"] if r.get("format") == "parquet"
    }
    for res in descriptor["resources"]:
        if res["path"] not in read_by_tables:
            _listed(base, res, shown, package.files)
    files = {r["name"]: r for r in descriptor["resources"]}
    # The largest tables first, while little is held of the others.
    size = {path: res.get("bytes", 0) for path, res in listed.items()}
    tables = sorted(package.catalog.tables, key=lambda t: (t.name != "sources", -size[t.path]))
    yield from _prefetched(base, shown, tables, listed, files, package)


def _prefetched(
    base: Path,
    shown: str,
    tables: list[Table],
    listed: dict[str, dict[str, Any]],
    files: dict[str, dict[str, Any]],
    package: Package,
) -> Iterator[tuple[Table, pl.DataFrame]]:
    """Each table as read (what reading it found is added to `package` before it is
    yielded), the next one read on another thread meanwhile."""

    def read(table: Table) -> _Read:
        return _read(base, shown, table, listed[table.path], files, package.files)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = [pool.submit(read, t) for t in tables[:1]]
        for i, table in enumerate(tables):
            done = pending.pop().result()
            pending += [pool.submit(read, t) for t in tables[i + 1 : i + 2]]
            package.complete = package.complete and not done.problems
            package.problems.extend(done.problems)
            package.problems.extend(done.parquet)
            package.unread |= done.unread
            yield table, done.frame


@dataclass
class _Read:
    """A table read from its CSV file: the frame, the problems reading it, the values that
    could not be read, and what its Parquet file holds otherwise."""

    frame: pl.DataFrame
    problems: Problems = field(default_factory=Problems)
    unread: set[Cell] = field(default_factory=set)
    parquet: Problems = field(default_factory=Problems)


def _read(
    base: Path,
    shown: str,
    table: Table,
    res: dict[str, Any],
    files: dict[str, dict[str, Any]],
    listing: Problems,
) -> _Read:
    read = _Read(empty(table))
    content = _listed(base, res, shown, listing)
    if content is None:
        return read
    where = display(base / table.path)
    frame = read_csv(table, content, where, read.problems, read.unread)
    del content
    if frame is None:
        return read
    read.frame = frame
    stored = files.get(parquet_resource(table.name))
    if stored is None:
        return read
    before = len(listing)
    parquet = _listed(base, stored, shown, listing)
    # A Parquet file not as listed is reported as that alone.
    if parquet is not None and len(listing) == before and not read.unread:
        _same_rows(table, frame, parquet, display(base / stored["path"]), read.parquet)
    return read


def _listed(base: Path, res: dict[str, Any], shown: str, problems: Problems) -> bytes | None:
    """The file's bytes; a problem where it is missing, or not as long or not hashing as
    the descriptor lists it."""
    path = base / res["path"]
    if not path.is_file():
        problems.add(shown, None, f"resources[{res['name']}].path", res["path"], "an existing file")
        return None
    content = path.read_bytes()
    where = display(path)
    if "bytes" in res and res["bytes"] != len(content):
        listed = f"{res['bytes']} as listed in datapackage.json"
        problems.add(where, None, "bytes", len(content), listed)
    if "hash" in res:
        digest = f"sha256:{sha256_hex(content)}"
        if res["hash"] != digest:
            problems.add(
                where, None, "hash", digest, f"{res['hash']} as listed in datapackage.json"
            )
    return content


def _same_rows(
    table: Table, frame: pl.DataFrame, stored: bytes, shown: str, problems: Problems
) -> None:
    """The Parquet file holds the same rows, in the same order, as the CSV file; read one
    column at a time, so that no more than a column of it is held."""
    try:
        names = pl.read_parquet_schema(io.BytesIO(stored))
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        problems.add(shown, None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
        return
    ours = data(table, frame)
    if list(names) != ours.columns:
        problems.add(shown, None, "columns", ",".join(names), ",".join(ours.columns))
        return
    first, rows = [], None
    for name, kind in names.items():
        if kind != ours[name].dtype:
            problems.add(shown, None, "types", f"{name}: {kind}", f"{ours[name].dtype}")
            return
        try:
            theirs = pl.read_parquet(io.BytesIO(stored), columns=[name]).to_series()
        except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
            problems.add(shown, None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
            return
        rows = theirs.len()
        if not theirs.equals(ours[name]):
            common = min(rows, ours.height)
            differ = (~ours[name].head(common).eq_missing(theirs.head(common))).arg_true()
            first += differ.head(1).to_list()
    if first:
        expected = f"the same rows as {table.path}"
        found = "a row that differs from the CSV"
        problems.add(shown, None, f"row {min(first) + 1}", found, expected)
    elif rows is not None and rows != ours.height:
        problems.add(shown, None, "rows", rows, f"{ours.height} rows as in the CSV")
