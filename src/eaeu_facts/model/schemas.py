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

from eaeu_facts.model import paths, text
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.yamlio import LineDict, load_yaml

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
FIELD_KEYS = ("name", "type", "title", "description", "constraints", "multiline")
TABLE_KINDS = ("reference", "dimension", "fact", "derived")
PROVENANCE_FIELDS = ("source_id", "char_start", "char_end", "evidence_ar")
# Tables the build and its rules name in code: a schemas/ without them cannot be built.
CORE_TABLES = ("sources", "participants", "quotes")


@dataclass(frozen=True)
class Types:
    """One schema type in each table library the stages and readers use."""

    polars: str  # every stage
    sql: str  # DuckDB, native and in the browser
    pandas: str  # `load(engine="pandas")`: nullable dtypes; dates as datetime.date objects


# The one type table: a schema type and what it is in each library.
TYPES = {
    "string": Types("String", "VARCHAR", "string"),
    "integer": Types("Int64", "BIGINT", "Int64"),
    "number": Types("Float64", "DOUBLE", "Float64"),
    "boolean": Types("Boolean", "BOOLEAN", "boolean"),
    "date": Types("Date", "DATE", "object"),
}
FIELD_TYPES = tuple(TYPES)
SQL_TYPES = {name: t.sql for name, t in TYPES.items()}


@dataclass(frozen=True)
class Field:
    """One column: its type, documentation and constraints."""

    name: str
    type: str
    title: str
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)
    # A text that may hold line breaks (the evidence, as printed); other texts are one line.
    multiline: bool = False

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
        if self.multiline:
            out["multiline"] = True
        return out

    @property
    def dtype(self) -> Any:
        import polars as pl

        return getattr(pl, TYPES[self.type].polars)

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

    def rules(self) -> list[tuple[str, Any]]:
        """Each constraint of the column as a polars expression true where a value keeps it
        (a missing value keeps every one but `required`), named by its constraint: the one
        statement of each rule, which both pandera schemas run (to_pandera)."""
        import polars as pl

        c, col = self.constraints, pl.col(self.name)
        out: list[tuple[str, Any]] = []
        if self.type == "string":  # model/text.py: no control, bidi or invisible characters
            out.append(("text", col.str.contains(text.pattern(self.multiline)).not_()))
        if "enum" in c:
            out.append(("enum", col.is_in(list(c["enum"]))))
        if "pattern" in c:
            out.append(("pattern", col.str.contains(f"^(?:{c['pattern']})$")))
        for key, op in (("minimum", "__ge__"), ("maximum", "__le__")):
            if key in c:
                bound = dt.date.fromisoformat(c[key]) if self.type == "date" else c[key]
                out.append((key, getattr(col, op)(pl.lit(bound))))
        if "minLength" in c:
            out.append(("minLength", col.str.len_chars() >= int(c["minLength"])))
        if "maxLength" in c:
            out.append(("maxLength", col.str.len_chars() <= int(c["maxLength"])))
        return [(name, rule | col.is_null()) for name, rule in out]

    def to_pandera(self) -> Any:
        """The pandera column: its type, required, unique and a check per other constraint,
        each named by its constraint, which check/schema.py words the failures by."""
        import pandera.polars as pa

        checks = [
            pa.Check(lambda data, rule=rule: data.lazyframe.select(rule), name=name)
            for name, rule in self.rules()
        ]
        return pa.Column(
            self.dtype,
            checks=checks,
            nullable=not self.required,
            unique=bool(self.constraints.get("unique")),
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

    def to_pandera(self, whole: bool = False) -> Any:
        """The pandera schema (polars) of every field's constraints and the primary key;
        foreign keys are cross-table and checked by check/rules.py.

        By default one check holds every rule of the table, so that pandera runs them as one
        query over the table (one collect, not one per rule per column); a table it refuses
        is checked `whole`, a check per rule per column, to say which value broke which."""
        import pandera.polars as pa
        import polars as pl

        key = list(self.primary_key)
        if whole:
            return pa.DataFrameSchema(
                {f.name: f.to_pandera() for f in self.fields},
                strict=True,
                ordered=True,
                unique=key if len(key) > 1 else None,
                name=self.name,
            )
        rules = [rule for f in self.fields for _, rule in f.rules()]
        rules += [pl.col(f.name).is_not_null() for f in self.fields if f.required]
        rules += [
            pl.col(f.name).is_unique() | pl.col(f.name).is_null()
            for f in self.fields
            if f.constraints.get("unique")
        ]
        if len(key) > 1:
            rules.append(pl.struct(key).is_unique())
        every = pl.all_horizontal(rules) if rules else pl.lit(True)
        columns = [(f.name, f.dtype) for f in self.fields]

        def shape(data: Any) -> bool:  # the columns, in order, each of its type
            found = list(data.lazyframe.collect_schema().items())
            return len(found) == len(columns) and all(
                name == want and dtype == kind
                for (name, dtype), (want, kind) in zip(found, columns, strict=True)
            )

        def kept(data: Any) -> bool:  # one check, true or false: pandera collects it once
            return shape(data) and bool(data.lazyframe.select(every.all()).collect().item())

        return pa.DataFrameSchema(
            checks=[pa.Check(kept, name="rules")],
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
                    f.get("multiline") is True,
                )
                for f in schema["fields"]
            )
            keys = foreign_keys(schema.get("foreignKeys", []))
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
    tables, broken = [], set()
    for path in sorted(base.glob("*.yaml")):
        if path.name in ("fields.yaml", "package.yaml"):
            continue
        display = f"schemas/{path.name}"
        raw = load_yaml(path, display, problems)
        _check_text(raw, display, 1, problems)
        table = _parse_table(raw, shared, display, problems) if isinstance(raw, dict) else None
        if table is not None:
            tables.append(table)
        else:  # reported; the references to it are not reported again
            broken.add(path.stem)
    _check_text(shared, "schemas/fields.yaml", 1, problems)
    _check_text(package, "schemas/package.yaml", 1, problems)
    if isinstance(package, dict):
        _check_package(package, problems)
    else:
        problems.add("schemas/package.yaml", None, "package", package, "a mapping of metadata")
    tables.sort(key=lambda t: (t.order, t.name))
    _check_references(tables, broken, problems)
    for name in CORE_TABLES:
        if not (base / f"{name}.yaml").exists():
            problems.add(
                f"schemas/{name}.yaml", None, "file", "<missing>", f"a schema for table {name}"
            )
    if problems:
        raise BuildError(problems)
    return Catalog(package=_plain(package), tables=tuple(tables))


