"""The query page: DuckDB-WASM in Chromium over the published files, against the database.

The catalog the page loads is checked in Python first (its statements make the database's
tables and views from the CSV files), then the page itself in the browser (tests/browser.py):
every cookbook link gives the rows `eaeu-facts query` gives, errors are its one line, Arabic
reads right to left, tables load when first named, and no request leaves the site.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from eaeu_facts.docs.site import Site, load_site
from eaeu_facts.docs.sql import SQL_BLOCK, run_link
from eaeu_facts.docs.wasm import query_catalog, query_files
from eaeu_facts.model.errors import BuildError
from eaeu_facts.publish.database import creation_order, views_sql, write_database
from eaeu_facts.serve.query import QueryError, render, run_query
from tests.browser import ARTIFACTS, Visit
from tests.helpers import REPO

# Generous: the page starts DuckDB (34 MB of WebAssembly) before its first query.
RESULT_TIMEOUT_MS = 120_000
DONE = "#eaeu-query-status.eaeu-query-done, #eaeu-query-status.eaeu-query-error"


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(REPO)


@pytest.fixture(scope="module")
def database(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database `make` builds beside the published package, built here from its rows."""
    return write_database(site.catalog, site.tables, tmp_path_factory.mktemp("database"))


def cookbook() -> list[str]:
    text = (REPO / "docs" / "cookbook.md").read_text(encoding="utf-8")
    return [m["sql"].strip() for m in SQL_BLOCK.finditer(text)]


def command_line(database: Path, sql: str) -> str:
    """What `eaeu-facts query --format csv SQL` prints (without its final newline)."""
    return render(run_query(database, sql), "csv")


# --- the catalog, in Python ------------------------------------------------------------------


def test_catalog_holds_every_table_in_creation_order(site: Site) -> None:
    catalog = json.loads(query_catalog(site))
    plans = creation_order(site.catalog)
    assert [t["name"] for t in catalog["tables"]] == [p.table.name for p in plans]
    assert catalog["views"] == views_sql()
    for entry, plan in zip(catalog["tables"], plans, strict=True):
        assert entry["file"] == f"datapackage/csv/{plan.table.name}.csv"
        assert (REPO / entry["file"]).is_file()
        # The database's DDL, less its foreign keys and the comments saying which are left out.
        database = plan.to_sql()
        for ours, theirs in zip(entry["sql"][1:], database[1:], strict=True):
            assert theirs == ours or theirs.startswith(ours[:-1] + " References "), theirs
        assert _clauses(entry["sql"][0]) == _clauses(database[0], drop="FOREIGN KEY")


def _clauses(create: str, drop: str | None = None) -> list[str]:
    lines = [line.strip().rstrip(",") for line in create.splitlines()]
    return [line for line in lines if drop is None or drop not in line]


