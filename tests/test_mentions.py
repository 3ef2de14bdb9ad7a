"""Many sources: every mention of an entity cited, a meeting reported by two sources (#15).

The project is the seed article with a second report of its council (tests/fixtures/second,
written for the tests, never published): the same meeting, a quotation of the same minister,
a new figure.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from eaeu_facts.docs.dictionary import rows_html
from eaeu_facts.docs.site import load_site
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.publish.pipeline import build
from eaeu_facts.read.mentions import entity_names, find_mentions
from tests.helpers import PACKAGE, REPO, copy_project, line_of, replace

SECOND = "src-5e7c0a9d1b2f3e4a"
SEED = "src-7b4a6b2ad4421f89"
SECOND_FACTS = "seeds/facts/001_5e7c0a9d1b2f3e4a.yaml"
SEED_FACTS = "seeds/facts/000_7b4a6b2ad4421f89.yaml"
COUNCIL = "mtg-eaeu-intergovernmental-council"
MISHUSTIN = "person-mikhail-mishustin"


def _project(root: Path) -> Path:
    return copy_project(root, REPO / "seeds", REPO / "tests" / "fixtures" / "second" / "seeds")


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the second report, built once; don't change it."""
    root = _project(tmp_path_factory.mktemp("two") / "project")
    build(root)
    return root


@pytest.fixture
def editable(tmp_path: Path) -> Path:
    return _project(tmp_path / "project")


