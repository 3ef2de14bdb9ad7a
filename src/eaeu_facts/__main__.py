"""The eaeu-facts process (`eaeu-facts`, `python -m eaeu_facts`): the command on a worker
thread, the main thread waiting for it, so that Ctrl+C and SIGTERM are answered at once at
any moment, imports included (model/interrupts.py).

The handler is installed by the package's first lines (eaeu_facts/__init__.py), before this
module imports anything; what comes before that is the interpreter's own start-up (see the
command line page of the docs).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from typing import Any

from eaeu_facts.model import interrupts


def main() -> None:
    interrupts.install()
    outcome: dict[str, Any] = {}
    worker = threading.Thread(target=_work, args=(outcome,), name="eaeu-facts", daemon=True)
    worker.start()
    while worker.is_alive():
        # A signal wakes this wait at once; the timeout only bounds the rare case where the
        # kernel hands the signal to another thread, whose handler then runs here.
        worker.join(0.25)
    interrupts.moment("end")
    code = _code(outcome)
    interrupts.flush()
    # Not sys.exit: the interpreter's shutdown would put back the default handlers while it
    # still runs, a last moment when Ctrl+C would not be answered.
    os._exit(code)


def _work(outcome: dict[str, Any]) -> None:
    interrupts.only_here()
    try:
        interrupts.moment("start")
        from eaeu_facts.cli import main as command

        interrupts.moment("command")
        command(prog_name="eaeu-facts")
    except SystemExit as exc:
        outcome["exit"] = exc.code
    except BaseException as exc:  # a defect: its traceback, as Python would print it
        outcome["error"] = exc


def _code(outcome: dict[str, Any]) -> int:
    if "error" in outcome:
        traceback.print_exception(outcome["error"])
        return 1
    code = outcome.get("exit")
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
