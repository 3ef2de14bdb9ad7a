"""eaeu-facts: what Arabic news reports say about Eurasian economic integration, as open data.

`connect()` and `load()` (serve/api.py) are imported when first used, so that importing the
package (as the command does) loads no data library until a stage needs it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connect", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from eaeu_facts.serve import api

        return getattr(api, name)
    raise AttributeError(f"module 'eaeu_facts' has no attribute {name!r}")
