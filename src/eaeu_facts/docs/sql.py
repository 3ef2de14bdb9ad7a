"""The ```sql blocks of a page, run on the package documented and shown with their results.

A query that stops working fails the page, so the SQL cookbook cannot drift from the data.
Each block links to the query page with its SQL in the address, to run it in the browser.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from eaeu_facts.docs.markup import href, table_html
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import format_value

SQL_BLOCK = re.compile(r"^```sql[^\n]*\n(?P<sql>.*?)^```[ \t]*$", re.M | re.S)
ARABIC = re.compile("[\u0600-\u06ff]")
QUERY_PAGE = "query.md"


def connect(site: Site, workdir: Path) -> Any:
    """The package as users query it, through `eaeu_facts.connect()`: tables and views.

    The database is written into `workdir` from the published rows, the way the build writes
    it beside the package, so the results are those of exactly the package documented.
    """
    import eaeu_facts
    from eaeu_facts.publish.database import write_database

    return eaeu_facts.connect(write_database(site.catalog, site.tables, workdir))


def run_sql_blocks(site: Site, uri: str, markdown: str, display: str, problems: Problems) -> str:
    """Run every ```sql block and put after it a link to run it in the browser and its result;
    a query that fails is a problem."""
    if not SQL_BLOCK.search(markdown):
        return markdown
    import duckdb

    workdir = Path(tempfile.mkdtemp(prefix="eaeu-facts-docs-"))
    con = connect(site, workdir)

    def run(match: re.Match[str]) -> str:
        line = markdown[: match.start()].count("\n") + 1
        try:
            cursor = con.execute(match["sql"])
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            problems.add(display, line, "sql", f"<{first}>", "a query that runs on the package")
            return match[0]
        return "\n\n".join((match[0], run_link(uri, match["sql"]), result_html(names, rows)))

    try:
        return SQL_BLOCK.sub(run, markdown)
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)


def run_link(uri: str, sql: str) -> str:
    """A link from page `uri` to the query page that fills in (and runs) `sql`."""
    target = f"{href(uri, QUERY_PAGE)}?sql={quote(sql.strip(), safe='')}"
    return f'<p class="eaeu-run"><a href="{html.escape(target)}">Run in the browser</a></p>'


def result_html(names: list[str], rows: list[tuple]) -> str:
    body = ["<tr>" + "".join(_result_cell(value) for value in row) + "</tr>" for row in rows]
    table = table_html([f"<code>{html.escape(n)}</code>" for n in names], body, "eaeu-result")
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    return f'<p class="eaeu-result-count">Result ({count}):</p>\n{table}'


def _result_cell(value: object) -> str:
    """A result cell: Arabic set right to left, long text marked so CSS can wrap it."""
    text = "" if value is None else format_value(value)
    attrs = ' dir="rtl" lang="ar"' if ARABIC.search(text) else ""
    attrs += ' class="long"' if len(text) > 60 else ""
    return f"<td{attrs}>{html.escape(text)}</td>"
