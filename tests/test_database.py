"""The DuckDB database: generated from the schemas, enforcing them, and kept out of the package."""

import json
import re
import shutil
import subprocess

import duckdb
import pytest

from eaeu_facts import database, publish
from eaeu_facts.database import DATABASE_FILE, SQL_TYPES, creation_order, views_sql
from eaeu_facts.errors import BuildError
from eaeu_facts.schemas import Field, ForeignKey, Table, load_catalog
from tests.conftest import REPO

CATALOG = load_catalog(REPO)
VIEWS = re.findall(r"^CREATE VIEW (\w+)", views_sql(), flags=re.MULTILINE)


@pytest.fixture(scope="module")
def db(article):
    con = duckdb.connect(str(article / "datapackage" / DATABASE_FILE), read_only=True)
    yield con
    con.close()


@pytest.fixture
def writable(article, tmp_path):
    """A writable connection to a copy of the built database."""
    copy = tmp_path / DATABASE_FILE
    shutil.copy(article / "datapackage" / DATABASE_FILE, copy)
    con = duckdb.connect(str(copy))
    yield con
    con.close()


def _table(name, *keys):
    return Table(
        name=name,
        title=name,
        description="",
        kind="dimension",
        order=0,
        fields=(Field("id", "string", "Id", "Identifier."), Field("ref", "string", "Ref", "Ref.")),
        primary_key=("id",),
        foreign_keys=tuple(ForeignKey(("ref",), target, ("id",)) for target in keys),
        path=f"schemas/{name}.yaml",
    )


def test_tables_are_created_after_the_tables_they_reference():
    made = set()
    for plan in creation_order(CATALOG):
        assert set(plan.declared) | set(plan.undeclared) == set(plan.table.foreign_keys)
        assert all(fk.resource in made or fk.resource == plan.table.name for fk in plan.declared)
        made.add(plan.table.name)
    assert made == set(CATALOG.names)


def test_only_the_sources_organizations_cycle_is_left_undeclared():
    undeclared = [(p.table.name, fk.fields) for p in creation_order(CATALOG) for fk in p.undeclared]
    assert undeclared == [("sources", ("publisher_organization_id",))]


def test_a_cycle_is_cut_once_and_tables_outside_it_keep_their_keys():
    from eaeu_facts.schemas import Catalog

    tables = (_table("c", "a"), _table("a", "b"), _table("b", "a"), _table("d", "d"))
    plans = creation_order(Catalog(package={}, tables=tables))
    assert [p.table.name for p in plans] == ["d", "a", "c", "b"]
    undeclared = {p.table.name: [fk.resource for fk in p.undeclared] for p in plans}
    assert undeclared == {"a": ["b"], "b": [], "c": [], "d": []}


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_columns_types_and_comments_come_from_the_schema(db, table):
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
def test_keys_and_checks_are_declared(db, table):
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


def test_the_undeclared_key_is_explained_in_its_comment(db):
    (comment,) = db.execute(
        "SELECT comment FROM duckdb_columns() "
        "WHERE table_name = 'sources' AND column_name = 'publisher_organization_id'"
    ).fetchone()
    assert "References organizations.organization_id" in comment
    assert "not declared" in comment and "The build checks it." in comment


def test_the_database_holds_the_published_rows(db, article):
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
    "unique": "INSERT INTO sources SELECT * REPLACE ('src-0000000000000000' AS source_id) "
    "FROM sources LIMIT 1",
}


def test_a_valid_row_is_accepted(writable):
    writable.execute(ACCEPTED)
    assert writable.execute("SELECT count(*) FROM quotes").fetchone() == (5,)


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_the_database_refuses_what_the_schema_forbids(writable, sql):
    with pytest.raises(duckdb.ConstraintException):
        writable.execute(sql)


def test_views_answer_the_common_questions(db):
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


def test_every_view_is_documented(db):
    views = dict(
        db.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall()
    )
    assert sorted(views) == sorted(VIEWS) and len(VIEWS) >= 4
    assert all(len(text) > 40 for text in views.values())


