"""One SQL statement from anyone, run against the package database without risk to the machine.

`eaeu-facts query` takes SQL it cannot trust. The database is opened read-only with access to
files, the network and extensions switched off and the configuration locked before the user's
statement runs; only a single SELECT is accepted; a watchdog interrupts it at the time limit,
and DuckDB refuses to use more than the memory limit. Every failure is one line that names
the position in the SQL where DuckDB reports one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import io
import json
import math
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eaeu_facts.model.frames import format_value
from eaeu_facts.model.interrupts import moment

FORMATS = ("table", "csv", "json", "markdown")
TIME_LIMIT_SECONDS = 30.0
MEMORY_LIMIT = "512MB"
MAX_ROWS = 100_000
# Set as the database opens; SESSION_SQL then locks the configuration so that the user cannot
# change any of them. An empty temp_directory means a query never writes to disk.
SAFE_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": MEMORY_LIMIT,
    "temp_directory": "",
    "errors_as_json": True,
}
# Session settings, then the lock, run before the user's statement.
SESSION_SQL = "SET enable_progress_bar = false; SET lock_configuration = true"
TABLES_SQL = """
SELECT table_name AS name, 'table' AS kind, comment AS description
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
UNION ALL
SELECT view_name, 'view', comment
FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
ORDER BY kind, name
"""


def require_database(path: Path) -> Path:
    """The database file, or FileNotFoundError saying how to build it (it is not in git)."""
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such file; run `make` or `eaeu-facts build` to build the database"
        )
    return path


class QueryError(Exception):
    """A refused or failed query, as the one line the user sees."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def open_safe(path: Path) -> Any:
    """A read-only connection that can reach nothing but the database, with settings locked."""
    import duckdb

    require_database(path)
    try:
        con = duckdb.connect(str(path), read_only=True, config=dict(SAFE_CONFIG))
    except duckdb.Error as exc:
        raise QueryError(f"{path}: {_first_line(str(exc))}") from None
    con.execute(SESSION_SQL)
    return con


def run_query(path: Path, sql: str, time_limit: float | None = None) -> Result:
    """Run one SELECT statement and return its rows; raise QueryError otherwise."""
    import duckdb

    time_limit = time_limit or TIME_LIMIT_SECONDS
    con = open_safe(path)
    try:
        check_statement(con, sql)
        done: dict[str, Any] = {}

        def execute() -> None:
            try:
                cursor = con.execute(sql)
                done["columns"] = [d[0] for d in cursor.description]
                done["rows"] = cursor.fetchmany(MAX_ROWS + 1)
            except Exception as exc:  # DuckDB's errors, and its "Query interrupted"
                done["error"] = exc

        # DuckDB holds the thread that runs a query until it ends, and Ctrl+C with it: the
        # query runs on another, and this one waits in steps it can be interrupted in.
        worker = threading.Thread(target=execute, daemon=True)
        worker.start()
        moment("query:run")
        deadline = time.monotonic() + time_limit
        ours = signal.getsignal(signal.SIGINT)
        try:
            while worker.is_alive() and time.monotonic() < deadline:
                worker.join(0.05)
                if threading.current_thread() is threading.main_thread():
                    signal.signal(signal.SIGINT, ours)  # DuckDB takes Ctrl+C for itself
        finally:
            if worker.is_alive():  # the time limit, or an interrupt on its way up
                con.interrupt()
                worker.join(1)
        error = done.get("error")
        if worker.is_alive() or isinstance(error, duckdb.InterruptException):
            raise QueryError(f"query: interrupted after the time limit of {time_limit:g} s")
        if error is not None:
            raise QueryError(describe_error(sql, error))
        columns, rows = done["columns"], done["rows"]
    finally:
        with contextlib.suppress(duckdb.Error):  # busy still, if interrupted: the process ends
            con.close()
    if len(rows) > MAX_ROWS:
        raise QueryError(
            f"query: found more than {MAX_ROWS} rows, expected at most {MAX_ROWS} (add a LIMIT)"
        )
    return Result(columns, rows)


def check_statement(con: Any, sql: str) -> None:
    """Accept exactly one SELECT (WITH ..., VALUES, DESCRIBE and SHOW parse as SELECT too)."""
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(describe_error(sql, exc)) from None
    if len(statements) != 1:
        raise QueryError(
            f"query: statement: found {len(statements)} statements, expected exactly one"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryError(
            f"query: statement: found {kind.name}, expected a SELECT statement "
            "(the database is read-only, with files and settings out of reach)"
        )


def describe_error(sql: str, exc: Exception) -> str:
    """DuckDB's error on one line, prefixed with query:LINE:COLUMN when it gives a position."""
    text = str(exc)
    kind, _, payload = text.partition(": ")
    try:
        info = json.loads(payload)
    except ValueError:
        return f"query: {_first_line(text)}"
    lines = str(info.get("exception_message", "")).strip().splitlines()
    if kind == "Out of Memory Error":
        # DuckDB's advice after the first line is about spilling, which queries may not do.
        lines = [lines[0], f"(the memory limit for a query is {MEMORY_LIMIT})"]
    message = f"{kind}: {' '.join(line.strip() for line in lines)}"
    if "position" not in info:
        return f"query: {message}"
    line, column = position(sql, int(info["position"]))
    return f"query:{line}:{column}: {message}"


def position(sql: str, byte_offset: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of DuckDB's offset, which counts UTF-8 bytes."""
    before = sql.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]


def render(result: Result, fmt: str) -> str:
    """The result as an aligned text table, CSV, a JSON array of objects, or a Markdown table.

    Raises QueryError for JSON when two columns share a name, which one object cannot hold.
    """
    return {
        "table": _table,
        "csv": _csv,
        "json": _json,
        "markdown": _markdown,
    }[fmt](result)


def _table(result: Result) -> str:
    cells = [[format_value(v).replace("\n", "\\n") for v in row] for row in result.rows]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]
    numeric = [
        bool(result.rows) and all(_is_number(row[i]) for row in result.rows if row[i] is not None)
        for i in range(len(result.columns))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(result.columns), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    out.append(f"({len(result.rows)} row{'' if len(result.rows) == 1 else 's'})")
    return "\n".join(out)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([format_value(v) for v in row] for row in result.rows)
    return buffer.getvalue().rstrip("\n")


def _json(result: Result) -> str:
    twice = sorted({name for name in result.columns if result.columns.count(name) > 1})
    if twice:
        raise QueryError(
            f"query: found column name {twice[0]!r} twice, expected distinct names for JSON "
            "(name them with AS)"
        )
    records = [
        {name: _jsonable(v) for name, v in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings, decimals as numbers; what JSON cannot hold (inf, NaN) as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _markdown(result: Result) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(values) + " |"

    def cell(value: Any) -> str:
        return format_value(value).replace("|", "\\|").replace("\n", "<br>")

    out = [line([cell(c) for c in result.columns]), line(["---"] * len(result.columns))]
    out.extend(line([cell(v) for v in row]) for row in result.rows)
    return "\n".join(out)
