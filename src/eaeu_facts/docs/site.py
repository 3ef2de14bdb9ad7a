"""The schemas and the published package, loaded once for every page the site generates.

A package that fails validation, or that is stale against schemas/, is refused here, so no
page is ever generated from data that the build would not publish.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from eaeu_facts.check.package import checked
from eaeu_facts.docs.markup import Row, href, row_anchor, table_uri
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.frames import data
from eaeu_facts.model.paths import DESCRIPTOR, PACKAGE_DIR
from eaeu_facts.model.schemas import Catalog, Table, load_catalog
from eaeu_facts.read.package import Package, busy_line, consistent

ROW_LIMIT = 50  # rows shown on a table page; the downloads hold them all


@dataclass
class Site:
    """Everything the pages are generated from: the schemas and the package as published."""

    root: Path
    catalog: Catalog
    descriptor: dict[str, Any]
    tables: dict[str, pl.DataFrame]
    texts: dict[str, str]
    files: dict[str, bytes]  # the descriptor and every file it lists, by path in the package
    row_limit: int = ROW_LIMIT
    _indexes: dict[tuple[str, tuple[str, ...]], dict[tuple, int]] = field(
        default_factory=dict, repr=False
    )

    @functools.cached_property
    def rows(self) -> dict[str, list[Row]]:
        return {t.name: data(t, self.tables[t.name]).to_dicts() for t in self.catalog.tables}

    def find(self, resource: str, fields: tuple[str, ...], values: tuple) -> int | None:
        """Index of the row of `resource` whose `fields` hold `values`, if there is one."""
        key = (resource, fields)
        if key not in self._indexes:
            self._indexes[key] = {
                tuple(r.get(f) for f in fields): i for i, r in enumerate(self.rows[resource])
            }
        return self._indexes[key].get(values)

    def row_href(self, from_uri: str, table: Table, index: int) -> str:
        """Link to a row on its table page, or to the page's rows when the row is not shown."""
        row = self.rows[table.name][index]
        anchor = row_anchor(table, row) if index < self.row_limit else "rows"
        return href(from_uri, table_uri(table.name), anchor)

    def resources(self, table: str) -> list[dict[str, Any]]:
        """The published files of one table (CSV, Parquet)."""
        return [
            r
            for r in self.descriptor["resources"]
            if r["name"] == table or r["name"].startswith(f"{table}-")
        ]


def load_site(root: Path, row_limit: int = ROW_LIMIT) -> Site:
    """Load the schemas and the published package, refusing one that fails validation.

    Everything the site shows or offers to download (the tables, the descriptor, the bytes of
    every file) is read while one package folder stands at datapackage/: a build publishes by
    renaming a new folder into place, so the same folder before and after the reads means one
    package; another means read again (never a descriptor of one and files of the other)."""
    root = root.resolve()
    catalog = load_catalog(root)
    folder = root / PACKAGE_DIR

    def read() -> tuple[Package, dict[str, bytes], Problems]:
        package = checked(folder / DESCRIPTOR, root)
        problems = package.found
        files: dict[str, bytes] = {}
        if not problems:
            _check_current(catalog, package.catalog, problems)
            files = _files(folder, problems)
        return package, files, problems

    def busy(out: tuple[Package, dict[str, bytes], Problems]) -> tuple[Package, dict, Problems]:
        problems = Problems()
        problems.add(f"{PACKAGE_DIR}/", None, *busy_line(folder))
        return out[0], {}, problems

    # Read again whenever another folder stood there after the reads (read/package.consistent).
    package, files, problems = consistent(folder, read, lambda _: True, busy)
    if problems:
        raise BuildError(problems)
    descriptor = json.loads(files[DESCRIPTOR])
    tables = {t.name: package.frames[t.name] for t in catalog.tables}
    return Site(root, catalog, descriptor, tables, package.texts, files, row_limit)


def _files(folder: Path, problems: Problems) -> dict[str, bytes]:
    """The descriptor and every file it lists, as bytes (path in the package -> bytes)."""
    files = {DESCRIPTOR: (folder / DESCRIPTOR).read_bytes()}
    try:
        descriptor = json.loads(files[DESCRIPTOR])
        for res in descriptor["resources"]:
            files[res["path"]] = (folder / res["path"]).read_bytes()
    except (OSError, ValueError, KeyError, TypeError) as exc:  # replaced since it was checked
        problems.add(f"{PACKAGE_DIR}/{DESCRIPTOR}", None, "resources", str(exc), "its files")
    return files


def _check_current(catalog: Catalog, published: Catalog, problems: Problems) -> None:
    """The package must publish exactly the tables and fields that schemas/ describes."""
    where = f"{PACKAGE_DIR}/datapackage.json"
    fix = "(the package is stale: run `eaeu-facts build`)"
    for table in catalog.tables:
        if table.name not in published.names:
            problems.add(where, None, "resources", f"no table {table.name}", f"it {fix}")
        elif published.table(table.name).field_names != table.field_names:
            problems.add(
                where,
                None,
                f"resources[{table.name}].schema.fields",
                ",".join(published.table(table.name).field_names),
                f"{','.join(table.field_names)} as in {table.path} {fix}",
            )
    for name in published.names:
        if name not in catalog.names:
            problems.add(where, None, "resources", name, f"a table of schemas/ {fix}")
