"""The documentation site's data-derived pages, generated from schemas/ and the published package.

Nothing on the site that describes the data is typed by hand. The MkDocs hook (docs/hooks.py)
asks this module for one page per table and per source text, expands the blocks that
hand-written pages name with `<!-- generated: NAME [ARG] -->`, and runs every ```sql block of a
page on the published package, showing its result. Any failure is a BuildError, so
`mkdocs build --strict` fails rather than publishing a page that is wrong.

Links inside generated HTML are written for `use_directory_urls: false` (page.md becomes
page.html), which also lets the built site be read straight from disk.
"""

from __future__ import annotations

# Importing the block modules registers their blocks, so render_page knows every block a page
# may name.
from eaeu_facts.docs import (  # noqa: F401
    catalogue,
    charts,
    curating,
    dictionary,
    figures,
    metadata,
    published,
    quality,
    reference,
    security,
    sources,
    sql,
    wasm,
)
from eaeu_facts.docs.pages import download_files, expand_nav, generated_pages
from eaeu_facts.docs.render import render_page
from eaeu_facts.docs.site import Site, load_site
from eaeu_facts.docs.wasm import query_files

# The face the MkDocs hook (docs/hooks.py) uses; every other name lives in its module.
__all__ = [
    "Site",
    "download_files",
    "expand_nav",
    "generated_pages",
    "load_site",
    "query_files",
    "render_page",
]
