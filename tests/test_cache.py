"""The unit cache (publish/cache.py): each unit's rows kept under .cache/build/ by the hash of its
files, read again only when they change; never a different byte for it, never trusted when
damaged, never keeping rows whose files changed while they were read."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from eaeu_facts.cli import Progress, progress_line
from eaeu_facts.model import paths
from eaeu_facts.model.errors import BuildError
from eaeu_facts.publish import cache
from eaeu_facts.publish.keys import FileHashes, workers
from eaeu_facts.publish.pipeline import build
from eaeu_facts.read.units import Read, Unit
from tests.helpers import (
    CORPUS,
    PACKAGE,
    REFERENCE,
    assert_as_clean_build,
    copy_project,
    database_rows,
    files,
)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The units the builds of a test read, every one of them in this process (no workers:
    they would not see the spy)."""
    read: list[str] = []
    real = cache.read_unit
    monkeypatch.setattr(cache, "INLINE_UNITS", 10**9)
    monkeypatch.setattr(cache, "read_unit", lambda r, c, u: read.append(u.name) or real(r, c, u))
    return read


def _source(root: Path, i: int) -> str:
    return f"sources/{next((root / paths.SOURCES).glob(f'{i:05d}_*.txt')).stem}"


# The same bytes ---------------------------------------------------------------------------------


def test_cached_and_uncached_builds_write_the_same_bytes(tmp_path: Path, reads: list[str]) -> None:
    root = generate(tmp_path / "project", 5)
    build(root, tmp_path / "cold")
    assert len(reads) == 5 + REFERENCE  # five sources, and every reference file
    reads.clear()
    build(root, tmp_path / "warm")  # another target: built in full, from cache
    assert reads == []
    assert files(tmp_path / "warm") == files(tmp_path / "cold")
    generate(root, 5, variant=[3])  # one source changes: its unit alone is read again
    build(root, tmp_path / "changed")
    assert reads == [_source(root, 3)]
    assert files(tmp_path / "changed") != files(tmp_path / "cold")
    shutil.rmtree(root / paths.UNIT_CACHE)
    reads.clear()
    build(root, tmp_path / "uncached")
    assert len(reads) == 5 + REFERENCE
    assert files(tmp_path / "uncached") == files(tmp_path / "changed")
    assert database_rows(tmp_path / "uncached", root) == database_rows(tmp_path / "changed", root)


def test_worker_processes_and_one_process_write_the_same_bytes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus's units read by spawned workers (two cores or more) give the package a
    clean build, which reads them in this process (fewer than INLINE_UNITS), gives."""
    root = copy_project(tmp_path / "project", corpus / "seeds", schemas=corpus / "schemas")
    assert CORPUS + 2 < cache.INLINE_UNITS  # its sources and reference files
    contexts: list[str | None] = []
    real = cache.multiprocessing.get_context
    monkeypatch.setattr(
        cache.multiprocessing, "get_context", lambda m=None: contexts.append(m) or real(m)
    )
    monkeypatch.setattr(cache, "INLINE_UNITS", 1)
    build(root)
    assert contexts == (["spawn"] if workers() >= 2 else [])
    assert_as_clean_build(root)


# Never trusted when damaged ---------------------------------------------------------------------


def _truncate(folder: Path) -> None:
    for path in folder.rglob("*.arrow"):
        path.write_bytes(path.read_bytes()[:100])


def _lose_a_table(folder: Path) -> None:
    for path in folder.glob("*/trade.arrow"):
        path.unlink()


def _garble_index(folder: Path) -> None:
    for path in folder.glob("*/units.json"):
        path.write_text("{not json", encoding="utf-8")


def _other_code(folder: Path) -> None:
    for path in folder.glob("*/units.json"):
        index = json.loads(path.read_text(encoding="utf-8"))
        index["fingerprint"] = "0" * 64
        path.write_text(json.dumps(index), encoding="utf-8")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "a-table-missing": _lose_a_table,
    "index-garbled": _garble_index,
    "written-by-other-code": _other_code,
}


def _shards(folder: Path) -> dict[str, dict[str, bytes]]:
    return {
        shard.name: {p.name: p.read_bytes() for p in shard.iterdir()}
        for shard in folder.glob("shard-*")
    }


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_is_read_again_not_trusted(
    tmp_path: Path, reads: list[str], damage: Callable[[Path], None]
) -> None:
    root = generate(tmp_path / "project", 3)
    build(root, tmp_path / "first")
    folder = root / paths.UNIT_CACHE
    before = _shards(folder)
    damage(folder)
    after = _shards(folder)
    damaged = {
        name
        for shard, content in before.items()
        if after[shard] != content
        for name, _ in json.loads(content["units.json"])["units"]
    }
    assert damaged
    reads.clear()
    build(root, tmp_path / "second")
    assert files(tmp_path / "first") == files(tmp_path / "second")
    assert sorted(reads) == sorted(damaged)


def test_a_unit_with_a_problem_is_never_kept(tmp_path: Path, reads: list[str]) -> None:
    """Its rows are read again by every build, so its problems are reported every time."""
    root = generate(tmp_path / "project", 3)
    build(root)
    facts = next((root / paths.FACTS).glob("00001_*.yaml"))
    facts.write_text(facts.read_text(encoding="utf-8") + "unknown_table: []\n", encoding="utf-8")
    failures = []
    for _ in range(2):
        reads.clear()
        with pytest.raises(BuildError) as exc:
            build(root)
        failures.append(exc.value.problems.lines())
        assert reads == [_source(root, 1)]
    assert failures[0] == failures[1] and failures[0]


def test_what_a_killed_build_left_in_the_cache_is_removed(tmp_path: Path) -> None:
    root = generate(tmp_path / "project", 3)
    build(root)
    folder = root / paths.UNIT_CACHE
    dead = folder / ".shard-07.999999999"  # a shard being written when the build was killed
    dead.mkdir()
    (dead / "units.json").write_text("{}", encoding="utf-8")
    (folder / "stray").write_text("x", encoding="utf-8")
    generate(root, 3, variant=[1])
    build(root)
    shards = {p.name for p in folder.iterdir()}
    assert shards and all(name.startswith("shard-") for name in shards), shards


# Files changed while they are read ------------------------------------------------------------


def test_a_facts_file_changed_while_the_build_reads_it_is_not_trusted_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A curator's edit lands while the build runs (a `git stash` during a long build, say):
    the build reads the facts file as it was, then the edit is back (`git stash pop`). The
    next build must publish what the files say, not answer "unchanged". (One unit to read:
    it is read in this process, where the spy is.)"""
    root = generate(tmp_path / "project", 5)
    build(root)
    path = next((root / paths.FACTS).glob("00003_*.yaml"))
    published = path.read_bytes()
    edited = published.replace(b'name_en: "', b'name_en: "Edited ', 1)
    assert edited != published
    path.write_bytes(edited)
    read = cache.read_unit

    def stashed_while_read(root: Path, catalog: object, unit: Unit) -> Read:
        if unit.files[-1] == path.relative_to(root).as_posix():
            path.write_bytes(published)  # the edit stashed, after its key was hashed
        return read(root, catalog, unit)

    monkeypatch.setattr(cache, "read_unit", stashed_while_read)
    build(root)
    monkeypatch.setattr(cache, "read_unit", read)
    path.write_bytes(edited)  # the edit popped back
    assert build(root).how == "patched"
    assert_as_clean_build(root)
    assert b"Edited " in (root / PACKAGE / "csv" / "meetings.csv").read_bytes()


