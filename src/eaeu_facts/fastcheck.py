"""A quick proof that a sound package is sound: every check at once, on Arrow columns.

`verify_package` asks this first. It reads each file of the package once and runs the checks
of package.py, validate.py and rules.py over whole columns, with Arrow kernels where it can and
short loops where a rule needs the source text, instead of row by row over Python dicts. It
answers only "sound" or "not sure": at the first doubt it returns False, and the row-by-row
checks find and word the problems as they always have. So it may doubt a sound package (that
costs time, not correctness) but must never pass one the row-by-row checks would fault:
tests/test_synthetic.py runs the mutation suite through it to hold it to that.
"""

from __future__ import annotations

import csv
import datetime as dt
import operator
import re
from concurrent.futures import ThreadPoolExecutor
from itertools import compress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pycountry

from eaeu_facts.errors import Problems
from eaeu_facts.frames import ARROW_TYPES
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.rules import NOT_PRINTED, _check_amount, _check_percent
from eaeu_facts.schemas import Catalog, Table
from eaeu_facts.seeds import Origin
from eaeu_facts.tables import TableRows

Tables = dict[str, pa.Table]
# What parse_cell in package.py accepts, for the cells that are not empty.
CELL_PATTERNS = {
    "integer": r"-?[0-9]+",
    "number": r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}
# A regular expression whose meaning is the same in Python's re and Arrow's RE2: literals,
# classes, groups, alternation and counted repeats, anchored at most at its ends.
_PORTABLE = re.compile(r"\^?(?:[^\\^$(]|\\[./\\-]|\(\?:|\((?!\?)|\[\^)*\$?")
_NOWHERE = Origin("", None)


def package_sound(descriptor_path: Path, root: Path | None = None) -> bool:
    """True only if verify_package's row-by-row checks would find no problem in the package.

    Anything unexpected, a file Arrow cannot read as the checks expect included, means "not
    sure": the row-by-row checks then run and report what is wrong.
    """
    try:
        return _package_sound(descriptor_path, root)
    except Exception:  # any doubt at all is an answer here: "not sure"
        return False


def _package_sound(descriptor_path: Path, root: Path | None) -> bool:
    from eaeu_facts.package import _source_texts, catalog_from_descriptor, load_descriptor

    # Load inputs: the descriptor and every file it lists, with their bytes and hashes.
    problems = Problems()
    descriptor = load_descriptor(descriptor_path, problems)
    if descriptor is None:
        return False
    base = descriptor_path.parent
    root = root or base.parent
    resources = descriptor["resources"]
    catalog = catalog_from_descriptor(descriptor)
    if len(set(catalog.names)) != len(catalog.names):
        return False  # the row-by-row checks read every table of a repeated name
    parquet = {
        res["name"].removesuffix("-parquet"): res["path"]
        for res in resources
        if res.get("format") == "parquet" and res["name"].endswith("-parquet")
    }

    def as_listed(rel: str, data: bytes) -> bool:
        """The file's bytes are as long, and hash as, every resource of its path says."""
        digest = None
        for res in resources:
            if res["path"] != rel:
                continue
            if "bytes" in res and res["bytes"] != len(data):
                return False
            if "hash" in res:
                digest = digest or f"sha256:{sha256_hex(data)}"
                if res["hash"] != digest:
                    return False
        return True

    def listed(res: dict[str, Any]) -> bool:
        path = base / res["path"]
        return path.is_file() and as_listed(res["path"], path.read_bytes())

    def typed(table: Table) -> pa.Table | None:
        """The CSV as typed, checked against its Parquet file and its schema, each file read
        once, here, for its bytes and hash too, so that few are held at a time."""
        raw = (base / table.path).read_bytes()
        if not as_listed(table.path, raw):
            return None
        data = read_csv(table, raw)
        del raw
        if data is None or not (types_as_rules_read_them(table) and schema_sound(table, data)):
            return None
        if table.name in parquet:
            stored = (base / parquet[table.name]).read_bytes()
            if not (as_listed(parquet[table.name], stored) and parquet_matches(data, stored)):
                return None
        return data

    # Process data, two at a time (Arrow and hashlib let go of the GIL): the files no table
    # reads, then the tables, the source texts as soon as the sources table is read, and the
    # rules that read one row at a time on each table as soon as it is read and the texts are
    # there.
    read_by_tables = {t.path for t in catalog.tables} | set(parquet.values())
    others = [res for res in resources if res["path"] not in read_by_tables]
    with ThreadPoolExecutor(max_workers=2) as pool:
        if not all(pool.map(listed, others)):
            return False
        reading = {t.name: pool.submit(typed, t) for t in catalog.tables}
        sources = reading["sources"].result()
        if sources is None:
            return False
        rows = TableRows(catalog.table("sources"), sources.to_pylist())
        rows.origins = [_NOWHERE] * sources.num_rows
        texts = _source_texts(rows, root, problems)
        if problems:
            return False
        tables: Tables = {}
        checking = []
        for table in catalog.tables:
            data = reading[table.name].result()
            if data is None:
                return False
            tables[table.name] = data
            checking += [pool.submit(rule, table, data, texts) for rule in ROW_RULES]
        checking += [pool.submit(rule, catalog, tables, texts) for rule in CROSS_RULES]
        return all(f.result() for f in checking)


