"""Validating a published package as a user receives it (check/package.py, `eaeu-facts
validate`), with our checks and with frictionless.

The tampering cases themselves are in test_errors.py; here: the committed package is sound,
and the real `frictionless validate` sees the corruptions it can see, and misses the others.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from eaeu_facts.check.package import check_package
from eaeu_facts.model.frames import data, format_value
from eaeu_facts.read.package import read_package
from tests.cases import ONLY_OURS, PACKAGE_CASES, SEEN_BY_FRICTIONLESS
from tests.helpers import FRICTIONLESS, PACKAGE, REPO, assert_reported, read_rows


def frictionless(package: Path) -> subprocess.CompletedProcess[str]:
    command = [FRICTIONLESS, "validate", str(package / "datapackage.json")]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def test_the_committed_package_is_valid() -> None:
    assert check_package(REPO / PACKAGE / "datapackage.json").lines() == []
    result = frictionless(REPO / PACKAGE)
    assert result.returncode == 0, result.stdout


def test_the_package_read_back_holds_the_rows_its_csv_files_hold(built: Path) -> None:
    """Every table read from its CSV file, typed, each value as its cell writes it, and
    nothing doubted."""
    package = read_package(built / PACKAGE / "datapackage.json")
    assert package.problems.lines() == [] and package.complete and not package.unread
    assert sorted(package.frames) == sorted(package.catalog.names)
    for table in package.catalog.tables:
        typed = data(table, package.frames[table.name]).iter_rows(named=True)
        cells = [{name: format_value(v) for name, v in row.items()} for row in typed]
        assert cells == read_rows(built / PACKAGE, table.name), table.name


def test_a_package_moved_elsewhere_proves_its_evidence_by_itself(
    built: Path, tmp_path: Path
) -> None:
    """The source texts travel in the package (#27): a copy anywhere, with no project beside
    it, checks every evidence span; a copy without its texts cannot, and says which."""
    shutil.copytree(built / PACKAGE, tmp_path / "copy")
    assert check_package(tmp_path / "copy" / "datapackage.json").lines() == []
    assert check_package(tmp_path / "copy" / "datapackage.json", tmp_path).lines() == []
    shutil.rmtree(tmp_path / "copy" / "sources")
    lines = check_package(tmp_path / "copy" / "datapackage.json").lines()
    assert lines and all(".path: found 'sources/" in line for line in lines), lines


@pytest.mark.parametrize("name", SEEN_BY_FRICTIONLESS)
def test_frictionless_rejects_what_it_can_see(published: Path, name: str) -> None:
    expect = PACKAGE_CASES[name](published)
    assert_reported(check_package(published / PACKAGE / "datapackage.json"), expect)
    result = frictionless(published / PACKAGE)
    assert result.returncode == 1, result.stdout


def test_frictionless_misses_what_only_our_rules_see(published: Path) -> None:
    expects = [PACKAGE_CASES[name](published) for name in ONLY_OURS]
    problems = check_package(published / PACKAGE / "datapackage.json")
    for expect in expects:
        assert_reported(problems, expect)
    result = frictionless(published / PACKAGE)
    assert result.returncode == 0, result.stdout


# A package replaced while it is read ---------------------------------------------------------


def _replacing(folder: Path, times: int) -> tuple[list[int], object]:
    """A read that puts a new folder where `folder` is during its first `times` calls, as a
    build publishing does (one rename), and finds problems each time."""
    reads: list[int] = []

    def read() -> str:
        reads.append(len(reads))
        if len(reads) <= times:
            new = folder.with_name(f"new-{len(reads)}")
            new.mkdir()
            new.replace(folder)  # an empty folder is replaced in one rename
        return f"read {len(reads)}"

    return reads, read


def test_a_package_replaced_during_a_read_is_read_again(tmp_path: Path) -> None:
    from eaeu_facts.read.package import consistent

    folder = tmp_path / "datapackage"
    folder.mkdir()
    reads, read = _replacing(folder, 1)
    assert consistent(folder, read, lambda _: True, lambda _: "busy") == "read 2"
    assert len(reads) == 2


def test_a_package_replaced_during_every_read_is_said_so(tmp_path: Path) -> None:
    from eaeu_facts.read.package import ATTEMPTS, consistent

    folder = tmp_path / "datapackage"
    folder.mkdir()
    reads, read = _replacing(folder, ATTEMPTS)
    assert consistent(folder, read, lambda _: True, lambda out: f"busy after {out}") == (
        f"busy after read {ATTEMPTS}"
    )
    assert len(reads) == ATTEMPTS
