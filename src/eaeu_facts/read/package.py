"""Reading a published package as a user receives it: its descriptor, each file held to the
byte count and hash the descriptor lists, each CSV table as a frame (its Parquet file held to
the same rows), and the source texts its rows cite. The one package reader: `validate`
(check/package.py, which holds what is read here to the same checks as the build), the API
(serve/api.py) and the docs all read through it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pcsv

from eaeu_facts.model import paths
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import HIDDEN, LEXICAL, LINE, PATH, UNIT, data, empty, to_csv
from eaeu_facts.model.interrupts import moment
from eaeu_facts.model.paths import identity, parquet_resource
from eaeu_facts.model.schemas import CONSTRAINT_KEYS, FIELD_TYPES, Catalog, Table
from eaeu_facts.read import profiles
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
    """The package's descriptor, or None when it cannot be read or breaks a rule of the Data
    Package profiles, of Frictionless or of this reader (each then reported, in one line)."""
    shown = display(path)
    try:
        descriptor = json.loads(
            path.read_text(encoding="utf-8"), parse_constant=_no_constant, parse_float=_finite
        )
    except (OSError, ValueError, RecursionError, MemoryError) as exc:
        problems.add(
            shown,
            getattr(exc, "lineno", None),
            "datapackage.json",
            f"<{_unreadable(exc)}>",
            "a readable JSON descriptor",
        )
        return None
    return descriptor if _well_formed(descriptor, path.parent, shown, problems) else None


# How deep a descriptor may nest (a published one is 8 deep, at a field's enum): deeper is
# refused before anything walks it, so that nothing recurses without bound.
MAX_DEPTH = 32

# What each part of a descriptor may hold here. Frictionless ignores a property it does not
# know, and reads its data by some it does (a dialect, a compression, a missing value, a date
# format...): a reader that honours none of those refuses them all, rather than read a file
# otherwise than Frictionless would. The names are the Data Package v2 ones.
RESOURCE_KEYS = (
    "$schema",
    "name",
    "type",
    "title",
    "description",
    "homepage",
    "profile",
    "path",
    "format",
    "mediatype",
    "encoding",
    "bytes",
    "hash",
    "sources",
    "licenses",
    "schema",
)
SCHEMA_KEYS = ("$schema", "fields", "primaryKey", "foreignKeys", "missingValues")
FIELD_KEYS = (
    "name",
    "type",
    "title",
    "description",
    "format",
    "example",
    "rdfType",
    "constraints",
    "multiline",  # eaeu-facts: a text that may hold line breaks
)
# Why a property is refused, where more can be said than that it is not one of those above.
_REFUSED = {
    "data": "no data: a resource here is read from its file",
    "dialect": "no dialect: a CSV file here is comma-separated, with a header row",
    "compression": "no compression: a file here is read as it is",
    "scheme": "no scheme: a file here is read from the package folder",
    "innerpath": "no innerpath: a file here is read as it is",
    "extrapaths": "no extrapaths: a resource here is one file",
    "rows": "no rows: not checked here",
    "fields": "no fields count: not checked here",
    "missingValues": "no missingValues here (the schema's, if any, is [''])",
    "required": "no required here: it belongs in constraints",
}
# The constraints each type of field can have (Frictionless's, of those the checks hold).
_CONSTRAINTS = {
    kind: tuple(k for k in CONSTRAINT_KEYS if k in allowed)
    for kind, allowed in {
        "string": ("required", "unique", "enum", "pattern", "minLength", "maxLength"),
        "integer": ("required", "unique", "enum", "minimum", "maximum"),
        "number": ("required", "unique", "enum", "minimum", "maximum"),
        "date": ("required", "unique", "enum", "minimum", "maximum"),
        "boolean": ("required", "unique", "enum"),
    }.items()
}
PACKAGE_PROFILES = ("data-package", "tabular-data-package")
RESOURCE_PROFILES = ("data-resource", "tabular-data-resource")
# Names under Data Package v1, which a descriptor without `$schema` (or with a 1.x one) declares.
_V1_NAME = re.compile(r"[-a-z0-9._/]+")
_V1_NAME_RULE = (
    "lower-case letters, digits, '-', '.', '_' and '/' only (Data Package v1, which a "
    "descriptor without a v2 $schema declares)"
)
# A name stands in problem lines (a table's is a column's): no line break, no ':'.
_NAMEABLE = "a name of printable characters, without ':' (problems name it in one line)"
# Paths Frictionless refuses besides those model/paths.py does: a home folder, a variable
# (which its loader would expand).
_EXPANDS = re.compile(r"^~|\$|^%.+%")
_INT64 = 2**63

Fault = profiles.Fault


def _well_formed(descriptor: Any, base: Path, display: str, problems: Problems) -> bool:
    """The descriptor holds to the Data Package v2 profiles (read/profiles), to the rules
    Frictionless adds to them and to this reader's: the parts this module reads are there,
    with the right shapes, and every path stays in the package folder (nothing is opened
    otherwise). Each fault is one problem; the profiles' are left out where one of the other
    rules has said it of the same part."""
    if not isinstance(descriptor, dict):
        found = f"<{_kind(descriptor)}>"
        problems.add(display, None, "datapackage.json", found, "a JSON object (a descriptor)")
        return False
    if (deep := _too_deep(descriptor)) is not None:
        found, expected = f"<nested more than {MAX_DEPTH} deep>", f"at most {MAX_DEPTH} deep"
        problems.add(display, None, deep, found, expected)
        return False
    labels = _labels(descriptor.get("resources"))
    ours = list(_package_faults(descriptor, labels, base))
    said = [where for where, _, _ in ours]
    for where, found, expected in profiles.faults(descriptor, labels):
        if not any(_overlap(where, other) for other in said):
            ours.append((where, found, expected))
    resources = descriptor.get("resources")
    if isinstance(resources, list) and not any(
        isinstance(r, dict) and r.get("name") == "sources" and r.get("type") == "table"
        for r in resources
    ):  # said last: what the profiles say of the resources is not left out for it
        ours.append(("resources", "<no sources table>", "a sources table"))
    for where, found, expected in ours:
        problems.add(display, None, where, found, expected)
    return not ours


def _package_faults(descriptor: dict[str, Any], labels: list[str], base: Path) -> Iterator[Fault]:
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        yield "resources", _got(descriptor, "resources"), "a list of resources"
        return
    if "type" in descriptor:
        yield "type", descriptor["type"], "no type (Frictionless knows no type of package)"
    profile = descriptor.get("profile", PACKAGE_PROFILES[0])
    if profile not in PACKAGE_PROFILES:
        yield "profile", profile, f"one of {_words(PACKAGE_PROFILES)} (no profile is fetched)"
    for key in ("missingValues", "fields"):
        if key in descriptor:
            yield key, descriptor[key], f"no {key} here: it belongs in a resource's schema"
    v1 = _v1(descriptor)
    name = descriptor.get("name")
    if v1 and isinstance(name, str) and not _V1_NAME.fullmatch(name):
        yield "name", name, _V1_NAME_RULE
    named = [r for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)]
    tables = {r["name"]: r for r in named if r.get("type") == "table"}
    # Where two resources share a name, what a foreign key names is not known: only the names
    # are reported.
    unique = len({r["name"] for r in named}) == len(named)
    first: dict[str, int] = {}
    for i, res in enumerate(resources):
        where = f"resources[{labels[i]}]"
        if not isinstance(res, dict):
            yield where, res, "a resource (a JSON object)"
            continue
        name = res.get("name")
        if isinstance(name, str):
            if name in first:
                expected = f"a name no other resource has (resources[{first[name]}] has it)"
                yield f"{where}.name", name, expected
            first.setdefault(name, i)
            if not _nameable(name):
                yield f"{where}.name", name, _NAMEABLE
            elif v1 and not _V1_NAME.fullmatch(name):
                yield f"{where}.name", name, _V1_NAME_RULE
        if profile == "tabular-data-package" and res.get("profile") != RESOURCE_PROFILES[1]:
            expected = f"'{RESOURCE_PROFILES[1]}', as the package's profile requires"
            yield f"{where}.profile", _got(res, "profile"), expected
        yield from _resource_faults(res, where, base, tables if unique else None)


def _resource_faults(
    res: dict[str, Any], where: str, base: Path, tables: dict[str, Any] | None
) -> Iterator[Fault]:
    name, path, kind = res.get("name"), res.get("path"), res.get("type")
    if not isinstance(name, str) or not name or not isinstance(path, str):
        yield where, "<no name or path>", "a name and a path"
    elif why := _escapes(base, path):
        expected = "a relative path inside the package folder (as Frictionless requires)"
        yield f"{where}.path", f"<{_shortened(path)}, {why}>", expected
    yield from _unknown(res, RESOURCE_KEYS, where, "a resource")
    if "type" not in res:
        yield f"{where}.type", "<missing>", "'table' or 'file'"
    if "profile" in res and res["profile"] not in RESOURCE_PROFILES:
        expected = f"one of {_words(RESOURCE_PROFILES)} (no profile is fetched)"
        yield f"{where}.profile", res["profile"], expected
    elif res.get("profile") == RESOURCE_PROFILES[1] and kind != "table":
        yield f"{where}.profile", res["profile"], "'data-resource' on a resource of type file"
    if kind != "table":
        if "schema" in res and not isinstance(res["schema"], dict):
            yield f"{where}.schema", res["schema"], "a Table Schema written in the descriptor"
        return
    if res.get("format", "csv") != "csv":
        yield f"{where}.format", res["format"], "'csv' (a table is read from its CSV file)"
    encoding = res.get("encoding", "utf-8")
    if not isinstance(encoding, str) or encoding.lower() not in ("utf-8", "utf8"):
        yield f"{where}.encoding", encoding, "'utf-8' (a CSV file here is UTF-8)"
    for at, found, expected in _schema_fault(res.get("schema"), tables):
        yield f"{where}.schema{at}", found, expected


def _schema_fault(schema: Any, tables: dict[str, Any] | None) -> Iterator[Fault]:
    """What makes a published table schema unusable here, each (where in the schema, found,
    expected); the tables its foreign keys reference are not looked up without `tables`."""
    if isinstance(schema, str):
        yield "", schema, "a Table Schema written in the descriptor (no file is read for it)"
        return
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        yield "", "<no list of fields>", "a Table Schema"
        return
    yield from _unknown(schema, SCHEMA_KEYS, "", "a schema")
    if schema.get("missingValues", [""]) != [""]:
        expected = "[''] (an empty cell is the one missing value)"
        yield ".missingValues", schema["missingValues"], expected
    names: dict[str, int] = {}
    for j, f in enumerate(fields):
        if not isinstance(f, dict):
            yield f".fields[{j}]", f, "a field (a JSON object)"
            continue
        for at, found, expected in _field_faults(f):
            yield f".fields[{j}]{at}", found, expected
        name = f.get("name")
        if isinstance(name, str):
            if name in names:
                expected = f"a name no other field has (fields[{names[name]}] has it)"
                yield f".fields[{j}].name", name, expected
            names.setdefault(name, j)
    key = schema.get("primaryKey", [])
    if not _names(key):
        yield ".primaryKey", key, "a list of field names"
    else:
        for name in key:
            if name not in names:
                yield ".primaryKey", name, "the name of one of the schema's fields"
    keys = schema.get("foreignKeys", [])
    if not isinstance(keys, list):
        yield ".foreignKeys", keys, "a list of foreign keys"
        return
    for k, fk in enumerate(keys):
        for at, found, expected in _foreign_key_faults(fk, names, tables):
            yield f".foreignKeys[{k}]{at}", found, expected


def _foreign_key_faults(
    fk: Any, names: dict[str, int], tables: dict[str, Any] | None
) -> Iterator[Fault]:
    if not isinstance(fk, dict):
        yield "", fk, "a foreign key (fields and a reference)"
        return
    own, reference = fk.get("fields"), fk.get("reference")
    if not _names(own):
        yield ".fields", _got(fk, "fields"), "a list of field names"
    else:
        for name in own:
            if name not in names:
                yield ".fields", name, "the name of one of the schema's fields"
    if not isinstance(reference, dict):
        yield ".reference", _got(fk, "reference"), "a reference (a resource and its fields)"
        return
    target, theirs = reference.get("resource"), reference.get("fields")
    if not _names(theirs):
        yield ".reference.fields", _got(reference, "fields"), "a list of field names"
    elif _names(own) and len(own) != len(theirs):
        expected = f"{len(own)} field(s), as many as the key's own fields"
        yield ".reference.fields", theirs, expected
    if tables is None:
        return
    if not isinstance(target, str) or target not in tables:
        found = _got(reference, "resource")
        yield ".reference.resource", found, "the name of a table of the package"
        return
    schema = tables[target].get("schema")
    if (
        not _names(theirs)
        or not isinstance(schema, dict)
        or not isinstance(schema.get("fields"), list)
    ):
        return  # reported on the referenced table itself
    there = [f.get("name") for f in schema["fields"] if isinstance(f, dict)]
    table = target if profiles.tame(target) else "the referenced table"
    for name in theirs:
        if name not in there:
            yield ".reference.fields", name, f"the name of one of the fields of {table}"


def _field_faults(f: dict[str, Any]) -> Iterator[Fault]:
    name, kind = f.get("name"), f.get("type")
    if not isinstance(name, str) or not name:
        yield ".name", _got(f, "name"), "a field name (a string)"
    elif not _nameable(name):
        yield ".name", name, _NAMEABLE
    if kind not in FIELD_TYPES:
        yield ".type", _got(f, "type"), f"one of {_words(FIELD_TYPES)}"
    yield from _unknown(f, FIELD_KEYS, "", "a field")
    if f.get("format", "default") != "default":
        expected = "'default' (a value is read in the one form a CSV file here writes it)"
        yield ".format", f["format"], expected
    if not isinstance(f.get("multiline", False), bool):
        yield ".multiline", f["multiline"], "true or false"
    if kind not in FIELD_TYPES:
        return
    if "example" in f and not _lexical(f["example"], kind):
        yield ".example", f["example"], f"{_a(kind)} value, as a CSV file here writes it"
    constraints = f.get("constraints", {})
    if not isinstance(constraints, dict):
        yield ".constraints", constraints, "constraints (a JSON object)"
        return
    allowed = _CONSTRAINTS[kind]
    for key, value in constraints.items():
        at = f".constraints{profiles.step(key)}"
        if key not in allowed:
            found = value if profiles.tame(key) else f"<{_shortened(key)}>"
            yield at, found, f"a constraint a field of type {kind} can have: {_words(allowed)}"
        elif (expected := _constraint_fault(key, value, kind)) is not None:
            yield at, value, expected


def _constraint_fault(key: str, value: Any, kind: str) -> str | None:
    """What a constraint's value should be, when it is not that (None when it is)."""
    if key in ("required", "unique"):
        return None if isinstance(value, bool) else "true or false"
    if key in ("minLength", "maxLength"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32
        return None if ok else "a whole number, 0 or more"
    if key == "pattern":
        return None if _runs(value) else "a regular expression the checks can run"
    if key == "enum":
        ok = isinstance(value, list) and value and all(_of_type(v, kind) for v in value)
        return None if ok else f"a list of {kind} values"
    return None if _of_type(value, kind) else f"{_a(kind)} value"  # minimum, maximum


def _of_type(value: Any, kind: str) -> bool:
    """A value of a field's type, as the descriptor writes it (a date as YYYY-MM-DD)."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and _lexical(value, "date")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if kind == "integer":
        return isinstance(value, int) and -_INT64 <= value < _INT64
    return abs(value) <= 1.7e308  # a number: a float (json.loads refuses inf and nan)


def _lexical(value: Any, kind: str) -> bool:
    """A text as a CSV file here writes a value of the type (model/frames.py)."""
    if not isinstance(value, str):
        return False
    if kind == "string":
        return True
    if not re.fullmatch(LEXICAL[kind], value):
        return False
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
    return True


def _runs(pattern: Any) -> bool:
    """A pattern the checks can run (they use polars, whose regular expressions are RE2's) and
    Frictionless can (Python's)."""
    if not isinstance(pattern, str):
        return False
    try:
        re.compile(pattern)
        pl.Series([""]).str.contains(pattern)
    except (re.error, RecursionError, OverflowError, ValueError, pl.exceptions.PolarsError):
        return False
    return True


def _unknown(part: dict[str, Any], keys: tuple[str, ...], where: str, what: str) -> Iterator[Fault]:
    """A fault for each property of `part` that is none of `keys`."""
    for key in part:
        if key in keys:
            continue
        expected = _REFUSED.get(key, f"only the properties {what} has here: {_words(keys)}")
        found = part[key] if profiles.tame(key) else f"<a property {_shortened(key)}>"
        yield f"{where}{profiles.step(key)}", found, expected


def _escapes(base: Path, path: str) -> str | None:
    if why := paths.escapes(base, path):
        return why
    return "a home folder or a variable" if _EXPANDS.search(path) else None


def _labels(resources: Any) -> list[str]:
    """How each resource is named in a problem: by its name, where that is a plain name no
    other resource has; by its place otherwise."""
    if not isinstance(resources, list):
        return []
    names = [r.get("name") if isinstance(r, dict) else None for r in resources]
    counts = Counter(n for n in names if isinstance(n, str))
    return [n if profiles.tame(n) and counts[n] == 1 else str(i) for i, n in enumerate(names)]


def _v1(descriptor: dict[str, Any]) -> bool:
    """Whether the descriptor declares Data Package v1 (as Frictionless reads `$schema`)."""
    declared = descriptor.get("$schema")
    if not declared:
        return True
    if not isinstance(declared, str):
        return False
    url = urlparse(declared)
    version = re.search(r"/profiles/([0-9]+)\.[0-9]+/", url.path)
    return url.netloc == "datapackage.org" and version is not None and version[1] == "1"


def _too_deep(descriptor: dict[str, Any]) -> str | None:
    """Where the descriptor nests deeper than MAX_DEPTH, or None (walked without recursion)."""
    stack: list[tuple[Any, str, int]] = [(descriptor, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            return where.removeprefix(".")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(item, dict | list):
                stack.append((item, where + profiles.step(key), depth + 1))
    return None


def _overlap(one: str, other: str) -> bool:
    """Whether two fields are the same part of the descriptor, or one holds the other."""
    short, long = sorted((one, other), key=len)
    return long == short or long.startswith((f"{short}.", f"{short}["))


def _got(part: dict[str, Any], key: str) -> Any:
    return part.get(key, "<missing>")


def _nameable(name: str) -> bool:
    return name.isprintable() and ":" not in name


def _names(value: Any) -> bool:
    """A list of names (of fields), as a key lists them."""
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _words(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _shortened(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "...'"


def _kind(value: Any) -> str:
    return {list: "a JSON array", str: "a JSON string", type(None): "null"}.get(
        type(value), "a JSON number or true or false"
    )


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name}, which JSON does not allow")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]}, a number too large for JSON readers")
    return value


def _unreadable(exc: BaseException) -> str:
    """What made a descriptor unreadable, in one line."""
    if isinstance(exc, json.JSONDecodeError):
        return f"JSONDecodeError: {exc.msg}"
    if isinstance(exc, RecursionError):
        return "RecursionError: JSON nested too deep to read"
    if isinstance(exc, UnicodeDecodeError):
        return f"UnicodeDecodeError: not UTF-8 at byte {exc.start}"
    if isinstance(exc, OSError):
        return type(exc).__name__
    return f"{type(exc).__name__}: {str(exc)[:80]}"


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
    sources: pl.DataFrame,
    root: Path,
    problems: Problems,
    unread: set[Cell],
    carried: dict[str, Path] | None = None,
) -> tuple[dict[str, str], dict[str, tuple[str, str, str]]]:
    """The source texts the sources table lists, each checked against the sha256 the table
    records for it (two at a time: reading and hashing let go of the GIL): the copy the
    package carries (`carried`, by resource name), else the file in the project at `root`;
    and the texts whose hash differs, as (path, sha256, recorded) by source_id, reported once
    the rows citing each are counted (read/evidence.py's `edited`)."""
    carried = carried or {}
    column = sources.columns.index("path") + 1
    rows = sources.select("source_id", "path", "sha256", PATH, LINE).drop_nulls().rows()

    edited = {}

    def read(row: tuple) -> tuple[str, str | None, Problems]:
        source_id, rel, sha256, where, line = row
        found = Problems()
        if paths.escapes(root, rel):  # the path is data: refused even where unused
            found.add(where, line, "path", rel, "a source text inside the project", column)
            unread.add(("sources", where, line, "path"))  # reported: not by its pattern too
            return source_id, None, found
        copy = carried.get(paths.text_resource(source_id))
        # The copy the package carries (listed, so held to its bytes and hash already), as
        # the user sees its path; else the project's file, by its path from the root.
        path, rel = (copy, display(copy)) if copy is not None else (root / rel, rel)
        try:
            data = path.read_bytes()
        except OSError:
            expected = "a source text in the package or the repository"
            found.add(where, line, "path", rel, expected, column)
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


# A published package, read -----------------------------------------------------------------
# One reader for whoever reads a package: `validate` (check/package.py), the API and the docs.


@dataclass
class Package:
    """A published package as read: its tables as frames, and what reading them found."""

    catalog: Catalog
    frames: dict[str, pl.DataFrame]
    unread: set[Cell] = field(default_factory=set)
    problems: Problems = field(default_factory=Problems)
    # Files missing, or not as long or not hashing as the descriptor lists them: then what
    # is in the files is not what the package describes, and nothing else is reported.
    files: Problems = field(default_factory=Problems)
    # False once a table could not be read in full: rows others reference may be missing.
    complete: bool = True
    # The source texts, by source_id, as read and checked against their hashes.
    texts: dict[str, str] = field(default_factory=dict)
    # The source texts the package carries, by resource name (paths.text_resource).
    text_files: dict[str, Path] = field(default_factory=dict)

    @property
    def found(self) -> Problems:
        return self.files or self.problems


T = TypeVar("T")
# How often a reader starts again when packages keep being published under it.
ATTEMPTS = 5


def consistent(
    folder: Path,
    read: Callable[[], T],
    failed: Callable[[T], bool],
    busy: Callable[[T], T] | None = None,
) -> T:
    """What `read` gives of one package, never of two. A build publishes by putting a new
    folder where the old one was, in one rename; a reader that found problems while the
    folder was replaced under it may have read the descriptor of one package and the files
    of the other, and reads again. Replaced during each of ATTEMPTS reads, what it read is
    not one package: `busy` says so (a caller without one gets the last read)."""
    for _ in range(ATTEMPTS):
        before = identity(folder)
        out = read()
        if not failed(out) or identity(folder) == before:
            return out
    return busy(out) if busy is not None else out


def busy_line(folder: Path) -> tuple[str, str, str]:
    """The field, the finding and the expectation of a package replaced on every read."""
    return (
        "folder",
        f"a package published anew during each of {ATTEMPTS} reads",
        "one that stands while it is read (read again when no build is publishing)",
    )


def read_package(descriptor_path: Path) -> Package:
    """Every table of the package read into a frame, each file held to the descriptor's byte
    count and hash, and each Parquet file to its table's rows."""
    package = Package(Catalog({}, ()), {})
    for table, frame in package_tables(descriptor_path, package):
        package.frames[table.name] = frame
    if package.files:
        package.frames.clear()
    return package


def package_tables(descriptor_path: Path, package: Package) -> Iterator[tuple[Table, pl.DataFrame]]:
    """The tables of the package, the sources table first, each read while the one before is
    checked; none when the descriptor cannot be read (its problem is in `package`)."""
    descriptor = load_descriptor(descriptor_path, package.problems)
    if descriptor is None:
        return
    moment("validate:tables")
    base, shown = descriptor_path.parent, display(descriptor_path)
    package.catalog = Catalog.from_frictionless(descriptor)
    package.text_files = {
        r["name"]: base / r["path"]
        for r in descriptor["resources"]
        if r["name"].startswith(paths.text_resource(""))
    }
    listed = {r["path"]: r for r in descriptor["resources"]}
    read_by_tables = {t.path for t in package.catalog.tables} | {
        r["path"] for r in descriptor["resources"] if r.get("format") == "parquet"
    }
    for res in descriptor["resources"]:
        if res["path"] not in read_by_tables:
            _listed(base, res, shown, package.files)
    files = {r["name"]: r for r in descriptor["resources"]}
    # The largest tables first, while little is held of the others.
    size = {path: res.get("bytes", 0) for path, res in listed.items()}
    tables = sorted(package.catalog.tables, key=lambda t: (t.name != "sources", -size[t.path]))
    yield from _prefetched(base, shown, tables, listed, files, package)


def _prefetched(
    base: Path,
    shown: str,
    tables: list[Table],
    listed: dict[str, dict[str, Any]],
    files: dict[str, dict[str, Any]],
    package: Package,
) -> Iterator[tuple[Table, pl.DataFrame]]:
    """Each table as read (what reading it found is added to `package` before it is
    yielded), the next one read on another thread meanwhile."""

    def read(table: Table) -> _Read:
        return _read(base, shown, table, listed[table.path], files, package.files)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = [pool.submit(read, t) for t in tables[:1]]
        for i, table in enumerate(tables):
            done = pending.pop().result()
            pending += [pool.submit(read, t) for t in tables[i + 1 : i + 2]]
            package.complete = package.complete and not done.problems
            package.problems.extend(done.problems)
            package.problems.extend(done.parquet)
            package.unread |= done.unread
            yield table, done.frame


@dataclass
class _Read:
    """A table read from its CSV file: the frame, the problems reading it, the values that
    could not be read, and what its Parquet file holds otherwise."""

    frame: pl.DataFrame
    problems: Problems = field(default_factory=Problems)
    unread: set[Cell] = field(default_factory=set)
    parquet: Problems = field(default_factory=Problems)


def _read(
    base: Path,
    shown: str,
    table: Table,
    res: dict[str, Any],
    files: dict[str, dict[str, Any]],
    listing: Problems,
) -> _Read:
    read = _Read(empty(table))
    content = _listed(base, res, shown, listing)
    if content is None:
        return read
    where = display(base / table.path)
    frame = read_csv(table, content, where, read.problems, read.unread)
    del content
    if frame is None:
        return read
    read.frame = frame
    stored = files.get(parquet_resource(table.name))
    if stored is None:
        return read
    before = len(listing)
    parquet = _listed(base, stored, shown, listing)
    # A Parquet file not as listed is reported as that alone.
    if parquet is not None and len(listing) == before and not read.unread:
        _same_rows(table, frame, parquet, display(base / stored["path"]), read.parquet)
    return read


def _listed(base: Path, res: dict[str, Any], shown: str, problems: Problems) -> bytes | None:
    """The file's bytes; a problem where it is missing, or not as long or not hashing as
    the descriptor lists it."""
    path = base / res["path"]
    if not path.is_file():
        problems.add(shown, None, f"resources[{res['name']}].path", res["path"], "an existing file")
        return None
    content = path.read_bytes()
    where = display(path)
    if "bytes" in res and res["bytes"] != len(content):
        listed = f"{res['bytes']} as listed in datapackage.json"
        problems.add(where, None, "bytes", len(content), listed)
    if "hash" in res:
        digest = f"sha256:{sha256_hex(content)}"
        if res["hash"] != digest:
            problems.add(
                where, None, "hash", digest, f"{res['hash']} as listed in datapackage.json"
            )
    return content


def _same_rows(
    table: Table, frame: pl.DataFrame, stored: bytes, shown: str, problems: Problems
) -> None:
    """The Parquet file holds the same rows, in the same order, as the CSV file; read one
    column at a time, so that no more than a column of it is held."""
    try:
        names = pl.read_parquet_schema(io.BytesIO(stored))
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        problems.add(shown, None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
        return
    ours = data(table, frame)
    if list(names) != ours.columns:
        problems.add(shown, None, "columns", ",".join(names), ",".join(ours.columns))
        return
    first, rows = [], None
    for name, kind in names.items():
        if kind != ours[name].dtype:
            problems.add(shown, None, "types", f"{name}: {kind}", f"{ours[name].dtype}")
            return
        try:
            theirs = pl.read_parquet(io.BytesIO(stored), columns=[name]).to_series()
        except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
            problems.add(shown, None, "parquet", f"<{type(exc).__name__}>", "a Parquet file")
            return
        rows = theirs.len()
        if not theirs.equals(ours[name]):
            common = min(rows, ours.height)
            differ = (~ours[name].head(common).eq_missing(theirs.head(common))).arg_true()
            first += differ.head(1).to_list()
    if first:
        expected = f"the same rows as {table.path}"
        found = "a row that differs from the CSV"
        problems.add(shown, None, f"row {min(first) + 1}", found, expected)
    elif rows is not None and rows != ours.height:
        problems.add(shown, None, "rows", rows, f"{ours.height} rows as in the CSV")
