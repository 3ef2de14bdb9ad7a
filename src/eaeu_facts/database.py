"""The DuckDB database beside the package: the same tables, with their constraints declared.

Every table becomes a DuckDB table whose types, NOT NULL, PRIMARY KEY, UNIQUE, FOREIGN KEY and
CHECK constraints and comments are generated from the schema objects, so the database refuses
what the schemas forbid. Then the views in views.sql are created over them. The file is not
byte-reproducible (DuckDB stores its own block layout), so it is written by every build but
kept out of git and out of datapackage.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from eaeu_facts.errors import BuildError, Problems
from eaeu_facts.schemas import Catalog, Field, ForeignKey, Table
from eaeu_facts.tables import TableRows

DATABASE_FILE = "eaeu-facts.duckdb"
# Written in the storage format of DuckDB 1.0, so any DuckDB client from 1.0 on can open it.
STORAGE_VERSION = "v1.0.0"
VIEWS_FILE = "views.sql"
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


@dataclass(frozen=True)
class TablePlan:
    """A table and which of its foreign keys DuckDB can declare."""

    table: Table
    declared: tuple[ForeignKey, ...]
    undeclared: tuple[ForeignKey, ...]


def creation_order(catalog: Catalog) -> list[TablePlan]:
    """Tables in an order DuckDB can create them: each after the tables its keys reference.

    DuckDB declares a foreign key only to a table that already exists and cannot add one later,
    so a cycle of references (sources.publisher_organization_id -> organizations ->
    organizations.source_id -> sources) cannot be declared in full. The cycle is broken at the
    first table in catalog order that lies on it, by leaving out its keys into the cycle. Keys
    referencing the table itself are declared: DuckDB supports them.
    """
    remaining = list(catalog.tables)
    keys = {t.name: list(t.foreign_keys) for t in remaining}
    dropped: dict[str, list[ForeignKey]] = {t.name: [] for t in remaining}
    created: set[str] = set()
    plans = []
    while remaining:
        ready = next((t for t in remaining if _ready(t, keys[t.name], created)), None)
        if ready is None:
            waiting = {t.name for t in remaining}
            stuck = next(t for t in remaining if _reaches(t.name, t.name, keys, waiting))
            cut = [
                fk
                for fk in keys[stuck.name]
                if fk.resource != stuck.name and _reaches(fk.resource, stuck.name, keys, waiting)
            ]
            keys[stuck.name] = [fk for fk in keys[stuck.name] if fk not in cut]
            dropped[stuck.name].extend(cut)
            continue
        plans.append(TablePlan(ready, tuple(keys[ready.name]), tuple(dropped[ready.name])))
        created.add(ready.name)
        remaining.remove(ready)
    return plans


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


def create_table_sql(plan: TablePlan) -> str:
    """CREATE TABLE with every constraint the schema states."""
    table = plan.table
    lines = [f"{ident(f.name)} {SQL_TYPES[f.type]}{_not_null(f)}" for f in table.fields]
    lines.append(f"PRIMARY KEY ({_idents(table.primary_key)})")
    for f in table.fields:
        if f.constraints.get("unique") and table.primary_key != (f.name,):
            lines.append(f"UNIQUE ({ident(f.name)})")
    for fk in plan.declared:
        lines.append(
            f"FOREIGN KEY ({_idents(fk.fields)}) "
            f"REFERENCES {ident(fk.resource)} ({_idents(fk.reference_fields)})"
        )
    lines.extend(f"CHECK ({check})" for f in table.fields for check in field_checks(f))
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {ident(table.name)} (\n  {body}\n)"


def _not_null(f: Field) -> str:
    return " NOT NULL" if f.required else ""


def field_checks(f: Field) -> list[str]:
    """The CHECK expressions for a field's enum, pattern and bounds (NULL passes, as in SQL)."""
    c, col = f.constraints, ident(f.name)
    checks = []
    if "enum" in c:
        checks.append(f"{col} IN ({', '.join(literal(v, f.type) for v in c['enum'])})")
    if "pattern" in c:
        checks.append(f"regexp_full_match({col}, {literal(c['pattern'], 'string')})")
    if "minimum" in c:
        checks.append(f"{col} >= {literal(c['minimum'], f.type)}")
    if "maximum" in c:
        checks.append(f"{col} <= {literal(c['maximum'], f.type)}")
    # length() counts code points, as Python's len() and Frictionless do.
    if "minLength" in c:
        checks.append(f"length({col}) >= {int(c['minLength'])}")
    if "maxLength" in c:
        checks.append(f"length({col}) <= {int(c['maxLength'])}")
    return checks


