"""Ctrl+C and SIGTERM, answered the same way at any moment of a command: one line, exit 130
or 143, and nothing published by halves.

The command's work runs on a thread of its own (eaeu_facts/__main__.py) while the main thread
only waits, so a signal is handled at once even while the work is inside native code that
holds its thread until it returns (importing a library, a DuckDB query, polars and pandera on
their own threads). The handler waits for the one step that must not be cut, putting a new
package in place (`uninterrupted`), stops the worker processes the command started, prints
the line and exits.

`moment(name)` marks a point of a command's life that a test can stop it at: a process whose
EAEU_FACTS_STOP_AT names that point stops itself there with SIGSTOP, so the test acts (an
interrupt, a limit, a kill) while the command is exactly there, never after a guessed delay.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager, suppress

# Imported first thing by the command (eaeu_facts/__init__.py): `typing` alone would take
# longer to import than everything else before the handler is installed.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType
    from typing import NoReturn

STOP_AT = "EAEU_FACTS_STOP_AT"
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}

_stops = frozenset(filter(None, os.environ.get(STOP_AT, "").split(",")))
_stopped: set[str] = set()
_swapping = threading.Lock()
_note: Callable[[], str] | None = None


def install() -> None:
    """Answer Ctrl+C and SIGTERM from now on (call on the main thread, first thing)."""
    for signum in CODES:
        signal.signal(signum, _interrupted)


def installed() -> bool:
    """Whether this process answers interrupts so (it is the command, not a caller of it)."""
    return signal.getsignal(signal.SIGINT) is _interrupted


def on_interrupt(note: Callable[[], str] | None) -> None:
    """What to add to the line "interrupted" (for a build: whether it published)."""
    global _note
    _note = note


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A step an interrupt waits for rather than cuts (a rename: microseconds)."""
    with _swapping:
        yield


def moment(name: str) -> None:
    """A point of the command's life; the process stops here, the first time it passes,
    when EAEU_FACTS_STOP_AT names it (for the tests of interrupts and faults)."""
    if name in _stops and name not in _stopped:
        _stopped.add(name)
        os.kill(os.getpid(), signal.SIGSTOP)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    stop(signum)


def stop(signum: int = signal.SIGINT) -> NoReturn:
    """End the process as an interrupt does. Called by the handler, and by the command's
    thread when a library raises KeyboardInterrupt there itself (polars cancels a query it
    runs when Ctrl+C comes, then raises it in the thread that asked). Nothing it does may
    keep the process from ending with its line."""
    with _swapping:  # a new package is either in place or not, never half
        note = ""
        with suppress(Exception):
            note = _note() if _note is not None else ""
        with suppress(Exception):
            _end_children()
        flush()
        os.write(2, f"interrupted{note}\n".encode())
        os._exit(CODES.get(signum, 130))


def only_here() -> None:
    """Let the signals go to the main thread alone: called by the command's thread before it
    starts any other, so that its threads (polars', DuckDB's) never take them; the kernel
    then hands a signal to the one thread whose handler answers it. Worker processes
    started from here inherit the mask and undo it (`let_in`)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, set(CODES))


def let_in() -> None:
    """Take signals again (a worker process, started by a thread that had them blocked)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, set(CODES))


def flush() -> None:
    """Flush stdout and stderr before the process ends by os._exit; a stream that cannot be
    (a closed pipe, or one this thread was writing to when a signal came) is let be."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()


def _end_children() -> None:
    """Stop the worker processes of a build's pool: they would wait for work forever."""
    multiprocessing = sys.modules.get("multiprocessing")
    for child in getattr(multiprocessing, "active_children", list)():
        with suppress(Exception):
            child.kill()
