"""Coverage: every candidate the finder reads is covered by a curated row or waived."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import LINE, PATH
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.publish.keys import ROW_LIBRARIES, fingerprint, keyed
from eaeu_facts.publish.pipeline import ROW_STAGES, assemble, check
from eaeu_facts.read.units import find_units, read_unit
from tests.helpers import MINI_FACTS, MINI_TEXT, REPO, line_of

UNCOVERED = (
    "expected a curated row whose evidence covers it, or a waiver with a reason under "
    f"'waivers' in {MINI_FACTS}"
)
Edit = Callable[[Callable[[dict], None]], Path]


def _assemble(root: Path) -> dict[str, pl.DataFrame]:
    """Every table as the build checks it; BuildError with every problem."""
    catalog = load_catalog(root)
    rows_key = fingerprint(root, ROW_STAGES, ROW_LIBRARIES)
    found, problems = find_units(root)
    units = keyed(root, found, rows_key)
    tables, read, _ = assemble(root, catalog, units, rows_key)
    check(root, catalog, tables, read, problems)
    return tables


def _lines(root: Path) -> list[str]:
    with pytest.raises(BuildError) as exc:
        _assemble(root)
    return exc.value.problems.lines()


def _uncovered(root: Path) -> list[str]:
    """What coverage alone finds, whatever the checks of the rows would say."""
    catalog = load_catalog(root)
    units, problems = find_units(root)
    [unit] = [u for u in units if u.name.startswith("sources/")]
    read = read_unit(root, catalog, unit)
    assert not problems and not read.problems
    return read.uncovered.lines()


def test_the_seed_article_is_fully_covered(tmp_path: Path) -> None:
    for folder in ("schemas", "seeds"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    coverage = _assemble(tmp_path)["coverage"]
    rows = coverage.to_dicts()
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


def test_mini_is_covered(mini: Path) -> None:
    coverage = _assemble(mini)["coverage"]
    assert coverage.height > 0 and set(coverage["status"]) == {"covered"}


def test_an_uncovered_amount_fails_with_its_line(edit_facts: Edit) -> None:
    root = edit_facts(lambda d: d["trade"].pop())  # drop the 2-billion row
    [line] = _lines(root)
    assert line.startswith(f"{MINI_TEXT}:5: amount: found '2 مليار دولار'")
    assert "a waiver with a reason" in line


def test_a_figure_only_quoted_is_reported_when_the_rows_are_sound(edit_facts: Edit) -> None:
    """A quotation row covers the quotation, not the figure inside it."""
    root = edit_facts(lambda d: d["trade"].pop(0))  # drop the 5-billion target
    assert _lines(root) == [f"{MINI_TEXT}:3: amount: found '5 مليارات دولار أمريكي', {UNCOVERED}"]


def test_a_row_with_another_amount_does_not_cover_and_is_reported_once(edit_facts: Edit) -> None:
    """The figure it leaves uncovered is the row's problem: the build names the row alone."""

    def change(d: dict) -> None:
        d["trade"][1]["amount"] = 3000000000

    root = edit_facts(change)
    assert _uncovered(root) == [f"{MINI_TEXT}:5: amount: found '2 مليار دولار', {UNCOVERED}"]
    line = line_of(root, MINI_FACTS, "amount: 3000000000")
    assert _lines(root) == [
        f"{MINI_FACTS}:{line}: amount: found 3000000000, "
        "expected 2000000000 as printed in '2 مليار دولار'"
    ]


def test_a_waiver_with_a_reason_covers(edit_facts: Edit) -> None:
    def change(d: dict) -> None:
        d["trade"].pop()
        d["waivers"] = [
            {"evidence": "نحو 2 مليار دولار", "reason": "Test: no period or partner given."}
        ]

    coverage = _assemble(edit_facts(change))["coverage"]
    [waived] = coverage.filter(pl.col("status") == "waived").to_dicts()
    assert waived["evidence_ar"] == "2 مليار دولار" and waived["covered_by"] is None
    assert waived["waiver_reason"] == "Test: no period or partner given."


def test_a_waiver_without_reason_or_use_is_refused(edit_facts: Edit) -> None:
    def change(d: dict) -> None:
        d["waivers"] = [
            {"evidence": "نحو 2 مليار دولار"},
            {"evidence": "لبحث التعاون الاقتصادي", "reason": "Nothing to waive here."},
        ]

    lines = _lines(edit_facts(change))
    assert any(f"{MINI_FACTS}:" in line and ": reason: found None" in line for line in lines)
    assert any(": waivers: found 'لبحث التعاون الاقتصادي'" in line for line in lines)


def test_coverage_rows_point_at_the_line_of_their_candidate(mini: Path) -> None:
    """A coverage row is written at the source text and line where its candidate was read."""
    coverage = _assemble(mini)["coverage"]
    amounts = coverage.filter(pl.col("candidate_kind") == "amount")
    assert sorted(amounts.select(PATH, LINE, "covered_by").iter_rows()) == [
        (MINI_TEXT, 3, "trade/trade-kz-ru-target"),
        (MINI_TEXT, 5, "trade/trade-kz-ru-actual"),
    ]
