"""Reading a published package back and verifying it as a user would receive it.

`eaeu-facts validate` trusts nothing but datapackage.json and the files beside it: byte counts
and hashes, CSV headers and values, Parquet against CSV, then the same checks as the build.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from eaeu_facts.errors import Problems
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.schemas import Catalog, Field, ForeignKey, Table
from eaeu_facts.seeds import Origin
from eaeu_facts.tables import TableRows
from eaeu_facts.validate import check_tables

_INTEGER = re.compile(r"^-?[0-9]+$")


def load_descriptor(path: Path, problems: Problems) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(
            str(path),
            getattr(exc, "lineno", None),
            "datapackage.json",
            f"<{type(exc).__name__}>",
            "a readable JSON descriptor",
        )
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
    """Every problem of a published package; empty when it is sound."""
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
    for res in descriptor["resources"]:
        if res.get("format") == "parquet" and res["name"].endswith("-parquet"):
            name = res["name"].removesuffix("-parquet")
            if name in tables:
                _compare_parquet(tables[name], base / res["path"], problems)
    if problems:
        return problems
    texts = _source_texts(tables["sources"], root, problems)
    problems.extend(check_tables(catalog, tables, texts))
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
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if header != table.field_names:
            problems.add(shown, 1, "header", ",".join(header), ",".join(table.field_names))
            return rows
        columns = {name: i + 1 for i, name in enumerate(header)}
        for line, cells in enumerate(reader, start=2):
            origin = Origin(shown, line, {}, columns)
            if len(cells) != len(header):
                problems.add(shown, line, "row", f"{len(cells)} cells", f"{len(header)} cells")
                continue
            row = {}
            for f, cell in zip(table.fields, cells, strict=True):
                try:
                    row[f.name] = parse_cell(f.type, cell)
                except ValueError as exc:
                    problems.add(shown, line, f.name, cell, str(exc), columns[f.name])
                    row[f.name] = None
            rows.append(row, origin)
    return rows


def parse_cell(kind: str, cell: str) -> Any:
    """A CSV cell in its Frictionless lexical form as a Python value; '' is missing."""
    if cell == "":
        return None
    if kind == "string":
        return cell
    if kind == "integer":
        if _INTEGER.match(cell):
            return int(cell)
        raise ValueError("an integer")
    if kind == "number":
        try:
            return float(cell)
        except ValueError:
            raise ValueError("a number") from None
    if kind == "boolean":
        if cell in ("true", "false"):
            return cell == "true"
        raise ValueError("true or false")
    if kind == "date":
        try:
            return dt.date.fromisoformat(cell)
        except ValueError:
            raise ValueError("a date YYYY-MM-DD") from None
    raise ValueError(f"a value of type {kind}")


def _compare_parquet(rows: TableRows, path: Path, problems: Problems) -> None:
    """The Parquet file holds the same rows, in the same order, as the CSV file."""
    table = pq.read_table(path)
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
        texts[row["source_id"]] = data.decode("utf-8")
    return texts


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