def comment_sql(plan: TablePlan) -> list[str]:
    """COMMENT ON the table and each column, from the schema's descriptions."""
    table = plan.table
    notes = {name: _undeclared_note(fk) for fk in plan.undeclared for name in fk.fields}
    out = [f"COMMENT ON TABLE {ident(table.name)} IS {literal(table.description, 'string')}"]
    for f in table.fields:
        text = " ".join(filter(None, (f.description, notes.get(f.name))))
        out.append(
            f"COMMENT ON COLUMN {ident(table.name)}.{ident(f.name)} IS {literal(text, 'string')}"
        )
    return out


def _undeclared_note(fk: ForeignKey) -> str:
    target = ", ".join(f"{fk.resource}.{name}" for name in fk.reference_fields)
    return (
        f"References {target}; the foreign key is not declared in this database because DuckDB "
        "cannot declare a circular reference. The build checks it."
    )


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _idents(names: tuple[str, ...]) -> str:
    return ", ".join(ident(n) for n in names)


def literal(value: Any, field_type: str) -> str:
    """A SQL literal of a schema value (constraint values come from schemas/, not from users)."""
    if field_type in ("integer", "number"):
        return repr(value)
    if field_type == "boolean":
        return "TRUE" if value else "FALSE"
    text = "'" + str(value).replace("'", "''") + "'"
    return f"DATE {text}" if field_type == "date" else text


def require_database(path: Path) -> Path:
    """The database file, or FileNotFoundError saying how to build it (it is not in git)."""
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such file; run `make` or `eaeu-facts build` to build the database"
        )
    return path


def views_sql() -> str:
    """The documented views over the tables (CREATE VIEW and COMMENT ON VIEW statements)."""
    return files("eaeu_facts").joinpath(VIEWS_FILE).read_text(encoding="utf-8")


def write_database(catalog: Catalog, tables: dict[str, TableRows], out: Path) -> Path:
    """Write out/eaeu-facts.duckdb from checked rows; raise BuildError if DuckDB refuses any.

    The rows passed the build's checks, so a refusal means a schema DuckDB reads differently
    (a pattern its RE2 engine cannot run, say) or a view that no longer fits the tables.
    """
    import duckdb

    path = out / DATABASE_FILE
    path.unlink(missing_ok=True)
    problems = Problems()
    config = {"storage_compatibility_version": STORAGE_VERSION}
    with duckdb.connect(str(path), config=config) as con:
        for plan in creation_order(catalog):
            batches = _arrow_batches(plan.table, tables[plan.table.name], problems)
            if problems:
                break
            try:
                con.execute(create_table_sql(plan))
                for statement in comment_sql(plan):
                    con.execute(statement)
                for batch in batches:
                    con.from_arrow(batch).insert_into(ident(plan.table.name))
            except duckdb.Error as exc:
                expected = "a table DuckDB creates and loads the checked rows into"
                problems.add(plan.table.path, None, "database", _refusal(exc), expected)
                break
        else:
            try:
                con.execute(views_sql())
            except duckdb.Error as exc:
                where = f"src/eaeu_facts/{VIEWS_FILE}"
                problems.add(where, None, "views", _refusal(exc), "views that fit the tables")
    if problems:
        path.unlink(missing_ok=True)
        raise BuildError(problems)
    return path


def _refusal(exc: Exception) -> str:
    return f"<{str(exc).strip().splitlines()[0]}>"


def _arrow_batches(table: Table, data: Any, problems: Problems) -> list[Any]:
    """The rows as Arrow tables, one per generation (see _generations).

    `data` is TableRows, or the Arrow columns of incremental.ColumnTable, whose generations
    are found from the key columns alone; a cycle there is left to the reference path.
    """
    from eaeu_facts.frames import to_arrow

    if isinstance(data, TableRows):
        return [to_arrow(table, batch) for batch in _generations(data, problems)]
    return _arrow_generations(table, data.arrow())


