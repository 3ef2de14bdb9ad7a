"""A rebuild after a few sources change: the last published tables, patched, not rebuilt.

After the fast path publishes a package, the rows it published are kept in .cache/package/
as Arrow files, each row with the unit it came from and where its line ends in the published
CSV file, together with what stat() said of every published file. When a later build finds
only a few units changed and the published files as they were left, it removes the changed
units' rows, puts their new rows in their places in primary-key order, and writes the package
from that: old CSV lines are copied from the published files, and the database is copied and
changed by the same rows instead of loaded again. The files it writes are byte for byte those
a full build writes (tests/test_delta.py holds it to that); the database holds the same rows,
though not in the same physical order (no order is promised without ORDER BY).

The package is verified before it is published, where it can have changed: the rules that
read one row run on the new rows, with their own sources' texts; the rules across rows (keys,
references, speakers, quotations) run on whole tables. A row that is left as it was passed
every rule when it was published, and a rule of one row reads only the row and its source's
text, which is unchanged as its unit is. At any doubt the patch is dropped and the full build
runs, which verifies everything and reports problems in its usual words.
"""

from __future__ import annotations

import bisect
import itertools
import json
import mmap
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from eaeu_facts.incremental import (
    CSV_COLUMN,
    UNIT_COLUMN,
    Unit,
    read_arrow,
    stamp_of,
    unit_rows_of,
    write_arrow,
)
from eaeu_facts.schemas import Catalog, Table

STATE_DIR = Path(".cache") / "package"
STATE_VERSION = 1
END_COLUMN = "_end"
# A patch pays while it touches few units; beyond this share of them the full build runs.
SHARE = 0.1
# A kept table cut into more pieces than this is joined into one before it is stored.
STATE_CHUNKS = 64


@dataclass
class State:
    """The last published package as the fast path left it."""

    info: dict[str, Any]
    tables: dict[str, pa.Table]

    @property
    def units(self) -> dict[str, str]:
        return self.info["units"]


def stamps(target: Path) -> dict[str, list[int]]:
    """What stat() says of every file of a published package, by path inside it."""
    out = {}
    for path in sorted(target.rglob("*")):
        if path.is_file():
            out[path.relative_to(target).as_posix()] = stamp_of(path.stat())
    return out


def load_state(root: Path, fingerprint: bytes, target: Path) -> State | None:
    """The state of the package at `target`, or None when it is missing, from other code or
    schemas, or the published files are not exactly those it describes."""
    folder = root / STATE_DIR
    try:
        info = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        if (
            info.get("version") != STATE_VERSION
            or info.get("fingerprint") != fingerprint.decode("ascii")
            or info.get("target") != str(target.resolve())
            or info.get("files") != stamps(target)
        ):
            return None
        tables = {}
        for name in info["tables"]:
            tables[name] = read_arrow(folder / f"{name}.arrow")
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None
    return State(info, tables)


