import datetime as dt
import shutil

import pandas as pd
import pandera.pandas as pa
import pytest
import yaml

from eaeu_facts.errors import BuildError
from eaeu_facts.frames import to_dataframe
from eaeu_facts.schemas import Field, Table, load_catalog, to_pandera
from tests.conftest import REPO

CATALOG = load_catalog(REPO)


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_every_field_is_documented(table):
    assert table.title and len(table.description) > 40
    for f in table.fields:
        assert f.title, f.name
        assert len(f.description) > 10, f.name


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_fact_tables_carry_provenance(table):
    if table.kind == "fact":
        assert table.has_provenance


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_frictionless_descriptor_mirrors_the_schema(table):
    descriptor = table.to_frictionless()
    assert [f["name"] for f in descriptor["fields"]] == table.field_names
    assert descriptor["primaryKey"] == list(table.primary_key)
    for f, out in zip(table.fields, descriptor["fields"], strict=True):
        assert out["description"] == f.description
        assert out.get("constraints", {}) == f.constraints


def test_shared_fields_are_described_once():
    shared = yaml.safe_load((REPO / "schemas" / "fields.yaml").read_text(encoding="utf-8"))
    uses = {t.name: t.field("source_id").description for t in CATALOG.tables if t.has_provenance}
    assert set(uses.values()) == {" ".join(shared["source_id"]["description"].split())}


def test_a_field_override_keeps_the_shared_description():
    prio = CATALOG.table("priorities").field("stated_by_person_id")
    stmt = CATALOG.table("statements").field("stated_by_person_id")
    assert prio.required and not stmt.required
    assert prio.description == stmt.description


# One tiny table exercising every constraint type the schemas use.
PROBE = Table(
    name="probe",
    title="Probe",
    description="A table for testing the pandera translation.",
    kind="fact",
    order=0,
    fields=(
        Field(
            "probe_id",
            "string",
            "Id",
            "Identifier.",
            {"required": True, "unique": True, "pattern": "^p-[0-9]+$"},
        ),
        Field("kind", "string", "Kind", "An enum.", {"enum": ["a", "b"]}),
        Field("count", "integer", "Count", "Has a minimum.", {"minimum": 1, "maximum": 9}),
        Field("label", "string", "Label", "Has a length.", {"minLength": 2, "maxLength": 4}),
        Field("share", "number", "Share", "A number.", {}),
        Field("flag", "boolean", "Flag", "A boolean.", {"required": True}),
        Field("day", "date", "Day", "A date.", {}),
        Field("part", "integer", "Part", "Part of the key.", {"required": True}),
    ),
    primary_key=("probe_id", "part"),
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
    "part": 1,
}


def _failures(rows):
    try:
        to_pandera(PROBE).validate(to_dataframe(PROBE, rows), lazy=True)
    except pa.errors.SchemaErrors as exc:
        return set(exc.failure_cases["check"].astype(str))
    return set()


def test_a_good_row_passes():
    assert _failures([GOOD]) == set()


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"probe_id": None}, "not_nullable"),
        ({"probe_id": "q-1"}, "pattern ^p-[0-9]+$"),
        ({"kind": "c"}, "enum"),
        ({"count": 0}, "minimum 1"),
        ({"count": 10}, "maximum 9"),
        ({"label": "a"}, "minLength 2"),
        ({"label": "abcde"}, "maxLength 4"),
        ({"flag": None}, "not_nullable"),
    ],
    ids=[
        "required",
        "pattern",
        "enum",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "required-bool",
    ],
)
def test_each_constraint_type_is_enforced(change, check):
    assert check in _failures([{**GOOD, **change}])


def test_unique_is_enforced():
    assert "field_uniqueness" in _failures([GOOD, {**GOOD, "part": 2}])


def test_composite_primary_key_is_enforced():
    assert "multiple_fields_uniqueness" in _failures(
        [GOOD, {**GOOD, "probe_id": "p-2"}, {**GOOD, "probe_id": "p-2"}]
    )


def test_dates_must_be_dates():
    frame = to_dataframe(PROBE, [GOOD])
    frame["day"] = pd.Series(["2025-01-31"], dtype="object")
    with pytest.raises(pa.errors.SchemaErrors):
        to_pandera(PROBE).validate(frame, lazy=True)


def test_a_broken_schema_file_is_reported_with_its_line(tmp_path):
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


def test_schemas_without_the_core_tables_are_refused(tmp_path):
    (tmp_path / "schemas").mkdir()
    for name in ("fields.yaml", "package.yaml"):
        (tmp_path / "schemas" / name).write_bytes((REPO / "schemas" / name).read_bytes())
    with pytest.raises(BuildError) as exc:
        load_catalog(tmp_path)
    assert exc.value.problems.lines() == [
        f"schemas/{name}.yaml: file: found <missing>, expected a schema for table {name}"
        for name in ("participants", "quotes", "sources")
    ]


def test_problems_in_several_schema_files_are_all_reported(tmp_path):
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