def test_catalog_loads_the_database_from_the_csv_files(
    site: Site, database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's own statements, run in Python's DuckDB on the published CSV files, make
    tables and views holding exactly the database's rows."""
    import duckdb

    catalog = json.loads(query_catalog(site))
    monkeypatch.chdir(REPO / "datapackage" / "csv")
    con = duckdb.connect()
    for entry in catalog["tables"]:
        for statement in entry["sql"]:
            con.execute(statement)
        con.execute(entry["load"])
    con.execute(catalog["views"])
    con.execute(f"ATTACH '{database}' AS db (READ_ONLY)")
    names = [t["name"] for t in catalog["tables"]]
    views = "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = ?"
    ours_views = [r[0] for r in con.execute(views, ["memory"]).fetchall()]
    assert ours_views == [r[0] for r in con.execute(views, ["db"]).fetchall()]
    assert len(ours_views) >= 4
    for name in names + ours_views:
        ours = con.execute(f'SELECT * FROM memory."{name}"').fetchall()
        theirs = con.execute(f'SELECT * FROM db."{name}"').fetchall()
        assert sorted(map(repr, ours)) == sorted(map(repr, theirs)), name
    for name in names:
        count = con.execute(f'SELECT count(*) FROM memory."{name}"').fetchone()[0]
        assert count == site.tables[name].height, name


def test_a_missing_npm_install_is_one_line(site: Site, tmp_path: Path) -> None:
    bare = dataclasses.replace(site, root=tmp_path)
    with pytest.raises(BuildError) as raised:
        query_files(bare)
    [line] = raised.value.problems.lines()
    assert line.startswith("node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js")
    assert "npm ci" in line


def test_the_notice_names_every_package_the_page_holds(site: Site) -> None:
    """esbuild says which packages it bundled; the notice gives each one's licence."""
    files = query_files(site)
    assert set(files) == {
        "query/duckdb-browser-eh.worker.js",
        "query/duckdb-eh.wasm",
        "query/NOTICE.txt",
        "query/catalog.json",
        "javascripts/query.js",
    }
    notice = files["query/NOTICE.txt"].decode()
    for package in ("@duckdb/duckdb-wasm", "apache-arrow", "flatbuffers", "tslib"):
        version = json.loads((REPO / "node_modules" / package / "package.json").read_text())
        assert f"- {package} {version['version']} (" in notice
    assert "== apache-arrow: LICENSE.txt ==" in notice


def test_cookbook_blocks_link_to_the_query_page() -> None:
    link = run_link("cookbook.md", "SELECT 'مينسك' AS city\nFROM trade\n")
    href = re.search(r'href="([^"]+)"', link)[1].replace("&amp;", "&")
    assert href.startswith("query.html?sql=")
    assert parse_qs(urlsplit(href).query)["sql"] == ["SELECT 'مينسك' AS city\nFROM trade"]
    assert run_link("sources/x.md", "SELECT 1").count("../query.html?sql=SELECT%201") == 1


# --- the page, in Chromium --------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(browser: object, base_url: str) -> Iterator[Visit]:
    """One query page, its DuckDB started once, for the tests that only run queries on it
    (isolation is not their point: each query is rolled back after it runs)."""
    visit = Visit(browser, base_url)
    try:
        run_page(visit, "query.html")
        yield visit
    finally:
        visit.close()


def run_page(visit: Visit, path: str) -> object:
    page = visit.goto(path)
    page.wait_for_selector(DONE, timeout=RESULT_TIMEOUT_MS)
    return page


def status(page: object) -> str:
    return page.inner_text("#eaeu-query-status")


def ask(page: object, sql: str) -> str:
    """Type a query, press Run, wait for its outcome: the status line."""
    page.fill("#eaeu-query textarea", sql)
    page.click("#eaeu-query button")  # the status says "Running…" before click() returns
    page.wait_for_selector(DONE, timeout=RESULT_TIMEOUT_MS)
    return status(page)


def failed(page: object) -> bool:
    return "eaeu-query-error" in page.get_attribute("#eaeu-query-status", "class")


def downloaded_csv(page: object) -> str:
    with page.expect_download() as download:
        page.click("a.eaeu-query-csv")
    return Path(download.value.path()).read_bytes().decode("utf-8")  # "\r" kept as is


@pytest.mark.browser
def test_every_cookbook_query_gives_the_command_lines_rows(
    visit: Visit, shared: Visit, database: Path
) -> None:
    """Each "Run in the browser" link of the cookbook opens the query page with its query;
    run there, the page's CSV download is what `eaeu-facts query --format csv` prints for
    that query on the database. (That a link's query runs when the page opens is
    test_values_are_written_as_the_command_line_writes_them's.)"""
    page = visit.goto("cookbook.html")
    links = page.eval_on_selector_all(".eaeu-run a", "as => as.map(a => a.href)")
    queries = cookbook()
    assert len(links) == len(queries) >= 8
    for link, sql in zip(links, queries, strict=True):
        assert urlsplit(link).path.endswith("/query.html")
        assert parse_qs(urlsplit(link).query)["sql"] == [sql]
        ask(shared.page, sql)
        assert not failed(shared.page), (sql, status(shared.page))
        assert downloaded_csv(shared.page).rstrip("\n") == command_line(database, sql), sql
    for v in (visit, shared):
        assert not v.errors and not v.outside, (v.errors, v.outside)


WRONG = [
    ("SELECT nope FROM trade", "query:1:8: Binder Error: "),
    # Arabic before the error: the column counts characters, not UTF-8 bytes.
    ("SELECT 'مينسك' AS city,\n  FROM FROM trade", "query:2:8: Parser Error: "),
    ("SELECT 'مينسك' AS city,\n  nope FROM trade", "query:2:3: Binder Error: "),
]


@pytest.mark.browser
def test_a_wrong_query_shows_its_error_line(shared: Visit, database: Path) -> None:
    """The command line's line, position and kind, typed in and run with Ctrl+Enter."""
    page = shared.page
    for sql, where in WRONG:
        page.fill("#eaeu-query textarea", sql)
        page.press("#eaeu-query textarea", "Control+Enter")
        page.wait_for_selector("#eaeu-query-status.eaeu-query-error", timeout=RESULT_TIMEOUT_MS)
        line = status(page)
        with pytest.raises(QueryError) as cli:
            run_query(database, sql)
        assert line.startswith(where) and str(cli.value).startswith(where), (line, cli.value)
        assert "\n" not in line
        assert page.locator("#eaeu-query-result table").count() == 0
        # The address now holds the query, to be shared.
        assert parse_qs(urlsplit(page.url).query)["sql"] == [sql]


@pytest.mark.browser
def test_arabic_reads_right_to_left(shared: Visit) -> None:
    """Every cell holding Arabic is set right to left, and only those."""
    sql = "SELECT quote_id, speaker_name_ar, text_ar, text_en FROM quotes_with_speakers"
    page = shared.page
    ask(page, sql)
    cells = page.eval_on_selector_all(
        "#eaeu-query-result td",
        "tds => tds.map(td => [td.textContent, getComputedStyle(td).direction, td.lang])",
    )
    arabic = [c for c in cells if re.search("[\u0600-\u06ff]", c[0])]
    assert len(arabic) == 8 and len(cells) == 16
    assert all(direction == "rtl" and lang == "ar" for _, direction, lang in arabic)
    assert all(c[1] == "ltr" for c in cells if c not in arabic)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "site-query.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    assert not shared.errors and not shared.outside


VALUES_SQL = """SELECT * FROM (VALUES
  (2.0::DOUBLE, 1e-05::DOUBLE, 1e16::DOUBLE, 0.1::DOUBLE + 0.2, 9007199254740993::BIGINT,
   DATE '2025-01-31', true, NULL::VARCHAR, 'a, "b"' || chr(10) || 'c' || chr(13), 'مينسك'),
  (-0.5::DOUBLE, 123456.789::DOUBLE, 1.5e-07::DOUBLE, NULL, -3::BIGINT,
   NULL, false, '', 'plain', 'بيلاروس، 2025')
) AS t(a, b, c, d, e, f, g, h, i, j)"""


@pytest.mark.browser
def test_values_are_written_as_the_command_line_writes_them(visit: Visit, database: Path) -> None:
    """Numbers (Python's repr), integers past 2**53, dates, booleans, missing values and
    text needing quotes: the page's CSV is the command line's."""
    page = run_page(visit, "query.html?sql=" + quote(VALUES_SQL))
    assert downloaded_csv(page).rstrip("\n") == command_line(database, VALUES_SQL)


@pytest.mark.browser
def test_a_query_changes_nothing(shared: Visit) -> None:
    """Each run is one statement, rolled back: an update shows its own count, and the next
    query sees the published rows; COMMIT ends only the run's empty transaction."""
    page = shared.page
    ask(page, "SELECT count(*) FROM countries")
    total = page.inner_text("#eaeu-query-result td")
    ask(page, "UPDATE countries SET name_en = 'X' WHERE true")
    assert page.inner_text("#eaeu-query-result td") == total  # rows updated
    ask(page, "SELECT count(*) FROM countries WHERE name_en = 'X'")
    assert page.inner_text("#eaeu-query-result td") == "0"
    ask(page, "COMMIT")
    assert not failed(page), status(page)
    assert "Cannot prepare multiple statements" in ask(page, "COMMIT; DELETE FROM countries")
    ask(page, "SELECT count(*) FROM countries WHERE name_en <> 'X'")
    assert page.inner_text("#eaeu-query-result td") == total


@pytest.mark.browser
def test_the_result_is_capped_and_the_csv_holds_it_all(shared: Visit) -> None:
    page = shared.page
    ask(page, "SELECT range AS n FROM range(1500)")
    assert page.locator("#eaeu-query-result tbody tr").count() == 1000
    summary = page.inner_text("#eaeu-query-result .eaeu-result-count")
    assert re.match(r"1,500 rows in [\d,]+ ms; the first 1,000 shown\.", summary), summary
    lines = downloaded_csv(page).splitlines()
    assert lines[0] == "n" and lines[1:] == [str(n) for n in range(1500)]


@pytest.mark.browser
def test_tables_are_read_when_first_named(visit: Visit) -> None:
    """Other pages load no DuckDB; the query page reads a table's file when a query names it
    (or a view over it), once."""
    visit.goto("index.html")
    assert not [r for r in visit.requests if "/query/" in r or r.endswith(".wasm")]
    page = run_page(visit, "query.html?sql=" + quote("SELECT 42 AS answer"))
    assert any(r.endswith("/query/duckdb-eh.wasm") for r in visit.requests)
    assert not [r for r in visit.requests if "/datapackage/" in r]
    for _ in range(2):
        ask(page, "SELECT count(*) FROM countries")
    read = [urlsplit(r).path for r in visit.requests if "/datapackage/" in r]
    assert read == ["/datapackage/csv/countries.csv"]
    ask(page, "SELECT count(*) AS n FROM quotes_with_speakers")
    assert page.inner_text("#eaeu-query-result td") == "4"
    read = {urlsplit(r).path.rsplit("/", 1)[1] for r in visit.requests if "/datapackage/" in r}
    assert read == {"countries.csv", "quotes.csv", "people.csv", "meetings.csv"}


REFUSED = [
    # Needs the ICU extension, which DuckDB-WASM would otherwise fetch from its servers.
    ("SELECT TIMESTAMPTZ '2025-01-31 10:00+03' AT TIME ZONE 'Asia/Almaty'", "Extension"),
    ("SELECT * FROM 'http://example.com/trade.csv'", "Permission Error"),
    ("LOAD 'http://example.com/icu.duckdb_extension.wasm'", "Error"),
    ("SET enable_external_access = true", "locked"),
]


@pytest.mark.browser
def test_no_request_leaves_the_site(visit: Visit) -> None:
    """Every request of the page, its worker's included, goes to the site; what would go
    elsewhere is refused by DuckDB in one line."""
    page = run_page(visit, "query.html")
    for sql, refusal in REFUSED:
        line = ask(page, sql)
        assert refusal in line and failed(page), (sql, line)
    assert any(r.endswith(".wasm") for r in visit.requests)  # the worker's requests are seen
    # Nor does DuckDB ask the site for an extension (custom_extension_repository).
    assert not [r for r in visit.requests if "extension" in urlsplit(r).path], visit.requests
    others = [r for r in visit.requests if not r.startswith(visit.base_url)]
    assert not others and not visit.outside, others + visit.outside


@pytest.mark.browser
def test_opened_from_disk_says_how_to_serve(browser: object, site_dir: Path) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((site_dir / "query.html").as_uri() + "?sql=SELECT%201")
        line = page.inner_text("#eaeu-query-status")
        assert "make serve" in line and "python3 -m http.server -d site" in line
        assert "\n" not in line
        assert page.locator("#eaeu-query button").is_disabled()
        assert page.input_value("#eaeu-query textarea") == "SELECT 1"
    finally:
        context.close()
