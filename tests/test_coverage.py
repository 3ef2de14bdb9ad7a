"""Coverage: every candidate the finder reads is covered by a curated row or waived."""

import pytest

from eaeu_facts.errors import BuildError
from eaeu_facts.publish import assemble
from tests.conftest import MINI_FACTS, MINI_TEXT, REPO


def _lines(root):
    with pytest.raises(BuildError) as exc:
        assemble(root)
    return exc.value.problems.lines()


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


def test_a_row_with_another_amount_does_not_cover(edit_facts):
    def change(d):
        d["trade"][1]["amount"] = 3000000000
        d["trade"][1]["amount_as_printed_ar"] = "2 مليار دولار"

    assert any(line.startswith(f"{MINI_TEXT}:5: amount:") for line in _lines(edit_facts(change)))


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
