"""Writing and publishing a package (build/write.py): a failed or killed build leaves the
previous package; the same seeds give the same bytes anywhere."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from eaeu_facts.build import pipeline
from eaeu_facts.build.pipeline import build, stamps
from eaeu_facts.build.write import clear_leftovers, swap_in, verify, write_package
from eaeu_facts.check.package import read_package
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import to_arrow
from eaeu_facts.model.paths import DATABASE_FILE
from tests.conftest import MINI_FACTS
from tests.tampering import fix_hashes, replace
from tests.test_pipeline import copy_built

# Not byte-reproducible (DuckDB's file layout), kept out of git and of datapackage.json.
UNHASHED = (DATABASE_FILE,)


def snapshot(package: Path) -> dict[str, bytes]:
    """Every file of a package and its bytes, the database aside."""
    return {
        p.relative_to(package).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.is_file() and not p.name.startswith(UNHASHED)
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".datapackage"))


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A built project, safe to modify, whose package is the one its last build left."""
    return copy_built(built, tmp_path / "project")


# A failed build -----------------------------------------------------------------------------


def test_a_build_with_bad_input_leaves_the_package_untouched(project: Path) -> None:
    before, stamped = snapshot(project / "datapackage"), stamps(project / "datapackage")
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test: News")
    with pytest.raises(BuildError):
        build(project)
    assert snapshot(project / "datapackage") == before
    assert stamps(project / "datapackage") == stamped  # the database too
    assert leftovers(project) == []


def test_a_build_failing_its_own_verification_leaves_the_package_untouched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file spoiled after it is listed: the staged package fails its own verification."""
    write_package = pipeline.write_package

    def spoiled(catalog: object, tables: object, out: Path) -> None:
        write_package(catalog, tables, out)
        path = out / "csv" / "people.csv"
        path.write_bytes(path.read_bytes() + b"\n")

    before, stamped = snapshot(project / "datapackage"), stamps(project / "datapackage")
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    monkeypatch.setattr(pipeline, "write_package", spoiled)
    with pytest.raises(BuildError) as exc:
        build(project)
    assert any(": hash: found 'sha256:" in line for line in exc.value.problems.lines())
    assert snapshot(project / "datapackage") == before
    assert stamps(project / "datapackage") == stamped  # the database too
    assert leftovers(project) == []
    monkeypatch.undo()
    assert build(project).how == "patched"  # what the last build left is still its record


def test_verify_holds_files_to_the_descriptor_and_parquet_to_the_rows(
    built: Path, tmp_path: Path
) -> None:
    """The package read back and written again is the same bytes, and verifies; a file not as
    listed, or a Parquet file (listed as it is) short of a row, does not."""
    package = read_package(built / "datapackage" / "datapackage.json")
    assert package.problems.lines() == []
    catalog, frames = package.catalog, package.frames
    out = tmp_path / "out"
    out.mkdir()
    write_package(catalog, frames, out)
    assert snapshot(out) == snapshot(built / "datapackage")
    assert verify(catalog, frames, out).lines() == []

    people = out / "csv" / "people.csv"
    people.write_bytes(people.read_bytes() + b"\n")
    lines = verify(catalog, frames, out).lines()
    assert [line.split(": ")[:2] for line in lines] == [
        ["csv/people.csv", "bytes"],
        ["csv/people.csv", "hash"],
    ]

    write_package(catalog, frames, out)
    quotes = catalog.table("quotes")
    short = frames["quotes"].head(frames["quotes"].height - 1)
    pq.write_table(to_arrow(quotes, short), out / "parquet" / "quotes.parquet")
    fix_hashes(out)
    (line,) = verify(catalog, frames, out).lines()
    expected = f"{frames['quotes'].height} rows of {', '.join(quotes.field_names)}"
    assert line == f"parquet/quotes.parquet: rows: found {short.height}, expected {expected}"


# A killed build -----------------------------------------------------------------------------


def _staging(root: Path) -> Path | None:
    found = [p for p in root.iterdir() if p.name.startswith(".datapackage.build-")]
    return found[0] if found else None


KILL_POINTS: dict[str, Callable[[Path], bool]] = {
    "staging-created": lambda staging: True,
    "tables-half-written": lambda staging: len(list(staging.glob("*/*.csv"))) >= 6,
    "descriptor-written": lambda staging: (staging / "datapackage.json").exists(),
}


@pytest.mark.parametrize("point", KILL_POINTS.values(), ids=KILL_POINTS.keys())
def test_a_killed_build_leaves_the_previous_package(
    project: Path, tmp_path: Path, point: Callable[[Path], bool]
) -> None:
    before = snapshot(project / "datapackage")
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    command = [sys.executable, "-m", "eaeu_facts.cli", "build", "--root", str(project)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            staging = _staging(project)
            if staging is not None and point(staging):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.0005)
        process.wait(timeout=60)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
    assert snapshot(project / "datapackage") == before
    assert _staging(project) is not None  # what the killed build left behind

    assert build(project).how == "patched"  # the package the last build left is still there
    assert leftovers(project) == []
    build(project, tmp_path / "fresh")
    assert snapshot(project / "datapackage") == snapshot(tmp_path / "fresh")
    assert snapshot(project / "datapackage") != before


def test_a_build_killed_while_swapping_without_exchange_is_undone(project: Path) -> None:
    """Where renameat2 is missing, the old package is moved aside first; the next build puts
    it back if the new one never arrived."""
    before = snapshot(project / "datapackage")
    (project / "datapackage").rename(project / ".datapackage.old")
    (project / ".datapackage.build-x").mkdir()
    clear_leftovers(project / "datapackage")
    assert snapshot(project / "datapackage") == before
    assert leftovers(project) == []


def test_swap_in_replaces_the_whole_directory(tmp_path: Path) -> None:
    old, new = tmp_path / "datapackage", tmp_path / "staging"
    for path, name in ((old, "old.txt"), (new, "new.txt")):
        path.mkdir()
        (path / name).write_text(name, encoding="utf-8")
    swap_in(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["new.txt"]


# Reproducible bytes -------------------------------------------------------------------------


def test_two_builds_write_the_same_bytes(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "a")
    build(project, tmp_path / "b")
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {name.split("/")[0] for name in first} == {"csv", "parquet", "datapackage.json"}
    assert first == second
    assert first == snapshot(project / "datapackage")


def test_another_directory_hash_seed_and_working_directory_give_the_same_bytes(
    built: Path, tmp_path: Path
) -> None:
    """Built with nothing of the first build (no package, no cache) under another hash seed,
    time zone, locale and working directory."""
    elsewhere = tmp_path / "a" / "different" / "place"
    elsewhere.parent.mkdir(parents=True)
    shutil.copytree(built, elsewhere, ignore=shutil.ignore_patterns("datapackage", ".cache"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Kiritimati", "LC_ALL": "C"}
    command = [sys.executable, "-m", "eaeu_facts.cli", "build", "--root", str(elsewhere)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "built datapackage/\n"
    assert snapshot(elsewhere / "datapackage") == snapshot(built / "datapackage")
