"""Expanding a hand-written page: its generated blocks first, then its ```sql blocks."""

from __future__ import annotations

import re

from eaeu_facts.docs.blocks import BLOCKS
from eaeu_facts.docs.site import Site
from eaeu_facts.docs.sql import run_sql_blocks
from eaeu_facts.model.errors import BuildError, Problems

MARKER = re.compile(r"<!--\s*generated:\s*(?P<name>[a-z0-9-]+)(?:\s+(?P<arg>[^\s>]+))?\s*-->")


def render_page(site: Site, uri: str, markdown: str, display: str | None = None) -> str:
    """Expand the generated blocks of a page and run its SQL blocks; BuildError on failure."""
    display = display or f"docs/{uri}"
    problems = Problems()

    def expand(match: re.Match[str]) -> str:
        name, arg = match["name"], match["arg"]
        line = markdown[: match.start()].count("\n") + 1
        if name not in BLOCKS:
            problems.add(display, line, "generated", name, f"one of {', '.join(sorted(BLOCKS))}")
            return ""
        try:
            return BLOCKS[name](site, uri, arg)
        except BuildError as exc:
            problems.extend(exc.problems)
            return ""

    markdown = MARKER.sub(expand, markdown)
    markdown = run_sql_blocks(site, uri, markdown, display, problems)
    if problems:
        raise BuildError(problems)
    return markdown
