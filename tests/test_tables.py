"""Typing curated values: exact types, real dates, and which values could not be read."""

import datetime as dt
from pathlib import Path

import pytest

from eaeu_facts.errors import Problems
from eaeu_facts.schemas import load_catalog
from eaeu_facts.seeds import load_seeds
from eaeu_facts.tables import build_tables, coerce, parse_date
from tests.conftest import MINI_FACTS, REPO
from tests.tampering import make_project, replace

CATALOG = load_catalog(REPO)


@pytest.mark.parametrize("value", ["2025-02-28", "2024-02-29"])
def test_real_dates_are_read(value: str) -> None:
    assert parse_date(value) == dt.date.fromisoformat(value)


@pytest.mark.parametrize("value", ["2025-02-29", "2025-13-01", "2025-2-3", "20250131", 20250131])
def test_dates_that_do_not_exist_or_are_written_otherwise_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="a date that exists, written YYYY-MM-DD"):
        parse_date(value)


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("trade", "amount", 5.0),
        ("trade", "amount", True),
        ("trade", "amount", "5"),
        ("indicators", "value_pct", float("nan")),
        ("indicators", "value_pct", "4"),
        ("quotes", "has_nested_quotation", "false"),
        ("people", "name_en", ["a", "b"]),
    ],
)
def test_values_of_another_type_are_refused(table: str, field: str, value: object) -> None:
    with pytest.raises(ValueError):
        coerce(CATALOG.table(table).field(field), value)


def _tables(root: Path) -> dict:
    problems = Problems()
    catalog = load_catalog(root)
    return build_tables(catalog, load_seeds(root, catalog.names, problems), problems)


def test_values_that_cannot_be_read_are_marked_unknown(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    replace(root, MINI_FACTS, "amount: 5000000000", "amount: five")
    replace(root, MINI_FACTS, "evidence: ليلى حسن", "evidence: ليلى حسين")
    replace(root, MINI_FACTS, "    hedge_as_printed_ar: نحو\n", "")
    tables = _tables(root)
    trade = dict(
        zip((r["trade_id"] for r in tables["trade"].rows), tables["trade"].unknown, strict=True)
    )
    assert trade == {"trade-kz-ru-actual": frozenset(), "trade-kz-ru-target": {"amount"}}
    people = dict(
        zip((r["person_id"] for r in tables["people"].rows), tables["people"].unknown, strict=True)
    )
    assert people["person-layla-hassan"] == {"char_start", "char_end", "evidence_ar"}
    assert people["person-sami-nader"] == frozenset()
    [layla] = [r for r in tables["people"].rows if r["person_id"] == "person-layla-hassan"]
    assert layla["source_id"] == "src-0123456789abcdef" and layla["char_start"] is None
