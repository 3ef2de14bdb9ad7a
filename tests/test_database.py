"""The DuckDB database: generated from the schemas, enforcing them, kept out of the package,
and patched in place by a rebuild that changes few rows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import from_rows
from eaeu_facts.model.paths import DATABASE_FILE
from eaeu_facts.model.schemas import (
    SQL_TYPES,
    UNDECLARED_UNIQUE,
    Catalog,
    Field,
    ForeignKey,
    Table,
    load_catalog,
)
from eaeu_facts.publish import database
from eaeu_facts.publish.database import (
    creation_order,
    patch_database,
    views_sql,
    write_database,
)
from eaeu_facts.publish.keys import ROW_LIBRARIES, fingerprint, keyed
from eaeu_facts.publish.pipeline import ROW_STAGES, assemble, build, check, differences
from eaeu_facts.read.units import find_units
from tests.helpers import REPO, database_rows, database_shape

CATALOG = load_catalog(REPO)
VIEWS = re.findall(r"^CREATE VIEW (\w+)", views_sql(), flags=re.MULTILINE)


@pytest.fixture(scope="module")
def db(article: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(article / "datapackage" / DATABASE_FILE), read_only=True)
    yield con
    con.close()


@pytest.fixture
def writable(article: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection to a copy of the built database."""
    copy = tmp_path / DATABASE_FILE
    shutil.copy(article / "datapackage" / DATABASE_FILE, copy)
    con = duckdb.connect(str(copy))
    yield con
    con.close()


def _table(name: str, *keys: str) -> Table:
    """A table with a key, a reference to each of `keys` and a field that must be unique."""
    return Table(
        name=name,
        title=name,
        description="",
        kind="dimension",
        order=0,
        fields=(
            Field("id", "string", "Id", "Identifier.", {"required": True, "unique": True}),
            Field("ref", "string", "Ref", "Ref."),
            Field("code", "string", "Code", "A code.", {"unique": True}),
        ),
        primary_key=("id",),
        foreign_keys=tuple(ForeignKey(("ref",), target, ("id",)) for target in keys),
        path=f"schemas/{name}.yaml",
    )


def _undeclared(plan: database.TablePlan) -> set[ForeignKey]:
    return set(plan.table.foreign_keys) - set(plan.declared)


def test_tables_are_created_after_the_tables_they_reference() -> None:
    made: set[str] = set()
    for plan in creation_order(CATALOG):
        assert set(plan.declared) <= set(plan.table.foreign_keys)
        assert all(fk.resource in made or fk.resource == plan.table.name for fk in plan.declared)
        made.add(plan.table.name)
    assert made == set(CATALOG.names)


def test_only_the_sources_organizations_cycle_is_left_undeclared() -> None:
    undeclared = [
        (p.table.name, fk.fields) for p in creation_order(CATALOG) for fk in _undeclared(p)
    ]
    assert undeclared == [("sources", ("publisher_organization_id",))]


def test_a_cycle_is_cut_once_and_tables_outside_it_keep_their_keys() -> None:
    tables = (_table("c", "a"), _table("a", "b"), _table("b", "a"), _table("d", "d"))
    plans = creation_order(Catalog(package={}, tables=tables))
    assert [p.table.name for p in plans] == ["d", "a", "c", "b"]
    undeclared = {p.table.name: [fk.resource for fk in _undeclared(p)] for p in plans}
    assert undeclared == {"a": ["b"], "b": [], "c": [], "d": []}


def test_only_tables_nobody_references_declare_their_other_unique_fields() -> None:
    """DuckDB cannot update a unique column of a row other rows reference: a table referenced
    through a declared key declares only its primary key unique: one referencing itself (d)
    too; one referenced only through a key left undeclared (b, from a: the cycle's cut) not."""
    tables = (_table("c", "a"), _table("a", "b"), _table("b", "a"), _table("d", "d"))
    plans = {p.table.name: p for p in creation_order(Catalog(package={}, tables=tables))}
    assert {name: p.unique for name, p in plans.items()} == {
        "a": False,
        "b": True,
        "c": True,
        "d": False,
    }
    sql = {name: "\n".join(p.to_sql()) for name, p in plans.items()}
    for name, plan in plans.items():
        assert ('UNIQUE ("code")' in sql[name]) is plan.unique
        assert (UNDECLARED_UNIQUE in sql[name]) is not plan.unique
        assert ("code" in plan.indexed) is plan.unique
        assert 'UNIQUE ("id")' not in sql[name]  # the key is unique already


