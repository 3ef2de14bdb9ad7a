"""Reading a published package as a user receives it: its descriptor, each CSV table as a
frame, and the source texts its rows cite.

Nothing is trusted but datapackage.json and the files beside it; check/package.py holds what
is read here to the descriptor and to the same checks as the build.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pcsv

from eaeu_facts.model import paths
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import HIDDEN, LEXICAL, LINE, PATH, UNIT, to_csv
from eaeu_facts.model.schemas import CONSTRAINT_KEYS, FIELD_TYPES, Table
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.rows import Cell

# What a cell that breaks its type's lexical form (model/frames.py) was expected to be.
_EXPECTED = {
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date that exists, written YYYY-MM-DD",
}


def load_descriptor(path: Path, problems: Problems) -> dict[str, Any] | None:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(
            display(path),
            getattr(exc, "lineno", None),
            "datapackage.json",
            f"<{type(exc).__name__}>",
            "a readable JSON descriptor",
        )
        return None
    return descriptor if _well_formed(descriptor, path.parent, display(path), problems) else None


def _well_formed(descriptor: Any, base: Path, display: str, problems: Problems) -> bool:
    """The parts of the descriptor this module reads are there, with the right shapes, and
    every path stays in the package folder (nothing is opened otherwise)."""
    before = len(problems)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        problems.add(display, None, "resources", "<missing>", "a list of resources")
        return False
    tables = {r.get("name"): r for r in resources if r.get("type") == "table"}
    for i, res in enumerate(resources):
        where = f"resources[{res.get('name') or i}]"
        if not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            problems.add(display, None, where, "<no name or path>", "a name and a path")
        elif why := paths.escapes(base, res["path"]):
            expected = "a relative path inside the package folder (as Frictionless requires)"
            problems.add(display, None, f"{where}.path", f"<{res['path']!r}, {why}>", expected)
        elif res.get("type") == "table":
            wrong = _schema_fault(res.get("schema"), tables)
            if wrong:
                problems.add(display, None, f"{where}.schema", f"<{wrong}>", "a Table Schema")
    if "sources" not in tables:
        problems.add(display, None, "resources", "<no sources table>", "a sources table")
    return len(problems) == before


def _schema_fault(schema: Any, tables: dict[str, Any]) -> str | None:
    """What makes a published table schema unusable here, or None."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return "no list of fields"
    for f in fields:
        if not isinstance(f.get("name"), str) or f.get("type") not in FIELD_TYPES:
            return f"a field without a name or a type in {FIELD_TYPES}"
        constraints = f.get("constraints", {})
        if not isinstance(constraints, dict) or set(constraints) - set(CONSTRAINT_KEYS):
            return f"constraints of {f['name']} outside {CONSTRAINT_KEYS}"
        if not _runs(constraints.get("pattern", "")):
            return f"a pattern of {f['name']} that is not a regular expression"
    names = {f["name"] for f in fields}
    if not set(schema.get("primaryKey", [])) <= names:
        return "a primaryKey naming fields it does not have"
    for fk in schema.get("foreignKeys", []):
        try:
            schema = tables[fk["reference"]["resource"]].get("schema")
            if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
                continue  # reported on the referenced table itself
            ok = set(fk["fields"]) <= names and set(fk["reference"]["fields"]) <= {
                t.get("name") for t in schema["fields"] if isinstance(t, dict)
            }
        except (KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            return "a foreignKey to fields that do not exist"
    return None


def _runs(pattern: Any) -> bool:
    """A pattern the checks can run (they use polars, whose regular expressions are RE2's)."""
    try:
        pl.Series([""]).str.contains(pattern)
    except (pl.exceptions.PolarsError, TypeError):
        return False
    return isinstance(pattern, str)


def read_csv(
    table: Table, data: bytes, shown: str, problems: Problems, unread: set[Cell]
) -> pl.DataFrame | None:
    """A table's CSV file as a frame typed by its schema, each row with its line; None when
    its header or encoding is wrong. A row of the wrong width is reported and left out, a
    cell that breaks its type's lexical form reported and left empty (and named in `unread`,
    so that no check reports it again)."""
    header = to_csv(table, pl.DataFrame(schema=table.dtypes))
    if not data.startswith(header):
        found = data.split(b"\n", 1)[0].decode("utf-8", "replace")
        problems.add(shown, 1, "header", found, header.decode().rstrip("\n"))
        return None
    cells, skipped = _cells(table, data[len(header) :], shown, problems)
    if cells is None:
        return None
    lines = np.arange(cells.num_rows, dtype=np.int64) + 2
    for number in skipped:  # the rows left out, by their line: the table lacks them
        lines[lines >= number] += 1
        unread.add((table.name, shown, number, "row"))
    frame = pl.from_arrow(cells).with_columns(pl.Series(LINE, lines), pl.lit(shown).alias(PATH))
    return _typed(table, frame, shown, problems, unread)


def _cells(
    table: Table, body: bytes, shown: str, problems: Problems
) -> tuple[pa.Table | None, list[int]]:
    """Every cell as a string ('' where empty), and the lines of the rows left out."""
    names = table.field_names
    invalid: list[Any] = []

    def parse(threads: bool, block: int | None = None) -> pa.Table:
        invalid.clear()
        return pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(
                column_names=names, use_threads=threads, block_size=block
            ),
            parse_options=pcsv.ParseOptions(
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=lambda row: invalid.append(row) or "skip",
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    if not body:
        return pa.table({n: pa.array([], pa.string()) for n in names}), []
    block = None  # Arrow's (1 MiB), unless a row is longer: then the file is one block
    try:
        try:
            cells = parse(threads=True)
        except pa.ArrowInvalid as exc:
            if "block size" not in str(exc):
                raise
            block = len(body) + 1
            cells = parse(threads=True, block=block)
        if invalid:  # read again on one thread, which numbers the rows it leaves out
            cells = parse(threads=False, block=block)
    except pa.ArrowInvalid as exc:
        if "UTF8" not in str(exc):
            problems.add(shown, None, "csv", f"<{exc}>", "a CSV file")
            return None, []
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as bad:
            problems.add(shown, None, "encoding", f"byte offset {bad.start}", "UTF-8")
        return None, []
    # Arrow numbers the rows of the body; the header is line 1.
    lines = sorted(row.number + 1 for row in invalid)
    for row in invalid:
        found = f"{row.actual_columns} cells"
        problems.add(shown, row.number + 1, "row", found, f"{len(names)} cells")
    return cells, lines


def _typed(
    table: Table, frame: pl.DataFrame, shown: str, problems: Problems, unread: set[Cell]
) -> pl.DataFrame:
    """Each column typed by its schema ('' is missing); the cells that break their type's
    lexical form are reported, with their line and column, and left empty."""
    typed, wrong = [], {}
    for f in table.fields:
        cell = pl.col(f.name)
        value = pl.when(cell != "").then(cell)
        if f.type == "string":
            typed.append(value.alias(f.name))
            continue
        if f.type == "date":
            value = value.str.to_date("%Y-%m-%d", strict=False)
        elif f.type == "boolean":
            value = value == "true"
        else:
            value = value.cast(f.dtype, strict=False)
        form = cell.str.contains(f"^(?:{LEXICAL[f.type]})$")
        wrong[f.name] = (cell != "") & (~form | value.is_null())
        typed.append(pl.when(wrong[f.name]).then(None).otherwise(value).alias(f.name))
    if wrong:
        masks = frame.select(**wrong)
        for position, f in enumerate(table.fields, start=1):
            if f.name not in wrong or not masks[f.name].any():
                continue
            for cell, line in frame.filter(masks[f.name]).select(f.name, LINE).iter_rows():
                problems.add(shown, line, f.name, cell, _EXPECTED[f.type], position)
                unread.add((table.name, shown, line, f.name))
    return frame.select(*typed, PATH, LINE, pl.lit(None, HIDDEN[UNIT]).alias(UNIT))


def source_texts(
    sources: pl.DataFrame, root: Path, problems: Problems, unread: set[Cell]
) -> tuple[dict[str, str], dict[str, tuple[str, str, str]]]:
    """The source texts the sources table lists, read from the project at `root`, each checked
    against the sha256 the table records for it (two at a time: reading and hashing let go of
    the GIL); and the texts whose hash differs, as (path, sha256, recorded) by source_id,
    reported once the rows citing each are counted (read/evidence.py's `edited`)."""
    column = sources.columns.index("path") + 1
    rows = sources.select("source_id", "path", "sha256", PATH, LINE).drop_nulls().rows()

    edited = {}

    def read(row: tuple) -> tuple[str, str | None, Problems]:
        source_id, rel, sha256, where, line = row
        found = Problems()
        if paths.escapes(root, rel):
            found.add(where, line, "path", rel, "a source text inside the project", column)
            unread.add(("sources", where, line, "path"))  # reported: not by its pattern too
            return source_id, None, found
        try:
            data = (root / rel).read_bytes()
        except OSError:
            found.add(where, line, "path", rel, "a source text in the repository", column)
            return source_id, None, found
        digest = sha256_hex(data)
        if digest != sha256:
            edited[source_id] = (rel, digest, sha256)
            return source_id, None, found
        try:
            return source_id, data.decode("utf-8"), found
        except UnicodeDecodeError:
            found.add(rel, None, "encoding", "not UTF-8", "a UTF-8 source text")
            return source_id, None, found

    texts = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for source_id, text, found in pool.map(read, rows):
            problems.extend(found)
            if text is not None:
                texts[source_id] = text
    return texts, edited


def display(path: Path) -> str:
    """A path as the user sees it: relative to the working directory where it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
