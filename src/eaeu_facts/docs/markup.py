"""Links, anchors and escaping shared by every generated page.

Links are written for `use_directory_urls: false` (page.md becomes page.html), so that the
built site also reads straight from disk. Nothing here needs the loaded package.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

from eaeu_facts.model.frames import format_value
from eaeu_facts.model.schemas import Table

Row = dict[str, Any]

EVIDENCE_KINDS = ("dimension", "fact")  # tables whose spans are evidence for what they say
LABEL_FIELDS = ("name_en", "title_en", "summary_en", "topic_en", "text_en", "speaker_en")


def table_uri(name: str) -> str:
    return f"tables/{name}.md"


def source_uri(source_id: str) -> str:
    return f"sources/{source_id}.md"


def _html_uri(uri: str) -> str:
    return uri[: -len(".md")] + ".html" if uri.endswith(".md") else uri


def href(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative link from one page of the site to another file, as the built site has it."""
    fragment = f"#{anchor}" if anchor else ""
    if to_uri == from_uri and anchor:
        return fragment
    base = posixpath.dirname(_html_uri(from_uri)) or "."
    return posixpath.relpath(_html_uri(to_uri), base) + fragment


def md_href(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative Markdown link between source files, which MkDocs checks and rewrites."""
    fragment = f"#{anchor}" if anchor else ""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".") + fragment


def anchor_id(*parts: object) -> str:
    """An HTML id made of the parts, safe in a URL fragment."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "--".join(str(p) for p in parts)).strip("-")


def row_anchor(table: Table, row: Row) -> str:
    return anchor_id(*(row[k] for k in table.primary_key))


def span_anchor(table: Table, row: Row) -> str:
    return f"ev-{table.name}-{row_anchor(table, row)}"


def shows_spans(table: Table) -> bool:
    """Whether the source pages show this table's evidence spans (derived rows are not facts)."""
    return table.has_provenance and table.kind in EVIDENCE_KINDS


def row_label(table: Table, row: Row) -> str:
    """A short human name for a row: its English name or summary, else its key."""
    for name in LABEL_FIELDS:
        if row.get(name):
            text = str(row[name])
            return text if len(text) <= 80 else text[:77] + "..."
    return " / ".join(str(row[k]) for k in table.primary_key)


def esc(value: object) -> str:
    return html.escape(format_value(value), quote=True)


def md_text(text: str) -> str:
    """Text to stand verbatim in Markdown: escaped for HTML and for Markdown's inline syntax."""
    # One pass: a second would escape the "#" of the entities the first wrote.
    return re.sub(r"[\\`*_\[\]#!{}|]", lambda m: f"&#{ord(m[0])};", html.escape(text, quote=False))


def md_cell(text: str) -> str:
    """Text for one cell of a Markdown table, which a `|` or a line end would break."""
    return text.replace("|", "\\|").replace("\n", " ")


def inline_md(text: str) -> str:
    """A description written with `code` spans as HTML, for use inside generated tables."""
    parts = re.split(r"`([^`]*)`", text)
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)
    )


def is_arabic_field(name: str) -> bool:
    """Fields holding Arabic text are named `*_ar` throughout schemas/."""
    return name.endswith("_ar")


def human_bytes(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    return f"{size:,} bytes ({size / 1000:.1f} kB)"


def plural(count: int, noun: str) -> str:
    """`1 row`, `2 rows`: counts on the pages read as English."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def words(value: str) -> str:
    """An enum value as words: `preliminary_estimate` -> preliminary estimate."""
    return value.replace("_", " ")


def table_html(header: list[str], body: list[str], wrapper: str) -> str:
    """An HTML table (no class, so the theme styles it) inside a classed div, on few lines."""
    head = "".join(f"<th>{h}</th>" for h in header)
    return (
        f'<div class="{wrapper}">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>"
    )