def _parse_table(raw: LineDict, shared: dict, display: str, problems: Problems) -> Table | None:
    """A table file as a Table; None, with its problems, when it cannot be one. Every name is
    checked before anything uses it, in a path, a SQL identifier or a file name."""
    before = len(problems)
    missing = [
        key
        for key in ("name", "title", "description", "kind", "order", "primaryKey", "fields")
        if key not in raw
    ]
    for key in missing:
        problems.add(display, raw.line, key, "<missing>", f"a '{key}' entry")
    if missing:
        return None
    stem = Path(display).stem
    if not _is_name(raw["name"]):
        problems.add(display, raw.line_of("name"), "name", raw["name"], NAME_RULE)
    elif raw["name"] != stem:
        problems.add(display, raw.line_of("name"), "name", raw["name"], f"{stem}, the file's name")
    for key in ("title", "description"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            problems.add(display, raw.line_of(key), key, raw[key], "a text")
    if raw["kind"] not in TABLE_KINDS:
        problems.add(display, raw.line_of("kind"), "kind", raw["kind"], f"one of {TABLE_KINDS}")
    if not _is_int(raw["order"]):
        problems.add(display, raw.line_of("order"), "order", raw["order"], "a whole number")
    if not _names_list(raw["primaryKey"]):
        expected = "a list of field names"
        problems.add(display, raw.line_of("primaryKey"), "primaryKey", raw["primaryKey"], expected)
    if not isinstance(raw["fields"], list) or not raw["fields"]:
        problems.add(display, raw.line_of("fields"), "fields", raw["fields"], "a list of fields")
    foreign = raw.get("foreignKeys", [])
    if not isinstance(foreign, list) or not all(_is_foreign_key(fk) for fk in foreign):
        expected = (
            "a list of {fields: [names], reference: {resource: table, fields: [names]}}, "
            "as many names on each side"
        )
        problems.add(display, raw.line_of("foreignKeys"), "foreignKeys", "<malformed>", expected)
    if len(problems) > before:
        return None
    fields = [_parse_field(entry, shared, display, problems) for entry in raw["fields"]]
    if len(problems) > before:
        return None
    table = Table(
        name=raw["name"],
        title=raw["title"],
        description=" ".join(str(raw["description"]).split()),
        kind=raw["kind"],
        order=int(raw["order"]),
        fields=tuple(f for f in fields if f is not None),
        primary_key=tuple(raw["primaryKey"]),
        foreign_keys=foreign_keys(foreign),
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


# Table and field names become file names, SQL identifiers and YAML keys: nothing else.
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
NAME_RULE = "a name of lowercase ASCII letters, digits and underscores, starting with a letter"


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and NAME.fullmatch(value) is not None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _names_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_name(v) for v in value)


def foreign_keys(raw: list[dict[str, Any]]) -> tuple[ForeignKey, ...]:
    """Foreign keys as Table Schema writes them (`schemas/` and datapackage.json alike)."""
    return tuple(
        ForeignKey(
            fields=tuple(fk["fields"]),
            resource=fk["reference"]["resource"],
            reference_fields=tuple(fk["reference"]["fields"]),
        )
        for fk in raw
    )


def _is_foreign_key(fk: Any) -> bool:
    reference = fk.get("reference") if isinstance(fk, dict) else None
    return (
        isinstance(reference, dict)
        and _names_list(fk.get("fields"))
        and _is_name(reference.get("resource"))
        and _names_list(reference.get("fields"))
        and len(fk["fields"]) == len(reference["fields"])
    )


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
        base = shared.get(entry["use"]) if isinstance(entry["use"], str) else None
        if not isinstance(base, dict):
            problems.add(
                display, line, "fields", entry["use"], "a field defined in schemas/fields.yaml"
            )
            return None
        spec = {"name": entry["use"], **_plain(base)}
    overrides = {k: v for k, v in _plain(entry).items() if k != "use"}
    parts = (spec.get("constraints", {}), overrides.pop("constraints", {}))
    if not all(isinstance(part, dict) for part in parts):
        problems.add(display, line, "constraints", "<not a mapping>", "constraints as a mapping")
        return None
    spec["constraints"] = {**parts[0], **parts[1]}
    spec.update(overrides)
    for key in ("name", "type", "title", "description"):
        if not spec.get(key):
            problems.add(display, line, key, "<missing>", f"every field to have a {key}")
            return None
        if not isinstance(spec[key], str):
            problems.add(display, line, key, spec[key], "a text")
            return None
    if not _is_name(spec["name"]):
        problems.add(display, line, "name", spec["name"], NAME_RULE)
        return None
    if spec["type"] not in FIELD_TYPES:
        problems.add(display, line, spec["name"], spec["type"], f"a type in {FIELD_TYPES}")
        return None
    for key, value in spec["constraints"].items():
        if key not in CONSTRAINT_KEYS:
            problems.add(display, line, spec["name"], key, f"a constraint in {CONSTRAINT_KEYS}")
        elif (expected := _constraint_fault(key, value, spec["type"])) is not None:
            problems.add(display, line, f"{spec['name']}.{key}", value, expected)
    low, high = spec["constraints"].get("minLength"), spec["constraints"].get("maxLength")
    if _is_int(low) and _is_int(high) and low > high:
        problems.add(display, line, f"{spec['name']}.minLength", low, f"at most maxLength {high}")
    if spec["type"] == "string" and not {"enum", "maxLength"} & set(spec["constraints"]):
        expected = "a maxLength (every text without an enum is bounded, for its readers' sake)"
        if "use" in entry and "constraints" not in entry:  # once, where the field is written
            display, line = "schemas/fields.yaml", _line_of(shared, entry["use"])
        problems.add(display, line, spec["name"], "<no maxLength>", expected)
    multiline = spec.get("multiline", False)
    if not isinstance(multiline, bool) or (multiline and spec["type"] != "string"):
        problems.add(display, line, f"{spec['name']}.multiline", multiline, "true on a string")
    unknown = sorted(set(spec) - set(FIELD_KEYS))
    for key in unknown:
        problems.add(display, line, key, "an unknown key of a field", f"one of {FIELD_KEYS}")
    return Field(
        name=spec["name"],
        type=spec["type"],
        title=str(spec["title"]),
        description=" ".join(str(spec["description"]).split()),
        constraints=spec["constraints"],
        multiline=multiline is True,
    )


def _constraint_fault(key: str, value: Any, field_type: str) -> str | None:
    """What a constraint's value should be, when it is not that (None when it is)."""
    if key in ("required", "unique"):
        return None if isinstance(value, bool) else "true or false"
    if key in ("minLength", "maxLength"):
        if field_type != "string":
            return "no length constraint on a field that is not a string"
        return None if _is_int(value) and value >= 0 else "a whole number, 0 or more"
    if key == "pattern":
        if field_type != "string":
            return "no pattern on a field that is not a string"
        return None if _pattern_runs(value) else "a regular expression the checks can run"
    if key == "enum":
        ok = isinstance(value, list) and value and all(_of_type(v, field_type) for v in value)
        return None if ok else f"a list of values of type {field_type}"
    # minimum, maximum
    if field_type not in ("integer", "number", "date"):
        return f"no {key} on a field of type {field_type}"
    return None if _of_type(value, field_type) else f"a value of type {field_type}"


def _of_type(value: Any, field_type: str) -> bool:
    if field_type == "string":
        return isinstance(value, str)
    if field_type == "integer":
        return _is_int(value)
    if field_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if field_type == "boolean":
        return isinstance(value, bool)
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


def _pattern_runs(pattern: Any) -> bool:
    """A pattern Python, polars (RE2, the checks) and DuckDB (the database's CHECK) read alike
    enough to run: it compiles in the first two."""
    return isinstance(pattern, str) and _compiles(pattern)


@functools.lru_cache(maxsize=1024)
def _compiles(pattern: str) -> bool:
    import polars as pl

    try:
        re.compile(pattern)
        pl.Series([""]).str.contains(f"^(?:{pattern})$")
    except (re.error, pl.exceptions.PolarsError):
        return False
    return True


def _line_of(mapping: dict, key: str) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else None


# What datapackage.json takes from schemas/package.yaml, and what each must be.
PACKAGE_KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "a lowercase name (letters, digits, '.', '_', '-')"),
    "title": (str, "a text"),
    "description": (str, "a text"),
    "version": (str, "a version, such as 0.1.0"),
    "created": (str, "a date and time, such as 2026-11-28T00:00:00Z"),
    "keywords": (list, "a list of words"),
    "licenses": (list, "a list of licences, each with a name and a path"),
    "contributors": (list, "a list of contributors, each with a title"),
}


