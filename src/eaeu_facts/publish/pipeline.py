"""The build, from seeds/ and schemas/ to a published package, in one pipeline.

    # Load inputs: the schemas, the units of seeds/ and the hash of each.
    # Process data: every unit's rows (from the cache where unchanged), sorted, checked.
    # Save outputs: the package written and verified beside the published one, with its
    #   database loaded (or, after a few changes, the published database patched), while
    #   the rows are checked; then swapped in at once if all is sound; and a record of what
    #   it was built from, for the next build.

There is one route: a rebuild differs only in what it finds unchanged. Nothing changed since
the last build means nothing to do; a few sources changed means their units are read again
and the database is patched; the files are written whole every time, from the same rows.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from threading import Event

import polars as pl

from eaeu_facts.check.findings import Locator, report
from eaeu_facts.check.rules import Tables
from eaeu_facts.check.schema import warm_up
from eaeu_facts.check.tables import check_tables
from eaeu_facts.model import paths
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.faults import doing
from eaeu_facts.model.frames import UNIT, sort
from eaeu_facts.model.interrupts import moment, uninterrupted
from eaeu_facts.model.schemas import Catalog, load_catalog
from eaeu_facts.publish.cache import cached_mentions, gather, locked
from eaeu_facts.publish.database import patch_database, write_database
from eaeu_facts.publish.keys import ROW_LIBRARIES, fingerprint, keyed, stamp_of
from eaeu_facts.publish.write import clear_leftovers, swap_in, verify, write_package
from eaeu_facts.read.mentions import MENTIONS
from eaeu_facts.read.units import Read, Unit, find_units, read_texts

# What the rows of a unit depend on besides its files (the unit cache's fingerprint), and what
# the published package depends on besides the rows (the last build's): the code these
# modules run, found by their imports. Not docs/, serve/ nor draft/, nor read/accuracy.py:
# editing them changes no published byte.
ROW_STAGES = ("eaeu_facts.read.units",)
PACKAGE_STAGES = ("eaeu_facts.publish.pipeline",)
PACKAGE_LIBRARIES = (*ROW_LIBRARIES, "pandera", "pycountry", "duckdb")


@dataclass(frozen=True)
class Outcome:
    """What a build did: "unchanged" (nothing to do), "patched" (the last package's database
    patched, `changed` sources read again) or "full" (the database loaded anew)."""

    target: Path
    how: str
    changed: int | None = None

    def describe(self, root: Path) -> str:
        where = self.target.relative_to(root) if self.target.is_relative_to(root) else self.target
        if self.how == "patched":
            units = "source" if self.changed == 1 else "sources"
            return f"built {where}/ ({self.changed} {units} changed, patched)"
        if self.how == "unchanged":
            return f"{where}/ is up to date (nothing changed since the last build)"
        return f"built {where}/"


def build(
    root: Path,
    target: Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Build the package from root's seeds and schemas and publish it at `target` (default
    ROOT/datapackage) in one step; BuildError, with every problem, and nothing published,
    when the input has any. `progress` is told how many sources of how many are read, as
    they are (the command line draws it on a terminal: cli.Progress)."""
    target = target or root / paths.PACKAGE_DIR
    warm_up()
    # Load inputs.
    refuse_links_out(root)
    catalog = load_catalog(root)
    rows_key = fingerprint(root, ROW_STAGES, ROW_LIBRARIES)
    found, problems = find_units(root)
    with doing("hash the inputs and keep their hashes", root / paths.FILE_HASHES):
        units = keyed(root, found, rows_key)
    package_key = fingerprint(root, PACKAGE_STAGES, PACKAGE_LIBRARIES)
    last = LastBuild.load(root, package_key, target)
    changed = last.changed(units) if last else None
    if changed == set() and not problems:
        return Outcome(target, "unchanged", 0)
    # Process data, and save outputs: the files are written and the database loaded or
    # patched while the rows are checked, and published only if both are sound.
    moment("build:read")
    with doing("read the sources and keep their rows", root / paths.CACHE):
        tables, read, unsure = assemble(root, catalog, units, rows_key, progress)
    checks = partial(check, root, catalog, tables, read, problems, changed)
    if problems or read.problems:  # the build fails: report every problem, write nothing
        checks()
    record = LastBuild(
        package_key, target, {u.name: "" if u.name in unsure else u.key for u in units}
    )
    if publish(root, target, catalog, tables, record, changed, checks):
        return Outcome(target, "patched", len(changed or ()))
    return Outcome(target, "full")