# Hashes remembered by what stat() says ----------------------------------------------------------


def test_a_file_is_hashed_again_after_any_write(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"first")
    hashes = FileHashes(tmp_path / "files.json")
    hashes.started += 10 * FileHashes.RACY_NS  # as if the build began well after the write
    first = hashes.digest(path, "a.txt")
    hashes.save()
    # What is remembered is trusted while stat() says the same: a planted hash is returned.
    data = json.loads((tmp_path / "files.json").read_text())
    data["files"]["a.txt"][4] = "0" * 64
    (tmp_path / "files.json").write_text(json.dumps(data))
    assert FileHashes(tmp_path / "files.json").digest(path, "a.txt") == "0" * 64
    # The same size and mtime after a write: the ctime tells.
    old = path.stat()
    path.write_bytes(b"other")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    again = FileHashes(tmp_path / "files.json").digest(path, "a.txt")
    assert again not in (first, "0" * 64)


def test_a_file_written_just_now_is_not_remembered(tmp_path: Path) -> None:
    """A write in the clock tick of the hashing could leave stat() unchanged: such a file is
    hashed again next time, while one written well before is remembered."""
    earlier, now = tmp_path / "earlier.txt", tmp_path / "now.txt"
    earlier.write_bytes(b"earlier")
    time.sleep(0.1)
    now.write_bytes(b"now")
    hashes = FileHashes(tmp_path / "files.json")
    hashes.RACY_NS = 50_000_000  # 50 ms, so the test need not wait two seconds
    hashes.started = now.stat().st_ctime_ns
    for path in (earlier, now):
        hashes.digest(path, path.name)
    hashes.save()
    assert sorted(FileHashes(tmp_path / "files.json").known) == ["earlier.txt"]


# Progress ---------------------------------------------------------------------------------------


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


def test_a_build_shows_progress_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = generate(tmp_path / "project", 2)
    build(root, tmp_path / "quiet")
    assert capsys.readouterr().err == ""
    shutil.rmtree(root / paths.UNIT_CACHE)
    terminal = _Terminal()
    shown = Progress(terminal)
    build(root, tmp_path / "shown", progress=shown)
    shown.close()
    err = terminal.getvalue()
    assert err.startswith("\rsources "), repr(err)
    assert f"sources {2 + REFERENCE}/{2 + REFERENCE} · " in err and err.endswith(
        " · done\x1b[K\n"
    ), repr(err)


# A build run off a terminal prints nothing on stderr: test_cli.py's first test holds it to.