def write_state(root: Path, fingerprint: bytes, units: list[Unit], tables: dict[str, Any]) -> Path:
    """Write the state of a package about to be published into a folder of its own; it takes
    effect (keep_state) only once the package is in place."""
    base = root / STATE_DIR
    base.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(base)
    folder = base.with_name(f".{base.name}.{os.getpid()}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, data in tables.items():
        write_arrow(folder / f"{name}.arrow", data.state())
    info = {
        "version": STATE_VERSION,
        "fingerprint": fingerprint.decode("ascii"),
        "units": {u.name: u.key for u in units},
        "tables": list(tables),
    }
    (folder / "state.json").write_text(json.dumps(info), encoding="utf-8")
    return folder


def _clear_leftovers(base: Path) -> None:
    """Remove the states that killed builds left half written (a folder per process)."""
    for path in base.parent.glob(f".{base.name}.*"):
        pid = path.name.rsplit(".", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def keep_state(root: Path, folder: Path, target: Path) -> None:
    """Make a written state the current one, for the package now published at `target`."""
    info = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    info.update(target=str(target.resolve()), files=stamps(target))
    (folder / "state.json").write_text(json.dumps(info), encoding="utf-8")
    base = root / STATE_DIR
    drop_state(root)
    os.replace(folder, base)


def drop_state(root: Path) -> None:
    """Forget the state: the next build is a full one."""
    shutil.rmtree(root / STATE_DIR, ignore_errors=True)


# Patching the tables ---------------------------------------------------------------------------


@dataclass
class Patched:
    """A table patched from the last package: typed columns with their units, and its CSV
    body. It offers what publish.write_package and write_database read of a table."""

    table: Table
    data: pa.Table  # typed columns, UNIT_COLUMN
    body: bytes
    ends: pa.Array  # where each row's CSV line ends, counted from the end of the header

    def arrow(self) -> pa.Table:
        return self.data.drop_columns([UNIT_COLUMN]).combine_chunks()

    def csv_body(self) -> bytes:
        return self.body

    def state(self) -> pa.Table:
        """The rows to keep for the next build, in few chunks: each patch cuts the tables at
        the rows it replaces, and many small chunks would slow every later one."""
        data = self.data.append_column(END_COLUMN, self.ends)
        return data.combine_chunks() if data.column(0).num_chunks > STATE_CHUNKS else data

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.arrow().to_pylist()


@dataclass
class Change:
    """What a patch does to one table: the changed units' rows as they are now, and those of
    their rows as published that are not among them (changed or gone: what the database
    must lose)."""

    new: pa.Table  # typed columns, CSV_COLUMN, UNIT_COLUMN: every row of the changed units
    gone: pa.Table  # typed columns of the removed rows whose line is not among the new


def patch_table(
    table: Table, old: pa.Table, published: Any, gone_units: set[str], new: pa.Table
) -> tuple[Patched, Change] | None:
    """The table with the rows of gone_units replaced by `new`, in primary-key order, and
    what changed; None where it cannot be patched (a key repeats, is a number or is none)."""
    key = list(table.primary_key)
    if not key or any(table.field(k).type == "number" for k in key):
        return None
    header = published.find(b"\n") + 1
    ends = old.column(END_COLUMN).to_numpy() if old.num_rows else np.zeros(0, np.int64)
    starts = np.concatenate([np.zeros(1, np.int64), ends[:-1]])
    units = pa.array(sorted(gone_units), pa.string())
    removed = pc.indices_nonzero(pc.is_in(old.column(UNIT_COLUMN), value_set=units)).to_pylist()
    new = new.sort_by([(k, "ascending", "at_start") for k in key])
    places = _places(old, key, new, set(removed))
    if places is None:
        return None
    typed = [n for n in old.column_names if n not in (UNIT_COLUMN, END_COLUMN)]
    lines = [x.encode("utf-8") for x in new.column(CSV_COLUMN).to_pylist()]
    pieces: list[pa.Table] = []
    body: list[Any] = []
    lengths: list[Any] = []

    def keep(start: int, stop: int) -> None:
        if stop > start:
            pieces.append(old.slice(start, stop - start).select([*typed, UNIT_COLUMN]))
            body.append(published[header + starts[start] : header + ends[stop - 1]])
            lengths.append(ends[start:stop] - starts[start:stop])

    cursor, inserted, gone = 0, 0, set(removed)
    for stop in sorted({*removed, *places}):
        keep(cursor, stop)
        cursor = stop
        while inserted < len(places) and places[inserted] == stop:
            pieces.append(new.slice(inserted, 1).select([*typed, UNIT_COLUMN]))
            body.append(lines[inserted])
            lengths.append(np.array([len(lines[inserted])], np.int64))
            inserted += 1
        if stop in gone:
            cursor = stop + 1
    keep(cursor, old.num_rows)
    empty = old.select([*typed, UNIT_COLUMN]).slice(0, 0)
    merged = pa.concat_tables(pieces) if pieces else empty
    ends_out = np.cumsum(np.concatenate(lengths)) if lengths else np.zeros(0, np.int64)
    fresh = set(lines)
    stale = [
        i for i in removed if bytes(published[header + starts[i] : header + ends[i]]) not in fresh
    ]
    change = Change(
        new=new,
        gone=old.take(pa.array(stale, pa.int64())).select(typed),
    )
    patched = Patched(table, merged, b"".join(body), pa.array(ends_out, pa.int64()))
    return patched, change


def _places(old: pa.Table, key: list[str], new: pa.Table, gone: set[int]) -> list[int] | None:
    """Where each new row goes among the old rows (before the row at that index), or None
    if its key is that of an old row that stays, or of another new row."""
    new_keys = [_sort_key(r) for r in zip(*(new.column(k).to_pylist() for k in key), strict=True)]
    if any(a == b for a, b in itertools.pairwise(new_keys)):
        return None
    old_keys = _KeyView(old, key)
    places = []
    for k in new_keys:
        at = bisect.bisect_left(old_keys, k)
        if at < old.num_rows and at not in gone and old_keys[at] == k:
            return None
        places.append(at)
    return places


def _sort_key(values: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Arrow's order of rows by key, nulls first; Python compares str by code point, which is
    the byte order of UTF-8 that Arrow sorts by."""
    return tuple((v is not None, v) for v in values)


class _KeyView:
    """The key of each row of an Arrow table, read one at a time, for bisect."""

    def __init__(self, data: pa.Table, key: list[str]) -> None:
        self.columns = [data.column(k) for k in key]
        self.rows = data.num_rows

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, i: int) -> tuple[tuple[bool, Any], ...]:
        return _sort_key(tuple(c[i].as_py() for c in self.columns))


def published_csv(target: Path, table: Table) -> bytes:
    """The published CSV file, mapped into memory rather than read."""
    path = target / "csv" / f"{table.name}.csv"
    if path.stat().st_size == 0:
        return b""
    with path.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # type: ignore[return-value]


# The whole patch -------------------------------------------------------------------------------


@dataclass
class Plan:
    """A patch ready to publish: every table, what changed, and the state it starts from."""

    tables: dict[str, Patched]
    changes: dict[str, Change]
    changed: set[str]
    state: State


def plan(
    root: Path,
    catalog: Catalog,
    target: Path,
    fingerprint: bytes,
    units: list[Unit],
    progress: Callable[[int, int], None] | None = None,
) -> Plan | None:
    """The patch that turns the published package into this build's, or None where the full
    build must run. Raises incremental.Fallback where a changed unit has a problem."""
    state = load_state(root, fingerprint, target)
    if state is None or set(state.tables) != set(catalog.names):
        return None
    keys = {u.name: u.key for u in units}
    changed = {n for n in keys.keys() | state.units.keys() if keys.get(n) != state.units.get(n)}
    if len(changed) > max(1, int(len(units) * SHARE)):
        return None
    if not changed:
        return Plan({}, {}, changed, state)  # the package is as published: nothing to do
    new = unit_rows_of(root, catalog, fingerprint, units, changed & keys.keys(), progress)
    tables, changes = {}, {}
    for table in catalog.tables:
        try:
            published = published_csv(target, table)
            done = patch_table(table, state.tables[table.name], published, changed, new[table.name])
        except (OSError, ValueError, KeyError, IndexError, pa.ArrowException):
            done = None  # a state this code cannot patch: the full build writes the package
        if done is None:
            return None
        tables[table.name], changes[table.name] = done
    return Plan(tables, changes, changed, state)


def database_stamp(plan: Plan) -> list[int] | None:
    from eaeu_facts.database import DATABASE_FILE

    return plan.state.info["files"].get(DATABASE_FILE)


def parquet_written(table: Table, data: pa.Table, path: Path) -> bool:
    """The Parquet file holds as many rows, of these columns, as the table: a check of what
    was written, not a second reading of every value (the writer was given checked rows)."""
    meta = pq.read_metadata(path)
    return meta.num_rows == data.num_rows and meta.schema.names == table.field_names


# Verifying the patch ---------------------------------------------------------------------------


def sound(root: Path, catalog: Catalog, plan: Plan) -> bool:
    """True only if the full verification would find the patched package sound: the new rows
    read back from their CSV lines as they are, pass every rule of one row with their own
    sources' texts, and every table passes the rules across rows (see the module's doc)."""
    from eaeu_facts import fastcheck

    try:
        return _sound(root, catalog, plan, fastcheck)
    except Exception:  # any doubt at all is an answer here: "not sure"
        return False


def _sound(root: Path, catalog: Catalog, plan: Plan, fastcheck: Any) -> bool:
    from eaeu_facts.publish import csv_text
    from eaeu_facts.rules import CROSS_TABLE

    new, merged = {}, {}
    for table in catalog.tables:
        rows = plan.changes[table.name].new
        typed = rows.select(table.field_names)
        lines = "".join(rows.column(CSV_COLUMN).to_pylist())
        back = fastcheck.read_csv(table, (csv_text(table, []) + lines).encode("utf-8"))
        if back is None or back.num_rows != typed.num_rows:
            return False
        if not all(back.column(n).equals(typed.column(n)) for n in table.field_names):
            return False
        new[table.name] = typed
        merged[table.name] = plan.tables[table.name].data.select(table.field_names)
    texts = _texts(root, new["sources"])
    if texts is None:
        return False
    for table in catalog.tables:
        if table.has_provenance:
            cited = new[table.name].column("source_id")
            known = pa.array(list(texts), pa.string())
            if cited.null_count or not fastcheck._all(pc.is_in(cited, value_set=known)):
                return False
        whole = merged[table.name]
        if not (
            fastcheck.types_as_rules_read_them(table)
            and fastcheck.schema_sound(table, new[table.name])
            and all(
                fastcheck._distinct(whole.column(f.name), whole.num_rows)
                for f in table.fields
                if f.constraints.get("unique")
            )
        ):
            return False
    across = {rule.__name__ for rule in CROSS_TABLE}
    for rule in fastcheck.RULES:
        tables = merged if rule.__name__ in across else new
        if not rule(catalog, tables, texts):
            return False
    return True


def _texts(root: Path, sources: pa.Table) -> dict[str, str] | None:
    """The changed sources' texts, as package._source_texts reads and checks them."""
    from eaeu_facts.provenance import sha256_hex

    texts = {}
    for row in sources.select(["source_id", "path", "sha256"]).to_pylist():
        if None in row.values():
            return None
        data = (root / row["path"]).read_bytes()
        if sha256_hex(data) != row["sha256"]:
            return None
        texts[row["source_id"]] = data.decode("utf-8")
    return texts
