"""Faults of the machine, on real filesystems: a full disk at each stage where a build writes
(the cache, the package's files, the database, putting the package in place), a read-only
filesystem, no permission, a file where a folder is needed, too many open files; and
interrupts. Each ends in one line and exit 1 (130, 143 for an interrupt), the published
package untouched, nothing half-written left, and the next build, once the fault is gone,
gives the bytes of a clean one.

Mounting a filesystem needs root (CI runs as root): those tests are skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from tests.conftest import MINI_FACTS, copy_project
from tests.tampering import PACKAGE, make_project, replace

CLI = [str(Path(sys.executable).parent / "eaeu-facts")]
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a filesystem needs root")
EDIT = ("    name_en: Test News\n", "    name_en: Test News Agency\n")


def run(root: Path, *args: str, wrap: tuple[str, ...] = (), **kwargs: object) -> tuple[int, str]:
    result = subprocess.run(
        [*wrap, *CLI, *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[arg-type]
    )
    return result.returncode, result.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "eaeu-facts.duckdb"
    }


def assert_one_line(stderr: str, *parts: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    for part in parts:
        assert part in lines[0], lines[0]
    assert "Traceback" not in stderr


def assert_nothing_half_written(root: Path) -> None:
    left = [p.name for p in root.iterdir() if p.name.startswith(f".{PACKAGE}.")]
    if (root / ".cache").is_dir():
        left += [str(p) for p in (root / ".cache").rglob(".*") if p.name != ".filler"]
    assert left == []


def assert_refused_until_freed(
    root: Path, published: dict[str, bytes], filler: Path, tmp: Path, *line: str
) -> None:
    """The build stops in one line holding `line`, with the package as published and nothing
    half written; once the filler is gone, it builds what a clean build would."""
    code, err = run(root, "build")
    assert code == 1
    assert_one_line(err, *line)
    assert files(root / PACKAGE) == published
    assert_nothing_half_written(root)
    filler.unlink()
    assert run(root, "build")[0] == 0
    assert_as_clean_build(root, tmp)


def assert_as_clean_build(root: Path, tmp: Path) -> None:
    """The package equals a build from scratch of the same seeds."""
    clean = copy_project(tmp / "clean", root / "seeds", schemas=root / "schemas")
    assert run(clean, "build")[0] == 0
    assert files(root / PACKAGE) == files(clean / PACKAGE)


@contextmanager
def mounted(at: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `at` for the block."""
    at.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(at)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield at
    finally:
        subprocess.run(["umount", "-l", str(at)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Fill the filesystem of `folder`, leaving about `leave` bytes free."""
    filler = folder / ".filler"
    free = shutil.disk_usage(folder).free
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    assert run(root, "build")[0] == 0
    return root


# A full disk at each stage ---------------------------------------------------------------------


@ROOT_ONLY
def test_a_full_disk_while_keeping_the_cache(built: Path, tmp_path: Path) -> None:
    published = files(built / PACKAGE)
    shutil.rmtree(built / ".cache")
    with mounted(built / ".cache", "2m") as cache:
        filler = fill(cache, leave=0)
        replace(built, MINI_FACTS, *EDIT)
        line = (f"{cache}", "No space left on device", f"free space on {cache}")
        assert_refused_until_freed(built, published, filler, tmp_path, *line)


@ROOT_ONLY
@pytest.mark.parametrize("stage", ["write the package's files", "write the database"])
def test_a_full_disk_while_writing_the_package(tmp_path: Path, stage: str) -> None:
    """The project on its own small filesystem, its cache on another: what is left free is
    too little for the package's files, or enough for them but not for the database."""
    with mounted(tmp_path / "disk", "64m") as disk:
        root = make_project(disk / "project")
        with mounted(root / ".cache", "64m"):
            assert run(root, "build")[0] == 0
            published = files(root / PACKAGE)
            replace(root, MINI_FACTS, *EDIT)
            run(root, "build", "--check")  # the cache of the edit, so the build writes no more
            (root / ".cache" / "published.json").unlink()  # a new database, not a patched copy
            sized = sum(len(data) for data in published.values())
            database = (root / PACKAGE / "eaeu-facts.duckdb").stat().st_size
            leave = 16 * 1024 if stage.endswith("files") else sized + (database - sized) // 4
            filler = fill(disk, leave)
            line = (f": {stage}: No space left on device", f"free space on {disk}")
            assert_refused_until_freed(root, published, filler, tmp_path, *line)


@ROOT_ONLY
def test_a_package_folder_that_cannot_be_renamed(built: Path) -> None:
    """The package folder is a mount point: the new one cannot take its place (EBUSY)."""
    published = files(built / PACKAGE)
    shutil.rmtree(built / PACKAGE)
    with mounted(built / PACKAGE, "64m") as target:
        for name, data in published.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        replace(built, MINI_FACTS, *EDIT)
        code, err = run(built, "build")
        assert code == 1
        assert_one_line(err, f"{target}: put the new package in place: ", "busy")
        assert files(target) == published
        assert_nothing_half_written(built)


# Other faults -----------------------------------------------------------------------------------


@ROOT_ONLY
def test_a_read_only_filesystem(tmp_path: Path) -> None:
    with mounted(tmp_path / "disk", "64m") as disk:
        root = make_project(disk / "project")
        assert run(root, "build")[0] == 0
        published = files(root / PACKAGE)
        replace(root, MINI_FACTS, *EDIT)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        code, err = run(root, "build")
        assert code == 1
        assert_one_line(err, "Read-only file system", f"{disk} is mounted read-only")
        assert files(root / PACKAGE) == published


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_no_permission_to_write(built: Path) -> None:
    """A folder the user may not write to (root without the capability to override it)."""
    published = files(built / PACKAGE)
    replace(built, MINI_FACTS, *EDIT)
    shutil.rmtree(built / ".cache")
    built.chmod(0o555)
    try:
        caps = "-dac_override,-dac_read_search"
        wrap = ("setpriv", "--bounding-set", caps, "--inh-caps", caps, "--")
        code, err = run(built, "build", wrap=wrap)
    finally:
        built.chmod(0o755)
    assert code == 1
    assert_one_line(err, f"{built / '.cache'}: ", "Permission denied", "let this user write")
    assert files(built / PACKAGE) == published


def test_a_file_where_a_folder_is_needed(built: Path, tmp_path: Path) -> None:
    shutil.rmtree(built / ".cache")
    (built / ".cache").write_text("not a folder\n")
    published = files(built / PACKAGE)
    replace(built, MINI_FACTS, *EDIT)
    code, err = run(built, "build")
    assert code == 1
    assert_one_line(err, ".cache", "a file stands where a folder is needed")
    assert files(built / PACKAGE) == published
    (built / ".cache").unlink()
    assert run(built, "build")[0] == 0
    assert_as_clean_build(built, tmp_path)


def test_too_many_open_files(built: Path) -> None:
    import resource

    published = files(built / PACKAGE)
    shutil.rmtree(built / ".cache")  # every source read again, every file written

    def few() -> None:  # enough to start, too few to build
        resource.setrlimit(resource.RLIMIT_NOFILE, (10, 10))

    code, err = run(built, "build", preexec_fn=few)
    assert code == 1
    assert_one_line(err, "Too many open files", "ulimit -n")
    assert files(built / PACKAGE) == published


# Interrupts -------------------------------------------------------------------------------------

SOURCES = 300


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate(tmp_path_factory.mktemp("large") / "project", SOURCES)
    assert run(root, "build")[0] == 0
    return root


def interrupt(root: Path, sig: int, after: float, *args: str) -> tuple[int, str, float]:
    """Run the command, send `sig` `after` seconds in; its exit code, stderr and how long it
    took to stop once signalled."""
    process = subprocess.Popen(
        [*CLI, *args, "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell that starts a job in the background ignores Ctrl+C for it: not here.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(after)
    assert process.poll() is None, "the command ended before the signal; make it slower"
    process.send_signal(sig)
    sent = time.monotonic()
    _, err = process.communicate(timeout=60)
    return process.returncode, err, time.monotonic() - sent


LEFT_TO_THE_TRACKER = """
import multiprocessing, os, sys
from eaeu_facts.build import cache
if sys.argv[1] == "quiet":
    cache._quiet_tracker()
locks = [multiprocessing.get_context("spawn").Lock() for _ in range(3)]
sys.stderr.write("interrupted\\n")
sys.stderr.flush()
os._exit(143)
"""


@pytest.mark.parametrize("tracker", ["quiet", "default"])
def test_semaphores_left_at_an_interrupt_are_removed_without_a_word(tracker: str) -> None:
    """What an interrupted build's pool held, multiprocessing's tracker removes once the
    build is gone; started by the build, it says nothing (its default is a warning)."""
    result = subprocess.run(
        [sys.executable, "-c", LEFT_TO_THE_TRACKER, tracker],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # stderr ends when the tracker, which shares it, has done its work
    assert result.returncode == 143
    if tracker == "quiet":
        assert result.stderr == "interrupted\n"
    else:
        assert "leaked semaphore" in result.stderr


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_stops_at_once_and_publishes_nothing(
    large: Path, tmp_path: Path, sig: int, code: int
) -> None:
    published = files(large / PACKAGE)
    generate(large, SOURCES, variant=list(range(SOURCES)))  # every source to read again
    try:
        returned, err, took = interrupt(large, sig, 2.0, "build")
        assert (returned, err) == (code, f"interrupted; {PACKAGE}/ unchanged\n")
        assert took < 1.0
        assert files(large / PACKAGE) == published
    finally:
        generate(large, SOURCES)


@pytest.mark.parametrize("command", ["validate", "query"])
def test_ctrl_c_stops_validate_and_query_at_once(large: Path, command: str) -> None:
    args = {
        "validate": ("validate",),
        "query": ("query", "SELECT sum(hash(a)) FROM range(100000000000) AS t(a)"),
    }[command]
    returned, err, took = interrupt(large, signal.SIGINT, 1.5, *args)
    assert (returned, err) == (130, "interrupted\n")
    assert took < 1.0


def test_a_build_interrupted_then_run_again_is_a_clean_build(large: Path, tmp_path: Path) -> None:
    generate(large, SOURCES, variant=[1, 2, 3])
    try:
        interrupt(large, signal.SIGINT, 1.0, "build")
        assert run(large, "build")[0] == 0
        assert_nothing_half_written(large)
        assert_as_clean_build(large, tmp_path)
    finally:
        generate(large, SOURCES)
