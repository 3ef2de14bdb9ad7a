"""Faults of the machine (a full disk, no permission, a read-only filesystem, a file where a
folder should be, too many open files), said in one line with what to do.

Libraries report them in their own ways: Python as OSError with an errno, polars as OSError
whose message ends "(os error 28)", DuckDB as its own exceptions with the system's words in
the message. `doing` turns any of them into a MachineError naming the operation and the path;
the command prints its line and exits 1, and the published package is never touched.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FAULTS = (
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.EEXIST,
    errno.EMFILE,
    errno.ENFILE,
    errno.EIO,
    errno.EBUSY,
    errno.EXDEV,
)
# How polars says it: "(os error 28)" in an error, "Os { code: 24, ..." in a panic.
_OS_ERROR = re.compile(r"os error (\d+)|Os \{ code: (\d+)")


class MachineError(Exception):
    """What the machine refused: the operation, the path, the cause and what to do."""

    def __init__(self, operation: str, path: Path, code: int) -> None:
        super().__init__(operation)
        self.operation, self.path, self.code = operation, path, code

    def __str__(self) -> str:
        return f"{self.path}: {self.operation}: {os.strerror(self.code)}; {self.advice()}"

    def advice(self) -> str:
        mount = _mount(self.path)
        if self.code in (errno.ENOSPC, errno.EDQUOT):
            free = shutil.disk_usage(mount).free / 2**20 if mount.exists() else 0
            return f"free space on {mount} ({free:.1f} MB free now) and run again"
        if self.code in (errno.EACCES, errno.EPERM):
            return "let this user write there, or run where it can, and run again"
        if self.code == errno.EROFS:
            return f"{mount} is mounted read-only: run where the project can be written"
        if self.code in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
            return "a file stands where a folder is needed (or the reverse): move it away"
        if self.code in (errno.EBUSY, errno.EXDEV):
            return "a filesystem is mounted there: use a plain folder on the same filesystem"
        if self.code in (errno.EMFILE, errno.ENFILE):
            return "too many files are open: raise the limit (ulimit -n 4096) and run again"
        return "fix the cause and run again"


def fault_of(exc: BaseException) -> int | None:
    """The errno of a fault of the machine, however the library reports it; None for any
    other exception."""
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _FAULTS:
        return code
    text = str(exc)
    if (m := _OS_ERROR.search(text)) and int(m[1] or m[2]) in _FAULTS:
        return int(m[1] or m[2])
    if isinstance(exc, OSError) or type(exc).__module__.startswith(("duckdb", "_duckdb")):
        return next((c for c in _FAULTS if os.strerror(c) in text), None)
    return None


@contextmanager
def doing(operation: str, path: Path) -> Iterator[None]:
    """Turn a fault of the machine met while doing `operation` on `path` into MachineError."""
    try:
        yield
    except MachineError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # polars' panics (pyo3's PanicException) are not Exceptions
        code = fault_of(exc)
        if code is None:
            raise
        where = getattr(exc, "filename", None)
        raise MachineError(operation, Path(where) if where else path, code) from None


def _mount(path: Path) -> Path:
    """The mount point holding path (or the nearest folder of it that exists)."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path
