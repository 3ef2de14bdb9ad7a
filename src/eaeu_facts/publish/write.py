"""Writing a package: CSV, Parquet and datapackage.json, verified, then swapped in at once.

A build writes the package into a fresh folder beside the published one, verifies that the
files are as datapackage.json lists them, and only then exchanges the folders, so that a
failed or interrupted build leaves the previous package intact. The same rows give
byte-identical files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Event
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from eaeu_facts.model import paths
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import to_arrow, to_csv
from eaeu_facts.model.interrupts import moment
from eaeu_facts.model.schemas import Catalog, Table
from eaeu_facts.read.evidence import sha256_hex

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIATYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


def write_package(
    catalog: Catalog,
    tables: dict[str, pl.DataFrame],
    out: Path,
    root: Path,
    stop: Event | None = None,
) -> None:
    """Every table as CSV and Parquet, two tables at a time (writing, compressing and hashing
    let go of the GIL), each source text as received (from `root`, whose texts the build
    checked), then datapackage.json. Once `stop` is set (the build has failed, and what is
    written will be thrown away) no other table is begun, and the package is left unfinished."""

    def write(table: Table) -> list[dict[str, Any]]:
        if stop is not None and stop.is_set():
            return []
        csv, parquet = write_table(table, tables[table.name], out)
        moment("build:table-written")
        return [_table_resource(table, csv), _parquet_resource(table, parquet)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        resources = [r for pair in pool.map(write, catalog.tables) for r in pair]
    if stop is not None and stop.is_set():
        return
    for source_id, rel, rights in (
        tables["sources"].select("source_id", "path", "rights_note_en").iter_rows()
    ):
        facts = _write(out, paths.text_file(rel), (root / rel).read_bytes())
        resources.append(_text_resource(source_id, facts, rights))
    descriptor = package_descriptor(catalog, tables["sources"], resources)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (out / paths.DESCRIPTOR).write_text(text, encoding="utf-8")


def write_table(table: Table, frame: pl.DataFrame, out: Path) -> tuple[dict, dict]:
    """A table's CSV and Parquet files in the package at `out`, each with its path inside
    it, byte count and hash."""
    csv = _write(out, paths.csv_file(table.name), to_csv(table, frame))
    buffer = io.BytesIO()
    pq.write_table(to_arrow(table, frame), buffer, compression="zstd")
    return csv, _write(out, paths.parquet_file(table.name), buffer.getvalue())


def _write(out: Path, rel: str, content: bytes) -> dict[str, Any]:
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_bytes(content)
    return {"path": rel, "bytes": len(content), "hash": f"sha256:{sha256_hex(content)}"}


def _table_resource(table: Table, facts: dict[str, Any]) -> dict[str, Any]:
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


def _parquet_resource(table: Table, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": paths.parquet_resource(table.name),
        "type": "file",
        "title": f"{table.title} (Parquet)",
        "description": f"The rows of `{table.name}` as Parquet, typed, with field descriptions.",
        "path": facts["path"],
        "format": "parquet",
        "mediatype": MEDIATYPES["parquet"],
        "bytes": facts["bytes"],
        "hash": facts["hash"],
    }


def _text_resource(source_id: str, facts: dict[str, Any], rights: str | None) -> dict[str, Any]:
    about = "The source text exactly as received: the evidence spans of its rows are checked"
    about += " against it."
    return {
        "name": paths.text_resource(source_id),
        "type": "file",
        "title": f"Source text {source_id}",
        "description": f"{about} {rights}" if rights else about,
        "path": facts["path"],
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "bytes": facts["bytes"],
        "hash": facts["hash"],
    }


def package_descriptor(
    catalog: Catalog, sources: pl.DataFrame, resources: list[dict[str, Any]]
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
            {"title": f"{publisher}: {title}", "path": path}
            for publisher, title, path in sources.select(
                "publisher_en", "title_en", "path"
            ).iter_rows()
        ],
        "resources": resources,
    }


def verify(catalog: Catalog, tables: dict[str, pl.DataFrame], out: Path) -> Problems:
    """The problems of a written package: a file not as datapackage.json lists it (its bytes,
    as read back), or a Parquet file without the rows and columns of its table.

    That the CSV files read back, as `eaeu-facts validate` reads them, to the rows that were
    checked is a property of model/frames.to_csv and read/package.read_csv, which
    tests/test_frames.py holds them to; `make` validates every package it builds."""
    problems = Problems()
    descriptor = json.loads((out / paths.DESCRIPTOR).read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        content = (out / res["path"]).read_bytes()
        if len(content) != res["bytes"]:
            problems.add(res["path"], None, "bytes", len(content), f"{res['bytes']} as listed")
        digest = f"sha256:{sha256_hex(content)}"
        if digest != res["hash"]:
            problems.add(res["path"], None, "hash", digest, f"{res['hash']} as listed")
    for table in catalog.tables:
        meta = pq.read_metadata(out / paths.parquet_file(table.name))
        shape = (meta.num_rows, meta.schema.names)
        if shape != (tables[table.name].height, table.field_names):
            expected = f"{tables[table.name].height} rows of {', '.join(table.field_names)}"
            problems.add(paths.parquet_file(table.name), None, "rows", shape[0], expected)
    return problems


def clear_leftovers(target: Path) -> None:
    """Remove what a killed build left beside target; put back a package it had moved aside."""
    backup = target.with_name(f".{target.name}.old")
    if backup.is_dir() and not target.exists():
        os.rename(backup, target)
    for path in sorted(target.parent.glob(f".{target.name}.build-*")):
        if path.is_symlink():  # what an older build left where datapackage/ was a link
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


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