def test_a_unique_field_is_refused_where_declared_and_not_where_referenced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "views_sql", lambda: "SELECT 1")  # views of other tables
    tables = (_table("a"), _table("c", "a"))
    catalog = Catalog(package={}, tables=tables)
    frames = {
        t.name: from_rows(
            t, [{"id": "1", "ref": None, "code": "x", "_path": "f", "_line": 1, "_unit": "u"}]
        )
        for t in tables
    }
    write_database(catalog, frames, tmp_path)
    with duckdb.connect(str(tmp_path / DATABASE_FILE)) as con:
        con.execute("INSERT INTO a VALUES ('2', NULL, 'x')")  # referenced: not declared
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO c VALUES ('2', NULL, 'x')")


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_columns_types_and_comments_come_from_the_schema(
    db: duckdb.DuckDBPyConnection, table: Table
) -> None:
    columns = db.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE table_name = ? ORDER BY column_index",
        [table.name],
    ).fetchall()
    assert [c[0] for c in columns] == table.field_names
    for f, (_, data_type, nullable, comment) in zip(table.fields, columns, strict=True):
        assert data_type == SQL_TYPES[f.type]
        assert nullable is not (f.required or f.name in table.primary_key)
        assert comment.startswith(f.description)
    (comment,) = db.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table.name]
    ).fetchone()
    assert comment == table.description


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_keys_and_checks_are_declared(db: duckdb.DuckDBPyConnection, table: Table) -> None:
    rows = db.execute(
        "SELECT constraint_type, constraint_column_names, referenced_table "
        "FROM duckdb_constraints() WHERE table_name = ?",
        [table.name],
    ).fetchall()
    assert ("PRIMARY KEY", list(table.primary_key), None) in rows
    plan = next(p for p in creation_order(CATALOG) if p.table is table)
    declared = sorted((list(fk.fields), fk.resource) for fk in plan.declared)
    assert sorted((r[1], r[2]) for r in rows if r[0] == "FOREIGN KEY") == declared
    checks = sum(
        len(
            {"enum", "pattern", "minimum", "maximum", "minLength", "maxLength"} & set(f.constraints)
        )
        for f in table.fields
    )
    assert sum(r[0] == "CHECK" for r in rows) == checks
    unique = [
        [f.name]
        for f in table.fields
        if f.constraints.get("unique") and (f.name,) != table.primary_key
    ]
    assert sorted(r[1] for r in rows if r[0] == "UNIQUE") == (unique if plan.unique else [])


def test_the_undeclared_key_is_explained_in_its_comment(db: duckdb.DuckDBPyConnection) -> None:
    (comment,) = db.execute(
        "SELECT comment FROM duckdb_columns() "
        "WHERE table_name = 'sources' AND column_name = 'publisher_organization_id'"
    ).fetchone()
    assert "References organizations.organization_id" in comment
    assert "not declared" in comment and "The build checks it." in comment


def test_sources_path_and_sha256_are_unique_in_the_schema_not_in_the_database(
    db: duckdb.DuckDBPyConnection, writable: duckdb.DuckDBPyConnection
) -> None:
    """Other tables reference sources, so DuckDB could not update a source's sha256 in place
    were it declared UNIQUE; the column comments say so, and the build checks it."""
    sources = CATALOG.table("sources")
    for name in ("path", "sha256"):
        assert sources.field(name).constraints.get("unique") is True
        (comment,) = db.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'sources' AND column_name = ?",
            [name],
        ).fetchone()
        assert comment == f"{sources.field(name).description} {UNDECLARED_UNIQUE}"
        assert "not declared UNIQUE" in comment and "The build checks it." in comment
    kinds = db.execute(
        "SELECT constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = 'sources' AND constraint_type IN ('UNIQUE', 'PRIMARY KEY')"
    ).fetchall()
    assert kinds == [("PRIMARY KEY", ["source_id"])]
    writable.execute(
        "INSERT INTO sources SELECT * REPLACE ('src-0000000000000000' AS source_id) "
        "FROM sources LIMIT 1"
    )


def test_the_database_holds_the_published_rows(
    db: duckdb.DuckDBPyConnection, article: Path
) -> None:
    for table in CATALOG.tables:
        parquet = article / "datapackage" / "parquet" / f"{table.name}.parquet"
        expected = duckdb.sql(f"SELECT * FROM '{parquet}' ORDER BY ALL").fetchall()
        rows = db.execute(f'SELECT * FROM "{table.name}" ORDER BY ALL').fetchall()
        assert rows == expected, table.name


