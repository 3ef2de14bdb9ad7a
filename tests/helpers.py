"""What the tests share: the projects they start from, ways to break them as a careless
curator or a tamperer would, how a problem must be reported, how a package compares with a
clean build's, and how to run the command and stop it at a moment of its life.

The base project is the real schemas with tests/fixtures/mini and tests/fixtures/figures laid
over it (a second source with an indicator and an amount in Arabic-Indic digits). Edits are
made to the file text, so the line a problem names is the line a person would open.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from eaeu_facts.model.errors import BuildError, Problem, Problems
from eaeu_facts.model.frames import to_arrow
from eaeu_facts.model.interrupts import STOP_AT
from eaeu_facts.model.paths import DATABASE_FILE, parquet_file
from eaeu_facts.model.schemas import Catalog, load_catalog
from eaeu_facts.read.evidence import sha256_hex
from eaeu_facts.read.package import read_csv

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
MINI_FACTS = "seeds/facts/001_0123456789abcdef.yaml"
MINI_TEXT = "seeds/sources/001_0123456789abcdef.txt"
# Synthetic sources in the `corpus` fixture: fewer than cache.INLINE_UNITS, so that a
# clean build of it reads them in its own process.
CORPUS = 20
# The reference files of a synthetic corpus: the gazetteer's four and its aliases.
REFERENCE = 5

FIGURES = REPO / "tests" / "fixtures" / "figures"
MINI_RECORD = MINI_TEXT.removesuffix(".txt") + ".yaml"
FIG_FACTS = "seeds/facts/002_fedcba9876543210.yaml"
FIG_TEXT = "seeds/sources/002_fedcba9876543210.txt"
FIG_RECORD = FIG_TEXT.removesuffix(".txt") + ".yaml"
COUNTRIES = "seeds/reference/countries.yaml"
PACKAGE = "datapackage"


def copy_project(root: Path, *seeds: Path, schemas: Path = REPO / "schemas") -> Path:
    """A project at `root`: the schemas, and each seeds folder laid over the ones before."""
    shutil.copytree(schemas, root / "schemas")
    for folder in seeds:
        shutil.copytree(folder, root / "seeds", dirs_exist_ok=True)
    return root


def make_project(root: Path) -> Path:
    """The real schemas with the mini and figures seeds, in a fresh directory."""
    root.mkdir(parents=True)
    return copy_project(root, MINI / "seeds", FIGURES / "seeds")


def replace(root: Path, rel: str, old: str, new: str, nth: int = 1) -> None:
    """Replace the nth occurrence of `old` in a text file; fail loudly if it is not there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth):
        at = text.find(old, at + 1)
        assert at != -1, f"{old!r} occurs fewer than {nth} times in {rel}"
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of a file containing `needle`."""
    lines = [
        i for i, line in enumerate((root / rel).read_text("utf-8").split("\n"), 1) if needle in line
    ]
    assert len(lines) >= nth, f"{needle!r} is on fewer than {nth} lines of {rel}"
    return lines[nth - 1]


def rehash(root: Path, text_rel: str, record_rel: str) -> None:
    """Record the text's new sha256, as a curator adding a corrected source would."""
    digest = sha256_hex((root / text_rel).read_bytes())
    path = root / record_rel
    path.write_text(
        re.sub(r"(?m)^sha256: .*$", f"sha256: {digest}", path.read_text("utf-8")), encoding="utf-8"
    )


@dataclass(frozen=True)
class Expect:
    """A problem line as it must be reported: exact place and field, parts of the rest."""

    path: str
    line: int | None
    field: str
    found: str
    expected: str
    column: int | None = None

    def matches(self, p: Problem) -> bool:
        return (
            (p.path, p.line, p.column, p.field) == (self.path, self.line, self.column, self.field)
            and self.found in p.found
            and self.expected in p.expected
        )


def assert_reported(problems: Problems, expect: Expect) -> None:
    report = "\n".join(problems.lines()) or "(no problems)"
    assert any(expect.matches(p) for p in problems.items), f"{expect}\nnot in:\n{report}"
    for line in problems.lines():
        assert "\n" not in line and re.match(
            r"^\S+?(:\d+){0,2}: [^:]+: found .*, expected .+", line
        )


