"""The table schemas: documented, loaded with every problem reported, and translated into
checks (pandera on polars, DuckDB DDL) that enforce each constraint and name it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandera.polars as pa
import polars as pl
import pytest
import yaml

from eaeu_facts.check.schema import schema_findings
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import LINE, PATH, UNIT, from_rows
from eaeu_facts.model.schemas import Field, ForeignKey, Table, load_catalog
from tests.helpers import MINI, REPO, copy_project

CATALOG = load_catalog(REPO)


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_every_field_is_documented(table: Table) -> None:
    assert table.title and len(table.description) > 40
    for f in table.fields:
        assert f.title, f.name
        assert len(f.description) > 10, f.name


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_fact_tables_carry_provenance(table: Table) -> None:
    if table.kind == "fact":
        assert table.has_provenance


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_frictionless_descriptor_mirrors_the_schema(table: Table) -> None:
    descriptor = table.to_frictionless()
    assert [f["name"] for f in descriptor["fields"]] == table.field_names
    assert descriptor["primaryKey"] == list(table.primary_key)
    for f, out in zip(table.fields, descriptor["fields"], strict=True):
        assert out["description"] == f.description
        assert out.get("constraints", {}) == f.constraints


def test_shared_fields_are_described_once() -> None:
    shared = yaml.safe_load((REPO / "schemas" / "fields.yaml").read_text(encoding="utf-8"))
    uses = {t.name: t.field("source_id").description for t in CATALOG.tables if t.has_provenance}
    assert set(uses.values()) == {" ".join(shared["source_id"]["description"].split())}


def test_a_field_override_keeps_the_shared_description() -> None:
    prio = CATALOG.table("priorities").field("stated_by_person_id")
    stmt = CATALOG.table("statements").field("stated_by_person_id")
    assert prio.required and not stmt.required
    assert prio.description == stmt.description


# One tiny table exercising every constraint type the schemas use.
PROBE = Table(
    name="probe",
    title="Probe",
    description="A table for testing the translation of constraints into checks.",
    kind="fact",
    order=0,
    fields=(
        Field(
            "probe_id",
            "string",
            "Id",
            "Identifier.",
            {"required": True, "unique": True, "pattern": "p-[0-9]+"},
        ),
        Field("kind", "string", "Kind", "An enum.", {"enum": ["a", "b"]}),
        Field("count", "integer", "Count", "Has bounds.", {"minimum": 1, "maximum": 9}),
        Field("label", "string", "Label", "Has a length.", {"minLength": 2, "maxLength": 4}),
        Field("share", "number", "Share", "A number.", {}),
        Field("flag", "boolean", "Flag", "A boolean.", {"required": True}),
        Field("day", "date", "Day", "A date.", {}),
        Field("group", "string", "Group", "First part of the key.", {"required": True}),
        Field("part", "integer", "Part", "Second part of the key.", {"required": True}),
    ),
    primary_key=("group", "part"),
    foreign_keys=(),
    path="schemas/probe.yaml",
)
GOOD = {
    "probe_id": "p-1",
    "kind": "a",
    "count": 3,
    "label": "abc",
    "share": 0.5,
    "flag": True,
    "day": dt.date(2025, 1, 31),
    "group": "g",
    "part": 1,
}
EMPTY = {"kind": None, "count": None, "label": None, "share": None, "day": None}


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=PROBE.dtypes)


def failures(data: pl.DataFrame, table: Table = PROBE) -> set[tuple[str, str]]:
    """Each (column, check) the table's pandera schema, rule by rule, fails the frame on;
    none if it passes. The one-query schema the checks run first must agree on whether it
    fails (check/schema.py runs rule by rule only a table it refuses)."""
    try:
        table.to_pandera(whole=True).validate(data, lazy=True)
        found: set[tuple[str, str]] = set()
    except pa.errors.SchemaErrors as exc:
        found = set(exc.failure_cases.select("column", "check").iter_rows())
    try:
        table.to_pandera().validate(data, lazy=True)
        assert not found, f"one query passes what rule by rule refuses: {found}"
    except pa.errors.SchemaErrors:
        assert found, "one query refuses what rule by rule passes"
    return found


def test_good_frames_pass() -> None:
    """Missing values pass every check of a field that is not required."""
    rows = [GOOD, {**GOOD, **EMPTY, "probe_id": "p-2", "part": 2}]
    assert failures(frame(rows)) == set()


# (change to GOOD, failing column, check, wording of the finding)
REFUSED = {
    "required": ({"probe_id": None}, "probe_id", "not_nullable", "a value (required)"),
    "required-boolean": ({"flag": None}, "flag", "not_nullable", "a value (required)"),
    "pattern": ({"probe_id": "q-1"}, "probe_id", "pattern", "a value matching p-[0-9]+"),
    "pattern-anchored-start": (
        {"probe_id": "xp-1"},
        "probe_id",
        "pattern",
        "a value matching p-[0-9]+",
    ),
    "pattern-anchored-end": (
        {"probe_id": "p-1x"},
        "probe_id",
        "pattern",
        "a value matching p-[0-9]+",
    ),
    "enum": ({"kind": "c"}, "kind", "enum", "one of a, b"),
    "minimum": ({"count": 0}, "count", "minimum", "at least 1"),
    "maximum": ({"count": 10}, "count", "maximum", "at most 9"),
    "minLength": ({"label": "a"}, "label", "minLength", "at least 2 characters"),
    "maxLength": ({"label": "abcde"}, "label", "maxLength", "at most 4 characters"),
    "maxLength-code-points": (
        {"label": "ليلىن"},
        "label",
        "maxLength",
        "at most 4 characters",
    ),
}
# Values at the edge of each constraint, which it must let through.
ACCEPTED = {
    "pattern": {"probe_id": "p-0123456789"},
    "enum": {"kind": "b"},
    "minimum": {"count": 1},
    "maximum": {"count": 9},
    "minLength": {"label": "ab"},
    "maxLength": {"label": "abcd"},
    "maxLength-code-points": {"label": "ليلى"},  # 4 characters, 8 bytes
    "number": {"share": -1e300},
    "date": {"day": dt.date(1, 1, 1)},
}


@pytest.mark.parametrize(
    ("change", "column", "check", "expected"), REFUSED.values(), ids=REFUSED.keys()
)
def test_each_constraint_refuses_a_bad_value_by_name(
    change: dict, column: str, check: str, expected: str
) -> None:
    assert failures(frame([{**GOOD, **change}])) == {(column, check)}


@pytest.mark.parametrize("change", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_each_constraint_accepts_a_value_at_its_edge(change: dict) -> None:
    assert failures(frame([{**GOOD, **change}])) == set()


def test_unique_is_enforced() -> None:
    assert failures(frame([GOOD, {**GOOD, "part": 2}])) == {("probe_id", "field_uniqueness")}


def test_composite_primary_key_is_enforced() -> None:
    """Each field of the key may repeat; the pair may not."""
    assert failures(frame([GOOD, {**GOOD, "probe_id": "p-2", "part": 2}])) == set()
    assert failures(frame([GOOD, {**GOOD, "probe_id": "p-2", "group": "h"}])) == set()
    assert failures(frame([GOOD, {**GOOD, "probe_id": "p-2"}])) == {
        ("probe", "multiple_fields_uniqueness")
    }


def test_dates_must_be_dates() -> None:
    text = frame([GOOD]).with_columns(pl.col("day").cast(pl.String))
    assert failures(text) == {("day", "dtype('Date')")}
    assert failures(frame([GOOD])) == set()


def test_every_column_and_only_those_in_schema_order() -> None:
    good = frame([GOOD])
    assert failures(good.with_columns(extra=pl.lit(1))) != set()
    assert failures(good.select(reversed(good.columns))) != set()
    assert failures(good.drop("share")) != set()


# A date field may carry bounds too (Frictionless allows them); the schemas load them as ISO
# strings.
DATED = Table(
    "dated",
    "Dated",
    "A table with a bounded date.",
    "fact",
    0,
    (
        Field("dated_id", "string", "Id", "Identifier.", {"required": True}),
        Field("day", "date", "Day", "A bounded date.", {"minimum": "2025-01-01"}),
    ),
    ("dated_id",),
    (),
    "schemas/dated.yaml",
)


def test_a_date_bound_is_enforced() -> None:
    def dated(day: dt.date) -> pl.DataFrame:
        return pl.DataFrame({"dated_id": ["d-1"], "day": [day]}, schema=DATED.dtypes)

    assert failures(dated(dt.date(2025, 1, 1)), DATED) == set()
    assert failures(dated(dt.date(2024, 12, 31)), DATED) == {("day", "minimum")}


def _hidden(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as the build holds them: each written at line i of probe.yaml."""
    located = [
        {**row, PATH: "probe.yaml", LINE: i, UNIT: "u"} for i, row in enumerate(rows, start=1)
    ]
    return from_rows(PROBE, located)


