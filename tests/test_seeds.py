"""Reading seeds/ a unit at a time: files that cannot be read are reported once, and mark the
read incomplete (so rules across tables do not echo the rows they lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.frames import UNIT
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.read.coverage import COVERAGE
from eaeu_facts.read.seeds import Places, load_facts, load_source
from eaeu_facts.read.units import REPORTS, Read, find_units, read_unit
from tests.helpers import (
    COUNTRIES,
    FIG_TEXT,
    MINI_FACTS,
    MINI_RECORD,
    MINI_TEXT,
    line_of,
    rehash,
    replace,
)

MINI_SOURCE = "src-0123456789abcdef"


def _read(root: Path) -> tuple[Read, list[str]]:
    """Every unit read, and the report of the read (files that belong to no unit included)."""
    catalog = load_catalog(root)
    units, problems = find_units(root)
    read = Read()
    for unit in units:
        read.extend(read_unit(root, catalog, unit))
    problems.extend(read.problems)
    return read, problems.lines()


def _entries(read: Read) -> int:
    """The curated entries read: every row but the computed sources, coverage rows and the
    reports derived from the meetings rows."""
    derived = ("sources", COVERAGE, REPORTS)
    return sum(len(rows) for name, rows in read.rows.items() if name not in derived)


def test_good_seeds_are_complete(project: Path) -> None:
    read, lines = _read(project)
    assert lines == [] and read.complete and not read.unread and not read.uncovered
    assert len(read.rows["sources"]) == 2 and _entries(read) == 13
    assert len(read.rows[REPORTS]) == len(read.rows["meetings"])  # each its own source's


def test_units_are_found_in_name_order(project: Path) -> None:
    units, problems = find_units(project)
    assert not problems
    assert [u.name for u in units] == [
        "reference/countries",
        "sources/001_0123456789abcdef",
        "sources/002_fedcba9876543210",
    ]
    assert units[1].files == (MINI_TEXT, MINI_RECORD, MINI_FACTS)


def test_files_that_belong_to_no_unit_are_reported(project: Path) -> None:
    (project / FIG_TEXT).unlink()
    units, problems = find_units(project)
    assert [u.name for u in units] == ["reference/countries", "sources/001_0123456789abcdef"]
    assert problems.lines() == [
        "seeds/facts/002_fedcba9876543210.yaml: file: found 'a facts file without its source "
        f"text', expected {FIG_TEXT}",
        "seeds/sources/002_fedcba9876543210.yaml: file: found 'a source record without its "
        "text', expected 002_fedcba9876543210.txt beside it",
    ]


def test_an_edited_source_is_reported_but_still_read(project: Path) -> None:
    replace(project, MINI_TEXT, "الاقتصادي", "التجاري")
    read, lines = _read(project)
    assert [line.split(": ")[:2] for line in lines] == [[MINI_TEXT, "sha256"]]
    assert read.complete
    assert MINI_SOURCE in {r["source_id"] for r in read.rows["sources"]}


def test_an_unreadable_source_drops_its_facts_quietly(project: Path) -> None:
    (project / MINI_TEXT).write_bytes(b"\xef\xbb\xbf" + (project / MINI_TEXT).read_bytes())
    rehash(project, MINI_TEXT, MINI_RECORD)
    read, lines = _read(project)
    assert lines == [
        f"{MINI_TEXT}:1: encoding: found 'a byte order mark', expected UTF-8 without BOM"
    ]
    assert not read.complete
    units = {row[UNIT] for rows in read.rows.values() for row in rows}
    assert units == {"reference/countries", "sources/002_fedcba9876543210"}


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("source_id: src-0123456789abcdef", "source_id: [src-0123456789abcdef]", "source_id"),
        ("people:\n", "? [people]\n:\n", "yaml"),
        ("people:\n  - person_id", "people:\n  - just words\n  - person_id", "people"),
    ],
    ids=["source-id-a-list", "key-a-list", "entry-not-a-mapping"],
)
def test_odd_yaml_shapes_are_reported_not_raised(
    project: Path, old: str, new: str, field: str
) -> None:
    replace(project, MINI_FACTS, old, new)
    read, lines = _read(project)
    assert any(line.startswith(MINI_FACTS) and f": {field}: found " in line for line in lines)
    assert not read.complete


def test_a_reference_file_that_is_not_a_list_is_reported(project: Path) -> None:
    (project / COUNTRIES).write_text("country_code: KZ\n", encoding="utf-8")
    read, lines = _read(project)
    assert lines == [f"{COUNTRIES}: countries: found <a mapping>, expected a list of entries"]
    assert not read.complete


def test_facts_citing_another_source_are_refused_whole(project: Path) -> None:
    replace(project, MINI_FACTS, "source_id: src-0123456789abcdef", "source_id: src-other")
    problems = Problems()
    source, readable = load_source(project, MINI_TEXT, problems)
    assert source is not None and readable and not problems
    assert load_facts(project, MINI_FACTS, source, load_catalog(project).names, problems) is None
    [line] = problems.lines()
    assert line.startswith(f"{MINI_FACTS}:1: source_id: found 'src-other', expected the source_id")


def test_places_find_the_line_of_a_key_of_an_entry(project: Path) -> None:
    """Checks on whole tables keep only the line of an entry; a report points at its key."""
    entry = line_of(project, MINI_FACTS, "trade_id: trade-kz-ru-actual")
    hedge = line_of(project, MINI_FACTS, "hedge: about")
    places = Places(project)
    assert places.line_of(MINI_FACTS, entry, "hedge") == hedge
    assert places.line_of(MINI_FACTS, entry, "no_such_key") == entry
    assert places.line_of("datapackage/csv/trade.csv", 7, "hedge") == 7