def test_the_readme_parquet_query_runs_on_the_published_files(article, monkeypatch):
    monkeypatch.chdir(article)
    rows = duckdb.sql(
        "SELECT q.text_en, p.name_en FROM 'datapackage/parquet/quotes.parquet' AS q "
        "JOIN 'datapackage/parquet/people.parquet' AS p ON p.person_id = q.speaker_person_id "
        "ORDER BY q.quote_id"
    ).fetchall()
    assert len(rows) == 4 and rows[2][1] == "Roman Golovchenko"


def test_the_database_is_built_but_not_listed_in_the_package(article):
    package = article / "datapackage"
    assert (package / DATABASE_FILE).stat().st_size > 0
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert all(DATABASE_FILE not in r["path"] for r in descriptor["resources"])


def test_build_check_ignores_the_database(mini):
    publish.build(mini)
    package = mini / "datapackage"
    (package / DATABASE_FILE).write_bytes(b"rebuilt differently")
    assert publish.differences(mini) == []
    (package / DATABASE_FILE).unlink()
    assert publish.differences(mini) == []
    (package / "csv" / "people.csv").write_text("changed\n", encoding="utf-8")
    assert publish.differences(mini) == ["datapackage/csv/people.csv"]


def test_git_ignores_the_database():
    done = subprocess.run(
        ["git", "check-ignore", "-q", f"datapackage/{DATABASE_FILE}"], cwd=REPO, check=False
    )
    assert done.returncode == 0


def test_a_self_reference_is_loaded_parent_first(edit_facts):
    def add_parent(facts):
        facts["meetings"][0]["parent_meeting_id"] = "mtg-test-wider-talks"
        facts["meetings"].append(
            {
                **facts["meetings"][0],
                "meeting_id": "mtg-test-wider-talks",
                "parent_meeting_id": None,
            }
        )

    root = edit_facts(add_parent)
    publish.build(root)
    with duckdb.connect(str(root / "datapackage" / DATABASE_FILE), read_only=True) as con:
        rows = con.execute("SELECT meeting_id, parent_meeting_id FROM meetings").fetchall()
    assert sorted(rows) == [
        ("mtg-test-talks", "mtg-test-wider-talks"),
        ("mtg-test-wider-talks", None),
    ]


def test_a_reference_cycle_the_database_cannot_load_fails_the_build(mini, edit_facts):
    publish.build(mini)
    published = {p: p.read_bytes() for p in (mini / "datapackage").rglob("*") if p.is_file()}

    def own_parent(facts):
        facts["meetings"][0]["parent_meeting_id"] = facts["meetings"][0]["meeting_id"]

    edit_facts(own_parent)
    with pytest.raises(BuildError) as caught:
        publish.build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("seeds/facts/001_0123456789abcdef.yaml:")
    assert "parent_meeting_id: found 'mtg-test-talks'" in line and "a cycle" in line
    after = {p: p.read_bytes() for p in (mini / "datapackage").rglob("*") if p.is_file()}
    assert after == published


def test_a_pattern_duckdb_cannot_run_fails_the_build_at_its_schema(mini):
    people = mini / "schemas" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    # Python's re accepts the lookahead, so only the database write can find it.
    people.write_text(text.replace('"^person-[a-z0-9-]+$"', '"^(?!x)person-[a-z0-9-]+$"', 1))
    with pytest.raises(BuildError) as caught:
        publish.build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("schemas/people.yaml: database: found <Invalid Input Error: ")
    assert not (mini / "datapackage").exists()


def test_a_view_that_no_longer_fits_the_tables_fails_the_build(mini, monkeypatch):
    monkeypatch.setattr(database, "views_sql", lambda: "CREATE VIEW v AS SELECT nope FROM quotes")
    with pytest.raises(BuildError) as caught:
        publish.build(mini)
    (line,) = caught.value.problems.lines()
    assert line.startswith("src/eaeu_facts/views.sql: views: found <Binder Error: ")