def _table(root: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(root / PACKAGE / "parquet" / f"{name}.parquet")


def test_every_source_that_names_a_person_cites_its_own_words(two: Path) -> None:
    mentions = _table(two, "mentions").filter(pl.col("person_id") == MISHUSTIN)
    by_source = dict(mentions.group_by("source_id").len().iter_rows())
    assert by_source == {SEED: 3, SECOND: 3}
    texts = {
        SEED: (two / "seeds/sources/000_7b4a6b2ad4421f89.txt").read_text("utf-8"),
        SECOND: (two / "seeds/sources/001_5e7c0a9d1b2f3e4a.txt").read_text("utf-8"),
    }
    for row in mentions.iter_rows(named=True):
        assert texts[row["source_id"]][row["char_start"] : row["char_end"]] == row["evidence_ar"]
    second = mentions.filter(pl.col("source_id") == SECOND).sort("char_start")
    # The headline and "وقال ميشوستين" name him by his surname: an alias.
    assert second["evidence_ar"].to_list() == ["ميشوستين", "ميخائيل ميشوستين", "ميشوستين"]
    assert second["matched_by"].to_list() == ["alias", "name", "alias"]


def test_the_person_row_keeps_the_words_of_its_first_mention(two: Path) -> None:
    (person,) = _table(two, "people").filter(pl.col("person_id") == MISHUSTIN).iter_rows(named=True)
    assert person["source_id"] == SEED and person["evidence_ar"] == "ميخائيل ميشوستين"


def test_a_meeting_two_sources_report_is_one_row_with_two_reports(two: Path) -> None:
    assert _table(two, "meetings").filter(pl.col("meeting_id") == COUNCIL).height == 1
    reports = _table(two, "meeting_reports").filter(pl.col("meeting_id") == COUNCIL)
    accounts = {r["source_id"]: r for r in reports.iter_rows(named=True)}
    assert set(accounts) == {SEED, SECOND}
    # The seed leaves the place open and infers the year: its report says neither.
    assert accounts[SEED]["date"] is None and accounts[SEED]["place_id"] is None
    assert str(accounts[SECOND]["date"]) == "2025-01-31"
    assert accounts[SECOND]["place_id"] == "place-almaty"
    quotes = _table(two, "quotes").filter(pl.col("source_id") == SECOND)
    assert quotes["speaker_person_id"].to_list() == [MISHUSTIN]
    assert _table(two, "investment").filter(pl.col("source_id") == SECOND)["amount"].to_list() == [
        4000000000
    ]


def test_reports_that_disagree_make_the_meeting_disputed(editable: Path) -> None:
    """The seed's council row stating 30 January and the second report 31 January: the
    meeting must say `disputed` (and then hold no date)."""
    council = f"  - meeting_id: {COUNCIL}\n"
    replace(editable, SEED_FACTS, council, council + "    date_basis: stated\n")
    replace(editable, SEED_FACTS, '    date: "2025-01-31"\n', '    date: "2025-01-30"\n')
    replace(editable, SEED_FACTS, "    date_basis: inferred\n", "")
    with pytest.raises(BuildError) as failure:
        build(editable)
    line = line_of(editable, SEED_FACTS, "date_basis: stated")
    assert (
        f"{SEED_FACTS}:{line}: date_basis: found 'stated', expected disputed: its reports give "
        "2 different date values"
    ) in failure.value.problems.lines()


def test_disputed_only_where_reports_disagree(editable: Path) -> None:
    replace(editable, SEED_FACTS, '    date: "2025-01-31"\n', "")
    replace(editable, SEED_FACTS, "    date_basis: inferred\n", "    date_basis: disputed\n")
    with pytest.raises(BuildError) as failure:
        build(editable)
    line = line_of(editable, SEED_FACTS, "date_basis: disputed")
    assert failure.value.problems.lines() == [
        f"{SEED_FACTS}:{line}: date_basis: found 'disputed', expected a basis other than "
        "disputed: no two reports differ on date"
    ]


def test_a_curator_excludes_a_false_match_by_its_occurrence(editable: Path) -> None:
    text = "وقال ميشوستين"
    replace(
        editable,
        SECOND_FACTS,
        "meeting_reports:\n",
        "mention_exclusions:\n"
        f'  - reason_en: Read here as a test of an exclusion.\n    evidence: "{text}"\n'
        "meeting_reports:\n",
    )
    build(editable)
    mentions = _table(editable, "mentions").filter(pl.col("source_id") == SECOND)
    assert mentions.filter(pl.col("person_id") == MISHUSTIN).height == 2  # of 3
    assert _table(editable, "mention_exclusions")["evidence_ar"].to_list() == [text]


def test_an_alias_names_exactly_one_entity(editable: Path) -> None:
    replace(
        editable,
        "seeds/reference/aliases.yaml",
        "  person_id: person-mikhail-mishustin\n",
        "  person_id: person-mikhail-mishustin\n  country_code: RU\n",
    )
    with pytest.raises(BuildError) as failure:
        build(editable)
    line = line_of(editable, "seeds/reference/aliases.yaml", "alias_ar: ميشوستين")
    assert failure.value.problems.lines() == [
        f"seeds/reference/aliases.yaml:{line + 1}: person_id: found 'person-mikhail-mishustin', "
        "expected exactly one of person_id, organization_id, place_id, country_code"
    ]


def test_names_are_found_as_whole_words_a_clitic_allowed() -> None:
    catalog = load_catalog(REPO)
    tables = {
        "countries": pl.DataFrame({"country_code": ["KZ"], "name_ar": ["كازاخستان"]}),
        "places": pl.DataFrame({"place_id": ["place-a", "place-b"], "name_ar": ["عين", "عين"]}),
    }
    names = entity_names(tables)
    assert set(names) == {"كازاخستان"}  # a name two entities share names neither
    text = "زار وكازاخستان ثم الكازاخستانية و كازاخستان، عين"
    sources = pl.DataFrame({"source_id": ["src-0"], "path": ["x.txt"], "_unit": ["u"]})
    found = find_mentions(catalog.table("mentions"), names, sources, {"src-0": text}, None)
    starts = found["char_start"].to_list()
    assert [text[s : s + 9] for s in starts] == ["كازاخستان", "كازاخستان"]
    assert starts == [text.index("وكازاخستان") + 1, text.rindex("كازاخستان")]


def test_the_docs_show_the_sources_that_mention_each_entity(two: Path) -> None:
    site = load_site(two)
    people = rows_html(site, site.catalog.table("people"), "tables/people.md")
    row = next(r for r in people.split("<tr") if f'id="{MISHUSTIN}"' in r)
    assert f"<code>{SEED}</code></a> (3)" in row and f"<code>{SECOND}</code></a> (3)" in row
