"""The DuckDB database beside the package: the same tables, with their constraints declared.

Every table becomes a DuckDB table created by `Table.to_sql` (types, NOT NULL, PRIMARY KEY,
UNIQUE, FOREIGN KEY, CHECK and comments, from schemas/), so the database refuses what the
schemas forbid; then the views of publish/views.sql are created over them. The file is not
byte-reproducible (DuckDB keeps its own block layout), so it is written by every build, kept
out of git and out of datapackage.json. A rebuild that changes few rows patches a copy of
the published database instead of loading it anew.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any

import polars as pl

from eaeu_facts.model import paths
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.faults import MachineError, fault_of
from eaeu_facts.model.frames import LINE, PATH, UNIT, data, to_arrow
from eaeu_facts.model.schemas import Catalog, ForeignKey, Table, ident, idents

# The smallest block DuckDB allows (its default is 256 KiB): the seed's database takes 1.9 MB
# instead of 27 (benchmarks/results.md). A file of such blocks opens in DuckDB 1.2 and later
# (February 2025), so it is written in that version's storage format.
BLOCK_SIZE = 16 * 1024
STORAGE_VERSION = "v1.2.0"
# Beyond this share of all rows deleted and inserted again, loading anew is quicker.
PATCH_SHARE = 0.1
VIEWS = "views.sql"


@dataclass(frozen=True)
class TablePlan:
    """A table, which of its foreign keys DuckDB can declare, and whether its unique fields
    other than the key are declared UNIQUE (see creation_order)."""

    table: Table
    declared: tuple[ForeignKey, ...]
    unique: bool = True

    @property
    def indexed(self) -> set[str]:
        """The columns DuckDB keeps an index of: an update of one is a delete and an insert."""
        table = self.table
        unique = (
            {f.name for f in table.fields if f.constraints.get("unique")} if self.unique else set()
        )
        return {*table.primary_key, *unique, *(n for fk in self.declared for n in fk.fields)}

    def to_sql(self, references: bool = True) -> list[str]:
        return self.table.to_sql(self.declared, self.unique, references)


def creation_order(catalog: Catalog) -> list[TablePlan]:
    """Tables in an order DuckDB can create them: each after the tables its keys reference.

    DuckDB declares a foreign key only to a table that already exists and cannot add one later,
    so a cycle of references (sources.publisher_organization_id -> organizations ->
    organizations.source_id -> sources) cannot be declared in full. The cycle is broken at the
    first table in catalog order that lies on it, by leaving out its keys into the cycle. Keys
    referencing the table itself are declared: DuckDB supports them.

    DuckDB cannot update a unique column of a row that other rows reference either (it turns
    the update into a delete and an insert, and refuses the delete), so in a table that
    others reference, only the primary key is declared unique: a rebuild can then update a
    row in place (patch_database). The build checks the other unique fields.
    """
    remaining = list(catalog.tables)
    keys = {t.name: list(t.foreign_keys) for t in remaining}
    created: set[str] = set()
    plans = []
    while remaining:
        ready = next((t for t in remaining if _ready(t, keys[t.name], created)), None)
        if ready is None:
            waiting = {t.name for t in remaining}
            stuck = next(t for t in remaining if _reaches(t.name, t.name, keys, waiting))
            keys[stuck.name] = [
                fk
                for fk in keys[stuck.name]
                if fk.resource == stuck.name or not _reaches(fk.resource, stuck.name, keys, waiting)
            ]
            continue
        plans.append(TablePlan(ready, tuple(keys[ready.name])))
        created.add(ready.name)
        remaining.remove(ready)
    referenced = {fk.resource for plan in plans for fk in plan.declared}
    return [TablePlan(p.table, p.declared, p.table.name not in referenced) for p in plans]


def _ready(table: Table, keys: list[ForeignKey], created: set[str]) -> bool:
    return all(fk.resource in created or fk.resource == table.name for fk in keys)


def _reaches(start: str, goal: str, keys: dict[str, list[ForeignKey]], within: set[str]) -> bool:
    """Whether references lead from table `start` to table `goal` through tables not yet made."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        for fk in keys[name]:
            if fk.resource == name or fk.resource not in within:
                continue
            if fk.resource == goal:
                return True
            if fk.resource not in seen:
                seen.add(fk.resource)
                todo.append(fk.resource)
    return False


def views_sql() -> str:
    """The documented views over the tables (CREATE VIEW and COMMENT ON VIEW statements)."""
    return Path(__file__).with_name(VIEWS).read_text(encoding="utf-8")


