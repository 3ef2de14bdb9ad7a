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
from eaeu_facts.docs.blocks import BLOCKS, block
from eaeu_facts.docs.catalogue import (
    BROKEN_EXAMPLES,
    ERROR_KINDS,
    EXAMPLE_GROUPS,
    BrokenExample,
    ExampleGroup,
)
from eaeu_facts.docs.charts import Bar, bar_chart
from eaeu_facts.docs.curating import (
    broken_copy,
    curating_errors,
    fixture,
    project_copy,
    run_command,
)
from eaeu_facts.docs.dictionary import (
    constraints_html,
    fields_html,
    rows_html,
    table_page,
    tables_index,
)
from eaeu_facts.docs.edits import (
    ChangeBytes,
    Edit,
    Rehash,
    Replace,
    SetCell,
    file_diff,
    relist_files,
    resave_parquet,
)
from eaeu_facts.docs.figures import amount_bars, figure_amounts, figure_meetings, meeting_graph
from eaeu_facts.docs.markup import (
    anchor_id,
    esc,
    href,
    human_bytes,
    inline_md,
    is_arabic_field,
    md_href,
    md_text,
    row_anchor,
    row_label,
    shows_spans,
    source_uri,
    span_anchor,
    table_uri,
    words,
)
from eaeu_facts.docs.metadata import changelog, citation
from eaeu_facts.docs.pages import download_files, expand_nav, generated_pages
from eaeu_facts.docs.published import data_licence, downloads, package_summary, source_rights
from eaeu_facts.docs.quality import quality_notes, quality_rows
from eaeu_facts.docs.reference import api_reference, cli_reference, signature
from eaeu_facts.docs.render import render_page
from eaeu_facts.docs.security import security_limits
from eaeu_facts.docs.site import ROW_LIMIT, Site, load_site
from eaeu_facts.docs.sources import Span, evidence_spans, segments, source_page
from eaeu_facts.docs.sql import connect, result_html, run_link, run_sql_blocks
from eaeu_facts.docs.wasm import bundle, query_catalog, query_files

# The public surface, in the order the Python API page (docs/api.md) lists it: not sorted.
__all__ = [  # noqa: RUF022
    "Site",
    "load_site",
    "table_uri",
    "source_uri",
    "href",
    "md_href",
    "anchor_id",
    "row_anchor",
    "span_anchor",
    "shows_spans",
    "row_label",
    "esc",
    "md_text",
    "inline_md",
    "is_arabic_field",
    "human_bytes",
    "words",
    "generated_pages",
    "download_files",
    "expand_nav",
    "tables_index",
    "table_page",
    "fields_html",
    "constraints_html",
    "rows_html",
    "Span",
    "evidence_spans",
    "segments",
    "source_page",
    "block",
    "render_page",
    "package_summary",
    "data_licence",
    "source_rights",
    "downloads",
    "quality_rows",
    "quality_notes",
    "connect",
    "run_sql_blocks",
    "result_html",
    "run_link",
    "query_files",
    "query_catalog",
    "bundle",
    "Bar",
    "bar_chart",
    "amount_bars",
    "figure_amounts",
    "figure_meetings",
    "meeting_graph",
    "Edit",
    "Replace",
    "Rehash",
    "ChangeBytes",
    "SetCell",
    "relist_files",
    "file_diff",
    "resave_parquet",
    "BrokenExample",
    "ExampleGroup",
    "project_copy",
    "broken_copy",
    "run_command",
    "curating_errors",
    "fixture",
    "cli_reference",
    "signature",
    "api_reference",
    "changelog",
    "citation",
    "security_limits",
    "BLOCKS",
    "BROKEN_EXAMPLES",
    "ERROR_KINDS",
    "EXAMPLE_GROUPS",
    "ROW_LIMIT",
]
