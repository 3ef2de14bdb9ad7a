"""The unit cache: each unit's rows, read once and kept until its files change.

Units (read/units.py) are read in worker processes, one per core, and their rows kept under
.cache/build/ as Arrow IPC files, keyed by the sha256 of the unit's files, the schemas and the
code that reads them (publish/keys.py); a rebuild reads again only the units whose key
changed. Units are spread over SHARDS folders by a hash of their name, so a rebuild after one
change rewrites one folder.
The cache is the build's own, like a compiler's object files: a file that cannot be read, or
was written by other code, is read again from the seeds, not trusted; a unit with a problem,
or whose files changed while they were read, is never kept.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import polars as pl
from pyarrow import ArrowException

from eaeu_facts.model import paths
from eaeu_facts.model.frames import UNIT, empty, from_rows
from eaeu_facts.model.interrupts import let_in, moment
from eaeu_facts.model.schemas import Catalog
from eaeu_facts.publish.keys import read_digest, unit_key, workers
from eaeu_facts.read.mentions import EXCLUSIONS, MENTIONS, entity_names, find_mentions
from eaeu_facts.read.units import Read, Unit, read_texts, read_unit

SHARDS = 64
# Below this many units to read, worker processes cost more than they save.
INLINE_UNITS = 24


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


# Reading every unit ----------------------------------------------------------------------------


@dataclass
class Gathered:
    """Every table's rows from every unit, and what reading them found; `unsure` names the
    units whose files changed while they were read (their rows are of bytes no key names)."""

    frames: dict[str, pl.DataFrame]
    read: Read
    unsure: set[str] = field(default_factory=set)


def gather(
    root: Path,
    catalog: Catalog,
    units: list[Unit],
    rows_key: str,
    progress: Callable[[int, int], None] | None = None,
) -> Gathered:
    """The rows of every unit: from the cache where a unit is unchanged, read where not."""
    cache = root / paths.UNIT_CACHE
    by_shard: dict[int, list[Unit]] = {}
    for unit in units:
        by_shard.setdefault(_shard(unit), []).append(unit)
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache):
        stored = {s: _load(_folder(cache, s), rows_key) for s in by_shard}
        stale = {s: m for s, m in sorted(by_shard.items()) if _stale(stored[s], m)}
        results = _read_shards(root, catalog, rows_key, stale, stored, progress)
        for s in stale:
            stored[s] = _load(_folder(cache, s), rows_key)
        # Nothing else stays: no shard of units that are gone, nothing a killed build left.
        keep = {_folder(cache, s).name for s in by_shard}
        for path in cache.iterdir():
            if path.name not in keep:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
    gathered = Gathered({}, Read())
    parts: dict[str, list[pl.DataFrame]] = {t.name: [] for t in catalog.tables}
    for s in sorted(by_shard):
        shard = stored[s]
        for name in parts:
            if shard is not None and name in shard.frames:
                parts[name].append(shard.frames[name])
    for result in results:
        gathered.read.extend(result.read)
        gathered.unsure |= result.unsure
        for name, frame in result.unkept.items():
            parts[name].append(frame)
    for table in catalog.tables:
        found = parts[table.name]
        gathered.frames[table.name] = pl.concat(found) if found else empty(table)
    return gathered


@dataclass
class Shard:
    """The units of one cache folder with their keys, and their rows of each table."""

    units: dict[str, str]
    frames: dict[str, pl.DataFrame]


@dataclass
class Result:
    """What reading a shard's stale units found, and the rows of those that were not kept."""

    read: Read
    unsure: set[str]
    unkept: dict[str, pl.DataFrame]


def cached_mentions(
    root: Path, catalog: Catalog, units: list[Unit], rows_key: str, tables: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """The mentions table (read/mentions.py): found again in the texts of the units that
    changed since the last build, kept for the others while the names to find are the same
    (a changed name or alias finds them all again)."""
    names = entity_names(tables)
    key = hashlib.sha256(json.dumps([rows_key, sorted(names.items())]).encode()).hexdigest()
    folder = root / paths.MENTION_CACHE
    last = _load(folder, key)
    keys = {u.name: u.key for u in units if u.key}
    same = [u for u, k in keys.items() if last is not None and last.units.get(u) == k]
    sources = tables["sources"]
    todo = sources.filter(~pl.col(UNIT).is_in(same))
    texts = read_texts(root, todo)
    found = find_mentions(catalog.table(MENTIONS), names, todo, texts, tables.get(EXCLUSIONS))
    if last is not None and same:
        found = pl.concat([last.frames[MENTIONS].filter(pl.col(UNIT).is_in(same)), found])
    with suppress(OSError):  # a cache that cannot be written costs time next build, no more
        _save(folder, Shard(keys, {MENTIONS: found}), key)
    return found


def _shard(unit: Unit) -> int:
    return int(hashlib.sha256(unit.name.encode("utf-8")).hexdigest()[:8], 16) % SHARDS


def _folder(cache: Path, shard: int) -> Path:
    return cache / f"shard-{shard:02d}"


def _stale(shard: Shard | None, members: list[Unit]) -> bool:
    return shard is None or shard.units != {u.name: u.key for u in members}


def _load(folder: Path, rows_key: str) -> Shard | None:
    """The shard as stored, or None if it is missing, incomplete or from other code."""
    try:
        index = json.loads((folder / "units.json").read_text(encoding="utf-8"))
        if index.get("fingerprint") != rows_key:
            return None
        frames = {name: _mapped(folder / f"{name}.arrow") for name in index["tables"]}
        return Shard(dict(index["units"]), frames)
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError, ArrowException):
        return None


