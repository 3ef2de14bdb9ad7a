"""The table schemas in schemas/: the one description every output is generated from.

Each table file is a Frictionless Table Schema in YAML; fields shared by several tables are
written once in schemas/fields.yaml and named by the tables that use them. From the loaded
schemas this module derives the Frictionless descriptors and the pandera schemas; the DuckDB
DDL and the documentation read the same objects.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eaeu_facts.errors import BuildError, Problems
from eaeu_facts.yamlio import LineDict, load_yaml

FIELD_TYPES = ("string", "integer", "number", "boolean", "date")
CONSTRAINT_KEYS = (
    "required",
    "unique",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
)
TABLE_KINDS = ("reference", "dimension", "fact", "derived")
PROVENANCE_FIELDS = ("source_id", "char_start", "char_end", "evidence_ar")
# Tables the build and its rules name in code: a schemas/ without them cannot be built.
CORE_TABLES = ("sources", "participants", "quotes")


@dataclass(frozen=True)
class Field:
    """One column: its type, documentation and constraints."""

    name: str
    type: str
    title: str
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    def to_frictionless(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One table: the schema of one published resource."""

    name: str
    title: str
    description: str
    kind: str
    order: int
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    path: str

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def has_provenance(self) -> bool:
        return all(name in self.field_names for name in PROVENANCE_FIELDS)

    def to_frictionless(self) -> dict[str, Any]:
        """The Frictionless Table Schema descriptor."""
        return {
            "fields": [f.to_frictionless() for f in self.fields],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [
                {
                    "fields": list(fk.fields),
                    "reference": {
                        "resource": fk.resource,
                        "fields": list(fk.reference_fields),
                    },
                }
                for fk in self.foreign_keys
            ],
        }


@dataclass(frozen=True)
class Catalog:
    """All table schemas, in publication order, and the package metadata."""

    package: dict[str, Any]
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]


def schemas_dir(root: Path) -> Path:
    return root / "schemas"


def load_catalog(root: Path) -> Catalog:
    """Load and check schemas/; raise BuildError listing every problem found."""
    problems = Problems()
    base = schemas_dir(root)
    shared = load_yaml(base / "fields.yaml", "schemas/fields.yaml", problems) or {}
    package = load_yaml(base / "package.yaml", "schemas/package.yaml", problems) or {}
    tables = []
    for path in sorted(base.glob("*.yaml")):
        if path.name in ("fields.yaml", "package.yaml"):
            continue
        display = f"schemas/{path.name}"
        raw = load_yaml(path, display, problems)
        if isinstance(raw, dict):
            table = _parse_table(raw, shared, display, problems)
            if table is not None:
                tables.append(table)
    tables.sort(key=lambda t: (t.order, t.name))
    _check_references(tables, problems)
    for name in CORE_TABLES:
        if not (base / f"{name}.yaml").exists():
            problems.add(
                f"schemas/{name}.yaml", None, "file", "<missing>", f"a schema for table {name}"
            )
    if problems:
        raise BuildError(problems)
    return Catalog(package=_plain(package), tables=tuple(tables))


def _parse_table(raw: LineDict, shared: dict, display: str, problems: Problems) -> Table | None:
    missing = [
        key
        for key in ("name", "title", "description", "kind", "order", "primaryKey", "fields")
        if key not in raw
    ]
    for key in missing:
        problems.add(display, raw.line, key, "<missing>", f"a '{key}' entry")
    if missing:
        return None
    if raw["kind"] not in TABLE_KINDS:
        problems.add(display, raw.line_of("kind"), "kind", raw["kind"], f"one of {TABLE_KINDS}")
    fields = [_parse_field(entry, shared, display, problems) for entry in raw["fields"]]
    table = Table(
        name=raw["name"],
        title=raw["title"],
        description=" ".join(str(raw["description"]).split()),
        kind=raw["kind"],
        order=int(raw["order"]),
        fields=tuple(f for f in fields if f is not None),
        primary_key=tuple(raw["primaryKey"]),
        foreign_keys=tuple(
            ForeignKey(
                fields=tuple(fk["fields"]),
                resource=fk["reference"]["resource"],
                reference_fields=tuple(fk["reference"]["fields"]),
            )
            for fk in raw.get("foreignKeys", [])
        ),
        path=display,
    )
    names = table.field_names
    for name in table.primary_key:
        if name not in names:
            problems.add(
                display, raw.line_of("primaryKey"), "primaryKey", name, "a field of the table"
            )
    for fk in table.foreign_keys:
        for name in fk.fields:
            if name not in names:
                problems.add(
                    display, raw.line_of("foreignKeys"), "foreignKeys", name, "a field of the table"
                )
    if len(set(names)) != len(names):
        problems.add(
            display, raw.line_of("fields"), "fields", "a repeated field name", "unique names"
        )
    if table.kind == "fact" and not table.has_provenance:
        problems.add(
            display,
            raw.line,
            "fields",
            "a fact table without provenance",
            f"fields {PROVENANCE_FIELDS}",
        )
    return table


