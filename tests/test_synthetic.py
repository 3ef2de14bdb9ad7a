"""The synthetic corpus, and the fast build and validation paths it is used to measure.

The corpus must build like real seeds (every figure, date and quotation covered or waived)
and be the same bytes for the same seed. The fast paths must never change what is published
or let through what the row-by-row checks would fault: the mutation suite of test_errors.py
runs through them here, and frictionless is held to the same corruptions at small N.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eaeu_facts import incremental, publish
from eaeu_facts.errors import BuildError
from eaeu_facts.fastcheck import package_sound, read_csv, tables_sound
from eaeu_facts.incremental import Fallback, Progress, progress_line
from eaeu_facts.package import verify_package
from eaeu_facts.schemas import Field, Table
from eaeu_facts.synthetic import generate
from tests.conftest import MINI
from tests.tampering import FIGURES, PACKAGE, assert_reported, make_project
from tests.test_errors import INPUT, PACKAGE_CASES
from tests.test_package import FRICTIONLESS, ONLY_OURS, SEEN_BY_FRICTIONLESS
from tests.test_publish import snapshot


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


N = 30  # enough for the build to use its worker processes (incremental.INLINE_UNITS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty synthetic sources, built once; read it, don't change it."""
    root = generate(tmp_path_factory.mktemp("synthetic") / "project", N)
    publish.build(root)
    return root


# The generator -------------------------------------------------------------------------------


def test_the_corpus_builds_validates_and_fills_every_table(corpus: Path) -> None:
    assert verify_package(corpus / PACKAGE / "datapackage.json").lines() == []
    counts = {
        p.stem: len(p.read_bytes().splitlines()) - 1 for p in (corpus / PACKAGE).glob("csv/*")
    }
    assert all(counts.values()), counts
    assert counts["sources"] == N and sum(counts.values()) > N * 80
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


# Cache and fast path: the same bytes ---------------------------------------------------------


def package(root: Path, out: Path, fast: bool = True) -> dict[str, bytes]:
    """The package files a build writes: from the cache (fast) or by the reference path."""
    if fast:
        catalog, tables = publish.fast_tables(root, progress=False)
    else:
        catalog, tables, _ = publish.assemble(root)
    publish.write_package(catalog, tables, out)
    return files(out)


def test_cached_uncached_and_reference_builds_write_the_same_bytes(tmp_path: Path) -> None:
    root = generate(tmp_path / "project", 5)
    publish.build(root)  # a cold build: fills the cache
    assert any((root / incremental.CACHE_DIR).iterdir())
    reference = package(root, tmp_path / "reference", fast=False)
    assert snapshot(root / PACKAGE) == reference
    assert package(root, tmp_path / "warm") == reference
    generate(root, 5, variant=[3])  # one source changes: its unit alone is built again
    changed = package(root, tmp_path / "changed")
    assert changed != reference
    assert changed == package(root, tmp_path / "changed-reference", fast=False)
    shutil.rmtree(root / incremental.CACHE_DIR)
    assert package(root, tmp_path / "uncached") == changed


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    root = generate(tmp_path / "project", 3)
    publish.build(root, tmp_path / "first")
    for path in (root / incremental.CACHE_DIR).rglob("*.arrow"):
        path.write_bytes(path.read_bytes()[:100])
    publish.build(root, tmp_path / "second")
    assert snapshot(tmp_path / "first") == snapshot(tmp_path / "second")


# The fast checks never pass what the row-by-row checks fault --------------------------------


def test_the_fast_check_passes_the_packages_the_build_writes(built: Path, corpus: Path) -> None:
    assert package_sound(built / PACKAGE / "datapackage.json")
    assert package_sound(corpus / PACKAGE / "datapackage.json")


@pytest.mark.parametrize("case", PACKAGE_CASES.values(), ids=PACKAGE_CASES.keys())
def test_the_fast_check_doubts_every_tampered_package(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: object
) -> None:
    root = tmp_path / "project"
    shutil.copytree(built, root)
    monkeypatch.chdir(root)
    case(root)  # type: ignore[operator]
    assert not package_sound(root / PACKAGE / "datapackage.json")


@pytest.mark.parametrize("case", INPUT.values(), ids=INPUT.keys())
def test_the_fast_build_doubts_every_bad_input(tmp_path: Path, case: object) -> None:
    """Each corruption stops the per-source work, or fails the checks the fast path runs
    on the whole package before publishing it; either way the reference path reports it."""
    root = make_project(tmp_path / "project")
    case(root)  # type: ignore[operator]
    try:
        catalog, tables = publish.fast_tables(root, progress=False)
    except (Fallback, BuildError):
        return
    arrow = {name: data.arrow() for name, data in tables.items()}
    texts = {
        row["source_id"]: (root / row["path"]).read_text(encoding="utf-8")
        for row in arrow["sources"].to_pylist()
    }
    assert not tables_sound(catalog, arrow, texts)


_CELLS = st.text(alphabet=["a", "ب", " ", ",", '"', "\n"], max_size=30)


@settings(max_examples=400, deadline=None)
@given(body=_CELLS)
def test_arrow_reads_csv_cells_as_pythons_reader_does(body: str) -> None:
    """The assumption fastcheck.read_csv rests on, tested rather than claimed."""
    fields = tuple(Field(name, "string", name, name) for name in ("a", "b"))
    table = Table("t", "t", "t", "fact", 0, fields, (), (), "t.csv")
    data = f"a,b\n{body}".encode()
    typed = read_csv(table, data)
    if typed is None:
        return
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert [[v or None for v in row] for row in rows] == [
        list(r.values()) for r in typed.to_pylist()
    ]


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
    publish.build(root)
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
        problems = verify_package(root / PACKAGE / "datapackage.json")
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


# Progress ----------------------------------------------------------------------------------


def test_progress_says_files_done_rate_and_time_left() -> None:
    assert progress_line(1_200, 10_000, 14.0) == "sources 1,200/10,000 · 86/s · 1:43 left"
    assert progress_line(0, 10, 0.0) == "sources 0/10 · 0/s · time left unknown"
    assert progress_line(10, 10, 2.0) == "sources 10/10 · 5/s · done"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_silent_elsewhere() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        shown = Progress(stream, every=0)
        shown(5, 10)
        shown(10, 10)
        shown.close()
    assert terminal.getvalue().startswith("\rsources 5/10")
    assert terminal.getvalue().endswith("done\x1b[K\n")
    assert pipe.getvalue() == ""


# A build run off a terminal prints nothing on stderr: test_cli.py's first test holds it to.
