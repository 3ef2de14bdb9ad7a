"""Reading seeds/: files that cannot be read are reported once, and mark the run incomplete."""

from pathlib import Path

import pytest

from eaeu_facts.errors import Problems
from eaeu_facts.schemas import load_catalog
from eaeu_facts.seeds import Seeds, load_seeds
from tests.conftest import MINI_FACTS
from tests.tampering import COUNTRIES, MINI_RECORD, MINI_TEXT, make_project, rehash, replace


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _load(root: Path) -> tuple[Seeds, list[str]]:
    problems = Problems()
    seeds = load_seeds(root, load_catalog(root).names, problems)
    return seeds, problems.lines()


def test_good_seeds_are_complete(project: Path) -> None:
    seeds, lines = _load(project)
    assert lines == [] and seeds.complete
    assert len(seeds.sources) == 2 and len(seeds.entries) == 13


def test_an_edited_source_is_reported_but_still_read(project: Path) -> None:
    replace(project, MINI_TEXT, "الاقتصادي", "التجاري")
    seeds, lines = _load(project)
    assert [line.split(": ")[:2] for line in lines] == [[MINI_TEXT, "sha256"]]
    assert seeds.complete and "src-0123456789abcdef" in seeds.sources


def test_an_unreadable_source_drops_its_facts_quietly(project: Path) -> None:
    (project / MINI_TEXT).write_bytes(b"\xef\xbb\xbf" + (project / MINI_TEXT).read_bytes())
    rehash(project, MINI_TEXT, MINI_RECORD)
    seeds, lines = _load(project)
    assert lines == [
        f"{MINI_TEXT}:1: encoding: found 'a byte order mark', expected UTF-8 without BOM"
    ]
    assert not seeds.complete and seeds.unreadable == {"src-0123456789abcdef"}
    assert {e.source_id for e in seeds.entries} == {None, "src-fedcba9876543210"}


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
    seeds, lines = _load(project)
    assert any(line.startswith(MINI_FACTS) and f": {field}: found " in line for line in lines)
    assert not seeds.complete


def test_a_reference_file_that_is_not_a_list_is_reported(project: Path) -> None:
    (project / COUNTRIES).write_text("country_code: KZ\n", encoding="utf-8")
    seeds, lines = _load(project)
    assert lines == [f"{COUNTRIES}: countries: found <a mapping>, expected a list of entries"]
    assert not seeds.complete