def _parse_field(entry: Any, shared: dict, display: str, problems: Problems) -> Field | None:
    """A field is a name from fields.yaml, {use: name, ...overrides}, or written out in full."""
    line = getattr(entry, "line", None)
    if isinstance(entry, str):
        entry = {"use": entry}
    if not isinstance(entry, dict):
        problems.add(display, line, "fields", entry, "a field name or mapping")
        return None
    spec: dict[str, Any] = {}
    if "use" in entry:
        base = shared.get(entry["use"])
        if base is None:
            problems.add(
                display, line, "fields", entry["use"], "a field defined in schemas/fields.yaml"
            )
            return None
        spec = {"name": entry["use"], **_plain(base)}
        spec["constraints"] = dict(spec.get("constraints", {}))
    overrides = {k: v for k, v in _plain(entry).items() if k != "use"}
    spec["constraints"] = {**spec.get("constraints", {}), **overrides.pop("constraints", {})}
    spec.update(overrides)
    for key in ("name", "type", "title", "description"):
        if not spec.get(key):
            problems.add(display, line, key, "<missing>", f"every field to have a {key}")
            return None
    if spec["type"] not in FIELD_TYPES:
        problems.add(display, line, spec["name"], spec["type"], f"a type in {FIELD_TYPES}")
    for key in spec["constraints"]:
        if key not in CONSTRAINT_KEYS:
            problems.add(display, line, spec["name"], key, f"a constraint in {CONSTRAINT_KEYS}")
    if "pattern" in spec["constraints"]:
        try:
            re.compile(spec["constraints"]["pattern"])
        except re.error:
            problems.add(
                display,
                line,
                spec["name"],
                spec["constraints"]["pattern"],
                "a valid regular expression",
            )
    return Field(
        name=spec["name"],
        type=spec["type"],
        title=str(spec["title"]),
        description=" ".join(str(spec["description"]).split()),
        constraints=spec["constraints"],
    )


def _check_references(tables: list[Table], problems: Problems) -> None:
    by_name = {t.name: t for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            target = by_name.get(fk.resource)
            if target is None:
                problems.add(
                    t.path, None, "foreignKeys", fk.resource, "the name of a table in schemas/"
                )
                continue
            for name in fk.reference_fields:
                if name not in target.field_names:
                    problems.add(
                        t.path,
                        None,
                        "foreignKeys",
                        f"{fk.resource}.{name}",
                        "a field of the referenced table",
                    )


def _plain(value: Any) -> Any:
    """Drop the line bookkeeping and turn YAML dates into ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def pandas_dtype(field_type: str) -> str:
    """The pandas dtype a column of this schema type is held in (nullable throughout)."""
    return {
        "string": "string",
        "integer": "Int64",
        "number": "Float64",
        "boolean": "boolean",
        "date": "object",
    }[field_type]


def to_pandera(table: Table) -> Any:
    """The pandera DataFrameSchema enforcing every field constraint and the primary key.

    Written here rather than with pandera's Frictionless converter, which drops date checks,
    foreign keys and missing values. Foreign keys are cross-table and checked in rules.py.
    """
    import pandera.pandas as pa
    from pandera.engines import pandas_engine

    columns = {}
    for f in table.fields:
        c = f.constraints
        checks = [
            pa.Check(test, name=f"{key} {c[key]}" if key != "enum" else "enum")
            for key, test in _series_tests(c).items()
        ]
        dtype = pandas_engine.Date if f.type == "date" else pandas_dtype(f.type)
        columns[f.name] = pa.Column(
            dtype,
            checks=checks,
            nullable=not f.required,
            unique=bool(c.get("unique")),
            coerce=False,
        )
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=list(table.primary_key) if len(table.primary_key) > 1 else None,
        name=table.name,
    )


def _series_tests(c: dict[str, Any]) -> dict[str, Any]:
    """One vectorised test per constraint, named after the Frictionless constraint it enforces."""
    tests: dict[str, Any] = {}
    if "enum" in c:
        tests["enum"] = lambda s, v=tuple(c["enum"]): s.isin(v)
    if "pattern" in c:
        pattern = re.compile(c["pattern"])
        tests["pattern"] = lambda s, p=pattern: s.map(lambda v: bool(p.fullmatch(v))).astype(bool)
    if "minimum" in c:
        tests["minimum"] = lambda s, v=c["minimum"]: s >= v
    if "maximum" in c:
        tests["maximum"] = lambda s, v=c["maximum"]: s <= v
    if "minLength" in c:
        tests["minLength"] = lambda s, v=c["minLength"]: s.str.len() >= v
    if "maxLength" in c:
        tests["maxLength"] = lambda s, v=c["maxLength"]: s.str.len() <= v
    return tests
