"""All checks on a set of tables: pandera's per-table schemas, then the cross-table rules.

The build runs this before anything is written; `eaeu-facts validate` runs it on a published
package read back from its CSV files.
"""

from __future__ import annotations

import math
from typing import Any

import pandera.pandas as pa

from eaeu_facts.errors import Problem, Problems
from eaeu_facts.frames import to_dataframe
from eaeu_facts.rules import check_rules
from eaeu_facts.schemas import Catalog, to_pandera
from eaeu_facts.tables import TableRows

_EXPECTED = {
    "not_nullable": "a value (required)",
    "field_uniqueness": "a value no other row has (unique)",
    "isin": "one of the allowed values",
}


def check_tables(
    catalog: Catalog,
    tables: dict[str, TableRows],
    texts: dict[str, str],
    complete: bool = True,
) -> Problems:
    """Every problem in the tables, each located at the row that has it.

    A value that could not be read was reported when it was read, and one its schema refuses
    is reported by the schema alone (a rule reading it would only echo that), so nothing is
    reported on it again; when some input could not be read at all (`complete` False), the
    rules that look across rows are skipped, since a missing row would make them report
    follow-on errors.
    """
    problems = Problems()
    for table in catalog.tables:
        check_schema(tables[table.name], problems)
    refused = {_cell(p) for p in problems.items if p.line is not None}
    ruled = Problems()
    check_rules(tables, texts, ruled, cross=complete)
    problems.extend([p for p in ruled.items if _cell(p) not in refused])
    unread = _unread_cells(tables)
    problems.items = [p for p in problems.items if _cell(p) not in unread]
    return problems


def _cell(p: Problem) -> tuple[str, int | None, str]:
    return (p.path, p.line, p.field)


def _unread_cells(tables: dict[str, TableRows]) -> set[tuple[str, int | None, str]]:
    """Where each value that could not be read was written: (path, line, field)."""
    out: set[tuple[str, int | None, str]] = set()
    for rows in tables.values():
        for origin, unknown in zip(rows.origins, rows.unknown, strict=True):
            out.update((origin.path, origin.line_of(name), name) for name in unknown)
    return out


def check_schema(rows: TableRows, problems: Problems) -> None:
    """Run the table's generated pandera schema and translate its failure cases."""
    table = rows.table
    if not rows.rows:
        return  # the frame is built from the schema: an empty one cannot fail it
    frame = to_dataframe(table, rows.rows)
    try:
        to_pandera(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.to_dict("records"):
            _add_case(rows, case, problems)


def _add_case(rows: TableRows, case: dict[str, Any], problems: Problems) -> None:
    table = rows.table
    column = case.get("column")
    check = str(case.get("check"))
    # A repeated composite key is one problem of the row, whichever column pandera names.
    column = column if isinstance(column, str) and check != "multiple_fields_uniqueness" else None
    index = case.get("index")
    field = column or ", ".join(table.primary_key)
    expected = _expected(table, column, check)
    if index is None or (isinstance(index, float) and math.isnan(index)):
        problems.add(table.path, None, field, case.get("failure_case"), expected)
        return
    origin = rows.origins[int(index)]
    found = case.get("failure_case")
    if check == "not_nullable":
        found = "<missing>"
    elif column is None:
        found = tuple(rows.rows[int(index)].get(k) for k in table.primary_key)
        expected = f"a primary key ({field}) no other row of {table.name} has"
    problems.add(
        origin.path,
        origin.line_of(field.split(", ")[0]),
        field,
        found,
        expected,
        origin.column_of(field.split(", ")[0]),
    )


def _expected(table: Any, column: str | None, check: str) -> str:
    if column is None:
        return check
    constraints = table.field(column).constraints
    if check == "enum":
        return f"one of {', '.join(map(str, constraints['enum']))}"
    if check.startswith("pattern "):
        return f"a value matching {constraints['pattern']}"
    if check.startswith(("minimum", "maximum", "minLength", "maxLength")):
        name, value = check.split(" ", 1)
        return {
            "minimum": f"at least {value}",
            "maximum": f"at most {value}",
            "minLength": f"at least {value} characters",
            "maxLength": f"at most {value} characters",
        }[name]
    return _EXPECTED.get(check, check)
