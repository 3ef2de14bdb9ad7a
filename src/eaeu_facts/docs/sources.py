"""One page per source text: the Arabic text as received, every evidence span highlighted.

Spans overlap and nest, so the text is cut at every span boundary; each piece links to a
panel listing the rows it is evidence for, and each row's `evidence_ar` links back here.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field

from eaeu_facts.docs.dictionary import value_cell
from eaeu_facts.docs.markup import (
    Row,
    esc,
    href,
    md_text,
    plural,
    row_label,
    shows_spans,
    source_uri,
    span_anchor,
    table_html,
    table_uri,
)
from eaeu_facts.docs.site import Site
from eaeu_facts.model.schemas import Table


@dataclass(frozen=True)
class Span:
    """One row's evidence: where it stands in its source text."""

    start: int
    end: int
    table: Table
    index: int
    row: Row = field(hash=False, compare=False)

    @property
    def anchor(self) -> str:
        return span_anchor(self.table, self.row)


def evidence_spans(site: Site, source_id: str) -> list[Span]:
    """Every evidence span in one source, in text order (longer first where they start together)."""
    spans = []
    for table in site.catalog.tables:
        if not shows_spans(table):
            continue
        for i, row in enumerate(site.rows[table.name]):
            if row["source_id"] == source_id:
                spans.append(Span(row["char_start"], row["char_end"], table, i, row))
    return sorted(spans, key=lambda s: (s.start, -s.end, s.table.order, s.anchor))


def segments(text: str, spans: list[Span]) -> list[tuple[int, int, list[Span]]]:
    """The text cut at every span boundary and line end, each piece with the spans covering it.

    Spans overlap and nest, so a piece may support several rows; pieces never cross a line.
    """
    cuts = {0, len(text)}
    for span in spans:
        cuts.update((span.start, span.end))
    for i, char in enumerate(text):
        if char == "\n":
            cuts.update((i, i + 1))
    points = sorted(cuts)
    return [
        (a, b, [s for s in spans if s.start <= a and b <= s.end])
        for a, b in itertools.pairwise(points)
    ]


def source_page(site: Site, source: Row) -> str:
    """The source text in Arabic, right to left, with every evidence span highlighted."""
    source_id = source["source_id"]
    uri = source_uri(source_id)
    spans = evidence_spans(site, source_id)
    lines, panels = source_lines(site, uri, site.texts[source_id], spans)
    tables = {s.table.name for s in spans}
    out = [
        f"# {md_text(source['title_en'])}",
        "",
        f"The text of `{source['path']}` exactly as received, with the {len(spans)} evidence spans "
        f"of {len(tables)} tables highlighted: the darker a phrase, the more rows it supports. "
        "Select a phrase to list the rows it is evidence for; each row's `evidence_ar` on the "
        "table pages links back here.",
        "",
        '!!! warning "Rights in this text"',
        "",
        f"    {md_text(source['rights_note_en'])} (`rights_status`: {source['rights_status']})",
        "",
        '<article class="source-text" dir="rtl" lang="ar" markdown="1">',
        "",
        f"## {lines[0]}",
        "",
        *(f"<p>{line}</p>" for line in lines[1:] if line),
        "",
        "</article>",
        "",
        '<div class="ev-panels" data-search-exclude>',
        *panels,
        "</div>",
        "",
        "## Evidence spans",
        "",
        "Every span in text order, with the row it supports. Offsets count Unicode code points "
        "from 0; `text[char_start:char_end]` is the evidence.",
        "",
        _spans_table(site, uri, spans),
        "",
        "## Source record",
        "",
        _record_table(site, uri, source),
    ]
    return "\n".join(out) + "\n"


def source_lines(site: Site, uri: str, text: str, spans: list[Span]) -> tuple[list[str], list[str]]:
    """The text as HTML, one string per line, and the panel listing the rows of each piece.

    The first line is the heading, so it is escaped for Markdown as well as for HTML.
    """
    lines = [""]
    panels = []
    starts: dict[int, list[Span]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
    number = 0
    for a, b, covering in segments(text, spans):
        piece = text[a:b]
        if piece == "\n":
            lines.append("")
            continue
        markup = "".join(
            f'<span class="ev-anchor" id="{s.anchor}"></span>' for s in starts.get(a, [])
        )
        shown = md_text(piece) if len(lines) == 1 else html.escape(piece, quote=False)
        if covering:
            number += 1
            markup += _piece_link(number, shown, covering)
            panels.append(_panel(site, uri, number, piece, covering))
        else:
            markup += shown
        lines[-1] += markup
    return lines, panels


def _piece_link(number: int, shown: str, covering: list[Span]) -> str:
    """A highlighted piece, darker the more rows it supports, opening its panel."""
    ids = " ".join(s.anchor for s in covering)
    title = "; ".join(f"{s.table.name}: {row_label(s.table, s.row)}" for s in covering)
    depth = min(len(covering), 4)
    return (
        f'<a class="ev ev-d{depth}" id="s{number}" href="#seg-{number}" '
        f'data-spans="{ids}" title="{html.escape(title)}">{shown}</a>'
    )


def _panel(site: Site, uri: str, number: int, piece: str, covering: list[Span]) -> str:
    """The rows one piece is evidence for, shown (by CSS :target) when the piece is selected."""
    items = "".join(
        f'<li><a href="{site.row_href(uri, s.table, s.index)}">{html.escape(s.table.title)}: '
        f"{html.escape(row_label(s.table, s.row))}</a></li>"
        for s in covering
    )
    return (
        f'<div class="ev-panel" id="seg-{number}" dir="ltr" lang="en">'
        f'<p>«<bdi lang="ar">{html.escape(piece)}</bdi>» is evidence for '
        f"{plural(len(covering), 'row')}:</p><ul>{items}</ul>"
        f'<p><a class="ev-close" href="#s{number}">Close</a></p></div>'
    )


def _spans_table(site: Site, uri: str, spans: list[Span]) -> str:
    body = [
        f'<tr><td><a href="#{s.anchor}">{s.start}–{s.end}</a></td>'
        f'<td><a href="{href(uri, table_uri(s.table.name))}">{s.table.name}</a></td>'
        f'<td><a href="{site.row_href(uri, s.table, s.index)}">'
        f"{html.escape(row_label(s.table, s.row))}</a></td>"
        f'<td dir="rtl" lang="ar">{esc(s.row["evidence_ar"])}</td></tr>'
        for s in spans
    ]
    return table_html(["Span", "Table", "Row", "Evidence"], body, "eaeu-spans")


def _record_table(site: Site, uri: str, source: Row) -> str:
    """The source's own row of `sources`, field by field (empty fields left out)."""
    sources = site.catalog.table("sources")
    meta = [
        f"<tr><th>{html.escape(f.title)} <code>{f.name}</code></th>"
        f"{value_cell(site, sources, source, f.name, uri)}</tr>"
        for f in sources.fields
        if source.get(f.name) is not None
    ]
    return table_html(["Field", "Value"], meta, "eaeu-record")
