"""What a cached result is keyed by: the sha256 of its input files (remembered by what stat()
says of each, as git's index does), and the fingerprint of what reads them, the schemas, the
code the build runs (found by its imports) and the versions of the libraries whose answers
are in the rows. A key that changes means the result is made again; nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

from eaeu_facts.model import paths
from eaeu_facts.read.units import Unit

CACHE_VERSION = b"eaeu-facts unit cache 3"
# Libraries whose answers are in the rows a unit gives, or in how they are stored.
ROW_LIBRARIES = ("PyYAML", "polars", "pyarrow")
CODE = Path(__file__).resolve().parent.parent


def fingerprint(root: Path, modules: Iterable[str], libraries: Iterable[str]) -> str:
    """The sha256 of schemas/, of the code these modules run (see `code_files`) and of the
    versions of these libraries: what a cached result depends on besides its inputs."""
    digest = hashlib.sha256(CACHE_VERSION + f"{sys.version_info[:2]}".encode())
    files = sorted((root / paths.SCHEMAS).glob("*.yaml")) + code_files(modules)
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for name in libraries:
        try:
            digest.update(f" {name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f" {name} -".encode())
    return digest.hexdigest()


def code_files(entries: Iterable[str]) -> list[Path]:
    """The package's own modules that these modules import, directly or through others, an
    import inside a function included, with the data files beside them (SQL, JSON Schema):
    what their results depend on in the code, and nothing else (editing the finder's
    accuracy scorer, or the API `eaeu_facts/__init__.py` exposes, keeps every cached unit)."""
    seen: set[Path] = set()
    todo = list(entries)
    while todo:
        parts = todo.pop().split(".")
        path = _module_file(parts)
        if path is None or path in seen:
            continue
        seen.add(path)
        for found in _IMPORTS.finditer(path.read_text(encoding="utf-8")):
            module = found["module"] or found["plain"]
            todo += [module, *(f"{module}.{n}" for n in re.findall(r"\w+", found["names"] or ""))]
    data = {f for p in seen for f in p.parent.iterdir() if f.suffix in (".sql", ".json")}
    return sorted(seen | data)


# "import eaeu_facts.x", "from eaeu_facts.x import a, b" and "from eaeu_facts.x import (a, ...)",
# at any indentation (an import inside a function counts): read by a pattern, not by parsing
# every module, so that taking the fingerprint costs a build milliseconds.
_IMPORTS = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<module>eaeu_facts[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#]*)|import[ \t]+(?P<plain>eaeu_facts[\w.]*))",
    re.MULTILINE,
)


def _module_file(parts: list[str]) -> Path | None:
    base = CODE.joinpath(*parts[1:])
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def stamp_of(st: os.stat_result) -> list[int]:
    """What stat() says of a file that any write changes: inode, size, mtime and ctime (which
    no program can set back)."""
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class FileHashes:
    """The sha256 of input files, remembered with what stat() said of each, as git's index
    does: a file whose inode, size, mtime and ctime are as they were is not read again. The
    ctime cannot be set back by a program, so any write changes what stat() says. A file
    changed within RACY_NS of a build is not remembered, so that a write in the same clock
    tick as the hashing cannot hide behind an unchanged stamp."""

    RACY_NS = 2_000_000_000
    VERSION = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time_ns()
        self.known: dict[str, list[Any]] = {}
        self.seen: dict[str, list[Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION and isinstance(data.get("files"), dict):
                self.known = data["files"]
        except (OSError, ValueError):
            pass

    def digest(self, path: Path, rel: str) -> str:
        """The file's sha256, or "<missing>"."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return "<missing>"
        stamp = stamp_of(st)
        entry = self.known.get(rel)
        if isinstance(entry, list) and entry[:4] == stamp and len(entry) == 5:
            sha = str(entry[4])
        else:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.started - self.RACY_NS:
            self.seen[rel] = [*stamp, sha]
        return sha

    def save(self) -> None:
        """Remember the files seen by this build (only those), replacing the file at once;
        left alone when that is what it holds."""
        if self.seen == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": self.VERSION, "files": dict(sorted(self.seen.items()))}
        text = json.dumps(data, separators=(",", ":"))
        paths.put_in_place(
            paths.written_beside(self.path, lambda t: t.write_text(text, encoding="utf-8")),
            self.path,
        )


def keyed(root: Path, units: list[Unit], rows_key: str) -> list[Unit]:
    """The units with their keys: the sha256 of their files (by stat where unchanged, see
    FileHashes), of their names and of `rows_key` (the fingerprint of what reads them)."""
    hashes = FileHashes(root / paths.FILE_HASHES)

    def keys(part: list[Unit]) -> list[Unit]:
        def digest(rel: str) -> str:
            return hashes.digest(root / rel, rel)

        return [Unit(u.name, u.files, unit_key(u, rows_key, digest)) for u in part]

    # Reading and hashing release the GIL: one thread per core, each with a share of units.
    step = -(-len(units) // workers()) or 1
    with ThreadPoolExecutor(max_workers=workers()) as pool:
        parts = pool.map(keys, [units[i : i + step] for i in range(0, len(units), step)])
        out = [unit for part in parts for unit in part]
    hashes.save()
    return out


def unit_key(unit: Unit, rows_key: str, digest: Callable[[str], str]) -> str:
    key = hashlib.sha256(f"{rows_key}\0{unit.name}".encode())
    for rel in unit.files:
        key.update(b"\0%s\0%s\0" % (rel.encode("utf-8"), digest(rel).encode("ascii")))
    return key.hexdigest()


def read_digest(root: Path, rel: str) -> str:
    """The sha256 of the file as it is now, read in full; "<missing>" if there is none."""
    try:
        return hashlib.sha256((root / rel).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "<missing>"


def workers() -> int:
    """The cores this process may run on: one worker, or one hashing thread, per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
