"""Cross-row rules on hand-made rows: figures as printed, and silence on values not read."""

from __future__ import annotations

from typing import Any

import pytest

from eaeu_facts.errors import Problems
from eaeu_facts.rules import check_rules, foreign_keys, printed_figures, within_quote
from eaeu_facts.schemas import load_catalog
from eaeu_facts.seeds import Origin
from eaeu_facts.tables import TableRows
from tests.conftest import REPO

CATALOG = load_catalog(REPO)
TEXT = "قال الوزير إن التجارة بلغت نحو 2 مليار دولار وإن النمو بلغ بنحو 4%."
SOURCE = "src-0000000000000001"


def tables(**rows: list[dict[str, Any]]) -> dict[str, TableRows]:
    """Every table, empty but for the rows given (each row completed with None)."""
    out = {t.name: TableRows(t) for t in CATALOG.tables}
    for name, items in rows.items():
        for i, row in enumerate(items, start=1):
            unknown = frozenset(row.pop("_unknown", ()))
            full = {f: row.get(f) for f in out[name].table.field_names}
            out[name].append(full, Origin(f"{name}.yaml", i), unknown)
    return out


def trade(**values: Any) -> dict[str, Any]:
    base = {
        "amount": 2_000_000_000,
        "currency_code": "USD",
        "currency_basis": "inferred",
        "amount_as_printed_ar": "2 مليار دولار",
        "source_id": SOURCE,
    }
    return {**base, **values}


def report(rule: Any, data: dict[str, TableRows]) -> list[str]:
    problems = Problems()
    rule(data, {SOURCE: TEXT}, problems)
    return problems.lines()


def test_a_figure_as_printed_passes() -> None:
    indicator = {"value_pct": 4.0, "value_as_printed_ar": "بنحو 4%", "source_id": SOURCE}
    assert report(printed_figures, tables(trade=[trade()], indicators=[indicator])) == []


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ({"amount": 20_000_000_000}, "amount: found 20000000000, expected 2000000000 as printed"),
        ({"currency_code": "RUB"}, "currency_code: found 'RUB', expected USD as printed"),
        ({"currency_basis": "stated"}, "currency_basis: found 'stated', expected inferred: "),
        (
            {"amount_as_printed_ar": "2,0 مليار دولار"},
            "amount_as_printed_ar: found '2,0 مليار دولار', expected digits the parser accepts",
        ),
    ],
    ids=["amount", "currency", "basis", "digits"],
)
def test_a_figure_unlike_its_printed_words_is_reported(values: dict, line: str) -> None:
    [reported] = report(printed_figures, tables(trade=[trade(**values)]))
    assert reported.startswith(f"trade.yaml:1: {line}")


def test_an_explicit_currency_said_to_be_inferred_is_reported() -> None:
    row = trade(amount_as_printed_ar="2 مليار دولار أمريكي")
    [line] = report(printed_figures, tables(trade=[row]))
    assert "currency_basis: found 'inferred', expected stated: '2 مليار دولار أمريكي' names" in line


def test_a_reference_to_a_row_whose_key_was_not_read_is_not_reported() -> None:
    person = {"person_id": None, "_unknown": {"person_id"}}
    data = tables(people=[person], trade=[trade(stated_by_person_id="person-x")])
    assert [line for line in report(foreign_keys, data) if "stated_by" in line] == []
    data = tables(people=[{"person_id": "person-y"}], trade=[trade(stated_by_person_id="person-x")])
    assert any(
        "stated_by_person_id: found 'person-x'" in line for line in report(foreign_keys, data)
    )


def test_rules_on_rows_with_missing_offsets_do_not_fail() -> None:
    quote = {"quote_id": "quote-q", "speaker_person_id": "person-x", "source_id": SOURCE}
    data = tables(quotes=[quote], trade=[trade(quote_id="quote-q", char_start=3, char_end=9)])
    assert report(within_quote, data) == []
    problems = Problems()
    check_rules(data, {}, problems)  # no source text at all: nothing to compare, no crash


def test_cross_table_rules_are_skipped_when_rows_may_be_missing() -> None:
    data = tables(trade=[trade(stated_by_person_id="person-x")])
    problems = Problems()
    check_rules(data, {SOURCE: TEXT}, problems, cross=False)
    assert not [line for line in problems.lines() if "an existing" in line]
    check_rules(data, {SOURCE: TEXT}, problems, cross=True)
    assert [line for line in problems.lines() if "an existing person_id" in line]
