"""Locating evidence in a source text: the exact span, the nth occurrence, or why not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eaeu_facts.read.evidence import EvidenceError, locate, occurrences, span_matches

TEXT = "قال الوزير إن التجارة نمت. وقال الوزير إن الاستثمار نما."


def test_unique_evidence_is_located_and_slices_back() -> None:
    span = locate(TEXT, "التجارة نمت")
    assert TEXT[span.start : span.end] == "التجارة نمت"
    assert span.start == TEXT.index("التجارة")


def test_repeated_evidence_needs_an_occurrence() -> None:
    with pytest.raises(EvidenceError) as exc:
        locate(TEXT, "قال الوزير")
    assert "2 occurrences" in exc.value.found
    assert "'occurrence' (1 to 2)" in exc.value.expected


def test_occurrence_picks_the_nth() -> None:
    second = locate(TEXT, "قال الوزير", occurrence=2)
    assert second.start == TEXT.index("قال الوزير", 1)


@pytest.mark.parametrize("occurrence", [0, 3, True, "1"])
def test_occurrence_out_of_range_is_refused(occurrence: object) -> None:
    with pytest.raises(EvidenceError):
        locate(TEXT, "قال الوزير", occurrence=occurrence)


def test_missing_evidence_is_refused() -> None:
    with pytest.raises(EvidenceError) as exc:
        locate(TEXT, "الصناعة")
    assert "no occurrence" in exc.value.found


def test_span_matches_rejects_shifted_offsets() -> None:
    span = locate(TEXT, "التجارة نمت")
    assert span_matches(TEXT, span.start, span.end, "التجارة نمت")
    assert not span_matches(TEXT, span.start + 1, span.end + 1, "التجارة نمت")
    assert not span_matches(TEXT, -1, 3, "قال")


@given(st.text(), st.integers(0, 50), st.integers(1, 20))
def test_any_located_span_slices_back(text: str, start: int, length: int) -> None:
    evidence = text[start : start + length]
    if not evidence:
        with pytest.raises(EvidenceError):
            locate(text, evidence)
        return
    count = len(occurrences(text, evidence))
    for n in range(1, count + 1):
        span = locate(text, evidence, occurrence=n)
        assert text[span.start : span.end] == evidence


@given(
    st.text(),
    st.one_of(st.text(max_size=5), st.none(), st.integers()),
    st.one_of(st.none(), st.integers(-2, 5), st.booleans(), st.text(max_size=2)),
)
def test_locate_places_any_evidence_or_says_why_not(
    text: str, evidence: object, occurrence: object
) -> None:
    """Random text, evidence and occurrence: a span that slices back, or an EvidenceError."""
    try:
        span = locate(text, evidence, occurrence)
    except EvidenceError as exc:
        assert exc.found and exc.expected
        return
    assert text[span.start : span.end] == evidence
    assert span_matches(text, span.start, span.end, evidence)
