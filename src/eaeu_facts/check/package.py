"""Validating a published package as a user receives it (`eaeu-facts validate`).

Nothing is trusted but datapackage.json and the files beside it: every file must be as long,
and hash as, the descriptor lists; each CSV table is read (header, row widths, the lexical form
of every cell) and its Parquet file must hold the same rows; the source texts must be those
the sources table records; then every table goes through the same checks as the build.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from eaeu_facts.check.findings import Locator, report
from eaeu_facts.check.schema import warm_up
from eaeu_facts.check.tables import Checker
from eaeu_facts.model.errors import Problems
from eaeu_facts.model.interrupts import moment
from eaeu_facts.model.schemas import Catalog
from eaeu_facts.read.evidence import edited
from eaeu_facts.read.package import (
    Package,
    busy_line,
    consistent,
    display,
    package_tables,
    source_texts,
)


def check_package(descriptor_path: Path, root: Path | None = None) -> Problems:
    """Every problem of the package, located in its files; none when it is sound. Source
    texts are read from the project at `root` (default: the folder above the package).

    Tables are read and checked one at a time, the next read while one is checked, so that
    only what the rules across tables need is held of the others; each file is read once.
    A package published while it is read is read again (see `consistent`)."""
    return checked(descriptor_path, root, keep=False).found


def checked(descriptor_path: Path, root: Path | None = None, *, keep: bool = True) -> Package:
    """The package as checking it read it: with `keep`, every table's frame and the source
    texts, so that a reader that needs both the verdict and the data (the docs) reads each
    file once; its `found` holds the problems. Read again if published anew meanwhile."""
    return consistent(
        descriptor_path.parent,
        lambda: _check(descriptor_path, root, keep),
        lambda p: bool(p.found),
        lambda p: _busy(p, descriptor_path),
    )


def _busy(package: Package, descriptor_path: Path) -> Package:
    """A package replaced during every read: that one line, not what a mix of two gave."""
    package.files = Problems()
    package.files.add(display(descriptor_path.parent), None, *busy_line(descriptor_path.parent))
    return package


def _check(descriptor_path: Path, root: Path | None, keep: bool) -> Package:
    warm_up()
    moment("validate:read")
    package = Package(Catalog({}, ()), {})
    tables = package_tables(descriptor_path, package)
    root = root or descriptor_path.parent.parent
    first = next(tables, None)  # the sources table, whose rows name the texts
    if first is None:
        return package
    texts, changed = source_texts(
        first[1], root, package.problems, package.unread, package.text_files
    )
    checker = Checker(package.catalog, texts, package.unread)
    citing: Counter[str] = Counter()
    for table, frame in itertools.chain([first], tables):
        checker.add(table, frame)
        if keep:
            package.frames[table.name] = frame
        if changed and "source_id" in frame.columns and table.name != "sources":
            ids = frame.get_column("source_id").filter(frame["source_id"].is_in(list(changed)))
            citing.update(ids.to_list())
    for source_id, (path, digest, recorded) in sorted(changed.items()):
        edited(
            path, digest, f"{recorded} as recorded in sources", citing[source_id], package.problems
        )
    if not package.files:
        report(checker.finish(package.complete), Locator(root, package.catalog), package.problems)
    if keep:
        package.texts = texts
    return package
