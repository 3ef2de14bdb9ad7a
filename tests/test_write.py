"""Writing and publishing a package (publish/write.py): a failed or killed build leaves the
previous package; the same seeds give the same bytes anywhere."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.frames import to_arrow
from eaeu_facts.publish import pipeline
from eaeu_facts.publish.pipeline import build, stamps
from eaeu_facts.publish.write import clear_leftovers, swap_in, verify, write_package
from eaeu_facts.read.package import read_package
from tests.helpers import MINI_FACTS, files, fix_hashes, replace, stopped


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".datapackage"))


# A failed build -----------------------------------------------------------------------------


def test_a_build_with_bad_input_leaves_the_package_untouched(built_copy: Path) -> None:
    before, stamped = files(built_copy / "datapackage"), stamps(built_copy / "datapackage")
    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test: News")
    with pytest.raises(BuildError):
        build(built_copy)
    assert files(built_copy / "datapackage") == before
    assert stamps(built_copy / "datapackage") == stamped  # the database too
    assert leftovers(built_copy) == []


def test_a_build_failing_its_own_verification_leaves_the_package_untouched(
    built_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file spoiled after it is listed: the staged package fails its own verification."""
    write_package = pipeline.write_package

    def spoiled(catalog: object, tables: object, out: Path, root: Path, stop: object) -> None:
        write_package(catalog, tables, out, root, stop)
        path = out / "csv" / "people.csv"
        path.write_bytes(path.read_bytes() + b"\n")

    before, stamped = files(built_copy / "datapackage"), stamps(built_copy / "datapackage")
    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    monkeypatch.setattr(pipeline, "write_package", spoiled)
    with pytest.raises(BuildError) as exc:
        build(built_copy)
    assert any(": hash: found 'sha256:" in line for line in exc.value.problems.lines())
    assert files(built_copy / "datapackage") == before
    assert stamps(built_copy / "datapackage") == stamped  # the database too
    assert leftovers(built_copy) == []
    monkeypatch.undo()
    assert build(built_copy).how == "patched"  # what the last build left is still its record


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
    write_package(catalog, frames, out, built)
    assert files(out) == files(built / "datapackage")
    assert verify(catalog, frames, out).lines() == []

    people = out / "csv" / "people.csv"
    people.write_bytes(people.read_bytes() + b"\n")
    lines = verify(catalog, frames, out).lines()
    assert [line.split(": ")[:2] for line in lines] == [
        ["csv/people.csv", "bytes"],
        ["csv/people.csv", "hash"],
    ]

    write_package(catalog, frames, out, built)
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


# Moments of a build (model/interrupts.moment): the staging folder made, one table written
# of many, everything written and verified just before the swap.
KILL_POINTS = ["build:staging", "build:table-written", "build:swap"]


@pytest.mark.parametrize("moment", KILL_POINTS)
def test_a_killed_build_leaves_the_previous_package(
    built_copy: Path, tmp_path: Path, moment: str
) -> None:
    before = files(built_copy / "datapackage")
    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    build_ = stopped(built_copy, moment, "build")
    assert _staging(built_copy) is not None  # what the killed build leaves behind
    code, _, err = build_.resume(signal.SIGKILL)
    assert code == -signal.SIGKILL, err
    assert files(built_copy / "datapackage") == before
    assert _staging(built_copy) is not None

    assert build(built_copy).how == "patched"  # the package the last build left is still there
    assert leftovers(built_copy) == []
    build(built_copy, tmp_path / "fresh")
    assert files(built_copy / "datapackage") == files(tmp_path / "fresh")
    assert files(built_copy / "datapackage") != before


def test_a_build_killed_while_swapping_without_exchange_is_undone(built_copy: Path) -> None:
    """Where renameat2 is missing, the old package is moved aside first; the next build puts
    it back if the new one never arrived."""
    before = files(built_copy / "datapackage")
    (built_copy / "datapackage").rename(built_copy / ".datapackage.old")
    (built_copy / ".datapackage.build-x").mkdir()
    clear_leftovers(built_copy / "datapackage")
    assert files(built_copy / "datapackage") == before
    assert leftovers(built_copy) == []


def test_swap_in_replaces_the_whole_directory(tmp_path: Path) -> None:
    old, new = tmp_path / "datapackage", tmp_path / "staging"
    for path, name in ((old, "old.txt"), (new, "new.txt")):
        path.mkdir()
        (path / name).write_text(name, encoding="utf-8")
    swap_in(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["new.txt"]


# Reproducible bytes -------------------------------------------------------------------------


def test_two_builds_write_the_same_bytes(built_copy: Path, tmp_path: Path) -> None:
    build(built_copy, tmp_path / "a")
    build(built_copy, tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert {name.split("/")[0] for name in first} == {
        "csv",
        "parquet",
        "sources",
        "datapackage.json",
    }
    assert first == second
    assert first == files(built_copy / "datapackage")


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
    command = [sys.executable, "-m", "eaeu_facts", "build", "--root", str(elsewhere)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "built datapackage/\n"
    assert files(elsewhere / "datapackage") == files(built / "datapackage")