def refuse_links_out(root: Path) -> None:
    """BuildError when an input under schemas/ or seeds/ resolves outside the project."""
    problems = Problems()
    for rel, target in paths.links_out(root):
        expected = "a file inside the project (a build reads nothing outside it)"
        problems.add(rel, None, "path", f"<a link to {target}>", expected)
    if problems:
        raise BuildError(problems)


def assemble(
    root: Path,
    catalog: Catalog,
    units: list[Unit],
    rows_key: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, pl.DataFrame], Read, set[str]]:
    """Every table's rows, in primary-key order; what reading them found; and the units whose
    files changed while they were read."""
    gathered = gather(root, catalog, units, rows_key, progress)
    tables = {t.name: sort(t, gathered.frames[t.name]) for t in catalog.tables}
    if MENTIONS in tables:  # across sources: every source may name every entity
        found = cached_mentions(root, catalog, units, rows_key, tables)
        tables[MENTIONS] = sort(catalog.table(MENTIONS), found)
    return tables, gathered.read, gathered.unsure


def check(
    root: Path,
    catalog: Catalog,
    tables: dict[str, pl.DataFrame],
    read: Read,
    problems: Problems,
    changed: set[str] | None = None,
) -> None:
    """Check every table; BuildError with every problem found (`problems` holds those found
    before the rows were read). With `changed`, the units changed since the last build, whose
    package holds the others' rows as published, the rules of one row read only their rows."""
    # Rules across tables read rows other files give: not when a file could not be read.
    complete = read.complete and not problems
    problems.extend(read.problems)
    # The rules that read the texts read only the rows of the changed units, if any.
    sources = tables["sources"]
    texts = read_texts(root, sources if changed is None else _of(sources, changed))
    checked = Tables(catalog, tables, texts, frozenset(read.unread))
    report(check_tables(checked, complete, changed), Locator(root, catalog), problems)
    # A figure left uncovered by a broken row is that row's problem, reported once already.
    if not problems:
        problems.extend(read.uncovered)
    if problems:
        raise BuildError(problems)


def _of(frame: pl.DataFrame, units: set[str]) -> pl.DataFrame:
    return frame.filter(pl.col(UNIT).is_in(list(units)))


