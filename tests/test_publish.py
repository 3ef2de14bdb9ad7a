"""Publishing: a failed or killed build leaves the previous package; a rebuild is byte-identical."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from eaeu_facts import publish
from eaeu_facts.cli import main
from eaeu_facts.database import DATABASE_FILE
from eaeu_facts.errors import BuildError
from tests.conftest import MINI_FACTS, REPO
from tests.tampering import replace

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
    """A built project, safe to modify."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    return root


# A failed build -----------------------------------------------------------------------------


def test_a_build_with_bad_input_leaves_the_package_untouched(project: Path) -> None:
    before = snapshot(project / "datapackage")
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test: News")
    with pytest.raises(BuildError):
        publish.build(project)
    assert snapshot(project / "datapackage") == before
    assert leftovers(project) == []


def test_a_build_failing_its_own_verification_leaves_the_package_untouched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file spoiled after it is listed: the staged package fails its own validation."""
    write_package = publish.write_package

    def spoiled(catalog: object, tables: object, out: Path) -> None:
        write_package(catalog, tables, out)
        path = out / "csv" / "people.csv"
        path.write_bytes(path.read_bytes() + b"\n")

    before = snapshot(project / "datapackage")
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    monkeypatch.setattr(publish, "write_package", spoiled)
    with pytest.raises(BuildError) as exc:
        publish.build(project)
    assert any(": hash: found 'sha256:" in line for line in exc.value.problems.lines())
    assert snapshot(project / "datapackage") == before
    assert leftovers(project) == []


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

    publish.build(project)
    assert leftovers(project) == []
    publish.build(project, tmp_path / "fresh")
    assert snapshot(project / "datapackage") == snapshot(tmp_path / "fresh")
    assert snapshot(project / "datapackage") != before


def test_a_build_killed_while_swapping_without_exchange_is_undone(project: Path) -> None:
    """Where renameat2 is missing, the old package is moved aside first; the next build puts
    it back if the new one never arrived."""
    before = snapshot(project / "datapackage")
    (project / "datapackage").rename(project / ".datapackage.old")
    (project / ".datapackage.build-x").mkdir()
    publish.clear_leftovers(project / "datapackage")
    assert snapshot(project / "datapackage") == before
    assert leftovers(project) == []


def test_swap_in_replaces_the_whole_directory(tmp_path: Path) -> None:
    old, new = tmp_path / "datapackage", tmp_path / "staging"
    for path, name in ((old, "old.txt"), (new, "new.txt")):
        path.mkdir()
        (path / name).write_text(name, encoding="utf-8")
    publish.swap_in(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["new.txt"]


# Reproducible bytes -------------------------------------------------------------------------


def test_two_builds_write_the_same_bytes(built: Path, tmp_path: Path) -> None:
    publish.build(built, tmp_path / "a")
    publish.build(built, tmp_path / "b")
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {name.split("/")[0] for name in first} == {"csv", "parquet", "datapackage.json"}
    assert first == second
    assert first == snapshot(built / "datapackage")


def test_another_directory_hash_seed_and_working_directory_give_the_same_bytes(
    built: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "a" / "different" / "place"
    elsewhere.parent.mkdir(parents=True)
    shutil.copytree(built, elsewhere, ignore=shutil.ignore_patterns("datapackage"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Pacific/Kiritimati", "LC_ALL": "C"}
    command = [sys.executable, "-m", "eaeu_facts.cli", "build", "--root", str(elsewhere)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert snapshot(elsewhere / "datapackage") == snapshot(built / "datapackage")


# build --check --------------------------------------------------------------------------------


def _check(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--check", "--root", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_check_passes_on_a_fresh_build(project: Path) -> None:
    assert _check(project) == (0, "datapackage/ is up to date\n")


def test_check_names_what_an_edit_would_change(project: Path) -> None:
    replace(project, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    code, output = _check(project)
    assert code == 1
    named = {line.split(":")[0] for line in output.splitlines()}
    assert named == {
        "datapackage/csv/organizations.csv",
        "datapackage/parquet/organizations.parquet",
        "datapackage/datapackage.json",
    }


def test_check_names_a_tampered_or_stray_file(project: Path) -> None:
    (project / "datapackage" / "csv" / "people.csv").write_bytes(b"person_id\n")
    (project / "datapackage" / "csv" / "stray.csv").write_bytes(b"x\n")
    code, output = _check(project)
    assert code == 1
    assert "datapackage/csv/people.csv: differs from a fresh build" in output
    assert "datapackage/csv/stray.csv: differs from a fresh build" in output


def test_check_reports_bad_input_like_build(project: Path) -> None:
    replace(project, MINI_FACTS, "amount: 5000000000", "amount: five")
    code, output = _check(project)
    assert code == 1
    assert f"{MINI_FACTS}:58: amount: found 'five', expected a whole number" in output


def test_the_committed_package_is_up_to_date() -> None:
    assert publish.differences(REPO) == []