ACCEPTED = "INSERT INTO quotes SELECT * REPLACE ('quote-new' AS quote_id) FROM quotes LIMIT 1"
REFUSED = {
    "duplicate primary key": "INSERT INTO people SELECT * FROM people LIMIT 1",
    "dangling foreign key": (
        "INSERT INTO quotes SELECT * REPLACE "
        "('quote-new' AS quote_id, 'person-nobody' AS speaker_person_id) FROM quotes LIMIT 1"
    ),
    "dangling self-reference": (
        "INSERT INTO meetings SELECT * REPLACE "
        "('mtg-new' AS meeting_id, 'mtg-nowhere' AS parent_meeting_id) FROM meetings LIMIT 1"
    ),
    "null in a required column": (
        "INSERT INTO quotes SELECT * REPLACE ('quote-new' AS quote_id, NULL AS text_en) "
        "FROM quotes LIMIT 1"
    ),
    "value outside the enum": (
        "INSERT INTO trade SELECT * REPLACE ('trade-new' AS trade_id, 'roughly' AS hedge) "
        "FROM trade LIMIT 1"
    ),
    "pattern": (
        "INSERT INTO people SELECT * REPLACE ('Person New' AS person_id) FROM people LIMIT 1"
    ),
    "minimum": (
        "INSERT INTO trade SELECT * REPLACE ('trade-new' AS trade_id, 0 AS amount) "
        "FROM trade LIMIT 1"
    ),
    "minLength": (
        "INSERT INTO quotes SELECT * REPLACE ('quote-new' AS quote_id, '' AS text_en) "
        "FROM quotes LIMIT 1"
    ),
}


def test_a_valid_row_is_accepted(writable: duckdb.DuckDBPyConnection) -> None:
    writable.execute(ACCEPTED)
    assert writable.execute("SELECT count(*) FROM quotes").fetchone() == (5,)


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_the_database_refuses_what_the_schema_forbids(
    writable: duckdb.DuckDBPyConnection, sql: str
) -> None:
    with pytest.raises(duckdb.ConstraintException):
        writable.execute(sql)


def test_views_answer_the_common_questions(db: duckdb.DuckDBPyConnection) -> None:
    quotes = db.execute(
        "SELECT speaker_name_ar, speaker_name_en, speaker_post_en, meeting_name_en "
        "FROM quotes_with_speakers"
    ).fetchall()
    assert len(quotes) == 4 and all(all(row) for row in quotes)
    assert ("رومان غولوفشينكو", "Roman Golovchenko") in {row[:2] for row in quotes}
    trade = db.execute(
        "SELECT country_a_name_en, country_b_name_ar, amount, currency_code, hedge, status "
        "FROM trade_flows WHERE country_a_code = 'RU' AND country_b_code = 'KZ'"
    ).fetchall()
    assert trade == [("Russia", "كازاخستان", 27000000000, "USD", "more_than", "actual")]
    investment = db.execute(
        "SELECT investor_country_name_en, amount, hedge, period_basis FROM investment_flows "
        "WHERE investor_country_code = 'RU'"
    ).fetchall()
    assert investment == [("Russia", 25000000000, "more_than", "relative")]
    participants = db.execute(
        "SELECT person_name_en, country_name_ar, post_en FROM meeting_participants "
        "WHERE meeting_id = 'mtg-ir-by-talks'"
    ).fetchall()
    assert ("Roman Golovchenko", "بيلاروس", "Head of the Belarusian Government") in participants
    assert (
        db.execute("SELECT count(*) FROM meeting_participants").fetchone()
        == db.execute("SELECT count(*) FROM participants").fetchone()
    )


def test_every_view_is_documented(db: duckdb.DuckDBPyConnection) -> None:
    views = dict(
        db.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()
    )
    assert sorted(views) == sorted(VIEWS) and len(VIEWS) >= 4
    assert all(len(text) > 40 for text in views.values())