@pytest.mark.parametrize(
    ("change", "column", "check", "expected"), REFUSED.values(), ids=REFUSED.keys()
)
def test_a_refused_value_becomes_a_finding_at_its_row(
    change: dict, column: str, check: str, expected: str
) -> None:
    bad = {**GOOD, "probe_id": "p-2", **change, "part": 2}
    found = list(schema_findings(PROBE, _hidden([GOOD, bad])))
    value = "<missing>" if check == "not_nullable" else change[column]
    assert [(f.table, f.path, f.line, f.field, f.found, f.expected) for f in found] == [
        ("probe", "probe.yaml", 2, column, value, expected)
    ]


def test_a_repeated_key_is_one_finding_per_row_naming_the_key() -> None:
    found = list(schema_findings(PROBE, _hidden([GOOD, {**GOOD, "probe_id": "p-2"}])))
    assert [(f.line, f.field, f.found, f.expected) for f in found] == [
        (line, "group, part", ("g", 1), "a primary key (group, part) no other row of probe has")
        for line in (1, 2)
    ]


def _duckdb(table: Table = PROBE, unique: bool = True) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for statement in table.to_sql((), unique=unique):
        con.execute(statement)
    return con


def _insert(con: duckdb.DuckDBPyConnection, *rows: dict[str, Any]) -> None:
    marks = ", ".join("?" * len(PROBE.fields))
    for row in rows:
        con.execute(f"INSERT INTO probe VALUES ({marks})", [row[n] for n in PROBE.field_names])


