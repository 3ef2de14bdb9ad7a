"""The registry of blocks that hand-written pages name with `<!-- generated: NAME [ARG] -->`.

Each block module registers its functions here on import; a block reports a bad argument as a
BuildError naming the page, so `mkdocs build --strict` fails instead of publishing it.
"""

from __future__ import annotations

from collections.abc import Callable

from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import Problems

Block = Callable[[Site, str, str | None], str]
BLOCKS: dict[str, Block] = {}


# A block takes (site, page uri, argument) and returns Markdown; `block(NAME)` registers one.
def block(name: str) -> Callable[[Block], Block]:
    def register(fn: Block) -> Block:
        BLOCKS[name] = fn
        return fn

    return register


def page_problem(uri: str, field_name: str, found: object, expected: str) -> Problems:
    """One problem located on a page of docs/ (which has no line: the block is generated)."""
    problems = Problems()
    problems.add(f"docs/{uri}", None, field_name, found, expected)
    return problems
