"""The mutation suite: each corruption of a valid project or package is reported, in place.

Every case breaks one thing in the valid mini + figures project (or in the package built from
it) and names the one line that must be reported: exact path, line (and CSV column) and field,
and words of what was found and expected. A corruption that passes is a bug in the checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eaeu_facts.check.package import check_package
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.publish.pipeline import build, stamps
from tests.cases import (
    INPUT,
    PACKAGE_CASES,
    Case,
    amount_negative,
    amount_zero,
    date_that_does_not_exist,
    enum_value_unknown,
    evidence_not_in_source,
    integer_written_in_words,
    missing_evidence,
    percentage_not_as_printed,
    reference_to_a_missing_row,
    source_has_a_bom,
    trade_with_one_country,
    yaml_does_not_parse,
)
from tests.helpers import PACKAGE, assert_reported, clean_build


def _input_problems(root: Path) -> Problems:
    with pytest.raises(BuildError) as exc:
        build(root)
    assert not (root / PACKAGE).exists()
    return exc.value.problems


def test_the_base_project_is_valid(project: Path) -> None:
    """Without this, every case below could pass for the wrong reason."""
    build(project)
    for name in ("indicators", "investment", "trade"):
        assert len((project / PACKAGE / "csv" / f"{name}.csv").read_bytes().splitlines()) > 1


@pytest.mark.parametrize("case", INPUT.values(), ids=INPUT.keys())
def test_bad_input_is_reported_in_place(built_copy: Path, case: Case) -> None:
    """Applied after a full build, so that the next build has a package to patch and the
    other units' rows cached: the build fails, reports the case, leaves the package as it
    was, and says what a clean build of the same seeds says (which publishes nothing)."""
    before = stamps(built_copy / PACKAGE)
    expect = case(built_copy)
    with pytest.raises(BuildError) as exc:
        build(built_copy)
    assert_reported(exc.value.problems, expect)
    assert stamps(built_copy / PACKAGE) == before
    assert exc.value.problems.lines() == clean_build(built_copy)


def test_a_problem_is_one_line_whatever_the_input_holds() -> None:
    """Found by exploring test_fuzz: a key that is empty, and an expected value quoting a
    contributor's text with a carriage return in it, once broke the line in two."""
    problems = Problems()
    problems.add("f.yaml", 3, "", "an unknown field", "one of a, b")
    problems.add("f.yaml", 4, "a: b", "x", "c")
    problems.add("f.yaml", 66, "stated_by_person_id", "person-x", "\r\u2028, the speaker")
    assert problems.lines() == [
        "f.yaml:3: '': found 'an unknown field', expected one of a, b",
        "f.yaml:4: 'a: b': found 'x', expected c",
        "f.yaml:66: stated_by_person_id: found 'person-x', expected \\x0d\\u2028, the speaker",
    ]
    assert all(len(line.splitlines()) == 1 for line in problems.shown())


def test_there_are_enough_cases() -> None:
    assert len(INPUT) + len(PACKAGE_CASES) >= 30


# All problems of a run, each once ------------------------------------------------------------


def test_one_run_reports_problems_of_every_stage(project: Path) -> None:
    """A type error does not hide a broken rule or reference elsewhere."""
    expects = [
        integer_written_in_words(project),
        enum_value_unknown(project),
        reference_to_a_missing_row(project),
        trade_with_one_country(project),
        percentage_not_as_printed(project),
    ]
    problems = _input_problems(project)
    for expect in expects:
        assert_reported(problems, expect)


@pytest.mark.parametrize(
    "case",
    [
        evidence_not_in_source,
        missing_evidence,
        integer_written_in_words,
        date_that_does_not_exist,
        source_has_a_bom,
        yaml_does_not_parse,
    ],
    ids=["evidence", "no-evidence", "type", "date", "unreadable-source", "unreadable-facts"],
)
def test_a_broken_row_or_file_is_reported_once(project: Path, case: Case) -> None:
    """Rows that refer to a broken one, or checks of its missing values, add no echo."""
    case(project)
    assert len(_input_problems(project).lines()) == 1, _input_problems(project).lines()


@pytest.mark.parametrize("case", [amount_zero, amount_negative], ids=["zero", "negative"])
def test_an_amount_below_one_is_reported_once(project: Path, case: Case) -> None:
    """Not again by the rule reading it as printed, nor by coverage for the figure it leaves
    uncovered: one line, the schema's."""
    e = case(project)
    line = f"{e.path}:{e.line}: {e.field}: found {e.found}, expected {e.expected}"
    assert _input_problems(project).lines() == [line]


@pytest.mark.parametrize("case", PACKAGE_CASES.values(), ids=PACKAGE_CASES.keys())
def test_a_tampered_package_is_reported_in_place(published: Path, case: Case) -> None:
    expect = case(published)
    assert_reported(check_package(published / PACKAGE / "datapackage.json"), expect)


def test_the_built_package_is_valid(published: Path) -> None:
    assert check_package(published / PACKAGE / "datapackage.json").lines() == []


def test_problems_come_out_in_one_order_whatever_order_they_were_found_in() -> None:
    def found(order: list[str]) -> list[str]:
        problems = Problems()
        for expected in order:
            problems.add("seeds/facts/x.yaml", 3, "amount", 5, expected)
        return problems.lines()

    assert found(["a figure", "at least 1"]) == found(["at least 1", "a figure"])