def write_database(
    catalog: Catalog, tables: dict[str, pl.DataFrame], out: Path, stop: Event | None = None
) -> Path:
    """Write out/eaeu-facts.duckdb from checked rows; raise BuildError if DuckDB refuses any.

    The rows passed the build's checks, so a refusal means a schema DuckDB reads differently
    (a pattern its RE2 engine cannot run, say) or a view that no longer fits the tables. Once
    `stop` is set (the build has failed) no other table is begun: the file is left unfinished.
    """
    import duckdb

    path = out / paths.DATABASE_FILE
    path.unlink(missing_ok=True)
    problems = Problems()
    config = {
        "storage_compatibility_version": STORAGE_VERSION,
        "default_block_size": str(BLOCK_SIZE),
    }
    with duckdb.connect(str(path), config=config) as con:
        for plan in creation_order(catalog):
            if stop is not None and stop.is_set():
                return path
            table = plan.table
            batches, cycle = generations(table, tables[table.name])
            if cycle.height:
                row = cycle.row(0, named=True)
                name = next(fk.fields[0] for fk in table.foreign_keys if fk.resource == table.name)
                expected = (
                    "a reference that does not lead back to this row "
                    "(DuckDB cannot load a cycle of references)"
                )
                problems.add(row[PATH], row[LINE], name, row[name], expected)
                break
            try:
                for statement in plan.to_sql():
                    con.execute(statement)
                for batch in batches:
                    con.from_arrow(to_arrow(table, batch)).insert_into(ident(table.name))
            except duckdb.Error as exc:
                if (code := fault_of(exc)) is not None:  # the machine's, not the rows'
                    raise MachineError("write the database", path, code) from None
                expected = "a table DuckDB creates and loads the checked rows into"
                problems.add(table.path, None, "database", _refusal(exc), expected)
            if problems:
                break
        else:
            try:
                con.execute(views_sql())
            except duckdb.Error as exc:
                where = f"src/eaeu_facts/publish/{VIEWS}"
                problems.add(where, None, "views", _refusal(exc), "views that fit the tables")
    if problems:
        path.unlink(missing_ok=True)
        raise BuildError(problems)
    return path


def _refusal(exc: Exception) -> str:
    return f"<{str(exc).strip().splitlines()[0]}>"


def generations(table: Table, frame: pl.DataFrame) -> tuple[list[pl.DataFrame], pl.DataFrame]:
    """The rows in batches, each referencing only rows of earlier batches of the same table,
    and the rows left in a cycle of references, which cannot be loaded at all.

    DuckDB checks a foreign key against the rows in the table before the statement, so a row
    and the row of the same table it references cannot arrive in one INSERT. A row waits only
    for a parent among these rows: one outside them is in the database already (a patch), or
    missing, which the rules report.
    """
    own = [fk for fk in table.foreign_keys if fk.resource == table.name]
    batches, pending = [], frame
    while pending.height:
        waits = pl.repeat(False, pending.height, eager=True)
        for fk in own:
            keys = pending.select(
                pl.struct(
                    pl.col(r).alias(f) for r, f in zip(fk.reference_fields, fk.fields, strict=True)
                )
            ).to_series()
            parent = pl.struct(*fk.fields).is_in(keys.implode()).fill_null(False)
            waits = waits | pending.select(parent).to_series()
        if waits.all():
            return batches, pending
        batches.append(pending.filter(~waits))
        pending = pending.filter(waits)
    return batches, pending


def patch_database(
    catalog: Catalog, published: Path, out: Path, new: dict[str, pl.DataFrame], units: set[str]
) -> Path | None:
    """out/eaeu-facts.duckdb as a copy of the published database changed to hold the rows of
    `new`, of which only those of `units` (by their hidden column) can differ from it; None
    where DuckDB refuses any of it, or the patch would touch much of the database: then it
    is loaded anew.

    A row whose key stays and whose indexed columns (key, unique, references) keep their
    values is updated in place. DuckDB turns any other change of a row into a delete and an
    insert, and refuses to delete a row other rows reference: so such a row is deleted
    together with every row that references it (and so on), child tables first, and then
    the new versions of all of them are inserted with the new rows, parent tables first.
    """
    import duckdb

    plans = creation_order(catalog)
    path = out / paths.DATABASE_FILE
    shutil.copyfile(published, path)
    try:
        with duckdb.connect(str(path)) as con:
            changes = {p.table.name: _changes(con, p, new[p.table.name], units) for p in plans}
            doomed = _doomed(con, plans, {name: c.replaced for name, c in changes.items()})
            touched = sum(c.height for c in doomed.values()) + sum(
                c.added.height + c.updated.height for c in changes.values()
            )
            rows = sum(_count(con, name) for name in changes)
            if touched > PATCH_SHARE * rows:
                raise ValueError("too many rows to patch")
            for plan in reversed(plans):
                # Rows of one table referencing each other go referencing rows first.
                batches, cycle = generations(plan.table, doomed[plan.table.name])
                for batch in reversed([*batches, cycle]):
                    _delete(con, plan.table, batch)
            for plan in plans:
                table, key = plan.table, list(plan.table.primary_key)
                fresh = data(table, new[table.name])
                back = fresh.join(doomed[table.name].select(key), on=key, how="semi")
                batches, cycle = generations(table, pl.concat([back, changes[table.name].added]))
                if cycle.height:
                    raise ValueError(f"{table.name}: a cycle of references")
                for batch in batches:
                    con.from_arrow(to_arrow(table, batch)).insert_into(ident(table.name))
                _update(con, plan, changes[table.name].updated.join(back, on=key, how="anti"))
            for plan in plans:
                if _count(con, plan.table.name) != new[plan.table.name].height:
                    raise ValueError(f"{plan.table.name}: not the rows of the package")
            con.execute("CHECKPOINT")
    except (duckdb.Error, ValueError):
        path.unlink(missing_ok=True)
        return None
    return path


