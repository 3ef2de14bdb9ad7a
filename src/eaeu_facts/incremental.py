"""Building the tables one source at a time: in worker processes, cached by content hash.

A unit is one source (its text, its record and its facts file, named alike) or one reference
file. Everything the build does to a unit alone, reading, typing, locating evidence and
covering candidates, is done here by the same functions as the reference path in
publish.assemble, and its rows are kept as Arrow columns with each row's CSV line. Units are
built in worker processes, one per core, and cached under .cache/build/ keyed by the sha256 of
the unit's files, the schemas and this package's code, so a rebuild builds again only the
units whose bytes changed. The cache is the build's own, like a compiler's object files: a
cache file that cannot be read, or was written by other code, is built again, not trusted.

What spans units (unique keys, references, the cross-row rules) is not checked here: the
package written from these tables is verified as a whole before it is published. Whenever a
unit reports any problem, or the seeds are laid out in a way this path does not handle,
`Fallback` is raised and the build takes the reference path, which reports the problems in
their usual words. The cache never changes a published byte: tables built here and on the
reference path write the same files (tests/test_synthetic.py holds them to it).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from eaeu_facts.coverage import add_coverage
from eaeu_facts.errors import Problems
from eaeu_facts.frames import to_arrow
from eaeu_facts.schemas import Catalog, Table
from eaeu_facts.seeds import Seeds, _load_facts, _load_reference, _load_source
from eaeu_facts.tables import build_tables

CACHE_DIR = Path(".cache") / "build"
# What stat() said of each input file when it was last hashed, and its sha256 (see FileHashes).
FILE_HASHES = Path(".cache") / "files.json"
CSV_COLUMN = "_csv"
# Which unit each row came from: kept beside the rows so a rebuild can replace one unit's rows.
UNIT_COLUMN = "_unit"
# Units are spread over this many cache files by a hash of their name, so a rebuild after one
# change rewrites one file, not the whole cache.
SHARDS = 64
# Below this many units to build, worker processes cost more than they save.
INLINE_UNITS = 24
CACHE_VERSION = b"eaeu-facts build cache 2"
# Each unit's name and its number of rows in each table, in the order its rows are stored.
Counts = list[tuple[str, dict[str, int]]]
# What a shard stores of its units: name, key and rows in each table.
Stored = list[tuple[str, str, dict[str, int]]]


class Fallback(Exception):
    """This path cannot build the seeds as they are; the reference path must."""


@dataclass(frozen=True)
class Unit:
    """One source with its record and facts, or one reference file; paths relative to root."""

    name: str
    files: tuple[str, ...]
    key: str = ""

    @property
    def shard(self) -> int:
        return int(hashlib.sha256(self.name.encode("utf-8")).hexdigest()[:8], 16) % SHARDS


@dataclass
class ColumnTable:
    """The rows of one table as Arrow columns (schema order) plus each row's CSV line."""

    table: Table
    data: pa.Table
    ends: pa.Array | None = None

    def sorted(self) -> ColumnTable:
        """Rows in primary-key order, as TableRows.sort gives them; Fallback if a key repeats,
        since the reference path would then order the tied rows by input order."""
        key = list(self.table.primary_key)
        if self.data.num_rows == 0 or not key:
            return self
        data = self.data.combine_chunks().sort_by([(k, "ascending", "at_start") for k in key])
        if data.num_rows > 1:
            same = None
            for name in key:
                column = data.column(name)
                equal = pc.fill_null(pc.equal(column[1:], column[:-1]), False)
                both_null = pc.and_(pc.is_null(column[1:]), pc.is_null(column[:-1]))
                equal = pc.or_(equal, both_null)
                same = equal if same is None else pc.and_(same, equal)
            if pc.any(same).as_py():
                raise Fallback(f"{self.table.name}: a primary key repeats")
        return ColumnTable(self.table, data)

    def arrow(self) -> pa.Table:
        """The typed columns only, in one chunk each, as to_arrow gives them."""
        data = self.data
        extra = [n for n in (CSV_COLUMN, UNIT_COLUMN) if n in data.column_names]
        return data.drop_columns(extra).combine_chunks()

    def csv_body(self) -> bytes:
        """The rows' CSV lines joined: the data buffer of the Arrow column, as it is. The lines
        are then dropped: they are written once, and the build need not hold them twice; where
        each line ends is kept for the next build (delta.py)."""
        import numpy as np

        lines = self.data.column(CSV_COLUMN).cast(pa.large_string()).combine_chunks()
        self.data = self.data.drop_columns([CSV_COLUMN])
        if len(lines) == 0:
            self.ends = pa.array([], pa.int64())
            return b""
        offsets = np.frombuffer(lines.buffers()[1], np.int64)[
            lines.offset : lines.offset + len(lines) + 1
        ]
        self.ends = pa.array(offsets[1:] - offsets[0], pa.int64())
        return lines.buffers()[2][int(offsets[0]) : int(offsets[-1])].to_pybytes()

    def state(self) -> pa.Table:
        """The typed rows with their units and where their CSV lines end (after csv_body)."""
        from eaeu_facts.delta import END_COLUMN

        return self.data.append_column(END_COLUMN, self.ends)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.arrow().to_pylist()


