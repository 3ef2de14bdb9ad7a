"""Validating a published package as a user receives it (`eaeu-facts validate`).

Nothing is trusted but datapackage.json and the files beside it: every file must be as long,
and hash as, the descriptor lists; each CSV table is read (header, row widths, the lexical form
of every cell) and its Parquet file must hold the same rows; the source texts must be those
the sources table records; then every table goes through the same checks as the build.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from eaeu_facts.check.findings import Locator, report
from eaeu_facts.check.tables import Checker
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import data, empty
from eaeu_facts.model.paths import parquet_resource
from eaeu_facts.model.schemas import Catalog, Table
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.package import display, load_descriptor, read_csv, source_texts
from eaeu_facts.read.rows import Cell


@dataclass
class Package:
    """A published package as read: its tables as frames, and what reading them found."""

    catalog: Catalog
    frames: dict[str, pl.DataFrame]
    unread: set[Cell] = field(default_factory=set)
    problems: Problems = field(default_factory=Problems)
    # False once a table could not be read in full: rows others reference may be missing.
    complete: bool = True


def check_package(descriptor_path: Path, root: Path | None = None) -> Problems:
    """Every problem of the package, located in its files; none when it is sound. Source
    texts are read from the project at `root` (default: the folder above the package).

    Tables are read and checked one at a time, the next read while one is checked, so that
    only what the rules across tables need is held of the others."""
    package = Package(Catalog({}, ()), {})
    tables = _tables(descriptor_path, package)
    if tables is None:
        return package.problems
    root = root or descriptor_path.parent.parent
    problems, catalog = package.problems, package.catalog
    first = next(tables)  # the sources table, whose rows name the texts
    texts = source_texts(first[1], root, problems)
    checker = Checker(catalog, texts, package.unread)
    for table, frame in itertools.chain([first], tables):
        checker.add(table, frame)
    report(checker.finish(package.complete), Locator(root, catalog), problems)
    return problems


def read_package(descriptor_path: Path) -> Package:
    """Every table of the package read into a frame, after every file is held to the
    descriptor's byte counts and hashes, and each Parquet file to its table's rows."""
    package = Package(Catalog({}, ()), {})
    for table, frame in _tables(descriptor_path, package) or ():
        package.frames[table.name] = frame
    return package


def _tables(descriptor_path: Path, package: Package) -> Iterator[tuple[Table, pl.DataFrame]] | None:
    """The tables of the package, the sources table first, each read while the one before is
    checked; None (with the problems in `package`) when the descriptor cannot be read or a file
    is not as it lists it: then what is in the files is not what the package describes."""
    descriptor = load_descriptor(descriptor_path, package.problems)
    if descriptor is None:
        return None
    base, shown = descriptor_path.parent, display(descriptor_path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        listed = list(pool.map(lambda res: _listed(base, res, shown), descriptor["resources"]))
    for found in listed:
        package.problems.extend(found)
    if package.problems:
        return None
    package.catalog = Catalog.from_frictionless(descriptor)
    files = {r["name"]: r["path"] for r in descriptor["resources"]}
    # The largest tables first, while little is held of the others.
    size = {r["path"]: r.get("bytes", 0) for r in descriptor["resources"]}
    tables = sorted(package.catalog.tables, key=lambda t: (t.name != "sources", -size[t.path]))
    return _prefetched(base, tables, files, package)


def _prefetched(
    base: Path, tables: list[Table], files: dict[str, str], package: Package
) -> Iterator[tuple[Table, pl.DataFrame]]:
    """Each table as read (what reading it found is added to `package` before it is
    yielded), the next one read on another thread meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = [pool.submit(_read, base, t, files) for t in tables[:1]]
        for i, table in enumerate(tables):
            read = pending.pop().result()
            pending += [pool.submit(_read, base, t, files) for t in tables[i + 1 : i + 2]]
            package.complete = package.complete and not read.problems
            package.problems.extend(read.problems)
            package.problems.extend(read.parquet)
            package.unread |= read.unread
            yield table, read.frame


@dataclass
class _Read:
    """A table read from its CSV file: the frame, the problems reading it, the values that
    could not be read, and what its Parquet file holds otherwise."""

    frame: pl.DataFrame
    problems: Problems = field(default_factory=Problems)
    unread: set[Cell] = field(default_factory=set)
    parquet: Problems = field(default_factory=Problems)


def _read(base: Path, table: Table, files: dict[str, str]) -> _Read:
    where = display(base / table.path)
    read = _Read(empty(table))
    frame = read_csv(table, (base / table.path).read_bytes(), where, read.problems, read.unread)
    if frame is None:
        return read
    read.frame = frame
    stored = files.get(parquet_resource(table.name))
    if stored is not None and not read.unread:
        content = (base / stored).read_bytes()
        _same_rows(table, frame, content, display(base / stored), read.parquet)
    return read


def _listed(base: Path, res: dict[str, Any], shown: str) -> Problems:
    """The problems of a file: missing, or not as long or not hashing as listed."""
    problems = Problems()
    path = base / res["path"]
    if not path.is_file():
        problems.add(shown, None, f"resources[{res['name']}].path", res["path"], "an existing file")
        return problems
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
    return problems


def _same_rows(
    table: Table, frame: pl.DataFrame, stored: bytes, shown: str, problems: Problems
) -> None:
    """The Parquet file holds the same rows, in the same order, as the CSV file; read one
    column at a time."""
    try:
        parquet = pq.ParquetFile(io.BytesIO(stored))
        names, rows = parquet.schema_arrow.names, parquet.metadata.num_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        problems.add(shown, None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
        return
    ours = data(table, frame)
    if names != ours.columns:
        problems.add(shown, None, "columns", ",".join(names), ",".join(ours.columns))
        return
    common, first = min(rows, ours.height), []
    for name in names:
        theirs = pl.from_arrow(parquet.read(columns=[name]).column(0)).rename(name)
        if theirs.dtype != ours[name].dtype:
            problems.add(shown, None, "types", f"{name}: {theirs.dtype}", f"{ours[name].dtype}")
            return
        differ = (~ours[name].head(common).eq_missing(theirs.head(common))).arg_true()
        first += differ.head(1).to_list()
    if first:
        expected = f"the same rows as {table.path}"
        problems.add(
            shown, None, f"row {min(first) + 1}", "a row that differs from the CSV", expected
        )
    elif rows != ours.height:
        problems.add(shown, None, "rows", rows, f"{ours.height} rows as in the CSV")
