"""eaeu-facts: what Arabic news reports say about Eurasian economic integration, as open data.

`connect()` and `load()` (serve/api.py) are imported when first used, so that importing the
package (as the command does) loads no data library until a stage needs it.

Run as the command (`eaeu-facts`, `python -m eaeu_facts`), the package answers Ctrl+C from
its first lines, before anything else is imported (model/interrupts.py): what comes before
is the interpreter's own start-up. Imported as a library, it leaves the caller's handlers be.
"""

from __future__ import annotations

import os
import sys

if os.path.basename(sys.argv[0]) == "eaeu-facts" or sys.argv[0] == "-m":
    from eaeu_facts.model import interrupts

    interrupts.install()
    interrupts.moment("installed")

__all__ = ["connect", "load"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from eaeu_facts.serve import api

        return getattr(api, name)
    raise AttributeError(f"module 'eaeu_facts' has no attribute {name!r}")