def _check_text(value: Any, display: str, line: int, problems: Problems, key: str = "") -> None:
    """Every text of a schema file, keys too, holds what the dataset's own text may: titles
    and descriptions are published in the descriptor and the docs, so a bidi override or a NUL
    there spoofs what a reader sees as much as in a row. A description may break lines."""
    if isinstance(value, dict):
        for k, v in value.items():
            at = value.line_of(k) if isinstance(value, LineDict) else line
            _check_text(k, display, at, problems, str(k))
            _check_text(v, display, at, problems, str(k))
    elif isinstance(value, list):
        for item in value:
            _check_text(item, display, getattr(item, "line", line), problems, key)
    elif isinstance(value, str):
        where = text.surrogate_at(value) or text.refused_at(value, multiline=key == "description")
        if where is not None:
            problems.add(display, line, key or "key", where, text.EXPECTED)


def _check_package(package: LineDict, problems: Problems) -> None:
    """The package metadata has every key the descriptor takes, each as Frictionless wants."""
    where = "schemas/package.yaml"
    for key, (kind, expected) in PACKAGE_KEYS.items():
        value = package.get(key)
        line = _line_of(package, key)
        if not isinstance(value, kind) or not value:
            problems.add(where, line, key, "<missing>" if value is None else value, expected)
            continue
        items = value if isinstance(value, list) else [value]
        ok = {
            "name": lambda v: re.fullmatch(r"[a-z0-9._-]+", v) is not None,
            "created": lambda v: (
                re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", v) is not None
            ),
            "keywords": lambda v: isinstance(v, str) and bool(v.strip()),
            "licenses": lambda v: (
                isinstance(v, dict)
                and all(isinstance(v.get(k), str) and v.get(k) for k in ("name", "path"))
            ),
            "contributors": lambda v: (
                isinstance(v, dict) and isinstance(v.get("title"), str) and bool(v.get("title"))
            ),
        }.get(key, lambda v: isinstance(v, str) and bool(v.strip()))
        if not all(ok(item) for item in items):
            problems.add(where, line, key, value, expected)


def _check_references(tables: list[Table], broken: set[str], problems: Problems) -> None:
    by_name = {t.name: t for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            target = by_name.get(fk.resource)
            if target is None and fk.resource in broken:
                continue
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
