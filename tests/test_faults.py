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
import resource
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from tests.helpers import (
    COMMAND,
    CORPUS,
    MINI_FACTS,
    PACKAGE,
    Stopped,
    assert_as_clean_build,
    assert_one_line,
    files,
    make_project,
    replace,
    stopped,
)

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a filesystem needs root")
EDIT = ("    name_en: Test News\n", "    name_en: Test News Agency\n")


def run(root: Path, *args: str, wrap: tuple[str, ...] = (), **kwargs: object) -> tuple[int, str]:
    result = subprocess.run(
        [*wrap, COMMAND, *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,  # type: ignore[arg-type]
    )
    return result.returncode, result.stderr


def assert_nothing_half_written(root: Path) -> None:
    left = [p.name for p in root.iterdir() if p.name.startswith(f".{PACKAGE}.")]
    if (root / ".cache").is_dir():
        left += [str(p) for p in (root / ".cache").rglob(".*") if p.name != ".filler"]
    assert left == []


def assert_refused_until_freed(
    root: Path, published: dict[str, bytes], filler: Path, *line: str
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
    assert_as_clean_build(root)


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


# A full disk at each stage ---------------------------------------------------------------------


@ROOT_ONLY
def test_a_full_disk_while_keeping_the_cache(built_copy: Path) -> None:
    published = files(built_copy / PACKAGE)
    shutil.rmtree(built_copy / ".cache")
    with mounted(built_copy / ".cache", "2m") as cache:
        filler = fill(cache, leave=0)
        replace(built_copy, MINI_FACTS, *EDIT)
        line = (f"{cache}", "No space left on device", f"free space on {cache}")
        assert_refused_until_freed(built_copy, published, filler, *line)


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
            assert_refused_until_freed(root, published, filler, *line)


@ROOT_ONLY
def test_a_package_folder_that_cannot_be_renamed(built_copy: Path) -> None:
    """The package folder is a mount point: the new one cannot take its place (EBUSY)."""
    published = files(built_copy / PACKAGE)
    shutil.rmtree(built_copy / PACKAGE)
    with mounted(built_copy / PACKAGE, "64m") as target:
        for name, data in published.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
        replace(built_copy, MINI_FACTS, *EDIT)
        code, err = run(built_copy, "build")
        assert code == 1
        assert_one_line(err, f"{target}: put the new package in place: ", "busy")
        assert files(target) == published
        assert_nothing_half_written(built_copy)


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
def test_no_permission_to_write(built_copy: Path) -> None:
    """A folder the user may not write to (root without the capability to override it)."""
    published = files(built_copy / PACKAGE)
    replace(built_copy, MINI_FACTS, *EDIT)
    shutil.rmtree(built_copy / ".cache")
    built_copy.chmod(0o555)
    try:
        caps = "-dac_override,-dac_read_search"
        wrap = ("setpriv", "--bounding-set", caps, "--inh-caps", caps, "--")
        code, err = run(built_copy, "build", wrap=wrap)
    finally:
        built_copy.chmod(0o755)
    assert code == 1
    assert_one_line(err, f"{built_copy / '.cache'}: ", "Permission denied", "let this user write")
    assert files(built_copy / PACKAGE) == published


def test_a_file_where_a_folder_is_needed(built_copy: Path) -> None:
    shutil.rmtree(built_copy / ".cache")
    (built_copy / ".cache").write_text("not a folder\n")
    published = files(built_copy / PACKAGE)
    replace(built_copy, MINI_FACTS, *EDIT)
    code, err = run(built_copy, "build")
    assert code == 1
    assert_one_line(err, ".cache", "a file stands where a folder is needed")
    assert files(built_copy / PACKAGE) == published
    (built_copy / ".cache").unlink()
    assert run(built_copy, "build")[0] == 0
    assert_as_clean_build(built_copy)


def test_too_many_open_files(built_copy: Path) -> None:
    """The limit is lowered, while the build is stopped before it writes the package, to
    the three files every process holds open: the first file it writes is one too many."""
    published = files(built_copy / PACKAGE)
    shutil.rmtree(built_copy / ".cache")  # every source read again, every file written
    replace(built_copy, MINI_FACTS, *EDIT)
    build = stopped(built_copy, "build:staging", "build")
    resource.prlimit(build.pid, resource.RLIMIT_NOFILE, (3, 3))
    code, _, err = build.resume()
    assert code == 1, err
    assert_one_line(err, "Too many open files", "ulimit -n")
    assert files(built_copy / PACKAGE) == published


# Interrupts -------------------------------------------------------------------------------------
#
# The command is stopped at a moment of its life (model/interrupts.moment), and the signal
# sent while it is there: each test acts on an event, never after a guessed delay.

BUILD_MOMENTS = [
    "start",  # nothing imported yet but the standard library
    "command",  # the command line read, the command about to run
    "build:read",  # the sources being read, in worker processes for a large corpus
    "check:schema",  # pandera checking a table, on polars' threads
    "build:staging",  # the package being written beside the published one
    "build:table-written",
    "build:swap",  # the new package written and verified, about to be put in place
    "end",  # the command done, the process ending
]


@pytest.mark.parametrize("moment", BUILD_MOMENTS)
def test_a_build_interrupted_at_any_moment_says_so_in_one_line(
    corpus_copy: Path, moment: str
) -> None:
    """Exit 130 and one line that says whether the new package was put in place; the
    package is the last build's or the new one, whole, as the line says."""
    before = files(corpus_copy / PACKAGE)
    generate(corpus_copy, CORPUS, variant=[1, 2, 3])
    code, _, err = stopped(corpus_copy, moment, "build").resume(signal.SIGINT)
    assert code == 130, err
    if err == f"interrupted; {PACKAGE}/ unchanged\n":
        assert files(corpus_copy / PACKAGE) == before
    elif err == f"interrupted; {PACKAGE}/ published just before\n":
        assert_as_clean_build(corpus_copy)
    else:  # before the build command ran
        assert (moment, err) in {("start", "interrupted\n"), ("command", "interrupted\n")}
        assert files(corpus_copy / PACKAGE) == before


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_ends_its_worker_processes(
    corpus_copy: Path, sig: int, code: int
) -> None:
    """Ten more sources and every one changed: more than cache.INLINE_UNITS to read, so the
    build reads them in worker processes, and none outlives it."""
    before = files(corpus_copy / PACKAGE)
    generate(corpus_copy, CORPUS + 10, variant=list(range(CORPUS + 10)))
    build = stopped(corpus_copy, "build:workers", "build")
    children = build.children()
    assert children  # the pool's workers (and multiprocessing's resource tracker)
    returned, _, err = build.resume(sig)  # returns once nothing holds its stderr open
    assert (returned, err) == (code, f"interrupted; {PACKAGE}/ unchanged\n")
    assert files(corpus_copy / PACKAGE) == before
    assert [pid for pid in children if not _ends(pid)] == []


def test_a_build_interrupted_then_run_again_is_a_clean_build(corpus_copy: Path) -> None:
    generate(corpus_copy, CORPUS, variant=[1, 2, 3])
    stopped(corpus_copy, "build:table-written", "build").resume(signal.SIGINT)
    assert run(corpus_copy, "build")[0] == 0
    assert_nothing_half_written(corpus_copy)
    assert_as_clean_build(corpus_copy)


def _ends(pid: int) -> bool:
    """Whether the process ends: waits for the kernel to say so (a pidfd turns readable when
    its process exits), since a worker killed by the build may close its files, and so let the
    build's stderr end, a moment before it has exited. False after a minute."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True  # gone, and reaped
    try:
        return bool(select.select([fd], [], [], 60)[0])
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    ("args", "moment"),
    [
        (("validate",), "start"),
        (("validate",), "validate:read"),  # polars reading the tables
        (("validate",), "check:schema"),  # pandera checking a table, on polars' threads
        (("validate",), "end"),
        (("query", "SELECT sum(hash(a)) FROM range(100000000000) AS t(a)"), "query:run"),
        (("tables",), "command"),
        (("candidates", "seeds/sources/000_7b4a6b2ad4421f89.txt"), "command"),
    ],
    ids=[
        "validate-start",
        "validate-read",
        "validate-schema",
        "validate-end",
        "query",
        "tables",
        "candidates",
    ],
)
def test_ctrl_c_at_any_moment_of_a_command_is_one_line(
    article: Path, args: tuple[str, ...], moment: str
) -> None:
    """The query runs until interrupted (it would take hours): its end proves the
    interrupt, not the query, ended it."""
    where = () if args[0] == "candidates" else ("--root", str(article))
    command = Stopped([COMMAND, *args, *where], moment, cwd=article)
    code, _, err = command.resume(signal.SIGINT)
    assert (code, err) == (130, "interrupted\n")


LEFT_TO_THE_TRACKER = """
import multiprocessing, os, sys
from eaeu_facts.publish import cache
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


@pytest.mark.parametrize(
    "command",
    [[COMMAND], [sys.executable, "-m", "eaeu_facts"]],
    ids=["eaeu-facts", "python-m"],
)
def test_ctrl_c_while_the_command_imports_is_one_line(command: list[str]) -> None:
    """The handler is installed by the package's first lines, before anything the command
    imports (the standard library's typing and threading, click, polars...)."""
    code, _, err = Stopped([*command, "--version"], "installed").resume(signal.SIGINT)
    assert (code, err) == (130, "interrupted\n")
    probe = subprocess.run(
        [sys.executable, "-c", FIRST_IMPORTS],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    installed, *imported = probe.stdout.split()
    assert installed == "True"
    # Before the handler, only the package and a few small modules of the standard library.
    assert not {"typing", "click", "polars", "traceback"} & set(imported), imported


# The modules `import eaeu_facts` imports, run as the command, and whether the handler is in.
FIRST_IMPORTS = """
import sys
sys.argv = ["eaeu-facts"]
before = set(sys.modules)
import eaeu_facts
from eaeu_facts.model import interrupts
print(interrupts.installed(), *sorted(set(sys.modules) - before))
"""


STOP_IN_SITE = "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\n"


def test_ctrl_c_in_the_interpreters_own_start_up_gets_pythons_answer(tmp_path: Path) -> None:
    """The one window left: the interpreter's start-up (its site module here), before the
    first line of eaeu-facts installs the handler. Python answers with its own traceback;
    the docs' command line page says so (10 to 15 ms after the process starts, here)."""
    (tmp_path / "sitecustomize.py").write_text(STOP_IN_SITE, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path)}
    code, _, err = Stopped([COMMAND, "--version"], "never", env=env).resume(signal.SIGINT)
    assert code != 130 and err.rstrip().endswith("KeyboardInterrupt"), err
    assert "eaeu_facts" not in err