# Reading CSV -----------------------------------------------------------------------------------


def read_csv(table: Table, data: bytes) -> pa.Table | None:
    """The table typed as package.read_csv_table types it, or None when not sure.

    Arrow parses the file. Its parser and Python's csv.reader, which the row-by-row checks
    use, read the same cells from any file without carriage returns, NUL bytes, blank lines
    or fields over csv's size limit (test_synthetic.py compares the two on random input), so
    files with any of those are left to the row-by-row checks.
    """
    from eaeu_facts.publish import _csv_lines

    names = table.field_names
    header = _csv_lines([names])[0].encode("utf-8")
    if len(names) < 2 or not data.startswith(header) or b"\r" in data or b"\x00" in data:
        return None
    start = len(header)
    if data[start : start + 1] == b"\n" or data.find(b"\n\n", start) != -1:
        return None  # a blank line: a row of no cells for Python, of empty cells for Arrow
    if start == len(data):
        cells = pa.table({n: pa.array([], pa.string()) for n in names})
    else:
        cells = _parse(pa.py_buffer(data).slice(start), names)
        if cells is None:
            return None
    limit = csv.field_size_limit()
    for column in cells.columns:
        if len(column) and pc.max(pc.binary_length(column)).as_py() > limit:
            return None
    columns = []
    for f in table.fields:
        typed = _typed(f.type, cells.column(f.name))
        if typed is None:
            return None
        columns.append(typed)
    schema = pa.schema([pa.field(f.name, ARROW_TYPES[f.type]) for f in table.fields])
    return pa.Table.from_arrays(columns, schema=schema)