# Comparing packages -----------------------------------------------------------------------------


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder and its bytes, the database aside (it is compared by its rows
    and shape: DuckDB's file layout is not byte-reproducible)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != DATABASE_FILE
    }


def database_rows(package: Path, root: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(package / DATABASE_FILE), read_only=True) as con:
        return {
            t.name: con.sql(
                f"SELECT * FROM {t.name} ORDER BY {', '.join(t.primary_key)}"
            ).fetchall()
            for t in load_catalog(root).tables
        }


def database_shape(package: Path) -> tuple[Any, ...]:
    """What else a database must share with a clean build's: the storage version any DuckDB
    from 1.0 on reads, the views, and every constraint."""
    with duckdb.connect(str(package / DATABASE_FILE), read_only=True) as con:
        return (
            con.sql(
                "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
            ).fetchall(),
            con.sql(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
            ).fetchall(),
            con.sql(
                "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
                "ORDER BY ALL"
            ).fetchall(),
        )


Clean = tuple[dict[str, bytes], dict[str, list[tuple]], tuple[Any, ...]]
# What a build in a fresh directory gives for the seeds and schemas of a digest: its files,
# database rows and database shape, or its problem lines. Tests revisit inputs (an edit
# undone, the same corpus): each is built once per session.
_CLEAN: dict[str, Clean | list[str]] = {}


