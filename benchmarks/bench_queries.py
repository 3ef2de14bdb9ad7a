"""Benchmark 4: the SQL cookbook's queries on the 10,000-source database.

Every ```sql block of docs/cookbook.md, as written, on a read-only connection to the built
database (`eaeu_facts.connect`), fetching every row: the median of 15 runs after one to warm
up. Also the median of 5 runs through `eaeu-facts query`'s own path (`query.run_query`:
opens the database safely, checks the statement, runs it under a watchdog), which refuses
results of more than 100,000 rows. The cookbook's person is Olzhas Bektenov, who is not in
the synthetic corpus; the same query for its most quoted person is timed too.
"""

from __future__ import annotations

import re
import statistics
import sys
import time

from common import REPO, cli, corpus, measure, table, write_section

N = 10_000
RUNS, SAFE_RUNS, TARGET_MS = 15, 5, 100.0


def main() -> None:
    from eaeu_facts import connect
    from eaeu_facts.serve.query import QueryError, run_query

    root = corpus(N)
    database = root / "datapackage" / "eaeu-facts.duckdb"
    if not database.exists():
        run = measure(cli("build", "--root", str(root)))
        if run.code:
            sys.exit(run.stderr)
    queries = cookbook()
    with connect(database) as con:
        person = con.execute(
            "SELECT p.name_en FROM quotes q JOIN people p ON p.person_id = q.speaker_person_id "
            "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()[0]
        sql = queries_by_title(queries, "Everything attributed")[1]
        title = f"Everything attributed to one person ({person}, synthetic)"
        queries.append((title, sql.replace("Olzhas Bektenov", person)))
        timed = [(title, sql, *_timings(con, sql)) for title, sql in queries]
    rows, slow = [], []
    for title, sql, count, arrow, python in timed:
        safe = _safe(run_query, QueryError, database, sql)
        rows.append(
            [title, f"{count:,}", f"{arrow:.1f} ms", f"{python:.1f} ms", safe],
        )
        if arrow >= TARGET_MS:
            slow.append(title)
    header = ["query", "rows", "as Arrow", "as Python rows", "via `eaeu-facts query`"]
    text = [
        f"## 4. Cookbook queries on the {N:,}-source database",
        "",
        f"Median latency of {RUNS} runs (after one to warm up) on an open read-only "
        "connection, every row fetched: as an Arrow table (`con.sql(...).to_arrow_table()`, "
        "the target's measure: the query and its whole result) and as Python tuples "
        "(`.fetchall()`, which adds the "
        "cost of making a Python object of every value). The last column is the median of "
        f"{SAFE_RUNS} runs of `query.run_query`, the path of `eaeu-facts query`: it opens the "
        "database with its safety settings each time, and refuses results over 100,000 rows.",
        "",
        table(header, rows),
        "",
        f"- met: every cookbook query under {TARGET_MS:.0f} ms median"
        if not slow
        else f"- **missed**: under {TARGET_MS:.0f} ms median for: {', '.join(slow)}",
    ]
    write_section("queries", "\n".join(text))


def _timings(con: object, sql: str) -> tuple[int, float, float]:
    """Rows, and median milliseconds fetching them as Arrow and as Python tuples."""
    con.execute(sql).fetchall()  # type: ignore[attr-defined]
    arrow, python = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        rows = con.sql(sql).to_arrow_table().num_rows  # type: ignore[attr-defined]
        arrow.append((time.perf_counter() - start) * 1000)
    for _ in range(SAFE_RUNS):
        start = time.perf_counter()
        con.execute(sql).fetchall()  # type: ignore[attr-defined]
        python.append((time.perf_counter() - start) * 1000)
    return rows, statistics.median(arrow), statistics.median(python)


def _safe(run_query: object, error: type[Exception], database: object, sql: str) -> str:
    times = []
    for _ in range(SAFE_RUNS):
        start = time.perf_counter()
        try:
            run_query(database, sql)  # type: ignore[operator]
        except error as exc:
            return "refused: " + str(exc).split(", expected")[0].removeprefix("query: ")
        times.append((time.perf_counter() - start) * 1000)
    return f"{statistics.median(times):.1f} ms"


def cookbook() -> list[tuple[str, str]]:
    """(heading, SQL) of every ```sql block in docs/cookbook.md, in order."""
    text = (REPO / "docs" / "cookbook.md").read_text(encoding="utf-8")
    out, heading = [], "Cookbook"
    for block in re.finditer(r"^## ([^\n]+)$|^```sql\n(.*?)^```", text, re.M | re.S):
        if block.group(1):
            heading = block.group(1).strip()
        else:
            out.append((heading, block.group(2).strip()))
    return out


def queries_by_title(queries: list[tuple[str, str]], start: str) -> tuple[str, str]:
    return next(q for q in queries if q[0].startswith(start))


if __name__ == "__main__":
    main()
