"""The table schemas in schemas/: the one description every output is generated from.

Each table file is a Frictionless Table Schema in YAML; fields shared by several tables are
written once in schemas/fields.yaml and named by the tables that use them. As in PUDL's
metadata classes, each output is one method of the loaded objects: `to_frictionless` (the
descriptor), `dtype` and `arrow_schema` (the table types), `to_pandera` (the checks of every
constraint) and `to_sql` (the DuckDB DDL); the documentation reads the same objects.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eaeu_facts.model import paths
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.yamlio import LineDict, load_yaml

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


# A field's type in each table type the stages use: polars (every stage), Arrow (Parquet and
# DuckDB, with the descriptions) and SQL.
POLARS_TYPES = {
    "string": "String",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "Boolean",
    "date": "Date",
}
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


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

    @property
    def dtype(self) -> Any:
        import polars as pl

        return getattr(pl, POLARS_TYPES[self.type])

    def to_arrow(self) -> Any:
        """The Arrow field, carrying the title and description, so Parquet is self-describing."""
        import pyarrow as pa

        kind = {
            "string": pa.string,
            "integer": pa.int64,
            "number": pa.float64,
            "boolean": pa.bool_,
            "date": pa.date32,
        }[self.type]()
        meta = {"title": self.title, "description": self.description}
        return pa.field(self.name, kind, nullable=not self.required, metadata=meta)

    def to_pandera(self) -> Any:
        """The pandera column: required, unique and a check per other constraint, each named
        (as `error`) by its constraint, which check/schema.py words the failures by."""
        import pandera.polars as pa
        import polars as pl

        c = self.constraints
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(list(c["enum"]), error="enum"))
        if "pattern" in c:
            anchored = f"^(?:{c['pattern']})$"
            checks.append(
                pa.Check(
                    lambda data, p=anchored: data.lazyframe.select(
                        pl.col(data.key).str.contains(p)
                    ),
                    name="pattern",
                )
            )
        for key, make in (("minimum", pa.Check.ge), ("maximum", pa.Check.le)):
            if key in c:
                bound = dt.date.fromisoformat(c[key]) if self.type == "date" else c[key]
                checks.append(make(bound, error=key))
        if "minLength" in c:
            checks.append(pa.Check.str_length(min_value=int(c["minLength"]), error="minLength"))
        if "maxLength" in c:
            checks.append(pa.Check.str_length(max_value=int(c["maxLength"]), error="maxLength"))
        return pa.Column(
            self.dtype, checks=checks, nullable=not self.required, unique=bool(c.get("unique"))
        )

    def sql_checks(self) -> list[str]:
        """CHECK expressions for the enum, pattern and bounds (NULL passes, as in SQL)."""
        c, col = self.constraints, ident(self.name)
        checks = []
        if "enum" in c:
            checks.append(f"{col} IN ({', '.join(literal(v, self.type) for v in c['enum'])})")
        if "pattern" in c:
            checks.append(f"regexp_full_match({col}, {literal(c['pattern'], 'string')})")
        if "minimum" in c:
            checks.append(f"{col} >= {literal(c['minimum'], self.type)}")
        if "maximum" in c:
            checks.append(f"{col} <= {literal(c['maximum'], self.type)}")
        # length() counts code points, as Python's len() and Frictionless do.
        if "minLength" in c:
            checks.append(f"length({col}) >= {int(c['minLength'])}")
        if "maxLength" in c:
            checks.append(f"length({col}) <= {int(c['maxLength'])}")
        return checks


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

    @functools.cached_property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @functools.cached_property
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

    @functools.cached_property
    def dtypes(self) -> dict[str, Any]:
        """The polars schema of the table's rows."""
        return {f.name: f.dtype for f in self.fields}

    def arrow_schema(self) -> Any:
        import pyarrow as pa

        meta = {"name": self.name, "description": self.description}
        return pa.schema([f.to_arrow() for f in self.fields], metadata=meta)

    def to_pandera(self) -> Any:
        """The pandera schema (polars) enforcing every field constraint and the primary key;
        foreign keys are cross-table and checked by check/rules.py."""
        import pandera.polars as pa

        key = list(self.primary_key)
        return pa.DataFrameSchema(
            {f.name: f.to_pandera() for f in self.fields},
            strict=True,
            ordered=True,
            unique=key if len(key) > 1 else None,
            name=self.name,
        )

    def to_sql(
        self, foreign_keys: tuple[ForeignKey, ...], unique: bool = True, references: bool = True
    ) -> list[str]:
        """CREATE TABLE with every constraint the schema states, then COMMENT ON the table
        and columns. DuckDB cannot declare all of them: only the foreign keys given are, and
        unique fields other than the key only if `unique`; the comments say which are not.
        Without `references` no foreign key is declared, nor said in a comment to be left
        out (the query page's copy, whose tables are loaded in any order)."""
        lines = [
            f"{ident(f.name)} {SQL_TYPES[f.type]}{' NOT NULL' if f.required else ''}"
            for f in self.fields
        ]
        lines.append(f"PRIMARY KEY ({idents(self.primary_key)})")
        distinct = [
            f.name
            for f in self.fields
            if f.constraints.get("unique") and self.primary_key != (f.name,)
        ]
        lines += [f"UNIQUE ({ident(name)})" for name in distinct if unique]
        lines += [
            f"FOREIGN KEY ({idents(fk.fields)}) "
            f"REFERENCES {ident(fk.resource)} ({idents(fk.reference_fields)})"
            for fk in foreign_keys
            if references
        ]
        lines += [f"CHECK ({check})" for f in self.fields for check in f.sql_checks()]
        body = ",\n  ".join(lines)
        notes = {
            name: _undeclared(fk)
            for fk in self.foreign_keys
            if references and fk not in foreign_keys
            for name in fk.fields
        }
        if not unique:
            notes.update(dict.fromkeys(distinct, UNDECLARED_UNIQUE))
        name = ident(self.name)
        out = [f"CREATE TABLE {name} (\n  {body}\n)"]
        out.append(f"COMMENT ON TABLE {name} IS {literal(self.description, 'string')}")
        for f in self.fields:
            text = " ".join(filter(None, (f.description, notes.get(f.name))))
            out.append(f"COMMENT ON COLUMN {name}.{ident(f.name)} IS {literal(text, 'string')}")
        return out


