"""A finding becomes one problem at the place to fix: the line of the field's key in a curated
YAML file, or the line and column of the cell in a published CSV file."""

from __future__ import annotations

from pathlib import Path

from eaeu_facts.check.findings import Finding, Locator, report
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.schemas import load_catalog
from tests.helpers import MINI_FACTS, REPO, line_of

CATALOG = load_catalog(REPO)


def _report(root: Path, *found: Finding) -> list[str]:
    problems = Problems()
    report(found, Locator(root, CATALOG), problems)
    return problems.lines()


def test_a_finding_in_a_facts_file_points_at_the_line_of_its_key(mini: Path) -> None:
    entry = line_of(mini, MINI_FACTS, "trade_id: trade-kz-ru-actual")
    hedge = line_of(mini, MINI_FACTS, "hedge: about")
    found = Finding("trade", MINI_FACTS, entry, "hedge", "about", "exactly")
    assert _report(mini, found) == [f"{MINI_FACTS}:{hedge}: hedge: found 'about', expected exactly"]


def test_a_field_the_entry_does_not_write_points_at_the_entry(mini: Path) -> None:
    entry = line_of(mini, MINI_FACTS, "trade_id: trade-kz-ru-actual")
    found = Finding("trade", MINI_FACTS, entry, "period_start", "<missing>", "a value")
    assert _report(mini, found) == [
        f"{MINI_FACTS}:{entry}: period_start: found <missing>, expected a value"
    ]


def test_a_finding_in_a_csv_file_points_at_its_cell(mini: Path) -> None:
    csv = "datapackage/csv/trade.csv"
    column = CATALOG.table("trade").field_names.index("hedge") + 1
    found = Finding("trade", csv, 3, "hedge", "about", "exactly")
    assert _report(mini, found) == [f"{csv}:3:{column}: hedge: found 'about', expected exactly"]


def test_a_repeated_composite_key_points_at_its_first_field(mini: Path) -> None:
    csv = "datapackage/csv/participants.csv"
    key = ("mtg-test-talks", "person-sami-nader")
    found = Finding("participants", csv, 4, "meeting_id, person_id", key, "a unique key")
    column = CATALOG.table("participants").field_names.index("meeting_id") + 1
    assert _report(mini, found) == [
        f"{csv}:4:{column}: meeting_id, person_id: found "
        "('mtg-test-talks', 'person-sami-nader'), expected a unique key"
    ]