# Finding the units -----------------------------------------------------------------------------


def find_units(root: Path) -> list[Unit]:
    """Every unit of the seeds, or Fallback where files do not pair up by name."""
    base = root / "seeds"

    def names(sub: str, suffix: str) -> list[str]:
        try:
            found = os.listdir(base / sub)
        except FileNotFoundError:
            return []
        return sorted(
            n[: -len(suffix)] for n in found if n.endswith(suffix) and len(n) > len(suffix)
        )

    stems = names("sources", ".txt")
    known = set(stems)
    records, facts = set(names("sources", ".yaml")), set(names("facts", ".yaml"))
    if records - known or facts - known:
        raise Fallback("a record or facts file without a source text of the same name")
    units = [
        Unit(f"reference/{stem}", (f"seeds/reference/{stem}.yaml",))
        for stem in names("reference", ".yaml")
    ]
    for stem in stems:
        files = [f"seeds/sources/{stem}.txt", f"seeds/sources/{stem}.yaml"]
        if stem in facts:
            files.append(f"seeds/facts/{stem}.yaml")
        units.append(Unit(f"sources/{stem}", tuple(files)))
    return units


def stamp_of(st: os.stat_result) -> list[int]:
    """What stat() says of a file that any write changes: inode, size, mtime and ctime (which
    no program can set back)."""
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class FileHashes:
    """The sha256 of input files, remembered with what stat() said of each, as git's index
    does: a file whose inode, size, mtime and ctime are as they were is not read again. The
    ctime cannot be set back by a program, so any write changes what stat() says. A file
    changed within RACY_NS of a build is not remembered, so that a write in the same clock
    tick as the hashing cannot hide behind an unchanged stamp."""

    RACY_NS = 2_000_000_000
    VERSION = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time_ns()
        self.known: dict[str, list[Any]] = {}
        self.seen: dict[str, list[Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION and isinstance(data.get("files"), dict):
                self.known = data["files"]
        except (OSError, ValueError):
            pass

    def digest(self, path: Path, rel: str) -> str:
        """The file's sha256, or "<missing>"."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return "<missing>"
        stamp = stamp_of(st)
        entry = self.known.get(rel)
        if isinstance(entry, list) and entry[:4] == stamp and len(entry) == 5:
            sha = str(entry[4])
        else:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.started - self.RACY_NS:
            self.seen[rel] = [*stamp, sha]
        return sha

    def save(self) -> None:
        """Remember the files seen by this build (only those), replacing the file at once;
        left alone when that is what it holds."""
        if self.seen == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        data = {"version": self.VERSION, "files": dict(sorted(self.seen.items()))}
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, self.path)


def with_keys(
    root: Path, units: list[Unit], catalog_key: bytes, hashes: FileHashes | None = None
) -> list[Unit]:
    """The units with the sha256 of their files, the schemas and the code as their key."""
    hashes = hashes or FileHashes(root / FILE_HASHES)

    def keys(part: list[Unit]) -> list[Unit]:
        def digest(rel: str) -> str:
            return hashes.digest(root / rel, rel)

        return [Unit(u.name, u.files, unit_key(u, catalog_key, digest)) for u in part]

    # Reading and hashing release the GIL: one thread per core, each with a share of units.
    step = -(-len(units) // _workers()) or 1
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        parts = pool.map(keys, [units[i : i + step] for i in range(0, len(units), step)])
        return [unit for part in parts for unit in part]


def unit_key(unit: Unit, catalog_key: bytes, digest: Callable[[str], str]) -> str:
    """The unit's cache key: the sha256 of its name, the schemas and code, and the sha256 of
    each of its files as `digest` gives it."""
    key = hashlib.sha256(CACHE_VERSION + catalog_key + unit.name.encode("utf-8"))
    for rel in unit.files:
        key.update(b"\0%s\0%s\0" % (rel.encode("utf-8"), digest(rel).encode("ascii")))
    return key.hexdigest()


def read_digest(root: Path, rel: str) -> str:
    """The sha256 of the file as it is now, read in full; "<missing>" if there is none."""
    try:
        return hashlib.sha256((root / rel).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "<missing>"


def catalog_key(root: Path) -> bytes:
    """sha256 of schemas/ and of this package's code: either changing invalidates the cache."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for base, pattern in ((root / "schemas", "*.yaml"), (here, "*.py"), (here, "*.sql")):
        for path in sorted(base.glob(pattern)):
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{sys.version_info[:2]}".encode())
    # Libraries whose answers are in the rows or in their checks: a patch checks only new rows.
    for name in ("pyarrow", "duckdb", "PyYAML", "pycountry", "pandera", "pandas"):
        try:
            digest.update(f" {name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f" {name} -".encode())
    return digest.hexdigest().encode("ascii")


# Building one unit -----------------------------------------------------------------------------


def unit_rows(root: Path, catalog: Catalog, unit: Unit) -> dict[str, list[dict[str, Any]]]:
    """The unit's rows of every table, by the reference path's own functions; Fallback on any
    problem, so that the reference path reports it."""
    problems = Problems()
    seeds = Seeds()
    if unit.name.startswith("reference/"):
        seeds.entries.extend(_load_reference(root, root / unit.files[0], catalog.names, problems))
    else:
        source = _load_source(root, root / unit.files[0], problems, seeds.unreadable)
        if source is not None:
            seeds.sources[source.source_id] = source
        if len(unit.files) > 2:
            path = root / unit.files[2]
            seeds.entries.extend(_load_facts(root, path, seeds, catalog.names, problems))
    if problems:
        raise Fallback(f"{unit.name}: {problems.lines()[0]}")
    tables = build_tables(catalog, seeds, problems)
    if not problems:
        add_coverage(tables, seeds, problems)
    if problems:
        raise Fallback(f"{unit.name}: {problems.lines()[0]}")
    return {name: rows.rows for name, rows in tables.items() if rows.rows}


def batch_tables(
    catalog: Catalog, built: list[tuple[str, dict[str, list[dict[str, Any]]]]]
) -> tuple[Counts, dict[str, pa.Table]]:
    """The rows of several units as one Arrow table per table, with each row's CSV line;
    converting many units at once costs far less than one small table per unit."""
    from eaeu_facts.publish import csv_rows

    counts = [(name, {t: len(rows) for t, rows in mine.items()}) for name, mine in built]
    tables = {}
    for table in catalog.tables:
        rows = [row for _, mine in built for row in mine.get(table.name, ())]
        if rows:
            lines = pa.array(csv_rows(table, rows), pa.string())
            tables[table.name] = to_arrow(table, rows).append_column(CSV_COLUMN, lines)
    return counts, tables


# The cache -------------------------------------------------------------------------------------


@dataclass
class Shard:
    """The units of one cache folder, in name order, and their rows of each table in that
    order, read from Arrow files mapped into memory rather than copied."""

    units: Stored = field(default_factory=list)
    tables: dict[str, pa.Table] = field(default_factory=dict)

    def holds(self, units: list[Unit]) -> bool:
        """Whether this shard holds exactly these units, with these keys."""
        return [(n, k) for n, k, _ in self.units] == [(u.name, u.key) for u in units]

    def pieces(self) -> dict[str, tuple[str, dict[str, pa.Table]]]:
        """Each unit's key and its rows of each table, sliced out of the shard's tables."""
        offsets: dict[str, int] = {}
        out = {}
        for name, key, counts in self.units:
            mine = {}
            for table, count in counts.items():
                start = offsets.get(table, 0)
                mine[table] = self.tables[table].slice(start, count)
                offsets[table] = start + count
            out[name] = (key, mine)
        return out


def _folder(cache: Path, shard: int) -> Path:
    return cache / f"shard-{shard:02d}"


def load_shard(folder: Path, fingerprint: bytes) -> Shard | None:
    """The shard as stored, or None if it is missing, incomplete or from other code."""
    try:
        index = json.loads((folder / "units.json").read_text(encoding="utf-8"))
        if index.get("fingerprint") != fingerprint.decode("ascii"):
            return None
        shard = Shard([(n, k, c) for n, k, c in index["units"]])
        for table in index["tables"]:
            shard.tables[table] = read_arrow(folder / f"{table}.arrow")
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
    for table, data in shard.tables.items():
        if sum(c.get(table, 0) for _, _, c in shard.units) != data.num_rows:
            return None
    return shard


def read_arrow(path: Path) -> pa.Table:
    """An Arrow IPC file as a table mapped into memory rather than copied."""
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


def write_arrow(path: Path, data: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, data.schema) as writer:
        writer.write_table(data)


def save_shard(folder: Path, shard: Shard, fingerprint: bytes) -> None:
    """Write the shard beside its folder, then put it in the folder's place."""
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    for table, data in shard.tables.items():
        write_arrow(temporary / f"{table}.arrow", data)
    index = {
        "fingerprint": fingerprint.decode("ascii"),
        "units": shard.units,
        "tables": list(shard.tables),
    }
    (temporary / "units.json").write_text(json.dumps(index), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(temporary, folder)


# Assembling every table ------------------------------------------------------------------------


def keyed_units(root: Path) -> tuple[bytes, list[Unit]]:
    """The cache's fingerprint of schemas and code, and every unit with its key."""
    fingerprint = catalog_key(root)
    hashes = FileHashes(root / FILE_HASHES)
    units = with_keys(root, find_units(root), fingerprint, hashes)
    hashes.save()
    return fingerprint, units


def column_tables(
    root: Path,
    catalog: Catalog,
    progress: Callable[[int, int], None] | None = None,
    keyed: tuple[bytes, list[Unit]] | None = None,
) -> dict[str, ColumnTable]:
    """Every table of the seeds as Arrow columns, from the cache where a unit is unchanged;
    each row with the name of its unit (UNIT_COLUMN)."""
    # Load inputs.
    fingerprint, units = keyed or keyed_units(root)
    cache = root / CACHE_DIR
    by_shard: dict[int, list[Unit]] = {}
    for unit in units:
        by_shard.setdefault(unit.shard, []).append(unit)
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache):
        stored = {s: load_shard(_folder(cache, s), fingerprint) for s in by_shard}
        # Process data: rebuild the shards whose units changed, reusing their unchanged units.
        stale = [
            (s, members)
            for s, members in sorted(by_shard.items())
            if stored[s] is None or not stored[s].holds(members)  # type: ignore[union-attr]
        ]
        stored.update(build_shards(root, catalog, stale, fingerprint, progress))
        # Save outputs: the tables, and a cache holding nothing else (no shard of units that
        # are gone, nothing a killed build or another version left).
        keep = {_folder(cache, s).name for s in by_shard}
        for path in cache.iterdir():
            if path.name not in keep:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    tables = {t.name: [] for t in catalog.tables}
    for s in sorted(by_shard):
        shard = stored[s]
        for name, data in shard.tables.items():  # type: ignore[union-attr]
            tables[name].append(with_units(data, shard.units, name))  # type: ignore[union-attr]
    return {t.name: ColumnTable(t, _concat(t, tables[t.name])) for t in catalog.tables}


def unit_rows_of(
    root: Path,
    catalog: Catalog,
    fingerprint: bytes,
    units: list[Unit],
    wanted: set[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, pa.Table]:
    """The rows of the wanted units only, each table with its CSV and unit columns: read from
    their shards, which are built again first where they are stale."""
    cache = root / CACHE_DIR
    by_shard: dict[int, list[Unit]] = {}
    for unit in units:
        by_shard.setdefault(unit.shard, []).append(unit)
    needed = sorted({u.shard for u in units if u.name in wanted})
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache):
        stored = {s: load_shard(_folder(cache, s), fingerprint) for s in needed}
        stale = [
            (s, by_shard[s])
            for s in needed
            if stored[s] is None or not stored[s].holds(by_shard[s])  # type: ignore[union-attr]
        ]
        stored.update(build_shards(root, catalog, stale, fingerprint, progress))
    parts: dict[str, list[pa.Table]] = {t.name: [] for t in catalog.tables}
    for s in needed:
        for name, (key, tables) in stored[s].pieces().items():  # type: ignore[union-attr]
            if name in wanted:
                for table, data in tables.items():
                    mine = [(name, key, {table: data.num_rows})]
                    parts[table].append(with_units(data, mine, table))
    return {t.name: _concat(t, parts[t.name]) for t in catalog.tables}


def with_units(data: pa.Table, units: Stored, table: str) -> pa.Table:
    """The rows with the name of the unit each came from, in UNIT_COLUMN."""
    import numpy as np

    counts = [c.get(table, 0) for _, _, c in units]
    names = pa.array([n for n, _, _ in units], pa.string())
    index = np.repeat(np.arange(len(units), dtype=np.int32), counts)
    return data.append_column(UNIT_COLUMN, names.take(pa.array(index)))


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on a directory, held for the block: one build at a time reads and
    writes what is in it (the cache, or the folder a package is published in)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def build_shards(
    root: Path,
    catalog: Catalog,
    stale: list[tuple[int, list[Unit]]],
    fingerprint: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, Shard]:
    """Rebuild and store these shards, in worker processes when there is much to build."""
    cache = root / CACHE_DIR
    total = sum(_todo(cache, s, members, fingerprint) for s, members in stale)
    tasks = [(s, members, fingerprint) for s, members in stale]
    if total < INLINE_UNITS or _workers() < 2:
        _start(root, catalog, None, progress, total)
        failures = [_build_shard(task) for task in tasks]
    else:
        context = multiprocessing.get_context("fork")
        done = context.Value("i", 0)
        with context.Pool(
            _workers(), initializer=_start, initargs=(root, catalog, done, None, total)
        ) as pool:
            pending = pool.map_async(_build_shard, tasks, chunksize=1)
            while not pending.ready():
                pending.wait(0.25)
                if progress:
                    progress(done.value, total)
            failures = pending.get()
    if progress:
        progress(total, total)
    for failure in failures:
        if failure is not None:
            raise Fallback(failure)
    out = {}
    for s, _ in stale:
        shard = load_shard(_folder(cache, s), fingerprint)
        if shard is None:
            raise Fallback(f"shard {s}: not readable after writing")
        out[s] = shard
    return out


def _todo(cache: Path, shard: int, members: list[Unit], fingerprint: bytes) -> int:
    """How many of the shard's units its stored version cannot give."""
    stored = load_shard(_folder(cache, shard), fingerprint)
    keys = {n: k for n, k, _ in stored.units} if stored else {}
    return sum(keys.get(u.name) != u.key for u in members)


# Worker processes ------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def _start(
    root: Path,
    catalog: Catalog,
    done: Any,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    _state.update(root=root, catalog=catalog, done=done, progress=progress, total=total, n=0)


def _build_shard(task: tuple[int, list[Unit], bytes]) -> str | None:
    """Build one shard from its stored version and the units that changed, and store it;
    the reason to fall back, or None. Each unit built counts towards the progress shown."""
    number, members, fingerprint = task
    root, catalog = _state["root"], _state["catalog"]
    folder = _folder(root / CACHE_DIR, number)
    stored = load_shard(folder, fingerprint)
    pieces = stored.pieces() if stored else {}
    built = []
    try:
        for unit in members:
            if pieces.get(unit.name, ("", {}))[0] != unit.key:
                built.append((unit.name, unit_rows(root, catalog, unit)))
                # The rows must be those of the bytes the key was taken from: a file changed
                # in between (a `git stash` during a build) would be kept under a wrong key.
                if unit_key(unit, fingerprint, lambda rel: read_digest(root, rel)) != unit.key:
                    return f"{unit.name}: its files changed while the build read them"
                _count()
        counts, tables = batch_tables(catalog, built)
    except Fallback as exc:
        return str(exc)
    except (pa.ArrowException, OverflowError) as exc:
        return f"shard {number}: {exc}"  # values Arrow cannot hold: the reference path decides
    new = dict(_slices(counts, tables))
    shard = Shard()
    parts: dict[str, list[pa.Table]] = {}
    for unit in members:
        mine = new[unit.name] if unit.name in new else pieces[unit.name][1]
        shard.units.append((unit.name, unit.key, {t: d.num_rows for t, d in mine.items()}))
        for table, data in mine.items():
            parts.setdefault(table, []).append(data)
    for table in catalog.tables:
        if table.name in parts:
            shard.tables[table.name] = pa.concat_tables(parts[table.name]).combine_chunks()
    save_shard(folder, shard, fingerprint)
    return None


def _count() -> None:
    done = _state["done"]
    if done is not None:
        with done.get_lock():
            done.value += 1
    elif _state["progress"]:
        _state["n"] += 1
        _state["progress"](_state["n"], _state["total"])


def _slices(counts: Counts, tables: dict[str, pa.Table]) -> Iterator[tuple[str, dict[str, Any]]]:
    offsets: dict[str, int] = {}
    for name, mine in counts:
        out = {}
        for table, count in mine.items():
            start = offsets.get(table, 0)
            out[table] = tables[table].slice(start, count)
            offsets[table] = start + count
        yield name, out


def _concat(table: Table, parts: list[pa.Table]) -> pa.Table:
    if parts:
        return pa.concat_tables(parts)
    schema = to_arrow(table, []).schema.append(pa.field(CSV_COLUMN, pa.string()))
    return schema.append(pa.field(UNIT_COLUMN, pa.string())).empty_table()


def _workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


# Progress --------------------------------------------------------------------------------------


def progress_line(done: int, total: int, elapsed: float) -> str:
    """'sources 1,200/10,000 · 85/s · 1:43 left': what a long build shows on a terminal."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if done >= total:
        left = "done"
    elif rate > 0:
        seconds = round((total - done) / rate)
        left = f"{seconds // 60}:{seconds % 60:02d} left"
    else:
        left = "time left unknown"
    return f"sources {done:,}/{total:,} · {rate:,.0f}/s · {left}"


class Progress:
    """Progress on stderr, redrawn in place, only when stderr is a terminal."""

    def __init__(self, stream: Any = None, every: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.every = every
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < self.every and done < total):
            return
        self.last = now
        self.stream.write("\r" + progress_line(done, total, now - self.start) + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