def _mapped(path: Path) -> pl.DataFrame:
    """An Arrow IPC file as a frame mapped into memory rather than read (through Arrow's
    reader, several times quicker than polars' own on many small files)."""
    import pyarrow as pa

    return cast(pl.DataFrame, pl.from_arrow(pa.ipc.open_file(pa.memory_map(str(path))).read_all()))


def _save(folder: Path, shard: Shard, rows_key: str) -> None:
    """Write the shard beside its folder, then put it in the folder's place."""

    def write(temporary: Path) -> None:
        temporary.mkdir(parents=True)
        for name, frame in shard.frames.items():
            frame.write_ipc(temporary / f"{name}.arrow", compression="uncompressed")
        index = {
            "fingerprint": rows_key,
            "units": sorted(shard.units.items()),
            "tables": list(shard.frames),
        }
        (temporary / "units.json").write_text(json.dumps(index), encoding="utf-8")

    paths.put_in_place(paths.written_beside(folder, write), folder)


def _read_shards(
    root: Path,
    catalog: Catalog,
    rows_key: str,
    stale: dict[int, list[Unit]],
    stored: dict[int, Shard | None],
    progress: Callable[[int, int], None] | None,
) -> list[Result]:
    """Read the stale units of these shards and keep those that read cleanly, in worker
    processes when there is much to read."""
    todo = {
        s: [u for u in members if stored[s] is None or stored[s].units.get(u.name) != u.key]
        for s, members in stale.items()
    }
    total = sum(map(len, todo.values()))
    tasks = [(s, members, todo[s]) for s, members in stale.items()]
    if total < INLINE_UNITS or workers() < 2:
        _start(root, catalog, rows_key, None, progress, total)
        results = [_read_shard(task) for task in tasks]
    else:
        # Not "fork": polars' thread pool, started by reading the cache, cannot cross one.
        _quiet_tracker()
        context = multiprocessing.get_context("spawn")
        done = context.Value("i", 0)
        state = (root, catalog, rows_key, done, None, total)
        with context.Pool(workers(), initializer=_start_worker, initargs=state) as pool:
            pending = pool.map_async(_read_shard, tasks, chunksize=1)
            moment("build:workers")
            while not pending.ready():
                pending.wait(0.25)
                if progress:
                    progress(done.value, total)
            results = pending.get()
    if progress:
        progress(total, total)
    return results


def _quiet_tracker() -> None:
    """Start multiprocessing's resource tracker without its warning about leaked semaphores.

    An interrupted build exits at once (cli._stop), leaving the pool's semaphores to the
    tracker, which removes them when the build's process is gone; its warning would be a
    second line, printed after "interrupted", that the user can do nothing about.
    """
    from multiprocessing import resource_tracker

    saved = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = "ignore:resource_tracker:UserWarning"
    try:
        resource_tracker.ensure_running()  # it reads its warning filters from the environment
    finally:
        if saved is None:
            del os.environ["PYTHONWARNINGS"]
        else:
            os.environ["PYTHONWARNINGS"] = saved


# Worker processes ------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def _start_worker(*state: Any) -> None:
    # Ctrl+C reaches every process of the terminal's group: the build stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    let_in()  # started by the command's thread, which leaves signals to the main one
    _start(*state)


def _start(
    root: Path,
    catalog: Catalog,
    rows_key: str,
    done: Any,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    _state.update(root=root, catalog=catalog, key=rows_key, done=done, progress=progress)
    _state.update(total=total, n=0)


def _read_shard(task: tuple[int, list[Unit], list[Unit]]) -> Result:
    """Read a shard's stale units; store the shard with its units that read cleanly."""
    number, members, stale = task
    root, catalog, rows_key = _state["root"], _state["catalog"], _state["key"]
    folder = _folder(root / paths.UNIT_CACHE, number)
    stored = _load(folder, rows_key)
    found, unsure, failed = Read(), set(), set()
    for unit in stale:
        read = read_unit(root, catalog, unit)
        # The rows must be those of the bytes the key was taken from: a file changed in
        # between (a `git stash` during a build) would be kept under a wrong key.
        if unit_key(unit, rows_key, lambda rel: read_digest(root, rel)) != unit.key:
            unsure.add(unit.name)
        if read.problems or read.uncovered or read.unread or unit.name in unsure:
            failed.add(unit.name)
        found.extend(read)
        _count()
    kept = {u.name for u in members if u.name not in failed}
    fresh = {u.name for u in stale}
    frames, unkept = {}, {}
    for table in catalog.tables:
        new = from_rows(table, found.rows.get(table.name, []))
        old = stored.frames.get(table.name) if stored else None
        if failed and new.height:  # most reads fail nothing: nothing to filter then
            keep = pl.col(UNIT).is_in(kept)
            new, unkept[table.name] = new.filter(keep), new.filter(~keep)
        if old is not None and old.height:
            new = pl.concat([old.filter(pl.col(UNIT).is_in(kept - fresh)), new])
        frames[table.name] = new
    keys = {u.name: u.key for u in members if u.name in kept}
    _save(folder, Shard(keys, {n: f for n, f in frames.items() if f.height}), rows_key)
    found.rows = {}
    return Result(found, unsure, {n: f for n, f in unkept.items() if f.height})


def _count() -> None:
    done = _state["done"]
    if done is not None:
        with done.get_lock():
            done.value += 1
    elif _state["progress"]:
        _state["n"] += 1
        _state["progress"](_state["n"], _state["total"])