def _count(con: Any, table: str) -> int:
    return int(con.sql(f"SELECT count(*) FROM {ident(table)}").fetchall()[0][0])


@dataclass(frozen=True)
class Changes:
    """What a table's rows became: rows added, rows to update in place (their new values),
    and old rows to delete (gone, or changed in an indexed column)."""

    added: pl.DataFrame
    updated: pl.DataFrame
    replaced: pl.DataFrame


def _changes(con: Any, plan: TablePlan, new: pl.DataFrame, units: set[str]) -> Changes:
    """How the rows of `units` changed a table, and which of its rows are gone."""
    table, key = plan.table, list(plan.table.primary_key)
    fresh = data(table, new.filter(pl.col(UNIT).is_in(list(units))))
    keys = idents(key)
    with _registered(con, kept=new.select(key), fresh=fresh.select(key)):
        old = con.sql(
            f"SELECT * FROM {ident(table.name)} ANTI JOIN kept USING ({keys}) UNION ALL "
            f"SELECT * FROM {ident(table.name)} SEMI JOIN fresh USING ({keys})"
        ).pl()
    # The rows not among the others, every value compared (missing ones as equal).
    before = old.join(fresh, on=old.columns, how="anti", nulls_equal=True)
    after = fresh.join(old, on=fresh.columns, how="anti", nulls_equal=True)
    both = before.join(after, on=key, how="inner", suffix="_new")
    fixed = [pl.col(c).eq_missing(pl.col(f"{c}_new")) for c in plan.indexed if c not in key]
    in_place = (both.filter(pl.all_horizontal(fixed)) if fixed else both).select(key)
    return Changes(
        added=after.join(before.select(key), on=key, how="anti"),
        updated=after.join(in_place, on=key, how="semi"),
        replaced=before.join(in_place, on=key, how="anti"),
    )


@contextmanager
def _registered(con: Any, **frames: pl.DataFrame) -> Iterator[None]:
    """The frames as views of the connection, by these names, for the block."""
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def _update(con: Any, plan: TablePlan, rows: pl.DataFrame) -> None:
    """Set the columns that are not indexed, by key, to their values in `rows`."""
    table = plan.table
    columns = [f.name for f in table.fields if f.name not in plan.indexed]
    if rows.height == 0 or not columns:
        return
    values = ", ".join(f"{ident(c)} = u.{ident(c)}" for c in columns)
    match = " AND ".join(f"t.{ident(k)} = u.{ident(k)}" for k in table.primary_key)
    with _registered(con, updated=rows):
        con.execute(f"UPDATE {ident(table.name)} AS t SET {values} FROM updated AS u WHERE {match}")


def _doomed(
    con: Any, plans: list[TablePlan], replaced: dict[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """The rows to delete from each table: the replaced rows, and every row that references
    one of them through a declared foreign key, and so on."""
    doomed = dict(replaced)
    todo = {name for name, rows in doomed.items() if rows.height}
    while todo:
        grown = set()
        for plan in plans:
            child = plan.table.name
            for fk in plan.declared:
                if fk.resource not in todo:
                    continue
                parents = doomed[fk.resource].select(fk.reference_fields).unique()
                match = " AND ".join(
                    f"c.{ident(f)} = p.{ident(r)}"
                    for f, r in zip(fk.fields, fk.reference_fields, strict=True)
                )
                with _registered(con, parents=parents):
                    hit = con.sql(
                        f"SELECT c.* FROM {ident(child)} AS c SEMI JOIN parents AS p ON {match}"
                    ).pl()
                before = doomed[child].height
                doomed[child] = pl.concat([doomed[child], hit]).unique(maintain_order=True)
                if doomed[child].height > before:
                    grown.add(child)
        todo = grown
    return doomed


def _delete(con: Any, table: Table, rows: pl.DataFrame) -> None:
    if rows.height == 0:
        return
    match = " AND ".join(f"t.{ident(k)} = g.{ident(k)}" for k in table.primary_key)
    with _registered(con, gone=rows.select(table.primary_key)):
        con.execute(f"DELETE FROM {ident(table.name)} AS t USING gone AS g WHERE {match}")