def _arrow_generations(table: Table, arrow: Any) -> list[Any]:
    """Arrow rows in generations (see _generations), found from the key columns alone;
    incremental.Fallback on a cycle, which the reference path then reports."""
    own = [fk for fk in table.foreign_keys if fk.resource == table.name]
    if not own:
        return [arrow]
    names = sorted({n for fk in own for n in (*fk.fields, *fk.reference_fields)})
    keys = arrow.select(names).to_pylist()
    found = Problems()
    indices = _generations(TableRows(table, keys, [None] * len(keys)), found, index=True)
    if found:
        from eaeu_facts.incremental import Fallback

        raise Fallback(f"{table.name}: a cycle of references")
    return [arrow.take(batch) for batch in indices]


def _generations(rows: TableRows, problems: Problems, index: bool = False) -> list[list[Any]]:
    """The rows in batches, each referencing only rows of earlier batches of the same table.

    DuckDB checks a foreign key against the rows in the table before the statement, so a row
    and the row of the same table it references cannot arrive in one INSERT. A row waits
    only for a parent among these rows: one outside them is in the database already (a
    patch), or missing, which the rules report. With `index`, each batch lists the rows'
    positions instead of the rows.
    """
    table = rows.table
    own = [fk for fk in table.foreign_keys if fk.resource == table.name]
    among = {fk: {tuple(r[k] for k in fk.reference_fields) for r in rows.rows} for fk in own}
    if index:
        pending = [(r, i) for i, r in enumerate(rows.rows)]
    else:
        pending = list(zip(rows.rows, rows.origins, strict=True))
    done: set[tuple[Any, ...]] = set()
    batches = []
    while pending:
        batch = [
            (r, o) for r, o in pending if all(_parent_present(r, fk, done, among[fk]) for fk in own)
        ]
        if not batch:
            row, origin = pending[0]
            name = next(fk for fk in own if not _parent_present(row, fk, done, among[fk])).fields[0]
            if index:  # left for the reference path to report, with its place
                problems.add(table.path, None, name, row[name], "no cycle of references")
                return batches
            problems.add(
                origin.path,
                origin.line_of(name),
                name,
                row[name],
                "a reference that does not lead back to this row "
                "(DuckDB cannot load a cycle of references)",
            )
            return batches
        batches.append([i for _, i in batch] if index else [r for r, _ in batch])
        for fk in own:
            done |= {tuple(r[k] for k in fk.reference_fields) for r, _ in batch}
        placed = {id(r) for r, _ in batch}
        pending = [(r, o) for r, o in pending if id(r) not in placed]
    return batches


def _parent_present(
    row: dict[str, Any], fk: ForeignKey, done: set[tuple[Any, ...]], among: set[tuple[Any, ...]]
) -> bool:
    key = tuple(row[k] for k in fk.fields)
    return any(v is None for v in key) or key in done or key not in among


def patch_database(
    catalog: Catalog,
    published: Path,
    out: Path,
    old: dict[str, Any],
    new: dict[str, Any],
    changed: dict[str, Any],
) -> Path | None:
    """out/eaeu-facts.duckdb as a copy of the published database holding the rows of `old`,
    changed to hold those of `new` (Arrow tables of each table's typed rows), where `changed`
    has the rows of `old` that changed or are gone; None where DuckDB refuses any of it, or
    the patch would touch much of the database: then it is loaded anew.

    DuckDB checks a foreign key against the rows it can see and turns an update of a key or
    unique column into a delete and an insert, so a row cannot change while other rows
    reference it. The patch therefore deletes the changed rows together with every row that
    references them (and so on), child tables first, then inserts the new versions of all of
    them and the new rows, parent tables first.
    """
    import shutil

    import duckdb

    from eaeu_facts.incremental import Fallback

    plans = creation_order(catalog)
    doomed = _doomed(plans, old, changed)
    if sum(t.num_rows for t in doomed.values()) > PATCH_SHARE * sum(
        t.num_rows for t in old.values()
    ):
        return None
    path = out / DATABASE_FILE
    shutil.copyfile(published, path)
    try:
        with duckdb.connect(str(path)) as con:
            for plan in reversed(plans):
                name = plan.table.name
                rows = _matching(
                    old[name], plan.table.primary_key, doomed[name], plan.table.primary_key
                )
                # Rows of one table referencing each other go referencing rows first.
                for batch in reversed(_arrow_generations(plan.table, rows)):
                    _delete_rows(con, plan.table, batch)
            for plan in plans:
                name = plan.table.name
                rows = _returning(plan.table, old[name], new[name], doomed[name])
                for batch in _arrow_generations(plan.table, rows):
                    con.from_arrow(batch).insert_into(ident(name))
            for plan in plans:
                count = con.sql(f"SELECT count(*) FROM {ident(plan.table.name)}").fetchall()
                if count[0][0] != new[plan.table.name].num_rows:
                    raise ValueError(f"{plan.table.name}: not the rows of the package")
            con.execute("CHECKPOINT")
    except (duckdb.Error, ValueError, Fallback):
        path.unlink(missing_ok=True)
        return None
    return path


