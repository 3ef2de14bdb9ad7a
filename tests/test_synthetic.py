"""The synthetic corpus (benchmarks/synthetic.py) the benchmarks measure builds with.

The corpus must build like real seeds (every figure, date and quotation covered or waived)
and be the same bytes for the same seed; the validators the validation benchmark compares
must give the same verdicts on it at small N. (The unit cache is tested in test_cache.py.)
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from eaeu_facts.check.package import check_package
from eaeu_facts.publish.pipeline import build
from tests.cases import ONLY_OURS, PACKAGE_CASES, SEEN_BY_FRICTIONLESS
from tests.helpers import CORPUS, FIGURES, FRICTIONLESS, MINI, PACKAGE, assert_reported, files

# The generator -------------------------------------------------------------------------------


def test_the_corpus_builds_validates_and_fills_every_table(corpus: Path) -> None:
    assert check_package(corpus / PACKAGE / "datapackage.json").lines() == []
    counts = {
        p.stem: len(p.read_bytes().splitlines()) - 1 for p in (corpus / PACKAGE).glob("csv/*")
    }
    assert all(counts.values()), counts
    assert counts["sources"] == CORPUS and sum(counts.values()) > CORPUS * 80
    with (corpus / PACKAGE / "csv" / "coverage.csv").open(encoding="utf-8") as handle:
        coverage = list(csv.DictReader(handle))
    kinds = {(r["candidate_kind"], r["status"]) for r in coverage}
    assert {"amount", "percentage", "number", "year", "date", "quotation"} == {k for k, _ in kinds}
    assert ("number", "waived") in kinds


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    a, b = generate(tmp_path / "a", 6), generate(tmp_path / "b", 6)
    assert files(a) == files(b)
    assert files(generate(tmp_path / "c", 6, seed=7)) != files(a)


def test_a_variant_rewrites_one_source_and_nothing_else(tmp_path: Path) -> None:
    root = generate(tmp_path / "project", 6)
    before = files(root)
    generate(root, 6, variant=[3])
    after = files(root)
    changed = sorted(name for name in after if after[name] != before[name])
    assert len(changed) == 3 and all("/00003_" in name for name in changed), changed
    generate(root, 6)
    assert files(root) == before


# Both validators reject the same corruptions at small N -------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini and figures seeds with four synthetic sources around them. The synthetic ids
    sort after theirs and use their two countries, so the mutation suite's cases find the
    rows they expect."""
    root = tmp_path_factory.mktemp("small") / "project"
    generate(root, 4, prefix="syn-", countries=["KZ", "RU"])
    shutil.copytree(MINI / "seeds", root / "seeds", dirs_exist_ok=True)
    shutil.copytree(FIGURES / "seeds", root / "seeds", dirs_exist_ok=True)
    for table in ("cities", "bodies"):  # the mini fixture's countries are two: KZ and RU
        (root / "seeds" / "reference" / f"{table}.yaml").unlink()
    build(root)
    return root


def test_both_validators_give_the_same_verdicts_at_small_n(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both accept the package; both reject each corruption frictionless can see (the
    verdicts the validation benchmark compares); only ours rejects the others. The
    frictionless runs go side by side, as each takes a second of start-up."""
    runs = {}
    for name in ["clean", *SEEN_BY_FRICTIONLESS, "only-ours"]:
        root = tmp_path / name
        shutil.copytree(small, root)
        monkeypatch.chdir(root)
        cases = ONLY_OURS if name == "only-ours" else [] if name == "clean" else [name]
        expects = [PACKAGE_CASES[case](root) for case in cases]
        problems = check_package(root / PACKAGE / "datapackage.json")
        if not expects:
            assert problems.lines() == []
        for expect in expects:
            assert_reported(problems, expect)
        runs[name] = frictionless_started(root / PACKAGE)
    verdicts = {name: run.wait(timeout=300) for name, run in runs.items()}
    wanted = {name: 1 for name in SEEN_BY_FRICTIONLESS} | {"clean": 0, "only-ours": 0}
    assert verdicts == wanted


def frictionless_started(package: Path) -> subprocess.Popen[bytes]:
    command = [FRICTIONLESS, "validate", str(package / "datapackage.json")]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
