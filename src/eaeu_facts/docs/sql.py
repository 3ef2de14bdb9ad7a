"""The ```sql blocks of a page, run on the package documented and shown with their results.

A query that stops working fails the page, so the SQL cookbook cannot drift from the data.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from eaeu_facts.docs.markup import table_html
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import format_value

SQL_BLOCK = re.compile(r"^```sql[^\n]*\n(?P<sql>.*?)^```[ \t]*$", re.M | re.S)
ARABIC = re.compile("[\u0600-\u06ff]")


def connect(site: Site, workdir: Path) -> Any:
    """The package as users query it, through `eaeu_facts.connect()`: tables and views.

    The database is written into `workdir` from the published rows, the way the build writes
    it beside the package, so the results are those of exactly the package documented.
    """
    import eaeu_facts
    from eaeu_facts.build.database import write_database

    return eaeu_facts.connect(write_database(site.catalog, site.tables, workdir))


def run_sql_blocks(site: Site, markdown: str, display: str, problems: Problems) -> str:
    """Run every ```sql block and put its result after it; a query that fails is a problem."""
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
        return match[0] + "\n\n" + result_html(names, rows)

    try:
        return SQL_BLOCK.sub(run, markdown)
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)


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
