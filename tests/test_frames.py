"""The one table type and the one CSV form: what is written reads back the same, numbers are
written as Python writes them, and the sort is the primary key's, missing values first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import (
    HIDDEN,
    LINE,
    PATH,
    UNIT,
    data,
    empty,
    format_value,
    from_rows,
    sort,
    to_arrow,
    to_csv,
)
from eaeu_facts.model.schemas import Field, Table
from eaeu_facts.read.package import read_csv
from eaeu_facts.read.rows import Cell

TYPES = ("string", "integer", "number", "boolean", "date")
TABLE = Table(
    name="probe",
    title="Probe",
    description="A table with a field of every type.",
    kind="fact",
    order=0,
    fields=(
        Field("key", "string", "Key", "First part of the key.", {}),
        Field("seq", "integer", "Sequence", "Second part of the key.", {}),
        *(Field(f"a_{t}", t, t, f"A {t}.", {}) for t in TYPES),
        *(Field(f"b_{t}", t, t, f"Another {t}.", {}) for t in TYPES),
    ),
    primary_key=("key", "seq"),
    foreign_keys=(),
    path="schemas/probe.yaml",
)

# Strings as sources print them: CSV's own characters, both line ends, Arabic, spaces at
# either end. Never empty: the build reads an empty value as missing and so never writes one.
strings = st.text(
    st.one_of(
        st.sampled_from(['"', ",", "\n", "\r", " ", "\t", "ع", "ر", "٫", "\u200f", "'"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
)
# Every finite float, with the tiny and huge magnitudes polars would write otherwise.
numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([5e-324, 2.2250738585072014e-308, 1e-5, 1e16, 1.7976931348623157e308]),
)
VALUES = {
    "string": strings,
    "integer": st.integers(-(2**63), 2**63 - 1),
    "number": numbers,
    "boolean": st.booleans(),
    "date": st.dates(),
}


def rows() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of TABLE, every value possibly missing."""
    row = st.fixed_dictionaries({f.name: st.none() | VALUES[f.type] for f in TABLE.fields})
    return st.lists(row, max_size=8)


def frame_of(items: list[dict[str, Any]]) -> pl.DataFrame:
    located = [{**r, PATH: "probe.yaml", LINE: i, UNIT: "u"} for i, r in enumerate(items, 1)]
    return from_rows(TABLE, located)


@settings(max_examples=300, deadline=None)
@given(rows())
@example([{f.name: None for f in TABLE.fields}])
@example([{"a_string": " \r\n ", "b_string": '"', "a_number": -0.0, "a_date": dt.date(1, 1, 1)}])
def test_a_written_table_reads_back_the_same(items: list[dict[str, Any]]) -> None:
    frame = frame_of([{**dict.fromkeys(TABLE.field_names), **r} for r in items])
    written = to_csv(TABLE, frame)
    problems, unread = Problems(), set[Cell]()
    back = read_csv(TABLE, written, "probe.csv", problems, unread)
    assert problems.lines() == [] and unread == set()
    assert back is not None
    assert data(TABLE, back).equals(data(TABLE, frame)), written
    # Each row is told where it was read: the header is line 1, the rows follow.
    assert back[LINE].to_list() == list(range(2, frame.height + 2))
    assert back[PATH].to_list() == ["probe.csv"] * frame.height


NUMBER = Table(
    "numbers",
    "Numbers",
    "One number column.",
    "fact",
    0,
    (Field("n", "number", "N", "A number.", {}),),
    (),
    (),
    "schemas/numbers.yaml",
)


@settings(max_examples=500)
@given(st.lists(st.none() | numbers, min_size=1, max_size=20))
@example([0.0001, 0.00009999999999999999, 1e16, 9999999999999998.0, -0.0, 0.1, 1e22, 123.0])
def test_numbers_are_written_as_python_writes_them(values: list[float | None]) -> None:
    frame = pl.DataFrame({"n": values}, schema=NUMBER.dtypes)
    lines = to_csv(NUMBER, frame).decode("utf-8").split("\n")
    assert lines == ["n", *(format_value(v) for v in values), ""]
    assert all(format_value(v) == repr(v) for v in values if v is not None)