UNDECLARED_UNIQUE = (
    "No two rows share a value; this is not declared UNIQUE in this database, because DuckDB "
    "cannot then update it in a row that other rows reference. The build checks it."
)


def _undeclared(fk: ForeignKey) -> str:
    target = ", ".join(f"{fk.resource}.{name}" for name in fk.reference_fields)
    return (
        f"References {target}; the foreign key is not declared in this database because DuckDB "
        "cannot declare a circular reference. The build checks it."
    )


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def idents(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(ident(n) for n in names)


def literal(value: Any, field_type: str) -> str:
    """A SQL literal of a schema value (constraint values come from schemas/, not from users)."""
    if field_type in ("integer", "number"):
        return repr(value)
    if field_type == "boolean":
        return "TRUE" if value else "FALSE"
    text = "'" + str(value).replace("'", "''") + "'"
    return f"DATE {text}" if field_type == "date" else text


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

    @classmethod
    def from_frictionless(cls, descriptor: dict[str, Any]) -> Catalog:
        """The table schemas a package declares (the inverse of to_frictionless), so that a
        package is checked against what it publishes. The descriptor is one whose shape
        read/package.py has checked."""
        tables = []
        resources = [r for r in descriptor["resources"] if r.get("type") == "table"]
        for order, res in enumerate(resources):
            schema = res["schema"]
            fields = tuple(
                Field(
                    f["name"],
                    f["type"],
                    f.get("title", ""),
                    f.get("description", ""),
                    f.get("constraints", {}),
                )
                for f in schema["fields"]
            )
            keys = tuple(
                ForeignKey(
                    tuple(fk["fields"]),
                    fk["reference"]["resource"],
                    tuple(fk["reference"]["fields"]),
                )
                for fk in schema.get("foreignKeys", [])
            )
            title, about = res.get("title", res["name"]), res.get("description", "")
            key = tuple(schema.get("primaryKey", []))
            tables.append(
                Table(res["name"], title, about, "table", order, fields, key, keys, res["path"])
            )
        meta = {k: v for k, v in descriptor.items() if k != "resources"}
        return cls(package=meta, tables=tuple(tables))


def load_catalog(root: Path) -> Catalog:
    """Load and check schemas/; raise BuildError listing every problem found."""
    problems = Problems()
    base = root / paths.SCHEMAS
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
    if spec["type"] == "string" and not {"enum", "maxLength"} & set(spec["constraints"]):
        expected = "a maxLength (every text without an enum is bounded, for its readers' sake)"
        if "use" in entry and "constraints" not in entry:  # once, where the field is written
            display, line = "schemas/fields.yaml", _line_of(shared, entry["use"])
        problems.add(display, line, spec["name"], "<no maxLength>", expected)
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


def _line_of(mapping: dict, key: str) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else None


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