def publish(
    root: Path,
    target: Path,
    catalog: Catalog,
    tables: dict[str, pl.DataFrame],
    record: LastBuild,
    changed: set[str] | None,
    checks: Callable[[], None],
) -> bool:
    """Write, verify and swap in the package, and keep `record` of it, while `checks` run,
    and only if they pass; True when the published database was patched (`changed`: the
    units changed since the last build, when the package at target is the last build's, as
    it left it). BuildError when the checks fail or the written package does not verify, and
    nothing is published."""
    # A package folder that is a link is published where it leads: the link stays as the
    # user made it, and the new folder is written beside the one it replaces.
    link = target if target.is_symlink() else None
    target = Path(os.path.realpath(target)) if link else target
    with doing("create the folder of the package", target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of other builds seen while holding the lock on the folder the package is
    # published in are from killed builds, not from running ones.
    with ExitStack() as held:
        with doing("lock the folder of the package", target.parent):
            held.enter_context(locked(target.parent))
            if link is not None and link.parent != target.parent:
                held.enter_context(locked(link.parent))
        with doing("clear what an earlier build left", target.parent):
            clear_leftovers(target)
            if link is not None:
                clear_leftovers(link)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
            staging.chmod(0o755)  # mkdtemp's 0700 would keep the package from its readers
        moment("build:staging")
        pending = None
        try:
            # The files are written on one thread and the database loaded on another while
            # this one checks the rows; each lets go of the GIL for most of its work. When the
            # checks fail, they stop at the next table: nothing they write will be used.
            stop = Event()
            with ThreadPoolExecutor(max_workers=2) as background:
                written = background.submit(write_package, catalog, tables, staging, root, stop)
                database = background.submit(
                    _database, catalog, tables, staging, target, changed, stop
                )
                try:
                    checks()
                except BaseException:
                    stop.set()
                    raise
                with doing("write the package's files", staging):
                    written.result()
                    problems = verify(catalog, tables, staging)
                if problems:
                    raise BuildError(problems)
                with doing("write the database", staging / paths.DATABASE_FILE):
                    patched = database.result()
            with doing("record the build", root / paths.LAST_BUILD):
                pending = record.prepare(root, staging)
            moment("build:swap")
            with doing("put the new package in place", target), uninterrupted():
                swap_in(staging, target)
                os.replace(pending, root / paths.LAST_BUILD)
                pending = None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if pending is not None:
                pending.unlink(missing_ok=True)
    return patched


def _database(
    catalog: Catalog,
    tables: dict[str, pl.DataFrame],
    staging: Path,
    target: Path,
    changed: set[str] | None,
    stop: Event,
) -> bool:
    """Patch a copy of the published database where it holds the last build's rows (True),
    else load the database anew; nothing once `stop` is set."""
    published = target / paths.DATABASE_FILE
    patchable = changed is not None and published.is_file() and not stop.is_set()
    if patchable and patch_database(catalog, published, staging, tables, changed) is not None:
        return True
    write_database(catalog, tables, staging, stop)
    return False


def differences(root: Path, target: Path | None = None) -> list[str]:
    """Files of the published package that a build of the seeds would write differently."""
    target = target or root / paths.PACKAGE_DIR
    refuse_links_out(root)
    catalog = load_catalog(root)
    rows_key = fingerprint(root, ROW_STAGES, ROW_LIBRARIES)
    found, problems = find_units(root)
    tables, read, _ = assemble(root, catalog, keyed(root, found, rows_key), rows_key)
    check(root, catalog, tables, read, problems)
    with tempfile.TemporaryDirectory(prefix="eaeu-facts-check-") as tmp:
        fresh = Path(tmp)
        write_package(catalog, tables, fresh, root)
        names = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        if target.exists():
            names |= {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        # The database is rebuilt by every build and kept out of git: never compared.
        names.discard(paths.DATABASE_FILE)
        return [
            f"{paths.PACKAGE_DIR}/{name}"
            for name in sorted(names)
            if not ((fresh / name).is_file() and (target / name).is_file())
            or (fresh / name).read_bytes() != (target / name).read_bytes()
        ]


@dataclass
class LastBuild:
    """What the package published at `target` was built from: the code and schemas that
    build it (`fingerprint`) and the key of every unit; saved with what stat() says of each
    published file, so that a package changed since, by hand or by another build, is never
    taken for this one."""

    fingerprint: str
    target: Path
    units: dict[str, str]

    VERSION = 1

    def changed(self, units: list[Unit]) -> set[str]:
        """The units added, removed or changed since."""
        now = {u.name: u.key for u in units}
        return {n for n in now.keys() | self.units.keys() if now.get(n) != self.units.get(n)}

    @classmethod
    def load(cls, root: Path, fingerprint: str, target: Path) -> LastBuild | None:
        """The record of the package at target, if it is the last build's, left as it was."""
        try:
            data = json.loads((root / paths.LAST_BUILD).read_text(encoding="utf-8"))
            if (
                data.get("version") != cls.VERSION
                or data.get("fingerprint") != fingerprint
                or data.get("target") != str(target.resolve())
                or data.get("files") != stamps(target)
            ):
                return None
            return cls(fingerprint, target, dict(data["units"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def prepare(self, root: Path, staging: Path) -> Path:
        """Write the record of the package in `staging` beside its place, to be put there by
        a rename once the package is published (a rename needs no space on a full disk; the
        files keep what stat() says of them when their folder is renamed)."""
        path = root / paths.LAST_BUILD
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": self.VERSION,
            "fingerprint": self.fingerprint,
            "target": str(self.target.resolve()),
            "units": self.units,
            "files": stamps(staging),
        }
        text = json.dumps(data)
        return paths.written_beside(path, lambda t: t.write_text(text, encoding="utf-8"))


def stamps(target: Path) -> dict[str, list[int]]:
    """What stat() says of every file of a published package, by path inside it."""
    return {
        path.relative_to(target).as_posix(): stamp_of(path.stat())
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
