"""Writing datapackage/: CSV, Parquet and datapackage.json, checked, then swapped in at once.

A build writes a complete package into a fresh directory beside datapackage/, validates what
it wrote, and only then exchanges it with the published one, so a failed or interrupted build
leaves the previous package intact. The same inputs give byte-identical files.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from eaeu_facts.coverage import add_coverage
from eaeu_facts.database import DATABASE_FILE, write_database
from eaeu_facts.errors import BuildError, Problems
from eaeu_facts.frames import to_arrow
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.schemas import Catalog, Table, load_catalog
from eaeu_facts.seeds import load_seeds
from eaeu_facts.tables import TableRows, build_tables

PACKAGE_DIR = "datapackage"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIATYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def assemble(root: Path) -> tuple[Catalog, dict[str, TableRows], dict[str, str]]:
    """Load schemas and seeds, build typed tables and check them; raise BuildError on problems."""
    from eaeu_facts.validate import check_tables  # pandera: imported only when needed

    # Load inputs.
    catalog = load_catalog(root)
    problems = Problems()
    seeds = load_seeds(root, catalog.names, problems)
    # Process data.
    tables = build_tables(catalog, seeds, problems)
    texts = {s.source_id: s.text for s in seeds.sources.values()}
    uncovered = Problems()
    if not problems:
        add_coverage(tables, seeds, problems, uncovered)
    # Checked even after problems above, so one run reports them all (see check_tables).
    problems.extend(check_tables(catalog, tables, texts, complete=seeds.complete))
    # A figure left uncovered by a broken row is that row's problem, reported once already.
    if not problems:
        problems.extend(uncovered)
    if problems:
        raise BuildError(problems)
    return catalog, tables, texts


@dataclass(frozen=True)
class Outcome:
    """What a build did: `how` is "full" (every table written from every source's rows),
    "patched" (the last package patched where `changed` units changed, see delta.py),
    "unchanged" (nothing to do) or "reference" (the row-by-row path of `assemble`)."""

    target: Path
    how: str
    changed: int | None = None
    database: str | None = None  # "loaded" anew or "patched" in place; None when not written

    def describe(self, root: Path) -> str:
        where = self.target.relative_to(root) if self.target.is_relative_to(root) else self.target
        if self.how == "patched":
            units = "source" if self.changed == 1 else "sources"
            return f"built {where}/ ({self.changed} {units} changed, patched)"
        if self.how == "unchanged":
            return f"{where}/ is up to date (nothing changed since the last build)"
        return f"built {where}/"


def build(
    root: Path,
    target: Path | None = None,
    *,
    fast: bool = True,
    progress: bool | None = None,
) -> Path:
    """Build the package and publish it at `target` (default ROOT/datapackage); see run."""
    return run(root, target, fast=fast, progress=progress).target


def run(
    root: Path,
    target: Path | None = None,
    *,
    fast: bool = True,
    progress: bool | None = None,
) -> Outcome:
    """Build the package and publish it at `target` (default ROOT/datapackage) in one step.

    `fast` builds the tables one source at a time, from the cache where a source is unchanged
    (see incremental.py), and takes the reference path of `assemble` as soon as anything is
    wrong, so problems are reported alike; both paths write the same bytes. `progress` shows
    the sources done on stderr (default: when stderr is a terminal).
    """
    target = target or root / PACKAGE_DIR
    if fast:
        from eaeu_facts.incremental import Fallback

        try:
            return _fast_build(root, target, progress)
        except Fallback:
            pass
    catalog, tables, _ = assemble(root)
    return Outcome(
        target, "reference", database=_publish(root, target, catalog, tables, BuildError)
    )


def _fast_build(root: Path, target: Path, progress: bool | None) -> Outcome:
    """Publish by patching the last package where few sources changed (delta.py), else from
    every source's cached rows; incremental.Fallback where the reference path must run."""
    from eaeu_facts import delta
    from eaeu_facts.incremental import keyed_units

    catalog = load_catalog(root)
    keyed = keyed_units(root)
    with _shown(progress) as shown:
        patch = delta.plan(root, catalog, target, *keyed, shown)
    if patch is not None:
        if not patch.changed:  # and the published files are as recorded (delta.load_state)
            return Outcome(target, "unchanged", 0)
        try:
            database = _publish(root, target, catalog, patch.tables, _Unpatched, keyed, patch)
            return Outcome(target, "patched", len(patch.changed), database)
        except _Unpatched:
            pass
    catalog, tables = fast_tables(root, progress, keyed=keyed)
    database = _publish(root, target, catalog, tables, _fallback(), keyed)
    return Outcome(target, "full", database=database)


class _Unpatched(Exception):
    """The patched package is not proven sound: the full build decides."""


def _fallback() -> type[Exception]:
    from eaeu_facts.incremental import Fallback

    return Fallback


@contextmanager
def _shown(progress: bool | None) -> Iterator[Any]:
    """Sources done, on stderr when it is a terminal (or as `progress` says)."""
    from eaeu_facts.incremental import Progress

    shown = Progress()
    if progress is not None:
        shown.enabled = progress
    try:
        yield shown
    finally:
        shown.close()


def fast_tables(
    root: Path, progress: bool | None = None, keyed: Any = None
) -> tuple[Catalog, dict[str, Any]]:
    """The tables as incremental.column_tables builds them, in primary-key order."""
    from eaeu_facts.incremental import column_tables

    catalog = load_catalog(root)
    with _shown(progress) as shown:
        tables = column_tables(root, catalog, shown, keyed)
    # Sorted one table at a time, each let go once sorted: the build holds one copy.
    return catalog, {name: tables.pop(name).sorted() for name in list(tables)}


def _publish(
    root: Path,
    target: Path,
    catalog: Catalog,
    tables: dict[str, Any],
    failure: type[Exception],
    keyed: Any = None,
    patch: Any = None,
) -> str:
    """Write, verify and swap in the package; raise `failure` if it does not verify. Says
    how the database was written (see _database).

    With `keyed` (the fast path's units), the rows are also kept for the next build to patch
    (delta.py); with `patch`, the package is a patched one, verified where it changed.
    """
    from eaeu_facts import delta
    from eaeu_facts.incremental import locked

    target.parent.mkdir(parents=True, exist_ok=True)
    state = None
    # Leftovers of other builds seen while holding the lock on the folder the package is
    # published in are from killed builds, not from running ones.
    with locked(target.parent):
        clear_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        try:
            # Save outputs. DuckDB loads the database on one core while this thread writes and
            # verifies the files on the other; the database is kept only if they verify.
            with ThreadPoolExecutor(max_workers=1) as background:
                database = background.submit(
                    _database, catalog, tables, staging, target / DATABASE_FILE, patch
                )
                write_package(catalog, tables, staging)
                problems = _verify(root, catalog, tables, staging, patch)
                if problems is not None:
                    database.cancel()
                    raise failure(problems)
                loaded = database.result()
            if keyed is not None:
                state = delta.write_state(root, keyed[0], keyed[1], tables)
            swap_in(staging, target)
            if state is not None:
                delta.keep_state(root, state, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if state is not None:
                shutil.rmtree(state, ignore_errors=True)
    return loaded


def _verify(
    root: Path, catalog: Catalog, tables: dict[str, Any], staging: Path, patch: Any
) -> Problems | None:
    """The problems of the written package (None when sound): all of it is verified, or, for
    a patched package, what the patch can have changed (delta.sound)."""
    if patch is None:
        from eaeu_facts.package import verify_package

        problems = verify_package(staging / "datapackage.json", root)
        return problems or None
    from eaeu_facts import delta

    written = all(
        delta.parquet_written(t, tables[t.name].data, staging / "parquet" / f"{t.name}.parquet")
        for t in catalog.tables
    )
    return None if written and delta.sound(root, catalog, patch) else Problems()


def _database(
    catalog: Catalog, tables: dict[str, Any], staging: Path, published: Path, patch: Any
) -> str:
    """The database: the published one "patched" where the patch allows, else "loaded" anew."""
    from eaeu_facts.database import patch_database
    from eaeu_facts.delta import database_stamp
    from eaeu_facts.incremental import stamp_of

    if patch is not None and published.is_file():
        st = published.stat()
        if database_stamp(patch) == stamp_of(st):
            old, new, changed = {}, {}, {}
            for table in catalog.tables:
                fields = table.field_names
                old[table.name] = patch.state.tables[table.name].select(fields)
                new[table.name] = tables[table.name].data.select(fields)
                changed[table.name] = patch.changes[table.name].gone
            if patch_database(catalog, published, staging, old, new, changed) is not None:
                return "patched"
    write_database(catalog, tables, staging)
    return "loaded"


def clear_leftovers(target: Path) -> None:
    """Remove what a killed build left beside target; put back a package it had moved aside."""
    backup = target.with_name(f".{target.name}.old")
    if backup.is_dir() and not target.exists():
        os.rename(backup, target)
    for path in sorted(target.parent.glob(f".{target.name}.build-*")):
        shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


def write_package(catalog: Catalog, tables: dict[str, TableRows], out: Path) -> None:
    """Write every table as CSV and Parquet, two tables at a time (writing, compressing and
    hashing let go of the GIL), then datapackage.json."""

    def write(table: Table) -> list[dict[str, Any]]:
        csv_path, parquet_path = _write_table(table, tables[table.name], out)
        return [
            _table_resource(table, csv_path, out),
            _file_resource(f"{table.name}-parquet", parquet_path, out, table),
        ]

    (out / "csv").mkdir(parents=True, exist_ok=True)
    (out / "parquet").mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        resources = [r for pair in pool.map(write, catalog.tables) for r in pair]
    descriptor = package_descriptor(catalog, tables, resources)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (out / "datapackage.json").write_text(text, encoding="utf-8")


def _write_table(table: Table, data: Any, out: Path) -> tuple[Path, Path]:
    """Write one table from TableRows, or from the Arrow columns of incremental.ColumnTable."""
    if isinstance(data, TableRows):
        return write_csv(table, data.rows, out), write_parquet(table, data.rows, out)
    csv_path = out / "csv" / f"{table.name}.csv"
    with csv_path.open("wb") as handle:
        handle.write(csv_text(table, []).encode("utf-8"))
        handle.write(data.csv_body())
    return csv_path, _write_arrow(table, data.arrow(), out)


def csv_text(table: Table, rows: list[dict[str, Any]]) -> str:
    """UTF-8 CSV with a header and LF line ends; values in their Frictionless lexical form."""
    return "".join(_csv_lines([table.field_names])) + "".join(csv_rows(table, rows))


def csv_rows(table: Table, rows: list[dict[str, Any]]) -> list[str]:
    """Each row's CSV line, so the build can keep lines per source and join them later."""
    names = table.field_names
    return _csv_lines([format_value(row.get(name)) for name in names] for row in rows)


def _csv_lines(records: Iterable[list[str]]) -> list[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for record in records:
        writer.writerow(record)
        lines.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return lines


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(table: Table, rows: list[dict[str, Any]], out: Path) -> Path:
    path = out / "csv" / f"{table.name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(table, rows).encode("utf-8"))
    return path


def write_parquet(table: Table, rows: list[dict[str, Any]], out: Path) -> Path:
    return _write_arrow(table, to_arrow(table, rows), out)


def _write_arrow(table: Table, data: Any, out: Path) -> Path:
    path = out / "parquet" / f"{table.name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, path, compression="zstd", write_statistics=True)
    return path


def _file_facts(path: Path, out: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {
        "path": path.relative_to(out).as_posix(),
        "bytes": len(data),
        "hash": f"sha256:{sha256_hex(data)}",
    }


def _table_resource(table: Table, path: Path, out: Path) -> dict[str, Any]:
    facts = _file_facts(path, out)
    return {
        "name": table.name,
        "type": "table",
        "title": table.title,
        "description": table.description,
        "path": facts["path"],
        "format": "csv",
        "mediatype": MEDIATYPES["csv"],
        "encoding": "utf-8",
        "bytes": facts["bytes"],
        "hash": facts["hash"],
        "schema": table.to_frictionless(),
    }


def _file_resource(name: str, path: Path, out: Path, table: Table) -> dict[str, Any]:
    facts = _file_facts(path, out)
    return {
        "name": name,
        "type": "file",
        "title": f"{table.title} (Parquet)",
        "description": f"The rows of `{table.name}` as Parquet, typed, with field descriptions.",
        "path": facts["path"],
        "format": "parquet",
        "mediatype": MEDIATYPES["parquet"],
        "bytes": facts["bytes"],
        "hash": facts["hash"],
    }


def package_descriptor(
    catalog: Catalog, tables: dict[str, TableRows], resources: list[dict[str, Any]]
) -> dict[str, Any]:
    meta = catalog.package
    return {
        "$schema": PROFILE,
        "name": meta["name"],
        "title": meta["title"],
        "description": " ".join(str(meta["description"]).split()),
        "version": meta["version"],
        "created": meta["created"],
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "contributors": meta["contributors"],
        "sources": [
            {"title": f"{row['publisher_en']}: {row['title_en']}", "path": row["path"]}
            for row in tables["sources"].rows
        ],
        "resources": resources,
    }


def swap_in(staging: Path, target: Path) -> None:
    """Replace target by staging in one step (renameat2 exchange), keeping the old on failure."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    os.rename(target, backup)
    os.rename(staging, target)
    shutil.rmtree(backup, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths on Linux; False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def differences(root: Path, target: Path | None = None) -> list[str]:
    """Files of the published package that a fresh build would write differently."""
    target = target or root / PACKAGE_DIR
    with tempfile.TemporaryDirectory(prefix="eaeu-facts-check-") as tmp:
        fresh = Path(tmp)
        _write_fresh(root, fresh)
        # The database is rebuilt by every build and kept out of git: never compared.
        skip = {DATABASE_FILE}
        names = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        if target.exists():
            names |= {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        changed = []
        for name in sorted(names - skip):
            a, b = fresh / name, target / name
            if not (a.exists() and b.exists() and a.read_bytes() == b.read_bytes()):
                changed.append(f"{PACKAGE_DIR}/{name}")
        return changed


def _write_fresh(root: Path, out: Path) -> None:
    """Write the package a build would publish into `out`; BuildError on bad input."""
    from eaeu_facts.incremental import Fallback
    from eaeu_facts.package import verify_package

    try:
        catalog, tables = fast_tables(root, progress=False)
        write_package(catalog, tables, out)
        if not verify_package(out / "datapackage.json", root):
            return
    except Fallback:
        pass
    catalog, tables, _ = assemble(root)
    write_package(catalog, tables, out)