@pytest.mark.parametrize(
    ("change", "column", "check", "expected"), REFUSED.values(), ids=REFUSED.keys()
)
def test_the_database_refuses_what_the_schema_refuses(
    change: dict, column: str, check: str, expected: str
) -> None:
    con = _duckdb()
    _insert(con, GOOD)
    with pytest.raises(duckdb.ConstraintException):
        _insert(con, {**GOOD, "probe_id": "p-2", **change, "part": 2})


@pytest.mark.parametrize("change", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_database_accepts_what_the_schema_accepts(change: dict) -> None:
    empty = {**GOOD, **EMPTY, "probe_id": "p-2", "part": 2}
    _insert(_duckdb(), GOOD, empty, {**GOOD, "probe_id": "p-3", **change, "part": 3})


def test_the_database_refuses_a_repeated_key_or_unique_value() -> None:
    con = _duckdb()
    _insert(con, GOOD)
    with pytest.raises(duckdb.ConstraintException):
        _insert(con, {**GOOD, "probe_id": "p-2"})
    with pytest.raises(duckdb.ConstraintException):
        _insert(con, {**GOOD, "part": 2})


def test_a_unique_value_left_undeclared_is_said_so_in_its_comment() -> None:
    """DuckDB cannot update a unique column of a referenced row: the build checks it instead."""
    statements = PROBE.to_sql((), unique=False)
    assert 'UNIQUE ("probe_id")' not in statements[0]
    assert 'UNIQUE ("probe_id")' in PROBE.to_sql(())[0]
    [comment] = [s for s in statements if s.startswith('COMMENT ON COLUMN "probe"."probe_id"')]
    assert "not declared UNIQUE" in comment and comment.startswith(
        'COMMENT ON COLUMN "probe"."probe_id" IS \'Identifier. No two rows share a value'
    )
    con = _duckdb(unique=False)
    _insert(con, GOOD, {**GOOD, "part": 2})  # the repeated probe_id gets in


def test_a_foreign_key_left_undeclared_is_said_so_in_its_comment() -> None:
    ref = ForeignKey(("group",), "groups", ("group_id",))
    table = dataclasses.replace(PROBE, foreign_keys=(ref,))
    declared, undeclared = table.to_sql((ref,)), table.to_sql(())
    assert 'FOREIGN KEY ("group") REFERENCES "groups" ("group_id")' in declared[0]
    assert "FOREIGN KEY" not in undeclared[0]
    [comment] = [s for s in undeclared if s.startswith('COMMENT ON COLUMN "probe"."group"')]
    assert "References groups.group_id; the foreign key is not declared" in comment


@pytest.mark.parametrize(
    ("field", "checks"),
    [
        (PROBE.field("probe_id"), ["regexp_full_match(\"probe_id\", 'p-[0-9]+')"]),
        (PROBE.field("kind"), ["\"kind\" IN ('a', 'b')"]),
        (PROBE.field("count"), ['"count" >= 1', '"count" <= 9']),
        (PROBE.field("label"), ['length("label") >= 2', 'length("label") <= 4']),
        (PROBE.field("share"), []),
        (Field("o'k", "string", "T", "d", {"enum": ["it's"]}), ["\"o'k\" IN ('it''s')"]),
        (DATED.field("day"), ["\"day\" >= DATE '2025-01-01'"]),
    ],
    ids=["pattern", "enum", "bounds", "lengths", "none", "quoted", "date"],
)
def test_sql_checks_state_each_constraint(field: Field, checks: list[str]) -> None:
    assert field.sql_checks() == checks


def test_a_broken_schema_file_is_reported_with_its_line(tmp_path: Path) -> None:
    root = tmp_path
    shutil.copytree(REPO / "schemas", root / "schemas")
    path = root / "schemas" / "countries.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("minLength: 1", "minLenght: 1", 1),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as exc:
        load_catalog(root)
    [line] = exc.value.problems.lines()
    assert line.startswith("schemas/countries.yaml:")
    assert "minLenght" in line and "expected a constraint in" in line


def test_schemas_without_the_core_tables_are_refused(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    for name in ("fields.yaml", "package.yaml"):
        (tmp_path / "schemas" / name).write_bytes((REPO / "schemas" / name).read_bytes())
    with pytest.raises(BuildError) as exc:
        load_catalog(tmp_path)
    assert exc.value.problems.lines() == [
        f"schemas/{name}.yaml: file: found <missing>, expected a schema for table {name}"
        for name in ("participants", "quotes", "sources")
    ]


def test_problems_in_several_schema_files_are_all_reported(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    for name in ("countries", "meetings"):
        path = tmp_path / "schemas" / f"{name}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("minLength: 1", "minLenght: 1", 1),
            encoding="utf-8",
        )
    with pytest.raises(BuildError) as exc:
        load_catalog(tmp_path)
    files = [line.split(":")[0] for line in exc.value.problems.lines()]
    assert files == ["schemas/countries.yaml", "schemas/meetings.yaml"]


# A contributor's schema edit is untrusted input ------------------------------------------------

# (file, old text, new text, field named, found, expected): one line each, before anything is
# read or written.
SCHEMA_EDITS = {
    "a-path-for-a-name": (
        "trade",
        "name: trade\n",
        "name: ../../../x\n",
        "name",
        "'../../../x'",
        "a name of lowercase ASCII letters",
    ),
    "a-name-not-the-files": ("trade", "name: trade\n", "name: trades\n", "name", "trades", "trade"),
    "a-sql-field-name": (
        "trade",
        "  - name: trade_id\n",
        "  - name: 'x\"; DROP TABLE trade; --'\n",
        "name",
        "DROP TABLE",
        "a name of lowercase",
    ),
    "a-length-in-words": (
        "trade",
        "maxLength: 100}",
        "maxLength: ten}",
        "trade_id.maxLength",
        "ten",
        "a whole number, 0 or more",
    ),
    "a-minimum-on-text": (
        "countries",
        "minLength: 1",
        "minimum: 1",
        "name_en.minimum",
        "1",
        "no minimum on a field of type string",
    ),
    "an-enum-not-a-list": (
        "trade",
        "enum: [turnover, exports, imports]",
        "enum: turnover",
        "flow.enum",
        "turnover",
        "a list of values of type string",
    ),
    "a-pattern-re2-cannot-run": (
        "trade",
        'pattern: "^trade-[a-z0-9-]+$"',
        'pattern: "^trade-(?=x)[a-z0-9-]+$"',
        "trade_id.pattern",
        "(?=x)",
        "a regular expression the checks can run",
    ),
    "required-in-words": (
        "trade",
        "{required: true, unique: true,",
        "{required: yes please, unique: true,",
        "trade_id.required",
        "yes please",
        "true or false",
    ),
    "a-foreign-key-without-reference": (
        "trade",
        "    reference: {resource: countries, fields: [country_code]}\n",
        "    references: countries\n",
        "foreignKeys",
        "<malformed>",
        "a list of {fields:",
    ),
    "fields-not-a-list": (
        "indicators",
        "fields:\n",
        "fields: none\nold_fields:\n",
        "fields",
        "none",
        "a list of fields",
    ),
    "a-title-not-text": (
        "trade",
        "title: Trade figures and targets\n",
        "title: [1]\n",
        "title",
        "[1]",
        "a text",
    ),
    "order-in-words": (
        "trade",
        "order: 10\n",
        "order: tenth\n",
        "order",
        "tenth",
        "a whole number",
    ),
}


@pytest.mark.parametrize("edit", SCHEMA_EDITS.values(), ids=SCHEMA_EDITS.keys())
def test_a_schema_edit_is_refused_in_one_line_before_anything_is_written(
    tmp_path: Path, edit: tuple[str, ...]
) -> None:
    """Names are checked where schemas are read, before one is used in a path or a SQL
    identifier: nothing is written, inside the project or out of it."""
    from eaeu_facts.publish.pipeline import build

    name, old, new, field, found, expected = edit
    root = tmp_path / "a" / "b" / "project"
    copy_project(root, MINI / "seeds")
    path = root / "schemas" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(BuildError) as exc:
        build(root)
    [line] = exc.value.problems.lines()
    assert line.startswith(f"schemas/{name}.yaml:"), line
    assert f": {field}: found " in line and found in line and expected in line, line
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