def _parse(body: pa.Buffer, names: list[str]) -> pa.Table | None:
    """Every cell as a string; None where Arrow cannot split the rows into these columns."""
    try:
        return pcsv.read_csv(
            pa.BufferReader(body),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid:
        return None


def _typed(kind: str, cells: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column typed by parse_cell's rules ('' is missing), or None if a cell breaks them."""
    empty = pc.equal(cells, "")
    present = pc.invert(empty)
    if kind == "string":
        return pc.if_else(empty, pa.scalar(None, pa.string()), cells)
    if kind == "boolean":
        if not _all(pc.is_in(cells, value_set=pa.array(["", "true", "false"]))):
            return None
        return pc.if_else(empty, pa.scalar(None, pa.bool_()), pc.equal(cells, "true"))
    pattern = CELL_PATTERNS.get(kind)
    if pattern is None or not _all(pc.match_substring_regex(cells, f"^(?:{pattern})?$")):
        return None
    if kind == "date":
        return _dates(cells, present)
    nulled = pc.if_else(present, cells, pa.scalar(None, pa.string()))
    return pc.cast(nulled, ARROW_TYPES[kind])


def _dates(cells: pa.ChunkedArray, present: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Dates read by date.fromisoformat, as parse_cell reads them, once per distinct value."""
    values = pc.unique(cells.filter(present)).to_pylist()
    try:
        dates = pa.array([dt.date.fromisoformat(v) for v in values], pa.date32())
    except ValueError:
        return None
    index = pc.index_in(cells, value_set=pa.array(values, pa.string()))
    return pa.chunked_array([pc.take(dates, index.combine_chunks())], pa.date32())


def parquet_matches(table: pa.Table, data: bytes) -> bool:
    """The Parquet file holds the CSV's rows in its order, with the same values and types."""
    parquet = pq.read_table(pa.BufferReader(data))
    if parquet.column_names != table.column_names or parquet.num_rows != table.num_rows:
        return False
    for name in table.column_names:
        ours, theirs = table.column(name), parquet.column(name)
        if ours.type != theirs.type or not ours.equals(theirs):
            return False
    return True


# Checking --------------------------------------------------------------------------------------


def tables_sound(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    """True only if validate.check_tables would find no problem in these typed tables."""
    for table in catalog.tables:
        if not (types_as_rules_read_them(table) and schema_sound(table, tables[table.name])):
            return False
    return all(rule(catalog, tables, texts) for rule in RULES)


def types_as_rules_read_them(table: Table) -> bool:
    """The rules test fields by truth ("not row.get(...)"); on text and dates that is the same
    as being missing, which is what the masks below test. Other types are left to the rules."""
    for f in table.fields:
        wanted = _RULE_TYPES.get(f.name) or (
            "string" if f.name.endswith(("_ar", "_en", "_id", "_basis", "_code")) else None
        )
        if wanted is not None and f.type != wanted:
            return False
    return True


_RULE_TYPES = {
    "hedge": "string",
    "period_start": "date",
    "period_end": "date",
    "date": "date",
    "published_date": "date",
    "char_start": "integer",
    "char_end": "integer",
    "amount": "integer",
    "value_pct": "number",
}


def schema_sound(table: Table, data: pa.Table) -> bool:
    """What the table's pandera schema checks (see schemas.to_pandera), column by column."""
    rows = data.num_rows
    if rows == 0:
        return True
    for f in table.fields:
        column = data.column(f.name)
        if f.required and column.null_count:
            return False
        if f.constraints.get("unique") and not _distinct(column, rows):
            return False
        if not _constraints_hold(f.type, f.constraints, column.drop_null()):
            return False
    key = list(table.primary_key)
    if len(key) > 1:
        if any(table.field(k).type == "number" for k in key):
            return False  # pandas and Arrow may disagree on whether -0.0 repeats 0.0
        return data.group_by(key).aggregate([]).num_rows == rows
    return True


def _distinct(column: pa.ChunkedArray, rows: int) -> bool:
    if pa.types.is_floating(column.type):
        return len(set(column.to_pylist())) == rows
    return pc.count_distinct(column, mode="all").as_py() == rows


def _constraints_hold(kind: str, c: dict[str, Any], values: pa.ChunkedArray) -> bool:
    if len(values) == 0:
        return True
    if "enum" in c:
        allowed = c["enum"]
        if not all(v in allowed for v in pc.unique(values).to_pylist()):
            return False
    if "pattern" in c and not _pattern_holds(c["pattern"], values):
        return False
    if "minimum" in c or "maximum" in c:
        if kind not in ("integer", "number"):
            return False
        low, high = (v.as_py() for v in pc.min_max(values).values())
        if ("minimum" in c and low < c["minimum"]) or ("maximum" in c and high > c["maximum"]):
            return False
    for key in ("minLength", "maxLength"):
        if key in c:
            if kind != "string":
                return False
            low, high = pc.min_max(pc.utf8_length(values)).values()
            bound = int(c[key])
            if (key == "minLength" and low.as_py() < bound) or (
                key == "maxLength" and high.as_py() > bound
            ):
                return False
    return True


def _pattern_holds(pattern: str, values: pa.ChunkedArray) -> bool:
    """Every value matches in full, as re.fullmatch; by RE2 when the pattern reads the same."""
    if pa.types.is_string(values.type) and _PORTABLE.fullmatch(pattern):
        inner = pattern.removeprefix("^").removesuffix("$")
        return _all(pc.match_substring_regex(values, f"^(?:{inner})$"))
    compiled = re.compile(pattern)
    return all(isinstance(v, str) and compiled.fullmatch(v) for v in pc.unique(values).to_pylist())


# The rules of rules.py, over whole columns -----------------------------------------------------


def _column(data: pa.Table, name: str) -> pa.ChunkedArray:
    """The column, or all missing where the table has no such field (as row.get gives None)."""
    if name in data.column_names:
        return data.column(name)
    return pa.chunked_array([pa.nulls(data.num_rows)])


def _is(data: pa.Table, name: str, value: str) -> pa.ChunkedArray:
    column = _column(data, name)
    if pa.types.is_null(column.type):
        return pa.chunked_array([pa.array([False] * data.num_rows)])
    return pc.fill_null(pc.equal(column, value), False)


def _none(data: pa.Table, name: str) -> pa.ChunkedArray:
    return pc.is_null(_column(data, name))


def _any(mask: Any) -> bool:
    return bool(pc.any(mask).as_py())


def _all(mask: Any) -> bool:
    """True for no rows at all, as a loop over no rows finds nothing."""
    return bool(pc.all(mask, min_count=0).as_py())


def foreign_keys(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    for table in catalog.tables:
        data = tables[table.name]
        for fk in table.foreign_keys:
            target = tables[fk.resource]
            if len(fk.fields) == 1:
                values = data.column(fk.fields[0]).drop_null()
                keys = pc.unique(target.column(fk.reference_fields[0]))
                if len(values) and not _all(pc.is_in(values, value_set=keys)):
                    return False
                continue
            present = data.select(list(fk.fields)).drop_null()
            wanted = target.select(list(fk.reference_fields)).group_by(list(fk.reference_fields))
            missing = present.join(
                wanted.aggregate([]),
                keys=list(fk.fields),
                right_keys=list(fk.reference_fields),
                join_type="left anti",
            )
            if missing.num_rows:
                return False
    return True


def _provenance(catalog: Catalog, tables: Tables) -> list[tuple[Table, pa.Table]]:
    return [(t, tables[t.name]) for t in catalog.tables if t.has_provenance]


def evidence_spans(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    return all(_spans_hold(t, data, texts) for t, data in _provenance(catalog, tables))


def _spans_hold(table: Table, data: pa.Table, texts: dict[str, str]) -> bool:
    return _row_local(table, data, texts, words=False)


def printed_words(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    return all(_words_printed(t, data, texts) for t, data in _provenance(catalog, tables))


def _words_printed(table: Table, data: pa.Table, texts: dict[str, str]) -> bool:
    return _row_local(table, data, texts, spans=False)


def _row_local(
    table: Table, data: pa.Table, texts: dict[str, str], spans: bool = True, words: bool = True
) -> bool:
    """evidence_spans and printed_words on one table, reading its evidence into Python once.

    Spans: text[char_start:char_end] == evidence_ar, bounds by Arrow, slices by C-level maps.
    Words: Arabic words as printed stand in the source; inside the row's evidence proves it
    once the spans hold, and the few words outside their evidence are sought in the text.
    """
    if not table.has_provenance:
        return True
    keys = list(texts)
    index = pc.index_in(data.column("source_id"), value_set=pa.array(keys, pa.string()))
    start, end = data.column("char_start"), data.column("char_end")
    located = pc.and_(pc.is_valid(start), pc.is_valid(end))
    evidence = data.column("evidence_ar").to_pylist()
    if spans:
        placed = pc.and_(pc.and_(pc.is_valid(index), located), pc.is_valid(data["evidence_ar"]))
        index, start, end = index.filter(placed), start.filter(placed), end.filter(placed)
        lengths = pc.take(pa.array([len(texts[k]) for k in keys], pa.int64()), index)
        ordered = pc.and_(pc.greater_equal(start, 0), pc.less(start, end))
        if not _all(pc.and_(ordered, pc.less_equal(end, lengths))):
            return False
        sources = map(texts.__getitem__, map(keys.__getitem__, index.to_pylist()))
        cut = map(operator.getitem, sources, map(slice, start.to_pylist(), end.to_pylist()))
        if list(cut) != list(compress(evidence, placed.to_pylist())):
            return False
    if not words:
        return True
    skip = ("evidence_ar", *NOT_PRINTED.get(table.name, ()))
    around = [e if ok else None for e, ok in zip(evidence, located.to_pylist(), strict=True)]
    for name in (n for n in table.field_names if n.endswith("_ar") and n not in skip):
        column = data.column(name)
        if column.null_count == len(column):
            continue
        present = pc.is_valid(column).to_pylist()
        printed = column.filter(pc.is_valid(column)).to_pylist()
        inside = list(map(operator.contains, (e or "" for e in compress(around, present)), printed))
        if all(inside):
            continue
        ids = compress(data.column("source_id").to_pylist(), present)
        for source_id, word, found in zip(ids, printed, inside, strict=True):
            text = None if found else texts.get(source_id)
            if text is not None and word not in text:
                return False
    return True


def derived_text(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    if "quotes" not in tables:
        return True
    data = tables["quotes"]
    a, b = _column(data, "text_ar"), _column(data, "evidence_ar")
    if pa.types.is_null(a.type) or pa.types.is_null(b.type):
        return a.null_count == len(a) and b.null_count == len(b)
    differ = pc.fill_null(pc.not_equal(a, b), False)
    one_missing = pc.xor(pc.is_null(a), pc.is_null(b))
    return not _any(differ) and not _any(one_missing)


def iso_codes(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    if "countries" in tables:
        for code in pc.unique(_column(tables["countries"], "country_code")).to_pylist():
            if code and pycountry.countries.get(alpha_2=code) is None:
                return False
    for table in catalog.tables:
        if "currency_code" in table.field_names:
            for code in pc.unique(tables[table.name].column("currency_code")).to_pylist():
                if code and pycountry.currencies.get(alpha_3=code) is None:
                    return False
    return True


def speakers_took_part(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    pair = ["meeting_id", "person_id"]
    present = tables["participants"].select(pair).group_by(pair).aggregate([])
    for table in catalog.tables:
        names = table.field_names
        person = next((n for n in ("speaker_person_id", "stated_by_person_id") if n in names), None)
        if person is None or "meeting_id" not in names:
            continue
        said = tables[table.name].select(["meeting_id", person]).drop_null()
        missing = said.rename_columns(pair).join(present, keys=pair, join_type="left anti")
        if missing.num_rows:
            return False
    return True


def within_quote(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    """Each row is joined to its quotation: its span lies inside, and its speaker says it."""
    q = tables["quotes"]
    ids = q.column("quote_id")
    if ids.null_count or pc.count_distinct(ids).as_py() != q.num_rows:
        return False  # the rule looks quotations up by id, the last of a repeated one winning
    fields = ["quote_id", "source_id", "char_start", "char_end", "speaker_person_id"]
    quotes = q.select(fields).rename_columns(["quote_id", "q_source", "q_start", "q_end", "q_who"])
    for table in catalog.tables:
        if "quote_id" not in table.field_names or table.name == "quotes":
            continue
        data = tables[table.name]
        rows = pa.table(
            {
                "quote_id": data.column("quote_id"),
                "source_id": data.column("source_id"),
                "char_start": data.column("char_start"),
                "char_end": data.column("char_end"),
                "who": _column(data, "stated_by_person_id").cast(pa.string()),
            }
        ).filter(pc.is_valid(data.column("quote_id")))
        both = rows.join(quotes, keys="quote_id", join_type="inner")
        spans = [both.column(n) for n in ("q_start", "q_end", "char_start", "char_end")]
        placed = pc.and_(
            pc.and_(pc.is_valid(spans[0]), pc.is_valid(spans[1])),
            pc.and_(pc.is_valid(spans[2]), pc.is_valid(spans[3])),
        )
        source, q_source = both.column("source_id"), both.column("q_source")
        same = pc.or_(
            pc.fill_null(pc.equal(source, q_source), False),
            pc.and_(pc.is_null(source), pc.is_null(q_source)),
        )
        inside = pc.and_(
            same, pc.and_(pc.less_equal(spans[0], spans[2]), pc.less_equal(spans[3], spans[1]))
        )
        if _any(pc.and_(placed, pc.invert(pc.fill_null(inside, False)))):
            return False
        who = both.column("who")
        if _any(pc.and_(pc.is_valid(who), pc.fill_null(pc.not_equal(who, both["q_who"]), True))):
            return False
    return True


def periods_and_dates(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    for table in catalog.tables:
        data = tables[table.name]
        names = table.field_names
        if data.num_rows == 0:
            continue
        bad = []
        if "period_basis" in names:
            period = ("period_start", "period_end")
            bad += _basis(data, "period_basis", period, "period_as_printed_ar")
            start, end = _column(data, "period_start"), _column(data, "period_end")
            if not (pa.types.is_null(start.type) or pa.types.is_null(end.type)):
                bad.append(pc.fill_null(pc.less(end, start), False))
        if "date_basis" in names:
            bad += _basis(data, "date_basis", ("date",), "date_as_printed_ar")
        if "published_date_basis" in names:
            bad += _basis(
                data,
                "published_date_basis",
                ("published_date",),
                "published_date_as_printed_ar",
                "published_date_note_en",
            )
        for basis in ("place_basis", "participation_basis", "currency_basis"):
            bad.append(pc.and_(_is(data, basis, "inferred"), _none(data, "note_en")))
        bad.append(pc.and_(_is(data, "place_basis", "stated"), _none(data, "place_as_printed_ar")))
        if any(_any(mask) for mask in bad):
            return False
    return True


def _basis(
    data: pa.Table,
    basis: str,
    values: tuple[str, ...],
    printed: str,
    note: str = "note_en",
) -> list[Any]:
    """The rows rules._check_basis would report, as masks."""
    filled = [pc.is_valid(_column(data, v)) for v in values]
    all_filled, any_filled = filled[0], filled[0]
    for mask in filled[1:]:
        all_filled, any_filled = pc.and_(all_filled, mask), pc.or_(any_filled, mask)
    stated, relative = _is(data, basis, "stated"), _is(data, basis, "relative")
    no_printed = _none(data, printed)
    return [
        pc.and_(stated, no_printed),
        pc.and_(stated, pc.invert(all_filled)),
        pc.and_(relative, no_printed),
        pc.and_(_is(data, basis, "inferred"), _none(data, note)),
        pc.and_(pc.or_(_is(data, basis, "open"), relative), any_filled),
    ]


def figures(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    for table in catalog.tables:
        if "hedge" not in table.field_names:
            continue
        data = tables[table.name]
        hedge, printed = _column(data, "hedge"), _column(data, "hedge_as_printed_ar")
        exactly = _is(data, "hedge", "exactly")
        if _any(pc.and_(exactly, pc.is_valid(printed))):
            return False
        if _any(pc.and_(pc.and_(pc.is_valid(hedge), pc.invert(exactly)), pc.is_null(printed))):
            return False
        evidence = _column(data, "evidence_ar")
        if pa.types.is_null(evidence.type) or pa.types.is_null(printed.type):
            continue
        pairs = pa.table({"words": printed, "evidence": evidence}).drop_null().to_pydict()
        for words, text in zip(pairs["words"], pairs["evidence"], strict=True):
            if words not in text:
                return False
    for name, a, b in (
        ("trade", "country_a_code", "country_b_code"),
        ("investment", "investor_country_code", "recipient_country_code"),
    ):
        if name in tables and tables[name].num_rows:
            data = tables[name]
            if _any(pc.fill_null(pc.equal(_column(data, a), _column(data, b)), False)):
                return False
    if "indicators" in tables and tables["indicators"].num_rows:
        data = tables["indicators"]
        org = pc.is_valid(_column(data, "area_organization_id"))
        country = pc.is_valid(_column(data, "area_country_code"))
        if _any(pc.equal(org, country)):
            return False
    return True


def printed_figures(catalog: Catalog, tables: Tables, texts: dict[str, str]) -> bool:
    """Each figure as printed, read by the rule's own functions, once per distinct row."""
    checks = (
        ("amount_as_printed_ar", ("amount", "currency_code", "currency_basis"), _check_amount),
        ("value_as_printed_ar", ("value_pct",), _check_percent),
    )
    for table in catalog.tables:
        data = tables[table.name]
        for printed, others, check in checks:
            if printed not in table.field_names:
                continue
            present = data.filter(pc.is_valid(data.column(printed)))
            names = [printed, *(n for n in others if n in present.column_names)]
            distinct = present.select(names).group_by(names).aggregate([])
            for row in distinct.to_pylist():
                problems = Problems()
                check(row, _NOWHERE, problems)
                if problems:
                    return False
    return True


RULES = (
    foreign_keys,
    evidence_spans,
    printed_words,
    derived_text,
    iso_codes,
    speakers_took_part,
    within_quote,
    periods_and_dates,
    figures,
    printed_figures,
)
# Rules over one table at a time, run while other tables are read (_row_local does both
# evidence_spans and printed_words, reading the evidence once); then the rest, on all tables.
ROW_RULES = (_row_local,)
CROSS_RULES = tuple(r for r in RULES if r not in (evidence_spans, printed_words))
