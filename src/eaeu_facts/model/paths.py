"""Where everything is: the seeds a build reads, the package it publishes, the cache it keeps.

Every path the stages share is named here once, relative to the project root (or, for the
files of a package, to the package folder), so that no stage spells out another's layout.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

# The inputs (adding a source is adding files, never code):
#   seeds/sources/NAME.txt      the text exactly as received (UTF-8, no BOM, LF line ends)
#   seeds/sources/NAME.yaml     its source record (publisher, date, rights, sha256 of the text)
#   seeds/facts/NAME.yaml       the curated facts citing it, one list per table
#   seeds/reference/TABLE.yaml  a reference table that cites no source (countries)
SCHEMAS = "schemas"
SOURCES = "seeds/sources"
FACTS = "seeds/facts"
REFERENCE = "seeds/reference"

SEEDS = "seeds"
# The most a contributor's YAML file (a facts file, a source record, a reference table, a
# schema) may hold: ten times the seed's facts file, and a bound on the time a parser takes.
MAX_YAML_BYTES = 512 * 1024

# The published package, and the files in it.
PACKAGE_DIR = "datapackage"
DESCRIPTOR = "datapackage.json"
# Not byte-reproducible (DuckDB keeps its own block layout): written by every build, kept out
# of git and out of datapackage.json.
DATABASE_FILE = "eaeu-facts.duckdb"

# What a build keeps to be quick next time (gitignored; deleting it costs time, not bytes).
CACHE = ".cache"
UNIT_CACHE = ".cache/build"  # each source's rows, by the hash of its files
MENTION_CACHE = ".cache/mentions"  # the mentions found, by unit, and the names looked for
FILE_HASHES = ".cache/files.json"  # the sha256 of input files, by what stat() says of them
LAST_BUILD = ".cache/published.json"  # what the last published package was built from


def source_files(name: str) -> tuple[str, str, str]:
    """A source's text, record and facts file, for the NAME they share."""
    return f"{SOURCES}/{name}.txt", f"{SOURCES}/{name}.yaml", f"{FACTS}/{name}.yaml"


def reference_file(table: str) -> str:
    return f"{REFERENCE}/{table}.yaml"


def csv_file(table: str) -> str:
    """A table's CSV file, inside the package."""
    return f"csv/{table}.csv"


def parquet_file(table: str) -> str:
    """A table's Parquet file, inside the package."""
    return f"parquet/{table}.parquet"


def parquet_resource(table: str) -> str:
    """The name of a table's Parquet resource in datapackage.json."""
    return f"{table}-parquet"


def text_file(source_path: str) -> str:
    """Where a source text travels inside the package: sources/NAME.txt (its name as in
    seeds/sources/), so that a downloaded package proves its evidence spans by itself."""
    return f"sources/{source_path.rsplit('/', 1)[-1]}"


def text_resource(source_id: str) -> str:
    """The name of a source text's resource in datapackage.json."""
    return f"text-{source_id}"


# What a contributor or a download supplies names files by relative paths; none may reach
# outside its folder. The rule is Frictionless's for resource paths.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def escapes(base: Path, path: str) -> str | None:
    """Why `path` does not name a file inside `base` (links followed), or None: Frictionless
    allows only relative POSIX paths without '..' or a scheme."""
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        return "not a relative path"
    if _SCHEME.match(path):
        return "a URL or a drive"
    if ".." in path.split("/"):
        return "'..'"
    try:
        inside = (base / path).resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):  # a link loop
        inside = False
    return None if inside else "a path that leads outside its folder"


def links_out(root: Path) -> list[tuple[str, str]]:
    """Every link under schemas/ and seeds/ (the folders too) that resolves outside the
    project, as (its path, where it leads): a build reads nothing a contributor put elsewhere."""
    names = [SCHEMAS, SEEDS]
    for top in (SCHEMAS, SEEDS):
        for folder, dirs, files in os.walk(root / top):
            prefix = Path(folder).relative_to(root).as_posix()
            names += [f"{prefix}/{name}" for name in dirs + files]
    return sorted(
        (name, os.readlink(root / name))
        for name in names
        if (root / name).is_symlink() and escapes(root, name)
    )


def identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path now (device, inode), or None: a build publishes by
    renaming a new folder into place, so two reads of one identity read one package."""
    try:
        st = folder.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def written_beside(path: Path, write: Callable[[Path], object]) -> Path:
    """What `write` writes (a file or a folder) under a temporary name beside `path`, in its
    folder so that one rename puts it in place; nothing is left of it when writing fails or
    is interrupted. The one way the stages write a file others read whole or not at all."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    _remove(temporary)
    try:
        write(temporary)
    except BaseException:  # a full disk, an interrupt: nothing half-written stays
        _remove(temporary)
        raise
    return temporary


def put_in_place(temporary: Path, path: Path) -> None:
    """Put what `written_beside` wrote in `path`'s place: a file in one rename, a folder once
    the old one is removed."""
    if temporary.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