# Beyond this share of all rows deleted and inserted again, loading anew is quicker.
PATCH_SHARE = 0.1


def _doomed(plans: list[TablePlan], old: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """The primary keys of the rows to delete from each table: the changed rows and every row
    that references one of them through a declared foreign key, and so on."""
    doomed = {p.table.name: changed[p.table.name].select(list(p.table.primary_key)) for p in plans}
    todo = {name for name, keys in doomed.items() if keys.num_rows}
    while todo:
        grown = set()
        for plan in plans:
            child = plan.table
            for fk in plan.declared:
                if fk.resource not in todo:
                    continue
                hit = _matching(
                    old[child.name], fk.fields, doomed[fk.resource], fk.reference_fields
                )
                keys = hit.select(list(child.primary_key))
                before = doomed[child.name].num_rows
                doomed[child.name] = _distinct_rows(_concat([doomed[child.name], keys]))
                if doomed[child.name].num_rows > before:
                    grown.add(child.name)
        todo = grown
    return doomed


def _returning(table: Table, old: Any, new: Any, doomed: Any) -> Any:
    """The rows of `new` to insert: those deleted that are still there, and those not in
    `old` (two sets apart, as every deleted key is a key of `old`)."""
    key = list(table.primary_key)
    back = _matching(new, key, doomed, key)
    if old.num_rows == 0:
        return new
    fresh = new.join(old.select(key), keys=key, join_type="left anti").select(new.column_names)
    return _concat([back, fresh])


def _matching(data: Any, fields: tuple[str, ...] | list[str], keys: Any, key_fields: Any) -> Any:
    """The rows of `data` whose `fields` equal the `key_fields` of some row of `keys`."""
    import pyarrow.compute as pc

    if keys.num_rows == 0 or data.num_rows == 0:
        return data.slice(0, 0)
    if len(fields) == 1:
        values = keys.column(key_fields[0]).combine_chunks()
        return data.filter(pc.is_in(data.column(fields[0]), value_set=values))
    right = keys.select(list(key_fields)).group_by(list(key_fields)).aggregate([])
    hit = data.join(right, keys=list(fields), right_keys=list(key_fields), join_type="left semi")
    return hit.select(data.column_names)


def _distinct_rows(data: Any) -> Any:
    if data.num_rows < 2:
        return data
    return (
        data.group_by(data.column_names, use_threads=False).aggregate([]).select(data.column_names)
    )


def _concat(tables: list[Any]) -> Any:
    """The rows of tables of the same columns, whatever their field metadata and nullability
    (an Arrow join drops both)."""
    import pyarrow as pa

    schema = pa.schema([pa.field(f.name, f.type) for f in tables[0].schema])
    return pa.concat_tables([t.cast(schema) for t in tables])


def _delete_rows(con: Any, table: Table, keys: Any) -> None:
    if keys.num_rows == 0:
        return
    con.register("eaeu_facts_gone", keys.select(list(table.primary_key)))
    try:
        match = " AND ".join(f"t.{ident(k)} = g.{ident(k)}" for k in table.primary_key)
        con.execute(
            f"DELETE FROM {ident(table.name)} AS t USING eaeu_facts_gone AS g WHERE {match}"
        )
    finally:
        con.unregister("eaeu_facts_gone")
