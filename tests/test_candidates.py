"""Tests for the rule-based candidate finder against hand-written Arabic passages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eaeu_facts.read import accuracy
from eaeu_facts.read.candidates import KINDS, Candidate, find_candidates, format_candidates
from tests.helpers import REPO

PASSAGES_FILE = Path(__file__).parent / "fixtures" / "candidates" / "passages.yaml"
PASSAGES: list[dict[str, Any]] = yaml.safe_load(PASSAGES_FILE.read_text(encoding="utf-8"))

# Everything the accuracy report scores, and attribution, which it does not.
FIELDS = (*accuracy.FIELDS, "attribution")


def _rows(text: str) -> list[tuple[Any, ...]]:
    found = find_candidates(text)
    by_start = {c.start: c for c in found if c.kind == "date"}
    return [accuracy.found_row(c, by_start, FIELDS) for c in found]


def test_fixture_file_is_big_and_well_formed() -> None:
    ids = [p["id"] for p in PASSAGES]
    assert len(ids) >= 45
    assert len(ids) == len(set(ids)), "passage ids must be unique"
    covered = {e["kind"] for p in PASSAGES for e in p["expected"]}
    assert covered == set(KINDS)


@pytest.mark.parametrize("passage", PASSAGES, ids=[p["id"] for p in PASSAGES])
def test_passage(passage: dict[str, Any]) -> None:
    text = passage["text"]
    found = find_candidates(text)
    for c in found:
        assert text[c.start : c.end] == c.text
    # Fixtures list candidates in the finder's order: by start (a quotation starts at its
    # first character inside the marks), then end, then kind.
    expected = [accuracy.expected_row(e, passage["id"], FIELDS) for e in passage["expected"]]
    assert _rows(text) == expected


def test_nested_in_points_at_the_enclosing_quotation() -> None:
    text = '"ندعم ممر "الشرق – الغرب" بقوة"'
    quotes = [c for c in find_candidates(text) if c.kind == "quotation"]
    outer, inner = quotes
    assert outer.nested_in is None and outer.start == 1 and outer.end == len(text) - 1
    assert inner.nested_in == outer.start
    assert inner.text == "الشرق – الغرب"


def test_results_sorted_and_deterministic() -> None:
    text = "\n".join(p["text"] for p in PASSAGES)
    first = find_candidates(text)
    assert first == find_candidates(text)
    assert first == sorted(first, key=lambda c: (c.start, c.end, c.kind))


def test_the_development_passages_are_read_without_a_miss() -> None:
    """The accuracy report's own scores (read/accuracy.py), every kind at 100%."""
    for kind, score in accuracy.evaluate(PASSAGES).items():
        assert score.misses == score.wrong == [], kind
        assert score.precision == score.recall == 1.0, kind


def test_the_held_out_set_is_big_well_formed_and_apart() -> None:
    """Sixty passages or more, every kind, every expected text in its passage, no passage
    shared with the development set."""
    heldout = accuracy.load_set(REPO, "held-out")
    assert len(heldout) >= 60 and len({p["id"] for p in heldout}) == len(heldout)
    assert {e["kind"] for p in heldout for e in p["expected"]} == set(KINDS)
    for p in heldout:
        for e in p["expected"]:
            assert e["text"] in p["text"], p["id"]
            accuracy.expected_row(e, p["id"])  # known fields only
    assert not {p["text"] for p in heldout} & {p["text"] for p in PASSAGES}


_ALPHABET = st.sampled_from(
    list('0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹.,٫٬%٪$€₽₸-–/: \n"“”«»„!()[]')
    + list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئـ")
    + list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u200f\u200e")
    + ["مليار", "مليون", "ألف", "آلاف", "ملياري", "دولار", "أمريكي", "يورو", "روبل"]
    + ["بالمئة", "في المائة", "عام", "من", "إلى", "بين", "و", "يناير", "كانون الثاني"]
    + ["الماضي", "عامًا", "العشرين", "خمسة", "وعشرين", "مئة", "قال", "A", "USD", "ونصف"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=80))
def test_random_text_never_crashes_and_spans_slice_back(text: str) -> None:
    for c in find_candidates(text):
        assert c.kind in KINDS
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        if c.nested_in is not None:
            assert c.kind == "quotation" and c.nested_in < c.start


def test_format_json_round_trips() -> None:
    cands = find_candidates("بلغ حجم التبادل 14 مليار دولار أمريكي بنحو 4% في عام 2024.")
    data = json.loads(format_candidates(cands, "json"))
    assert [d["kind"] for d in data] == ["amount", "percentage", "year"]
    assert data[0]["value"] == 14_000_000_000 and data[0]["currency"] == "USD"
    assert list(data[0]) == sorted(data[0])
    assert "مليار" in format_candidates(cands, "json")  # not \u-escaped


def test_format_table_is_aligned() -> None:
    cands = find_candidates("ضخ المستثمرون 25 مليار دولار و3 مليارات يورو في 2024.")
    lines = format_candidates(cands, "table").splitlines()
    assert lines[0].split()[:3] == ["kind", "start", "end"]
    assert len(lines) == 2 + len(cands) == 5
    text_col = lines[0].index("text")
    assert all(line[text_col - 2 : text_col] == "  " for line in lines[2:])
    assert "USD?" in lines[2]  # a bare دولار is flagged as an assumed currency
    assert "EUR" in lines[3] and "EUR?" not in lines[3]


def test_format_rejects_unknown() -> None:
    with pytest.raises(ValueError):
        format_candidates([], "xml")


def test_the_json_keys_are_those_the_command_line_page_documents() -> None:
    """One table (candidates.FIELDS) documents the keys (docs/cli.md shows it), and the
    command writes exactly those keys, for every kind."""
    from dataclasses import fields

    from eaeu_facts.read.candidates import FIELDS as DOCUMENTED

    text = "\n".join(p["text"] for p in PASSAGES)
    written = json.loads(format_candidates(find_candidates(text), "json"))
    assert {c["kind"] for c in written} == set(KINDS)
    for candidate in written:
        assert list(candidate) == sorted(DOCUMENTED)
    assert [f.name for f in fields(Candidate)] == list(DOCUMENTED)
    page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "<!-- generated: candidates-json -->" in page