def test_the_readme_parquet_query_runs_on_the_published_files(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(article)
    rows = duckdb.sql(
        "SELECT q.text_en, p.name_en FROM 'datapackage/parquet/quotes.parquet' AS q "
        "JOIN 'datapackage/parquet/people.parquet' AS p ON p.person_id = q.speaker_person_id "
        "ORDER BY q.quote_id"
    ).fetchall()
    assert len(rows) == 4 and rows[2][1] == "Roman Golovchenko"


def test_the_database_is_built_but_not_listed_in_the_package(article: Path) -> None:
    package = article / "datapackage"
    assert (package / DATABASE_FILE).stat().st_size > 0
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert all(DATABASE_FILE not in r["path"] for r in descriptor["resources"])


def test_build_check_ignores_the_database(mini: Path) -> None:
    build(mini)
    package = mini / "datapackage"
    (package / DATABASE_FILE).write_bytes(b"rebuilt differently")
    assert differences(mini) == []
    (package / DATABASE_FILE).unlink()
    assert differences(mini) == []
    (package / "csv" / "people.csv").write_text("changed\n", encoding="utf-8")
    assert differences(mini) == ["datapackage/csv/people.csv"]


def test_git_ignores_the_database() -> None:
    done = subprocess.run(
        ["git", "check-ignore", "-q", f"datapackage/{DATABASE_FILE}"], cwd=REPO, check=False
    )
    assert done.returncode == 0


def test_a_self_reference_is_loaded_parent_first(edit_facts: Callable[..., Path]) -> None:
    def add_parent(facts: dict) -> None:
        facts["meetings"][0]["parent_meeting_id"] = "mtg-test-wider-talks"
        facts["meetings"].append(
            {
                **facts["meetings"][0],
                "meeting_id": "mtg-test-wider-talks",
                "parent_meeting_id": None,
            }
        )

    root = edit_facts(add_parent)
    build(root)
    with duckdb.connect(str(root / "datapackage" / DATABASE_FILE), read_only=True) as con:
        rows = con.execute("SELECT meeting_id, parent_meeting_id FROM meetings").fetchall()
    assert sorted(rows) == [
        ("mtg-test-talks", "mtg-test-wider-talks"),
        ("mtg-test-wider-talks", None),
    ]


def test_a_reference_cycle_the_database_cannot_load_fails_the_build(
    mini: Path, edit_facts: Callable[..., Path]
) -> None:
    build(mini)
    published = {p: p.read_bytes() for p in (mini / "datapackage").rglob("*") if p.is_file()}

    def own_parent(facts: dict) -> None:
        facts["meetings"][0]["parent_meeting_id"] = facts["meetings"][0]["meeting_id"]

    edit_facts(own_parent)
    with pytest.raises(BuildError) as caught:
        build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("seeds/facts/001_0123456789abcdef.yaml:")
    assert "parent_meeting_id: found 'mtg-test-talks'" in line and "a cycle" in line
    after = {p: p.read_bytes() for p in (mini / "datapackage").rglob("*") if p.is_file()}
    assert after == published


def test_a_pattern_duckdb_cannot_run_fails_the_build_at_its_schema(mini: Path) -> None:
    people = mini / "schemas" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    # Python's re and polars' regex accept a repetition above 1000, so only the database
    # write (RE2) can find it.
    wide = '"^person-[a-z0-9-]{1,1001}$"'
    people.write_text(text.replace('"^person-[a-z0-9-]+$"', wide, 1))
    with pytest.raises(BuildError) as caught:
        build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("schemas/people.yaml: database: found <Invalid Input Error: ")
    assert not (mini / "datapackage").exists()


def test_a_view_that_no_longer_fits_the_tables_fails_the_build(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "views_sql", lambda: "CREATE VIEW v AS SELECT nope FROM quotes")
    with pytest.raises(BuildError) as caught:
        build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("src/eaeu_facts/publish/views.sql: views: found <Binder Error: ")


# Patching the built database ----------------------------------------------------------------


def checked_rows(root: Path) -> tuple[Catalog, dict[str, pl.DataFrame]]:
    """Every table's rows as a build checks them, with the unit each came from."""
    catalog = load_catalog(root)
    key = fingerprint(root, ROW_STAGES, ROW_LIBRARIES)
    units, problems = find_units(root)
    frames, read, _ = assemble(root, catalog, keyed(root, units, key), key)
    check(root, catalog, frames, read, problems)
    return catalog, frames


def rowids(path: Path) -> dict[str, dict[int, tuple]]:
    """Every row by its DuckDB rowid: a row deleted and inserted again is not where it was."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            t.name: {
                row[0]: row[1:] for row in con.sql(f"SELECT rowid, * FROM {t.name}").fetchall()
            }
            for t in CATALOG.tables
        }


def changed(frame: pl.DataFrame, where: pl.Expr, **values: object) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(where).then(pl.lit(v)).otherwise(pl.col(c)).alias(c) for c, v in values.items()
    )


def _patched(root: Path, tmp_path: Path, new: dict[str, pl.DataFrame], units: set[str]) -> Path:
    out = tmp_path / "patched"
    out.mkdir()
    catalog = load_catalog(root)
    path = patch_database(catalog, root / "datapackage" / DATABASE_FILE, out, new, units)
    assert path == out / DATABASE_FILE
    return out


def _assert_as_loaded_anew(root: Path, tmp_path: Path, out: Path, new: dict) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    write_database(load_catalog(root), new, fresh)
    assert database_rows(out, root) == database_rows(fresh, root)
    assert database_shape(out) == database_shape(fresh)


def test_values_no_index_holds_are_updated_in_place(built: Path, tmp_path: Path) -> None:
    """A person's name and a source's sha256 change (sources.sha256 is not declared UNIQUE,
    so DuckDB keeps no index of it): both rows are updated where they are, and no row that
    references them is deleted or inserted again."""
    _, frames = checked_rows(built)
    person = pl.col("person_id") == "person-sami-nader"
    unit = frames["people"].filter(person)["_unit"].item()
    source = pl.col("_unit") == unit
    new = dict(frames)
    new["people"] = changed(frames["people"], person, name_en="Sami Nader (renamed)")
    new["sources"] = changed(frames["sources"], source, sha256="0" * 64)
    before = rowids(built / "datapackage" / DATABASE_FILE)
    out = _patched(built, tmp_path, new, {unit})
    after = rowids(out / DATABASE_FILE)
    assert {name: set(rows) for name, rows in after.items()} == {
        name: set(rows) for name, rows in before.items()
    }
    differ = {name: [i for i in rows if rows[i] != after[name][i]] for name, rows in before.items()}
    assert {name: len(ids) for name, ids in differ.items() if ids} == {"people": 1, "sources": 1}
    assert "Sami Nader (renamed)" in after["people"][differ["people"][0]]
    assert "0" * 64 in after["sources"][differ["sources"][0]]
    _assert_as_loaded_anew(built, tmp_path, out, new)


def test_a_changed_indexed_value_deletes_and_inserts_again_the_rows_that_reference_it(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's country (a foreign key, so indexed) changes: DuckDB cannot update it in a
    row others reference, so the rows quoting the person or listing them as a participant
    go and come back with it; rows about others stay where they are."""
    monkeypatch.setattr(database, "PATCH_SHARE", 1.0)
    _, frames = checked_rows(built)
    person = pl.col("person_id") == "person-sami-nader"
    unit = frames["people"].filter(person)["_unit"].item()
    new = dict(frames, people=changed(frames["people"], person, country_code="RU"))
    before = rowids(built / "datapackage" / DATABASE_FILE)
    out = _patched(built, tmp_path, new, {unit})
    after = rowids(out / DATABASE_FILE)
    moved = {name for name in before if set(before[name]) != set(after[name])}
    assert {"people", "quotes", "participants"} <= moved
    assert "countries" not in moved and "sources" not in moved
    kept = {i for i, row in before["people"].items() if "person-sami-nader" not in row}
    assert kept and all(after["people"].get(i) == before["people"][i] for i in kept)
    _assert_as_loaded_anew(built, tmp_path, out, new)


def test_a_patch_duckdb_refuses_leaves_no_database(built: Path, tmp_path: Path) -> None:
    """A row inserted again with a reference to nothing is refused: no file is left, so the
    build loads the database anew."""
    catalog, frames = checked_rows(built)
    first = pl.int_range(pl.len()) == 0
    unit = frames["participants"].filter(first)["_unit"].item()
    broken = dict(
        frames, participants=changed(frames["participants"], first, person_id="person-nobody")
    )
    out = tmp_path / "out"
    out.mkdir()
    db = built / "datapackage" / DATABASE_FILE
    assert patch_database(catalog, db, out, broken, {unit}) is None
    assert list(out.iterdir()) == []
    assert patch_database(catalog, db, out, frames, {unit}) == out / DATABASE_FILE


def test_a_patch_touching_more_than_its_share_of_rows_is_refused(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog, frames = checked_rows(built)
    person = pl.col("person_id") == "person-sami-nader"
    unit = frames["people"].filter(person)["_unit"].item()
    new = dict(frames, people=changed(frames["people"], person, name_en="Renamed"))
    db = built / "datapackage" / DATABASE_FILE
    monkeypatch.setattr(database, "PATCH_SHARE", 0.0)
    out = tmp_path / "out"
    out.mkdir()
    assert patch_database(catalog, db, out, new, {unit}) is None
    assert list(out.iterdir()) == []
    # Nothing to change touches no row: the copy is the patch.
    assert patch_database(catalog, db, out, frames, {unit}) == out / DATABASE_FILE
    assert rowids(out / DATABASE_FILE) == rowids(db)
