"""Cross-row rules on hand-made frames: figures as printed, and silence on values not read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from eaeu_facts.check.findings import Finding
from eaeu_facts.check.rules import (
    RULES,
    Tables,
    evidence_spans,
    foreign_keys,
    printed_figures,
    within_quote,
)
from eaeu_facts.check.tables import check_tables
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import LINE, PATH, UNIT, from_rows
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.read.rows import Cell
from tests.helpers import REPO

CATALOG = load_catalog(REPO)
TEXT = "قال الوزير إن التجارة بلغت نحو 2 مليار دولار وإن النمو بلغ بنحو 4%."
SOURCE = "src-0000000000000001"


def tables(
    unread: Iterable[Cell] = (), texts: dict[str, str] | None = None, **rows: list[dict[str, Any]]
) -> Tables:
    """Every table, empty but for the rows given (each completed with None and written at
    line i of NAME.yaml)."""
    frames = {}
    for table in CATALOG.tables:
        items = [
            {
                **dict.fromkeys(table.field_names),
                **row,
                PATH: f"{table.name}.yaml",
                LINE: i,
                UNIT: "test",
            }
            for i, row in enumerate(rows.get(table.name, []), start=1)
        ]
        frames[table.name] = from_rows(table, items)
    texts = {SOURCE: TEXT} if texts is None else texts
    return Tables(CATALOG, frames, texts, frozenset(unread))


def trade(**values: Any) -> dict[str, Any]:
    base = {
        "trade_id": "trade-x",
        "amount": 2_000_000_000,
        "currency_code": "USD",
        "currency_basis": "inferred",
        "amount_as_printed_ar": "2 مليار دولار",
        "source_id": SOURCE,
    }
    return {**base, **values}


def lines(found: Iterable[Finding]) -> list[str]:
    """The findings as the build reports them (their files here do not exist, so each stays
    at the line of its entry)."""
    problems = Problems()
    for f in found:
        problems.add(f.path, f.line, f.field, f.found, f.expected)
    return problems.lines()


def test_a_figure_as_printed_passes() -> None:
    indicator = {"value_pct": 4.0, "value_as_printed_ar": "بنحو 4%", "source_id": SOURCE}
    assert lines(printed_figures(tables(trade=[trade()], indicators=[indicator]))) == []


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
    [reported] = lines(printed_figures(tables(trade=[trade(**values)])))
    assert reported.startswith(f"trade.yaml:1: {line}")


def test_a_bare_currency_word_may_be_read_as_another_currency_of_that_name() -> None:
    """«ريال» in a Tehran report is the Iranian rial, inferred; never a currency of another name."""
    rial = trade(amount_as_printed_ar="2 مليار ريال", currency_code="IRR")
    assert lines(printed_figures(tables(trade=[rial]))) == []
    [line] = lines(printed_figures(tables(trade=[{**rial, "currency_code": "EUR"}])))
    assert "expected SAR as printed in '2 مليار ريال', or another it may mean (" in line


def test_a_percentage_unlike_its_printed_words_is_reported() -> None:
    indicator = {"value_pct": 4.5, "value_as_printed_ar": "بنحو 4%", "source_id": SOURCE}
    assert lines(printed_figures(tables(indicators=[indicator]))) == [
        "indicators.yaml:1: value_pct: found 4.5, expected 4 as printed in 'بنحو 4%'"
    ]


def test_an_explicit_currency_said_to_be_inferred_is_reported() -> None:
    row = trade(amount_as_printed_ar="2 مليار دولار أمريكي")
    [line] = lines(printed_figures(tables(trade=[row])))
    assert "currency_basis: found 'inferred', expected stated: '2 مليار دولار أمريكي' names" in line


def test_a_reference_to_a_row_whose_key_was_not_read_is_not_reported() -> None:
    """The unread key may be the one the reference means: reporting it would be an echo."""
    stated = trade(stated_by_person_id="person-x")
    unread = {("people", "people.yaml", 1, "person_id")}
    data = tables(unread, people=[{"person_id": None}], trade=[stated])
    assert [f for f in foreign_keys(data) if f.field == "stated_by_person_id"] == []
    data = tables(people=[{"person_id": "person-y"}], trade=[stated])
    assert [
        (f.table, f.line, f.found) for f in foreign_keys(data) if f.field == "stated_by_person_id"
    ] == [("trade", 1, "person-x")]


def test_every_unresolved_reference_of_a_row_is_reported_once() -> None:
    data = tables(trade=[trade(country_a_code="KZ", country_b_code="RU")])
    found = sorted((f.field, f.found) for f in foreign_keys(data) if f.table == "trade")
    assert found == [
        ("country_a_code", "KZ"),
        ("country_b_code", "RU"),
        ("source_id", SOURCE),
    ]


def test_rules_on_rows_with_missing_offsets_do_not_fail() -> None:
    quote = {"quote_id": "quote-q", "speaker_person_id": "person-x", "source_id": SOURCE}
    data = tables(quotes=[quote], trade=[trade(quote_id="quote-q", char_start=3, char_end=9)])
    assert list(within_quote(data)) == []
    # No source text at all: nothing to compare, no crash, and no span reported.
    data = tables(texts={}, quotes=[quote], trade=[trade(char_start=3, char_end=9)])
    for rule in RULES:
        list(rule(data))
    assert list(evidence_spans(data)) == []


def test_an_evidence_span_that_does_not_slice_back_is_reported() -> None:
    start = TEXT.index("2 مليار")
    good = trade(char_start=start, char_end=start + 13, evidence_ar="2 مليار دولار")
    assert list(evidence_spans(tables(trade=[good]))) == []
    shifted = {**good, "char_start": start + 1, "char_end": start + 14}
    [found] = evidence_spans(tables(trade=[shifted]))
    assert (found.table, found.line, found.field) == ("trade", 1, "char_start")
    assert found.found == TEXT[start + 1 : start + 14]
    assert found.expected.startswith(f"text[{start + 1}:{start + 14}] of {SOURCE} to equal")


def test_cross_table_rules_are_skipped_when_rows_may_be_missing() -> None:
    data = tables(trade=[trade(stated_by_person_id="person-x")])
    partial = check_tables(data, complete=False)
    assert [f for f in partial if f.expected.startswith("an existing")] == []
    full = check_tables(data, complete=True)
    assert [
        (f.field, f.found) for f in full if f.expected == "an existing person_id in people"
    ] == [("stated_by_person_id", "person-x")]


def test_a_value_the_schema_refuses_is_reported_by_the_schema_alone() -> None:
    """'usd' breaks the pattern; the rules on printed figures and ISO codes would echo it."""
    found = check_tables(tables(trade=[trade(currency_code="usd")]))
    assert [(f.field, f.found, f.expected) for f in found if f.field == "currency_code"] == [
        ("currency_code", "usd", "a value matching ^[A-Z]{3}$")
    ]


def test_a_value_that_could_not_be_read_is_not_reported_again() -> None:
    unread = {("trade", "trade.yaml", 1, "amount")}
    found = check_tables(tables(unread, trade=[trade(amount=None)]))
    assert [f for f in found if f.field == "amount"] == []
    found = check_tables(tables(trade=[trade(amount=None)]))
    assert [(f.field, f.found) for f in found if f.field == "amount"] == [("amount", "<missing>")]