PLAIN = Table(
    "plain",
    "Plain",
    "The fields whose cells never need quotes.",
    "fact",
    0,
    tuple(f for f in TABLE.fields if f.type != "string"),
    ("seq",),
    (),
    "schemas/plain.yaml",
)


@given(rows())
def test_other_values_are_written_as_format_value_gives_them(items: list[dict]) -> None:
    frame = pl.DataFrame(items, schema=TABLE.dtypes).select(PLAIN.field_names)
    lines = to_csv(PLAIN, frame).decode("utf-8").split("\n")
    assert lines == [
        ",".join(PLAIN.field_names),
        *(",".join(map(format_value, row)) for row in frame.iter_rows()),
        "",
    ]


keys = st.lists(
    st.tuples(
        st.none() | st.sampled_from(["", "a", "b", "B", "ب", "a\u0301", "é"]),
        st.none() | st.integers(-2, 2),
    ),
    max_size=20,
)


@given(keys)
@example([("b", 1), (None, 2), ("a", None), ("a", 1), (None, None), ("a", 1)])
def test_sort_is_by_key_missing_first_and_stable(
    pairs: list[tuple[str | None, int | None]],
) -> None:
    items = [
        {**dict.fromkeys(TABLE.field_names), "key": k, "seq": s, "a_integer": i}
        for i, (k, s) in enumerate(pairs)
    ]

    def order(row: dict[str, Any]) -> tuple:
        """Missing before any value, strings by code point; ties keep the input order."""
        k, s = row["key"], row["seq"]
        return (k is not None, k or "", s is not None, s or 0)

    expected = [r["a_integer"] for r in sorted(items, key=order)]
    assert sort(TABLE, frame_of(items))["a_integer"].to_list() == expected


def test_a_table_without_a_key_keeps_its_order() -> None:
    table = Table("t", "T", "d", "fact", 0, (TABLE.field("key"),), (), (), "t")
    frame = from_rows(table, [{"key": k, PATH: "t", LINE: 1, UNIT: "u"} for k in "cab"])
    assert sort(table, frame)["key"].to_list() == ["c", "a", "b"]


def test_frames_hold_the_schema_columns_then_the_hidden_ones() -> None:
    columns = [*TABLE.field_names, *HIDDEN]
    assert empty(TABLE).columns == columns and empty(TABLE).height == 0
    assert from_rows(TABLE, []).schema == empty(TABLE).schema
    frame = frame_of([dict.fromkeys(TABLE.field_names)])
    assert frame.columns == columns
    assert data(TABLE, frame).columns == TABLE.field_names


def test_the_arrow_table_is_typed_and_described_by_the_schema() -> None:
    table = Table(
        "t",
        "T",
        "About t.",
        "fact",
        0,
        (Field("k", "string", "K", "The key.", {"required": True}), TABLE.field("a_date")),
        ("k",),
        (),
        "t",
    )
    frame = from_rows(table, [{"k": "x", "a_date": None, PATH: "t", LINE: 1, UNIT: "u"}])
    arrow = to_arrow(table, frame)
    assert arrow.schema.names == ["k", "a_date"]
    assert not arrow.schema.field("k").nullable and arrow.schema.field("a_date").nullable
    assert arrow.schema.field("k").metadata == {b"title": b"K", b"description": b"The key."}
    assert str(arrow.schema.field("a_date").type) == "date32[day]"
    assert arrow.column("k").num_chunks == 1


def test_format_value_writes_each_type_as_a_csv_cell() -> None:
    assert [
        format_value(v)
        for v in (None, True, False, dt.date(2025, 1, 31), 0.1, 1e22, -0.0, 27000000000, "x")
    ] == ["", "true", "false", "2025-01-31", "0.1", "1e+22", "-0.0", "27000000000", "x"]
