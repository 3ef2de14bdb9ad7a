"""Coverage: every candidate the finder reads is covered by a curated row or waived."""

import pytest

from eaeu_facts.coverage import add_coverage
from eaeu_facts.errors import BuildError, Problems
from eaeu_facts.publish import assemble
from eaeu_facts.schemas import load_catalog
from eaeu_facts.seeds import load_seeds
from eaeu_facts.tables import build_tables
from tests.conftest import MINI_FACTS, MINI_TEXT, REPO
from tests.tampering import line_of

UNCOVERED = (
    "expected a curated row whose evidence covers it, or a waiver with a reason under "
    f"'waivers' in {MINI_FACTS}"
)


def _lines(root):
    with pytest.raises(BuildError) as exc:
        assemble(root)
    return exc.value.problems.lines()


def _uncovered(root):
    """What coverage alone finds, whatever the checks of the rows would say."""
    catalog = load_catalog(root)
    problems, uncovered = Problems(), Problems()
    seeds = load_seeds(root, catalog.names, problems)
    add_coverage(build_tables(catalog, seeds, problems), seeds, problems, uncovered)
    assert not problems
    return uncovered.lines()


def test_the_seed_article_is_fully_covered():
    _, tables, _ = assemble(REPO)
    rows = tables["coverage"].rows
    kinds = {r["candidate_kind"] for r in rows}
    assert kinds == {"amount", "percentage", "number", "year", "date", "quotation"}
    assert all(r["status"] == "covered" and r["covered_by"] for r in rows)
    amounts = {r["value"]: r["covered_by"] for r in rows if r["candidate_kind"] == "amount"}
    assert amounts == {
        27e9: "trade/trade-ru-kz-turnover",
        25e9: "investment/inv-ru-kz",
        8.7e9: "investment/inv-kz-ru",
        3e9: "trade/trade-ir-kz-target",
    }
    quotes = [r for r in rows if r["candidate_kind"] == "quotation"]
    assert sum("quotes/" in r["covered_by"] for r in quotes) == 5  # 4 + the nested one


def test_mini_is_covered(mini):
    _, tables, _ = assemble(mini)
    assert {r["status"] for r in tables["coverage"].rows} == {"covered"}


def test_an_uncovered_amount_fails_with_its_line(edit_facts):
    root = edit_facts(lambda d: d["trade"].pop())  # drop the 2-billion row
    [line] = _lines(root)
    assert line.startswith(f"{MINI_TEXT}:5: amount: found '2 مليار دولار'")
    assert "a waiver with a reason" in line


def test_a_figure_only_quoted_is_reported_when_the_rows_are_sound(edit_facts):
    """A quotation row covers the quotation, not the figure inside it."""
    root = edit_facts(lambda d: d["trade"].pop(0))  # drop the 5-billion target
    assert _lines(root) == [f"{MINI_TEXT}:3: amount: found '5 مليارات دولار أمريكي', {UNCOVERED}"]


def test_a_row_with_another_amount_does_not_cover_and_is_reported_once(edit_facts):
    """The figure it leaves uncovered is the row's problem: the build names the row alone."""

    def change(d):
        d["trade"][1]["amount"] = 3000000000

    root = edit_facts(change)
    assert _uncovered(root) == [f"{MINI_TEXT}:5: amount: found '2 مليار دولار', {UNCOVERED}"]
    line = line_of(root, MINI_FACTS, "amount: 3000000000")
    assert _lines(root) == [
        f"{MINI_FACTS}:{line}: amount: found 3000000000, "
        "expected 2000000000 as printed in '2 مليار دولار'"
    ]


def test_a_waiver_with_a_reason_covers(edit_facts):
    def change(d):
        d["trade"].pop()
        d["waivers"] = [
            {"evidence": "نحو 2 مليار دولار", "reason": "Test: no period or partner given."}
        ]

    _, tables, _ = assemble(edit_facts(change))
    [waived] = [r for r in tables["coverage"].rows if r["status"] == "waived"]
    assert waived["evidence_ar"] == "2 مليار دولار"
    assert waived["waiver_reason"] == "Test: no period or partner given."


def test_a_waiver_without_reason_or_use_is_refused(edit_facts):
    def change(d):
        d["waivers"] = [
            {"evidence": "نحو 2 مليار دولار"},
            {"evidence": "لبحث التعاون الاقتصادي", "reason": "Nothing to waive here."},
        ]

    lines = _lines(edit_facts(change))
    assert any(f"{MINI_FACTS}:" in line and ": reason: found None" in line for line in lines)
    assert any(": waivers: found 'لبحث التعاون الاقتصادي'" in line for line in lines)