def inputs_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for part in ("schemas", "seeds"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file():
                rel = path.relative_to(root).as_posix().encode("utf-8")
                digest.update(rel + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def clean_build(root: Path) -> Clean | list[str]:
    """The package a build of root's seeds and schemas publishes in a fresh directory (no
    cache, no record of a last build), or the problem lines it fails with."""
    from eaeu_facts.publish.pipeline import build

    key = inputs_digest(root)
    if key not in _CLEAN:
        with tempfile.TemporaryDirectory(prefix="eaeu-facts-clean-") as tmp:
            out = copy_project(Path(tmp), root / "seeds", schemas=root / "schemas")
            try:
                build(out)
            except BuildError as exc:
                assert not (out / PACKAGE).exists()  # a failed build publishes nothing
                _CLEAN[key] = exc.problems.lines()
            else:
                package = out / PACKAGE
                shape = database_shape(package)
                _CLEAN[key] = (files(package), database_rows(package, out), shape)
    return _CLEAN[key]


def assert_as_clean_build(root: Path, target: Path | None = None, where: str = "") -> None:
    """The package at target (default: root's) is what a clean build of root's seeds and
    schemas publishes: the same bytes, the same rows in the same kind of database."""
    target = target or root / PACKAGE
    expected = clean_build(root)
    assert not isinstance(expected, list), f"{where}: a clean build fails: {expected[:3]}"
    published, rows, shape = expected
    assert files(target) == published, where
    assert database_rows(target, root) == rows, where
    assert database_shape(target) == shape, where


def copy_built(built: Path, root: Path) -> Path:
    """A copy of a built project whose record of the last build names the copy's package,
    as if it had been built there: the next build starts from it (test_pipeline holds it
    to that)."""
    from eaeu_facts.publish.pipeline import stamps

    shutil.copytree(built, root)
    record = root / ".cache" / "published.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data.update(target=str((root / PACKAGE).resolve()), files=stamps(root / PACKAGE))
    record.write_text(json.dumps(data), encoding="utf-8")
    return root


# Running the command ----------------------------------------------------------------------------

COMMAND = str(Path(sys.executable).parent / "eaeu-facts")
FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")


def run(root: Path | None, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it, in a process of its own."""
    where = ["--root", str(root)] if root is not None else []
    return subprocess.run(
        [COMMAND, *args, *where],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,
    )


def assert_one_line(stderr: str, *parts: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    for part in parts:
        assert part in lines[0], lines[0]
    assert "Traceback" not in stderr


class Stopped:
    """The command stopped at a moment of its life (model/interrupts.moment), for a test to
    act on it there: send a signal, lower a limit, kill it; then `resume`."""

    def __init__(self, args: list[str], moment: str, **kwargs: Any) -> None:
        env = {**os.environ, **kwargs.pop("env", {}), STOP_AT: moment}
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            # A shell that starts a job in the background ignores Ctrl+C for it: not here.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            **kwargs,
        )
        self.pid = self.process.pid
        # Read as it writes, so that a full pipe never keeps it from its moment.
        self.output = [bytearray(), bytearray()]
        self.readers = [
            threading.Thread(target=_drain, args=(stream, into), daemon=True)
            for stream, into in zip(
                (self.process.stdout, self.process.stderr), self.output, strict=True
            )
        ]
        for reader in self.readers:
            reader.start()
        _, status = os.waitpid(self.pid, os.WUNTRACED)  # the event: it stopped itself
        if not os.WIFSTOPPED(status):
            for reader in self.readers:
                reader.join()
            err = self.output[1].decode("utf-8", "replace")
            raise AssertionError(f"ended before {moment} (status {status}): {err}")

    def children(self) -> list[int]:
        """The processes it started (a build's pool), while it is stopped."""
        found = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            found += [int(p) for p in (task / "children").read_text().split()]
        return found

    def resume(self, *signals: int) -> tuple[int, str, str]:
        """Send the signals, let it go on, and wait for it to end: exit code, stdout, stderr."""
        for signum in signals:
            os.kill(self.pid, signum)
        os.kill(self.pid, signal.SIGCONT)
        code = self.process.wait(timeout=300)
        for reader in self.readers:
            reader.join()
        out, err = (data.decode("utf-8", "replace") for data in self.output)
        return code, out, err


def _drain(stream: Any, into: bytearray) -> None:
    for chunk in iter(lambda: stream.read1(65536), b""):
        into += chunk


def stopped(root: Path, moment: str, *args: str, **kwargs: Any) -> Stopped:
    """`eaeu-facts ARGS --root ROOT`, stopped at `moment`."""
    return Stopped([COMMAND, *args, "--root", str(root)], moment, **kwargs)


# Tampering with a published package ---------------------------------------------------------


def read_rows(package: Path, name: str) -> list[dict[str, str]]:
    with (package / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(package: Path, name: str, rows: list[dict[str, str]], parquet: bool = True) -> None:
    """Rewrite a table's CSV (and, if asked, its Parquet to match) and fix the descriptor's
    bytes and hashes, so only the deeper checks can see what changed."""
    table = Catalog.from_frictionless(_descriptor(package)).table(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.field_names)
    writer.writerows([row[n] for n in table.field_names] for row in rows)
    content = buffer.getvalue().encode("utf-8")
    (package / "csv" / f"{name}.csv").write_bytes(content)
    if parquet:
        typed = read_csv(table, content, name, Problems(), set())
        path = package / parquet_file(name)
        pq.write_table(to_arrow(table, typed), path, compression="zstd")
    fix_hashes(package)


def change_rows(
    package: Path, name: str, change: Callable[[list[dict[str, str]]], None], parquet: bool = True
) -> None:
    rows = read_rows(package, name)
    change(rows)
    write_rows(package, name, rows, parquet)


def fix_hashes(package: Path) -> None:
    """Make datapackage.json list the bytes and hashes the files now have."""
    descriptor = _descriptor(package)
    for res in descriptor["resources"]:
        data = (package / res["path"]).read_bytes()
        if "hash" in res:
            res["hash"] = f"sha256:{sha256_hex(data)}"
        if "bytes" in res:
            res["bytes"] = len(data)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (package / "datapackage.json").write_text(text, encoding="utf-8")


def at_cell(
    root: Path, name: str, where: tuple[str, str], found: str, expected: str, nth: int = 1
) -> Expect:
    """The problem a cell of the published CSV must get, the cell given as `(key, field)` (the
    nth row whose first column is key) or as `(field, value)` (the nth row with that value)."""
    rows = read_rows(root / PACKAGE, name)
    header = list(rows[0])
    if where[0] in header[1:]:
        (field, value), match = where, where[0]
    else:
        (value, field), match = where, header[0]
    lines = [line for line, row in enumerate(rows, 2) if row[match] == value]
    assert len(lines) >= nth, f"{match} {value!r} is in fewer than {nth} rows of {name}.csv"
    rel = f"{PACKAGE}/csv/{name}.csv"
    return Expect(rel, lines[nth - 1], field, found, expected, header.index(field) + 1)


def _descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
