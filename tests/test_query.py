"""`eaeu-facts query` and `tables`: any SQL is safe to run, and every format parses."""

import csv
import io
import json
import re

import duckdb
import pytest
from click.testing import CliRunner

from eaeu_facts.cli import main
from eaeu_facts.model.paths import DATABASE_FILE
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.publish.database import views_sql
from eaeu_facts.serve import query
from tests.helpers import REPO

CATALOG = load_catalog(REPO)
QUOTES = "SELECT quote_id, speaker_name_en, text_en FROM quotes_with_speakers"


def run(root, *args):
    return CliRunner().invoke(main, [*args, "--root", str(root)])


def assert_refused(result, *words):
    """Exit 1, nothing on stdout, one line on stderr naming what went wrong, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.strip() and "\n" not in result.stderr.strip()
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_a_select_prints_a_table(article):
    result = run(article, "query", QUOTES)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["quote_id", "speaker_name_en", "text_en"]
    assert lines[-1] == "(4 rows)" and len(lines) == 2 + 4 + 1


def test_json_output_loads(article):
    sql = "SELECT * FROM trade_flows WHERE country_a_code = 'RU' AND country_b_code = 'KZ'"
    result = run(article, "query", sql, "--format", "json")
    (row,) = json.loads(result.stdout)
    assert (row["amount"], row["currency_code"], row["hedge"]) == (27000000000, "USD", "more_than")
    assert row["country_b_name_ar"] == "كازاخستان" and row["period_start"] is None


def test_json_output_holds_dates_and_booleans(article):
    sql = "SELECT meeting_date, has_nested_quotation FROM quotes_with_speakers ORDER BY quote_id"
    rows = json.loads(run(article, "query", sql, "--format", "json").stdout)
    assert rows[2] == {"meeting_date": "2025-01-31", "has_nested_quotation": False}


def test_csv_output_reads(article):
    result = run(article, "query", QUOTES, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4 and rows[0].keys() == {"quote_id", "speaker_name_en", "text_en"}
    assert {r["speaker_name_en"] for r in rows} >= {"Mikhail Mishustin", "Olzhas Bektenov"}


def test_markdown_output_is_a_pipe_table(article):
    result = run(article, "query", QUOTES, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "| quote_id | speaker_name_en | text_en |"
    assert lines[1] == "| --- | --- | --- |"
    assert len(lines) == 6 and all(line.startswith("| quote-") for line in lines[2:])


def test_markdown_escapes_pipes_and_newlines(article):
    result = run(
        article,
        "query",
        "SELECT 'a|b' AS x, 'one' || chr(10) || 'two' AS y",
        "--format",
        "markdown",
    )
    assert result.stdout.splitlines()[2] == "| a\\|b | one<br>two |"


def test_tables_lists_every_table_and_view_with_its_description(article):
    result = run(article, "tables", "--format", "json")
    listed = {r["name"]: r for r in json.loads(result.stdout)}
    views = re.findall(r"^CREATE VIEW (\w+)", views_sql(), flags=re.MULTILINE)
    assert set(listed) == set(CATALOG.names) | set(views)
    for table in CATALOG.tables:
        assert listed[table.name] == {
            "name": table.name,
            "kind": "table",
            "description": table.description,
        }
    assert all(listed[v]["kind"] == "view" and len(listed[v]["description"]) > 40 for v in views)


REFUSED = {
    "COPY": "COPY quotes TO '{tmp}/out.csv'",
    "COPY (query)": "COPY (SELECT 1) TO '{tmp}/out.csv'",
    "EXPORT": "EXPORT DATABASE '{tmp}/export'",
    "ATTACH": "ATTACH '{tmp}/other.duckdb' AS other",
    "DETACH": "DETACH other",
    "INSTALL": "INSTALL httpfs",
    "LOAD": "LOAD httpfs",
    "SET": "SET memory_limit = '64GB'",
    "SET VARIABLE": "SET VARIABLE x = 1",
    "RESET": "RESET memory_limit",
    "PRAGMA": "PRAGMA enable_external_access",
    "CREATE": "CREATE TABLE t AS SELECT 1",
    "CREATE MACRO": "CREATE MACRO m(x) AS x",
    "INSERT": "INSERT INTO countries VALUES ('XX', 'X', 'X', NULL)",
    "UPDATE": "UPDATE people SET name_en = 'x'",
    "DELETE": "DELETE FROM quotes",
    "DROP": "DROP VIEW trade_flows",
    "ALTER": "ALTER TABLE quotes ADD COLUMN x INTEGER",
    "CALL": "CALL duckdb_tables()",
    "CHECKPOINT": "CHECKPOINT",
    "BEGIN": "BEGIN TRANSACTION",
    "USE": "USE memory",
    "EXPLAIN": "EXPLAIN ANALYZE COPY quotes TO '{tmp}/out.csv'",
    "PIVOT": "PIVOT trade ON flow USING sum(amount)",
    "two statements": "SELECT 1; COPY quotes TO '{tmp}/out.csv'",
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_everything_but_one_select_is_refused(article, tmp_path, sql):
    result = run(article, "query", sql.format(tmp=tmp_path))
    assert_refused(result, "query: statement: found")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_query_is_refused(article):
    assert_refused(run(article, "query", " ; "), "found 0 statements, expected exactly one")


FILES = {
    "read_csv": ("SELECT * FROM read_csv('/etc/passwd')", "query:1:15: "),
    "read_text": ("SELECT content FROM read_text('/etc/passwd')", "query:1:21: "),
    "replacement scan": ("SELECT * FROM '/etc/passwd'", "query:1:15: "),
    "glob": ("SELECT * FROM glob('/*')", "query:1:15: "),
    "package parquet": ("SELECT * FROM 'datapackage/parquet/quotes.parquet'", "query: "),
    "url": ("SELECT * FROM read_csv('https://example.org/x.csv')", "query:1:15: "),
    "query()": ("SELECT * FROM query('COPY quotes TO ''/tmp/x.csv''')", "query:1:15: "),
}


@pytest.mark.parametrize(("sql", "where"), FILES.values(), ids=FILES.keys())
def test_a_select_cannot_reach_files_or_the_network(article, monkeypatch, sql, where):
    monkeypatch.chdir(article)
    result = run(article, "query", sql)
    assert_refused(result)
    assert result.stderr.startswith(where), result.stderr


def test_a_syntax_error_names_line_and_column(article):
    result = run(article, "query", "SELECT quote_id\nFROM quotes\nWHERE quote_id = = 'x'")
    assert_refused(result, 'Parser Error: syntax error at or near "="')
    assert result.stderr.startswith("query:3:18: ")


def test_positions_count_characters_not_bytes(article):
    result = run(article, "query", "SELECT 'مرحبا' AS x, nope FROM quotes")
    assert_refused(result, "Binder Error", '"nope"')
    assert result.stderr.startswith("query:1:22: ")


def test_an_unknown_table_is_one_line(article):
    result = run(article, "query", "SELECT * FROM quote")
    assert_refused(result, "query:1:15: Catalog Error", 'Did you mean "quotes"?')


def test_the_time_limit_interrupts_a_long_query(article, monkeypatch):
    monkeypatch.setattr(query, "TIME_LIMIT_SECONDS", 0.5)
    # Hours of work: only the watchdog can end it, and its line says that it did.
    sql = "SELECT count(*) FROM range(20000000000000) t(i) WHERE hash(i) = 0"
    result = run(article, "query", sql)
    assert_refused(result, "interrupted after the time limit of 0.5 s")


def test_the_memory_limit_stops_a_greedy_query(article):
    result = run(article, "query", "SELECT list(i) FROM range(500000000) t(i)")
    assert_refused(
        result, "Out of Memory Error", f"the memory limit for a query is {query.MEMORY_LIMIT}"
    )


def test_a_huge_result_is_refused(article, monkeypatch):
    monkeypatch.setattr(query, "MAX_ROWS", 10)
    assert_refused(run(article, "query", "FROM range(11)"), "more than 10 rows")
    assert run(article, "query", "FROM range(10)").exit_code == 0


def test_settings_are_locked_before_the_query_runs(article):
    names = [
        "enable_external_access",
        "lock_configuration",
        "memory_limit",
        "temp_directory",
        "enable_progress_bar",
    ]
    sql = "SELECT " + ", ".join(f"current_setting('{n}') AS {n}" for n in names)
    (row,) = json.loads(run(article, "query", sql, "--format", "json").stdout)
    assert row["enable_external_access"] is False and row["lock_configuration"] is True
    assert row["memory_limit"] != "" and row["temp_directory"] == ""
    assert row["enable_progress_bar"] is False


def test_the_safe_connection_refuses_even_without_the_statement_check(article, tmp_path):
    """The statement check is the first guard; read-only, no file access and locked settings
    hold on their own."""
    with query.open_safe(article / "datapackage" / DATABASE_FILE) as con:
        for sql, error in [
            ("DELETE FROM quotes", duckdb.InvalidInputException),
            ("SET enable_external_access = true", duckdb.InvalidInputException),
            ("SET memory_limit = '64GB'", duckdb.InvalidInputException),
            ("SET enable_progress_bar = true", duckdb.InvalidInputException),
            (f"COPY quotes TO '{tmp_path}/out.csv'", duckdb.PermissionException),
            (f"ATTACH '{tmp_path}/x.duckdb'", duckdb.PermissionException),
        ]:
            with pytest.raises(error):
                con.execute(sql)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_database_says_how_to_build_it(mini):
    assert_refused(run(mini, "query", "SELECT 1"), "run `make` or `eaeu-facts build`")
    assert_refused(run(mini, "tables"), "run `make` or `eaeu-facts build`")


def test_json_holds_every_duckdb_type(article):
    sql = (
        "SELECT 1.5::DECIMAL(4, 2) AS d, 'inf'::DOUBLE AS f, "
        "TIMESTAMP '2025-01-31 10:00:00' AS ts, [1, 2] AS l, {'a': DATE '2025-01-01'} AS s, "
        "NULL AS z, 12345678901234567890::HUGEINT AS h"
    )
    (row,) = json.loads(run(article, "query", sql, "--format", "json").stdout)
    assert row == {
        "d": 1.5,
        "f": "inf",
        "ts": "2025-01-31T10:00:00",
        "l": [1, 2],
        "s": {"a": "2025-01-01"},
        "z": None,
        "h": 12345678901234567890,
    }


def test_json_refuses_two_columns_of_one_name(article):
    sql = "SELECT 1 AS a, 2 AS a"
    assert_refused(run(article, "query", sql, "--format", "json"), "column name 'a' twice")
    assert run(article, "query", sql, "--format", "csv").stdout == "a,a\n1,2\n"
