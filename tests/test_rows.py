"""Typing curated values into rows: exact types, real dates, and which values could not be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH, UNIT
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.read.rows import Cell, coerce, entry_row, parse_date
from eaeu_facts.read.seeds import Entry, Origin
from eaeu_facts.read.units import Read, find_units, read_unit
from tests.helpers import MINI_FACTS, REPO, line_of, make_project, replace

CATALOG = load_catalog(REPO)
MINI_UNIT = "sources/001_0123456789abcdef"


@pytest.mark.parametrize("value", ["2025-02-28", "2024-02-29"])
def test_real_dates_are_read(value: str) -> None:
    assert parse_date(value) == dt.date.fromisoformat(value)


@pytest.mark.parametrize("value", ["2025-02-29", "2025-13-01", "2025-2-3", "20250131", 20250131])
def test_dates_that_do_not_exist_or_are_written_otherwise_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="a date that exists, written YYYY-MM-DD"):
        parse_date(value)


@pytest.mark.parametrize(
    ("table", "field", "value", "typed"),
    [
        ("trade", "amount", 5, 5),
        ("trade", "amount", 2**63 - 1, 2**63 - 1),
        ("indicators", "value_pct", 4, 4.0),
        ("indicators", "value_pct", 4.5, 4.5),
        ("quotes", "has_nested_quotation", False, False),
        ("meetings", "date", "2025-01-31", dt.date(2025, 1, 31)),
        ("people", "name_en", "", None),
        ("people", "name_en", None, None),
    ],
)
def test_values_of_the_schema_type_are_read(
    table: str, field: str, value: object, typed: object
) -> None:
    out = coerce(CATALOG.table(table).field(field), value)
    assert out == typed and type(out) is type(typed)


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("trade", "amount", 5.0),
        ("trade", "amount", True),
        ("trade", "amount", "5"),
        ("trade", "amount", 2**63),
        ("indicators", "value_pct", float("nan")),
        ("indicators", "value_pct", float("inf")),
        ("indicators", "value_pct", 10**400),
        ("indicators", "value_pct", "4"),
        ("quotes", "has_nested_quotation", "false"),
        ("people", "name_en", ["a", "b"]),
        ("people", "name_en", 5),
    ],
)
def test_values_of_another_type_are_refused(table: str, field: str, value: object) -> None:
    """A 64-bit whole number is what every table type of the build holds; nothing is rounded."""
    with pytest.raises(ValueError):
        coerce(CATALOG.table(table).field(field), value)


def _read(root: Path) -> Read:
    units, problems = find_units(root)
    assert not problems
    [unit] = [u for u in units if u.name == MINI_UNIT]
    return read_unit(root, load_catalog(root), unit)


def test_values_that_cannot_be_read_are_reported_once_and_marked_unread(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    replace(root, MINI_FACTS, "amount: 5000000000", "amount: five")
    replace(root, MINI_FACTS, "evidence: ليلى حسن", "evidence: ليلى حسين")
    replace(root, MINI_FACTS, "    hedge_as_printed_ar: نحو\n", "")
    read = _read(root)
    target = line_of(root, MINI_FACTS, "trade_id: trade-kz-ru-target")
    layla = line_of(root, MINI_FACTS, "person_id: person-layla-hassan")
    assert read.unread == {
        ("trade", MINI_FACTS, target, "amount"),
        ("people", MINI_FACTS, layla, "char_start"),
        ("people", MINI_FACTS, layla, "char_end"),
        ("people", MINI_FACTS, layla, "evidence_ar"),
    }
    amount, evidence = line_of(root, MINI_FACTS, "five"), line_of(root, MINI_FACTS, "ليلى حسين")
    assert read.problems.lines() == [
        f"{MINI_FACTS}:{evidence}: evidence: found <no occurrence of 'ليلى حسين' in "
        "seeds/sources/001_0123456789abcdef.txt>, expected the evidence verbatim in the "
        "source text",
        f"{MINI_FACTS}:{amount}: amount: found 'five', expected a whole number written with "
        "digits only",
    ]
    people = {r["person_id"]: r for r in read.rows["people"]}
    assert people["person-layla-hassan"]["source_id"] == "src-0123456789abcdef"
    assert people["person-layla-hassan"]["char_start"] is None
    assert people["person-sami-nader"]["char_start"] is not None
    trade = {r["trade_id"]: r for r in read.rows["trade"]}
    assert trade["trade-kz-ru-target"]["amount"] is None
    # A value left out is missing, not unreadable: the checks of whole tables report it.
    assert trade["trade-kz-ru-actual"]["hedge_as_printed_ar"] is None
    assert not any(cell[3] == "hedge_as_printed_ar" for cell in read.unread)


def test_a_row_carries_every_field_in_order_and_where_it_was_written() -> None:
    table = CATALOG.table("countries")
    entry = Entry("countries", {"country_code": "KZ", "name_en": "Kazakhstan"}, Origin("c.yaml", 3))
    problems, unread = Problems(), set[Cell]()
    row = entry_row(table, entry, None, "reference/countries", problems, unread)
    assert list(row) == [*table.field_names, PATH, LINE, UNIT]
    assert row["country_code"] == "KZ" and row["name_ar"] is None
    assert (row[PATH], row[LINE], row[UNIT]) == ("c.yaml", 3, "reference/countries")
    # A required value not given is left to the schema check (one report, at the same line).
    assert not problems and not unread


def test_an_unknown_key_is_reported_at_its_line() -> None:
    table = CATALOG.table("countries")
    origin = Origin("c.yaml", 3, {"country_code": 3, "colour": 5})
    entry = Entry("countries", {"country_code": "KZ", "colour": "blue"}, origin)
    problems = Problems()
    entry_row(table, entry, None, "reference/countries", problems, set())
    [line] = problems.lines()
    assert line.startswith("c.yaml:5: colour: found 'an unknown field', expected one of ")
    assert "country_code" in line
