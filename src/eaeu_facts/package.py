"""Reading a published package back and verifying it as a user would receive it.

`eaeu-facts validate` trusts nothing but datapackage.json and the files beside it: byte counts
and hashes, CSV headers and values, Parquet against CSV, then the same checks as the build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from eaeu_facts.errors import Problems
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.schemas import CONSTRAINT_KEYS, FIELD_TYPES, Catalog, Field, ForeignKey, Table
from eaeu_facts.seeds import Origin
from eaeu_facts.tables import TableRows

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def load_descriptor(path: Path, problems: Problems) -> dict[str, Any] | None:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(
            _display(path),
            getattr(exc, "lineno", None),
            "datapackage.json",
            f"<{type(exc).__name__}>",
            "a readable JSON descriptor",
        )
        return None
    return descriptor if _well_formed(descriptor, _display(path), problems) else None


def _well_formed(descriptor: Any, display: str, problems: Problems) -> bool:
    """The parts of the descriptor this module reads are there, with the right shapes."""
    before = len(problems)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        problems.add(display, None, "resources", "<missing>", "a list of resources")
        return False
    tables = {r.get("name"): r for r in resources if r.get("type") == "table"}
    for i, res in enumerate(resources):
        where = f"resources[{res.get('name') or i}]"
        if not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            problems.add(display, None, where, "<no name or path>", "a name and a path")
        elif res.get("type") == "table":
            wrong = _schema_fault(res.get("schema"), tables)
            if wrong:
                problems.add(display, None, f"{where}.schema", f"<{wrong}>", "a Table Schema")
    if "sources" not in tables:
        problems.add(display, None, "resources", "<no sources table>", "a sources table")
    return len(problems) == before


def _schema_fault(schema: Any, tables: dict[str, Any]) -> str | None:
    """What makes a published table schema unusable here, or None."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return "no list of fields"
    for f in fields:
        if not isinstance(f.get("name"), str) or f.get("type") not in FIELD_TYPES:
            return f"a field without a name or a type in {FIELD_TYPES}"
        constraints = f.get("constraints", {})
        if not isinstance(constraints, dict) or set(constraints) - set(CONSTRAINT_KEYS):
            return f"constraints of {f['name']} outside {CONSTRAINT_KEYS}"
        try:
            re.compile(constraints.get("pattern", ""))
        except (re.error, TypeError):
            return f"a pattern of {f['name']} that is not a regular expression"
    names = {f["name"] for f in fields}
    if not set(schema.get("primaryKey", [])) <= names:
        return "a primaryKey naming fields it does not have"
    for fk in schema.get("foreignKeys", []):
        try:
            schema = tables[fk["reference"]["resource"]].get("schema")
            if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
                continue  # reported on the referenced table itself
            ok = set(fk["fields"]) <= names and set(fk["reference"]["fields"]) <= {
                t.get("name") for t in schema["fields"] if isinstance(t, dict)
            }
        except (KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            return "a foreignKey to fields that do not exist"
    return None


def catalog_from_descriptor(descriptor: dict[str, Any]) -> Catalog:
    """The table schemas as published, so a package is checked against what it declares."""
    tables = []
    for order, res in enumerate(r for r in descriptor["resources"] if r.get("type") == "table"):
        schema = res["schema"]
        tables.append(
            Table(
                name=res["name"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                kind="table",
                order=order,
                fields=tuple(
                    Field(
                        f["name"],
                        f["type"],
                        f.get("title", ""),
                        f.get("description", ""),
                        f.get("constraints", {}),
                    )
                    for f in schema["fields"]
                ),
                primary_key=tuple(schema.get("primaryKey", [])),
                foreign_keys=tuple(
                    ForeignKey(
                        tuple(fk["fields"]),
                        fk["reference"]["resource"],
                        tuple(fk["reference"]["fields"]),
                    )
                    for fk in schema.get("foreignKeys", [])
                ),
                path=res["path"],
            )
        )
    meta = {k: v for k, v in descriptor.items() if k != "resources"}
    return Catalog(package=meta, tables=tuple(tables))


def verify_package(descriptor_path: Path, root: Path | None = None) -> Problems:
    """Every problem of a published package; empty when it is sound.

    A quick check over whole columns (fastcheck.py) proves most sound packages sound; any
    doubt, and every package with a problem, goes through the row-by-row checks.
    """
    from eaeu_facts.fastcheck import package_sound

    if package_sound(descriptor_path, root):
        return Problems()
    return find_problems(descriptor_path, root)


def find_problems(descriptor_path: Path, root: Path | None = None) -> Problems:
    """Every problem of a published package, found row by row and located in its files."""
    from eaeu_facts.validate import check_tables  # pandera: imported only when needed

    problems = Problems()
    descriptor = load_descriptor(descriptor_path, problems)
    if descriptor is None:
        return problems
    base = descriptor_path.parent
    root = root or base.parent
    display = _display(descriptor_path)
    for res in descriptor.get("resources", []):
        _check_file(base, res, display, problems)
    if problems:
        return problems
    catalog = catalog_from_descriptor(descriptor)
    tables = {t.name: read_csv_table(t, base, problems) for t in catalog.tables}
    # A table whose header or encoding is wrong has no rows: other rows' references to it
    # cannot be checked. A cell that cannot be read is reported once; its row is kept.
    complete = not problems
    for res in descriptor["resources"]:
        if res.get("format") == "parquet" and res["name"].endswith("-parquet"):
            name = res["name"].removesuffix("-parquet")
            if name in tables and not any(tables[name].unknown):
                _compare_parquet(tables[name], base / res["path"], problems)
    texts = _source_texts(tables["sources"], root, problems)
    problems.extend(check_tables(catalog, tables, texts, complete=complete))
    return problems


def _check_file(base: Path, res: dict[str, Any], display: str, problems: Problems) -> None:
    path = base / res["path"]
    shown = _display(path)
    if not path.is_file():
        problems.add(
            display, None, f"resources[{res['name']}].path", res["path"], "an existing file"
        )
        return
    data = path.read_bytes()
    if "bytes" in res and res["bytes"] != len(data):
        problems.add(
            shown, None, "bytes", len(data), f"{res['bytes']} as listed in datapackage.json"
        )
    if "hash" in res:
        digest = f"sha256:{sha256_hex(data)}"
        if res["hash"] != digest:
            problems.add(
                shown, None, "hash", digest, f"{res['hash']} as listed in datapackage.json"
            )


def read_csv_table(table: Table, base: Path, problems: Problems) -> TableRows:
    """Rows typed by the schema; each origin is the CSV line and column."""
    path = base / table.path
    shown = _display(path)
    rows = TableRows(table)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(shown, None, "encoding", f"byte offset {exc.start}", "UTF-8")
        return rows
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if header != table.field_names:
        problems.add(shown, 1, "header", ",".join(header), ",".join(table.field_names))
        return rows
    columns = {name: i + 1 for i, name in enumerate(header)}
    for line, cells in enumerate(reader, start=2):
        origin = Origin(shown, line, {}, columns)
        if len(cells) != len(header):
            problems.add(shown, line, "row", f"{len(cells)} cells", f"{len(header)} cells")
            rows.append(dict.fromkeys(table.field_names), origin, frozenset(table.field_names))
            continue
        row, unknown = {}, set()
        for f, cell in zip(table.fields, cells, strict=True):
            try:
                row[f.name] = parse_cell(f.type, cell)
            except ValueError as exc:
                problems.add(shown, line, f.name, cell, str(exc), columns[f.name])
                row[f.name] = None
                unknown.add(f.name)
        rows.append(row, origin, frozenset(unknown))
    return rows


def parse_cell(kind: str, cell: str) -> Any:
    """A CSV cell in its Frictionless lexical form as a Python value; '' is missing."""
    if cell == "":
        return None
    if kind == "string":
        return cell
    if kind == "integer":
        if _INTEGER.fullmatch(cell):
            return int(cell)
        raise ValueError("an integer")
    if kind == "number":
        if _NUMBER.fullmatch(cell):
            return float(cell)
        raise ValueError("a number")
    if kind == "boolean":
        if cell in ("true", "false"):
            return cell == "true"
        raise ValueError("true or false")
    if kind == "date":
        try:
            if _DATE.fullmatch(cell):
                return dt.date.fromisoformat(cell)
        except ValueError:
            pass
        raise ValueError("a date that exists, written YYYY-MM-DD")
    raise ValueError(f"a value of type {kind}")


def _compare_parquet(rows: TableRows, path: Path, problems: Problems) -> None:
    """The Parquet file holds the same rows, in the same order, as the CSV file."""
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        problems.add(_display(path), None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
        return
    names = rows.table.field_names
    if table.column_names != names:
        problems.add(_display(path), None, "columns", ",".join(table.column_names), ",".join(names))
        return
    for i, parquet_row in enumerate(table.to_pylist()):
        if i >= len(rows.rows) or parquet_row != rows.rows[i]:
            problems.add(
                _display(path),
                None,
                f"row {i + 1}",
                "a row that differs from the CSV",
                f"the same rows as {rows.table.path}",
            )
            return
    if table.num_rows != len(rows.rows):
        problems.add(
            _display(path), None, "rows", table.num_rows, f"{len(rows.rows)} rows as in the CSV"
        )


def _source_texts(sources: TableRows, root: Path, problems: Problems) -> dict[str, str]:
    """Source texts as received, checked against the hashes the package records for them."""
    texts = {}
    for row, origin in zip(sources.rows, sources.origins, strict=True):
        if None in (row["path"], row["sha256"], row["source_id"]):
            continue
        path = root / row["path"]
        try:
            data = path.read_bytes()
        except OSError:
            problems.add(
                origin.path,
                origin.line,
                "path",
                row["path"],
                "a source text in the repository",
                origin.column_of("path"),
            )
            continue
        if sha256_hex(data) != row["sha256"]:
            problems.add(
                row["path"],
                None,
                "sha256",
                sha256_hex(data),
                f"{row['sha256']} as recorded in sources",
            )
            continue
        try:
            texts[row["source_id"]] = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.add(row["path"], None, "encoding", "not UTF-8", "a UTF-8 source text")
    return texts


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
