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

import contextlib
import difflib
import fnmatch
import functools
import html
import importlib
import inspect
import io
import itertools
import json
import math
import pkgutil
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from eaeu_facts.errors import BuildError, Problems
from eaeu_facts.package import (
    catalog_from_descriptor,
    parse_cell,
    read_csv_table,
    verify_package,
)
from eaeu_facts.provenance import sha256_hex
from eaeu_facts.publish import PACKAGE_DIR, format_value, write_csv, write_parquet
from eaeu_facts.schemas import Catalog, Table, load_catalog
from eaeu_facts.tables import TableRows

Row = dict[str, Any]

ROW_LIMIT = 50  # rows shown on a table page; the downloads hold them all
OPEN_BASES = ("inferred", "relative", "open")  # `*_basis` values a data quality note lists
EVIDENCE_KINDS = ("dimension", "fact")  # tables whose spans are evidence for what they say
LABEL_FIELDS = ("name_en", "title_en", "summary_en", "topic_en", "text_en", "speaker_en")
KIND_NOTES = {
    "reference": "reference data, citing no source",
    "dimension": "things the sources name, each row citing where",
    "fact": "what the sources say, each row citing its evidence span",
    "derived": "computed by the build from the other tables",
}
MARKER = re.compile(r"<!--\s*generated:\s*(?P<name>[a-z0-9-]+)(?:\s+(?P<arg>[^\s>]+))?\s*-->")
SQL_BLOCK = re.compile(r"^```sql[^\n]*\n(?P<sql>.*?)^```[ \t]*$", re.M | re.S)
FIXTURE = Path("tests") / "fixtures" / "mini"
PALETTE = ("#1f6fb4", "#c8372d", "#2a9d4b", "#8a4fbf", "#e07b00", "#8c564b", "#d4429a", "#148f9e")


# --- Loading --------------------------------------------------------------------------------


@dataclass
class Site:
    """Everything the pages are generated from: the schemas and the package as published."""

    root: Path
    catalog: Catalog
    descriptor: dict[str, Any]
    tables: dict[str, TableRows]
    texts: dict[str, str]
    row_limit: int = ROW_LIMIT
    _indexes: dict[tuple[str, tuple[str, ...]], dict[tuple, int]] = field(
        default_factory=dict, repr=False
    )

    @functools.cached_property
    def rows(self) -> dict[str, list[Row]]:
        return {name: t.rows for name, t in self.tables.items()}

    def find(self, resource: str, fields: tuple[str, ...], values: tuple) -> int | None:
        """Index of the row of `resource` whose `fields` hold `values`, if there is one."""
        key = (resource, fields)
        if key not in self._indexes:
            self._indexes[key] = {
                tuple(r.get(f) for f in fields): i for i, r in enumerate(self.rows[resource])
            }
        return self._indexes[key].get(values)

    def row_href(self, from_uri: str, table: Table, index: int) -> str:
        """Link to a row on its table page, or to the page's rows when the row is not shown."""
        row = self.rows[table.name][index]
        anchor = row_anchor(table, row) if index < self.row_limit else "rows"
        return href(from_uri, table_uri(table.name), anchor)

    def resources(self, table: str) -> list[dict[str, Any]]:
        """The published files of one table (CSV, Parquet)."""
        return [
            r
            for r in self.descriptor["resources"]
            if r["name"] == table or r["name"].startswith(f"{table}-")
        ]


def load_site(root: Path, row_limit: int = ROW_LIMIT) -> Site:
    """Load the schemas and the published package, refusing one that fails validation."""
    root = root.resolve()
    catalog = load_catalog(root)
    descriptor_path = root / PACKAGE_DIR / "datapackage.json"
    problems = verify_package(descriptor_path, root)
    if problems:
        raise BuildError(problems)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    published = catalog_from_descriptor(descriptor)
    _check_current(catalog, published, problems)
    if problems:
        raise BuildError(problems)
    base = descriptor_path.parent
    tables = {
        t.name: read_csv_table(published.table(t.name), base, problems) for t in catalog.tables
    }
    if problems:
        raise BuildError(problems)
    sources = tables["sources"].rows
    texts = {r["source_id"]: (root / r["path"]).read_bytes().decode() for r in sources}
    return Site(root, catalog, descriptor, tables, texts, row_limit)


def _check_current(catalog: Catalog, published: Catalog, problems: Problems) -> None:
    """The package must publish exactly the tables and fields that schemas/ describes."""
    where = f"{PACKAGE_DIR}/datapackage.json"
    fix = "(the package is stale: run `eaeu-facts build`)"
    for table in catalog.tables:
        if table.name not in published.names:
            problems.add(where, None, "resources", f"no table {table.name}", f"it {fix}")
        elif published.table(table.name).field_names != table.field_names:
            problems.add(
                where,
                None,
                f"resources[{table.name}].schema.fields",
                ",".join(published.table(table.name).field_names),
                f"{','.join(table.field_names)} as in {table.path} {fix}",
            )
    for name in published.names:
        if name not in catalog.names:
            problems.add(where, None, "resources", name, f"a table of schemas/ {fix}")


# --- Links, anchors and HTML ----------------------------------------------------------------


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
    out = html.escape(text, quote=False)
    for char in "\\`*_[]#!{}|":
        out = out.replace(char, f"&#{ord(char)};")
    return out


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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def words(value: str) -> str:
    """An enum value as words: `preliminary_estimate` -> preliminary estimate."""
    return value.replace("_", " ")


def _table_html(header: list[str], body: list[str], wrapper: str) -> str:
    """An HTML table (no class, so the theme styles it) inside a classed div, on few lines."""
    head = "".join(f"<th>{h}</th>" for h in header)
    return (
        f'<div class="{wrapper}">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>"
    )


# --- Pages ----------------------------------------------------------------------------------


def generated_pages(site: Site) -> dict[str, str]:
    """Every page that exists only because of the data: the tables and the source texts."""
    pages = {"tables/index.md": tables_index(site)}
    for table in site.catalog.tables:
        pages[table_uri(table.name)] = table_page(site, table)
    for row in site.rows["sources"]:
        pages[source_uri(row["source_id"])] = source_page(site, row)
    return pages


def download_files(site: Site) -> dict[str, Path]:
    """Site path -> file for datapackage.json and every file it lists, copied into the site."""
    base = site.root / PACKAGE_DIR
    files = {f"{PACKAGE_DIR}/datapackage.json": base / "datapackage.json"}
    for res in site.descriptor["resources"]:
        files[f"{PACKAGE_DIR}/{res['path']}"] = base / res["path"]
    return files


def expand_nav(nav: list[Any], uris: list[str], listed: set[str] | None = None) -> list[Any]:
    """Replace nav entries holding a `*` pattern by the generated pages that match it.

    A page the nav names explicitly (tables/index.md) is not repeated by a pattern.
    """
    listed = set(_nav_paths(nav)) if listed is None else listed
    out: list[Any] = []
    for item in nav:
        if isinstance(item, str) and "*" in item:
            out.extend(u for u in uris if fnmatch.fnmatch(u, item) and u not in listed)
        elif isinstance(item, dict):
            out.append({k: _expand_value(v, uris, listed) for k, v in item.items()})
        else:
            out.append(item)
    return out


def _expand_value(value: Any, uris: list[str], listed: set[str]) -> Any:
    if isinstance(value, list):
        return expand_nav(value, uris, listed)
    if isinstance(value, str) and "*" in value:
        return [u for u in uris if fnmatch.fnmatch(u, value) and u not in listed]
    return value


def _nav_paths(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)


def tables_index(site: Site) -> str:
    uri = "tables/index.md"
    lines = [
        "# Data dictionary",
        "",
        "One page per table of the package, generated from `schemas/`: what a row is, every "
        "field with its type, constraints and description, the keys that link the tables, and "
        "the rows themselves.",
        "",
        "| Table | Kind | Rows | What one row is |",
        "| --- | --- | ---: | --- |",
    ]
    for table in site.catalog.tables:
        link = f"[`{table.name}`]({md_href(uri, table_uri(table.name))})"
        count = len(site.rows[table.name])
        lines.append(f"| {link} | {table.kind} | {count} | {_cell(table.description)} |")
    lines += ["", "## How the tables link", ""]
    for table in site.catalog.tables:
        for fk in table.foreign_keys:
            lines.append(
                f"- [`{table.name}.{', '.join(fk.fields)}`]({table.name}.md#field-{fk.fields[0]})"
                f" → [`{fk.resource}.{', '.join(fk.reference_fields)}`]"
                f"({fk.resource}.md#field-{fk.reference_fields[0]})"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_page(site: Site, table: Table) -> str:
    uri = table_uri(table.name)
    rows = site.rows[table.name]
    files = " · ".join(
        f"[{r['path']}](../{PACKAGE_DIR}/{r['path']}) ({r['bytes']:,} bytes)"
        for r in site.resources(table.name)
    )
    lines = [
        f"# {table.title}",
        "",
        table.description,
        "",
        f"- **Table:** `{table.name}`, {table.kind} ({KIND_NOTES.get(table.kind, table.kind)})",
        f"- **Rows:** {len(rows)}",
        f"- **Schema:** `{table.path}`",
        f"- **Files:** {files}",
        "",
        "## Keys",
        "",
        f"- **Primary key:** {', '.join(f'`{k}`' for k in table.primary_key)}",
    ]
    if table.foreign_keys:
        lines.append("- **Foreign keys:**")
        lines += [
            f"    - `{', '.join(fk.fields)}` → [`{fk.resource}.{', '.join(fk.reference_fields)}`]"
            f"({fk.resource}.md#field-{fk.reference_fields[0]})"
            for fk in table.foreign_keys
        ]
    referenced = [
        (other, fk)
        for other in site.catalog.tables
        for fk in other.foreign_keys
        if fk.resource == table.name
    ]
    if referenced:
        lines.append("- **Referenced by:**")
        lines += [
            f"    - [`{other.name}.{', '.join(fk.fields)}`]({other.name}.md#field-{fk.fields[0]})"
            for other, fk in referenced
        ]
    lines += ["", "## Fields", "", fields_html(site, table, uri), "", "## Rows", ""]
    if not rows:
        lines.append("The package has no rows in this table yet.")
    else:
        shown = min(len(rows), site.row_limit)
        lines.append(
            f"All {len(rows)} rows, as published."
            if shown == len(rows)
            else f"The first {shown} of {len(rows)} rows; the files above hold them all."
        )
        lines += ["", rows_html(site, table, uri)]
    return "\n".join(lines) + "\n"


def fields_html(site: Site, table: Table, uri: str) -> str:
    body = []
    for f in table.fields:
        body.append(
            f'<tr id="field-{f.name}"><td><code>{f.name}</code><br>{html.escape(f.title)}</td>'
            f"<td>{f.type}</td><td>{constraints_html(site, table, f.name, uri)}</td>"
            f"<td>{inline_md(f.description)}</td></tr>"
        )
    return _table_html(["Field", "Type", "Constraints", "Description"], body, "eaeu-fields")


def constraints_html(site: Site, table: Table, name: str, uri: str) -> str:
    c = table.field(name).constraints
    items = []
    if name in table.primary_key:
        items.append("primary key")
    items += [key for key in ("required", "unique") if c.get(key)]
    if "enum" in c:
        items.append(
            "one of " + ", ".join(f"<code>{html.escape(str(v))}</code>" for v in c["enum"])
        )
    if "pattern" in c:
        items.append(f"matches <code>{html.escape(c['pattern'])}</code>")
    for key, text in (
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
    ):
        if key in c:
            items.append(text.format(c[key]) if "{}" in text else f"{text} {c[key]}")
    for fk in table.foreign_keys:
        if name in fk.fields:
            target = href(uri, table_uri(fk.resource), f"field-{fk.reference_fields[0]}")
            items.append(f'refers to <a href="{target}">{fk.resource}.{fk.reference_fields[0]}</a>')
    return "<br>".join(items)


def rows_html(site: Site, table: Table, uri: str) -> str:
    rows = site.rows[table.name][: site.row_limit]
    body = []
    for row in rows:
        cells = "".join(_value_cell(site, table, row, f.name, uri) for f in table.fields)
        body.append(f'<tr id="{row_anchor(table, row)}">{cells}</tr>')
    header = [f"<code>{f.name}</code>" for f in table.fields]
    return _table_html(header, body, "eaeu-rows")


def _value_cell(site: Site, table: Table, row: Row, name: str, uri: str) -> str:
    value = row.get(name)
    attrs = ' dir="rtl" lang="ar"' if is_arabic_field(name) and value is not None else ""
    if value is not None and len(format_value(value)) > 60:
        attrs += ' class="long"'
    return f"<td{attrs}>{_value_html(site, table, row, name, uri)}</td>"


def _value_html(site: Site, table: Table, row: Row, name: str, uri: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if name == "evidence_ar" and shows_spans(table):
        target = href(uri, source_uri(row["source_id"]), span_anchor(table, row))
        return f'<a href="{target}" title="Show in the source text">{esc(value)}</a>'
    if name == "source_id" and table.name != "sources":
        return f'<a href="{href(uri, source_uri(value))}"><code>{esc(value)}</code></a>'
    for fk in table.foreign_keys:
        if name in fk.fields and fk.resource != "sources":
            index = site.find(
                fk.resource, fk.reference_fields, tuple(row.get(f) for f in fk.fields)
            )
            if index is not None:
                target = site.row_href(uri, site.catalog.table(fk.resource), index)
                return f'<a href="{target}"><code>{esc(value)}</code></a>'
    if name in table.primary_key:
        return f"<code>{esc(value)}</code>"
    return esc(value)


# --- Source texts ---------------------------------------------------------------------------


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
    text = site.texts[source_id]
    spans = evidence_spans(site, source_id)
    sources = site.catalog.table("sources")
    lines, panels = _source_lines(site, uri, text, spans)
    tables = {s.table.name for s in spans}
    meta = [
        f"<tr><th>{html.escape(f.title)} <code>{f.name}</code></th>"
        f"{_value_cell(site, sources, source, f.name, uri)}</tr>"
        for f in sources.fields
        if source.get(f.name) is not None
    ]
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
        _table_html(["Field", "Value"], meta, "eaeu-record"),
    ]
    return "\n".join(out) + "\n"


def _source_lines(
    site: Site, uri: str, text: str, spans: list[Span]
) -> tuple[list[str], list[str]]:
    """The text as HTML, one string per line, and the panel listing the rows of each piece."""
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
            ids = " ".join(s.anchor for s in covering)
            title = "; ".join(f"{s.table.name}: {row_label(s.table, s.row)}" for s in covering)
            depth = min(len(covering), 4)
            markup += (
                f'<a class="ev ev-d{depth}" id="s{number}" href="#seg-{number}" '
                f'data-spans="{ids}" title="{html.escape(title)}">{shown}</a>'
            )
            panels.append(_panel(site, uri, number, piece, covering))
        else:
            markup += shown
        lines[-1] += markup
    return lines, panels


def _panel(site: Site, uri: str, number: int, piece: str, covering: list[Span]) -> str:
    items = "".join(
        f'<li><a href="{site.row_href(uri, s.table, s.index)}">{html.escape(s.table.title)}: '
        f"{html.escape(row_label(s.table, s.row))}</a></li>"
        for s in covering
    )
    return (
        f'<div class="ev-panel" id="seg-{number}" dir="ltr" lang="en">'
        f'<p>«<bdi lang="ar">{html.escape(piece)}</bdi>» is evidence for '
        f"{_plural(len(covering), 'row')}:</p><ul>{items}</ul>"
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
    return _table_html(["Span", "Table", "Row", "Evidence"], body, "eaeu-spans")


# --- Blocks of hand-written pages -----------------------------------------------------------

Block = Callable[["Site", str, str | None], str]
BLOCKS: dict[str, Block] = {}


def block(name: str) -> Callable[[Block], Block]:
    def register(fn: Block) -> Block:
        BLOCKS[name] = fn
        return fn

    return register


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
    markdown = run_sql_blocks(site, markdown, display, problems)
    if problems:
        raise BuildError(problems)
    return markdown


@block("package-summary")
def package_summary(site: Site, uri: str, arg: str | None) -> str:
    d = site.descriptor
    total = sum(len(rows) for rows in site.rows.values())
    return "\n".join(
        [
            f"> **{md_text(d['title'])}** — version {d['version']}, created {d['created'][:10]}.",
            ">",
            f"> {md_text(d['description'])}",
            "",
            f"The package holds {total} rows in {len(site.catalog.tables)} tables, taken from "
            f"{_plural(len(site.rows['sources']), 'source text')}.",
        ]
    )


@block("data-licence")
def data_licence(site: Site, uri: str, arg: str | None) -> str:
    return "\n".join(
        f"- **{lic['name']}**: [{md_text(lic.get('title', lic['name']))}]({lic['path']})"
        for lic in site.descriptor["licenses"]
    )


@block("source-rights")
def source_rights(site: Site, uri: str, arg: str | None) -> str:
    lines = [
        "| Source | Publisher | Rights status | What may be done with it |",
        "| --- | --- | --- | --- |",
    ]
    for row in site.rows["sources"]:
        link = md_href(uri, source_uri(row["source_id"]))
        lines.append(
            f"| [{_cell(md_text(row['title_en']))}]({link}) | {_cell(md_text(row['publisher_en']))}"
            f" | `{row['rights_status']}` | {_cell(md_text(row['rights_note_en']))} |"
        )
    return "\n".join(lines)


@block("downloads")
def downloads(site: Site, uri: str, arg: str | None) -> str:
    """Every published file with its format, size and sha256, linked to download it."""
    lines = [
        '<div class="eaeu-downloads" markdown="1">',
        "",
        "| File | Contents | Format | Size | SHA-256 |",
        "| --- | --- | --- | ---: | --- |",
    ]
    descriptor = site.root / PACKAGE_DIR / "datapackage.json"
    lines.append(
        _download_row(
            uri,
            "datapackage.json",
            "The package descriptor: every resource, its schema, size and hash",
            "json",
            descriptor.read_bytes(),
        )
    )
    for res in site.descriptor["resources"]:
        link = md_href(uri, f"{PACKAGE_DIR}/{res['path']}")
        lines.append(
            f"| [{res['path']}]({link}){{: download }} "
            f"| {_cell(md_text(res.get('title', res['name'])))} | {res['format']} "
            f"| {human_bytes(res['bytes'])} | `{res['hash'].removeprefix('sha256:')}` |"
        )
    return "\n".join([*lines, "", "</div>"])


def _download_row(uri: str, path: str, title: str, fmt: str, data: bytes) -> str:
    link = md_href(uri, f"{PACKAGE_DIR}/{path}")
    return (
        f"| [{path}]({link}){{: download }} | {title} | {fmt} | {human_bytes(len(data))} "
        f"| `{sha256_hex(data)}` |"
    )


# --- Data quality ---------------------------------------------------------------------------


def _basis_fields(table: Table) -> list[str]:
    return [f.name for f in table.fields if f.name.endswith("_basis")]


def _notes(table: Table, row: Row, bases: list[str]) -> list[str]:
    """The row's note and the notes that explain the given basis fields."""
    names = ["note_en", *(b.removesuffix("_basis") + "_note_en" for b in bases)]
    return [str(row[n]) for n in names if n in table.field_names and row.get(n)]


def _note_html(text: str) -> str:
    out = html.escape(text)
    return out.replace("External corroboration:", "<strong>External corroboration:</strong>")


@block("quality-rows")
def quality_rows(site: Site, uri: str, arg: str | None) -> str:
    """Rows with a `*_basis` that is not `stated`, the words as printed and the curator's note."""
    parts = []
    total = 0
    for table in site.catalog.tables:
        body = []
        for i, row in enumerate(site.rows[table.name]):
            bases = [b for b in _basis_fields(table) if row.get(b) in OPEN_BASES]
            if not bases:
                continue
            what = []
            for b in bases:
                printed = b.removesuffix("_basis") + "_as_printed_ar"
                words_ar = row.get(printed) if printed in table.field_names else None
                shown = f' (printed: <bdi lang="ar">{esc(words_ar)}</bdi>)' if words_ar else ""
                what.append(f"<code>{b}</code>: {row[b]}{shown}")
            notes = "<br>".join(_note_html(n) for n in _notes(table, row, bases))
            body.append(
                f'<tr><td><a href="{site.row_href(uri, table, i)}">'
                f"<code>{esc(row_anchor(table, row))}</code></a></td>"
                f"<td>{'<br>'.join(what)}</td><td>{notes}</td></tr>"
            )
        if body:
            total += len(body)
            parts += [
                f"### {table.title}",
                "",
                _table_html(["Row", "Left open or inferred", "Curator's note"], body, "eaeu-q"),
                "",
            ]
    head = (
        f"{total} rows record something their source leaves open, gives only relative to an "
        "unprinted date, or that the curators inferred (a `*_basis` field other than `stated`):"
    )
    return "\n".join([head, "", *parts])


@block("quality-notes")
def quality_notes(site: Site, uri: str, arg: str | None) -> str:
    """Curators' notes on rows that state everything but still need a word on how they read."""
    body = []
    for table in site.catalog.tables:
        for i, row in enumerate(site.rows[table.name]):
            if any(row.get(b) in OPEN_BASES for b in _basis_fields(table)):
                continue
            notes = _notes(table, row, [])
            if notes:
                body.append(
                    f'<tr><td>{table.name}</td><td><a href="{site.row_href(uri, table, i)}">'
                    f"<code>{esc(row_anchor(table, row))}</code></a></td>"
                    f"<td>{'<br>'.join(_note_html(n) for n in notes)}</td></tr>"
                )
    return _table_html(["Table", "Row", "Curator's note"], body, "eaeu-q")


# --- SQL cookbook ---------------------------------------------------------------------------


def connect(site: Site, workdir: Path) -> Any:
    """The package as users query it, through `eaeu_facts.connect()`: tables and views.

    The database is written into `workdir` from the published rows, the way the build writes
    it beside the package, so the results are those of exactly the package documented.
    """
    import eaeu_facts
    from eaeu_facts.database import write_database

    return eaeu_facts.connect(write_database(site.catalog, site.tables, workdir))


def run_sql_blocks(site: Site, markdown: str, display: str, problems: Problems) -> str:
    """Run every ```sql block and put its result after it; a query that fails is a problem."""
    if not SQL_BLOCK.search(markdown):
        return markdown
    import duckdb

    workdir = Path(tempfile.mkdtemp(prefix="eaeu-facts-docs-"))
    con = connect(site, workdir)

    def run(match: re.Match[str]) -> str:
        line = markdown[: match.start()].count("\n") + 1
        try:
            cursor = con.execute(match["sql"])
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            problems.add(display, line, "sql", f"<{first}>", "a query that runs on the package")
            return match[0]
        return match[0] + "\n\n" + result_html(names, rows)

    try:
        return SQL_BLOCK.sub(run, markdown)
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)


def result_html(names: list[str], rows: list[tuple]) -> str:
    arabic = re.compile("[\u0600-\u06ff]")
    body = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else format_value(value)
            attrs = ' dir="rtl" lang="ar"' if arabic.search(text) else ""
            attrs += ' class="long"' if len(text) > 60 else ""
            cells.append(f"<td{attrs}>{html.escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    table = _table_html([f"<code>{html.escape(n)}</code>" for n in names], body, "eaeu-result")
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    return f'<p class="eaeu-result-count">Result ({count}):</p>\n{table}'


# --- Figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    amount: float
    unit: str
    hedge: str
    status: str
    period: str
    link: str
    tooltip: str


def _scaled(value: float, unit: str) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"{value / size:g} {word} {unit}"
    return f"{value:,.0f} {unit}" if value >= 1000 else f"{value:g} {unit}"


def _nice_ceiling(value: float) -> tuple[float, float]:
    """An axis end at or above `value` and a tick step giving four or five ticks."""
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.ceil(value / step) * step, step


def bar_chart(key: str, title: str, bars: list[Bar]) -> str:
    """Horizontal bars, hatched for targets and dotted for estimates, with hedges drawn.

    `key` prefixes the ids of the chart's patterns, so that charts can share a page.
    """
    width, left, plot, row_h, top = 760, 250, 320, 52, 34
    end, step = _nice_ceiling(max(b.amount for b in bars) * 1.12)
    height = top + row_h * len(bars) + 96
    scale = plot / end
    out = [
        f'<svg class="eaeu-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        _patterns(key),
    ]
    axis_y = top + row_h * len(bars)
    ticks = round(end / step)
    for k in range(ticks + 1):
        x = left + k * step * scale
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{axis_y}"/>'
            f'<text class="tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">'
            f"{html.escape(_scaled(k * step, bars[0].unit))}</text>"
        )
    for i, bar in enumerate(bars):
        out.append(_bar(key, bar, left, top + i * row_h, scale))
    out.append(_legend(key, bars, 20, axis_y + 40))
    out.append("</svg>")
    return "\n".join(out)


def _patterns(key: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{key}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" class="hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="8" class="hatch-line"/></pattern>'
        f'<pattern id="{key}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" class="hatch-bg"/><circle cx="3" cy="3" r="1.4" '
        'class="dot"/></pattern>'
        f'<marker id="{key}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>'
        "</defs>"
    )


def _fill(key: str, status: str) -> str:
    if status in ("target", "forecast"):
        return f"url(#{key}-hatch)"
    if status in ("estimate", "preliminary_estimate"):
        return f"url(#{key}-dots)"
    return ""


def _bar(key: str, bar: Bar, left: int, y: int, scale: float) -> str:
    length = max(bar.amount * scale, 2)
    x_end = left + length
    fill = _fill(key, bar.status)
    style = f' fill="{fill}"' if fill else ""
    parts = [
        f'<a href="{html.escape(bar.link)}"><g class="bar status-{bar.status}">',
        f"<title>{html.escape(bar.tooltip)}</title>",
        f'<text class="label" x="{left - 10}" y="{y + 15}" text-anchor="end">'
        f"{html.escape(bar.label)}</text>",
        f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="20"{style}/>',
    ]
    if bar.hedge in ("more_than", "at_least"):
        parts.append(
            f'<line class="hedge" x1="{x_end:.1f}" y1="{y + 12}" x2="{x_end + 26:.1f}" '
            f'y2="{y + 12}" marker-end="url(#{key}-arrow)"/>'
        )
    elif bar.hedge in ("less_than", "at_most"):
        parts.append(
            f'<line class="hedge" x1="{x_end:.1f}" y1="{y + 12}" x2="{x_end - 26:.1f}" '
            f'y2="{y + 12}" marker-end="url(#{key}-arrow)"/>'
        )
    elif bar.hedge == "about":
        for dx in (-8, 8):
            parts.append(
                f'<line class="hedge" x1="{x_end + dx:.1f}" y1="{y + 4}" x2="{x_end + dx:.1f}" '
                f'y2="{y + 20}"/>'
            )
    hedge = "" if bar.hedge == "exactly" else words(bar.hedge) + " "
    value_x = x_end + (34 if bar.hedge in ("more_than", "at_least", "about") else 8)
    parts += [
        f'<text class="value" x="{value_x:.1f}" y="{y + 16}">'
        f"{html.escape(hedge + _scaled(bar.amount, bar.unit))}</text>",
        f'<text class="status" x="{left - 10}" y="{y + 32}" text-anchor="end">'
        f"{html.escape(words(bar.status))} · {html.escape(bar.period)}</text>",
        "</g></a>",
    ]
    return "\n".join(parts)


def _legend(key: str, bars: list[Bar], x: int, y: int) -> str:
    items = []
    statuses = sorted({b.status for b in bars})
    for status in statuses:
        fill = _fill(key, status)
        style = f' fill="{fill}"' if fill else ""
        items.append((f'<rect width="22" height="12" y="-10"{style}/>', words(status)))
    hedges = {b.hedge for b in bars}
    if hedges & {"more_than", "at_least"}:
        items.append(
            (
                f'<line class="hedge" x1="0" y1="-4" x2="22" y2="-4" '
                f'marker-end="url(#{key}-arrow)"/>',
                "more than / at least",
            )
        )
    if "about" in hedges:
        items.append(
            (
                '<line class="hedge" x1="7" y1="-11" x2="7" y2="2"/>'
                '<line class="hedge" x1="15" y1="-11" x2="15" y2="2"/>',
                "about",
            )
        )
    out = [f'<g class="legend bar" transform="translate({x},{y})">']
    cursor = 0
    for mark, text in items:
        out.append(
            f'<g transform="translate({cursor},0)">{mark}<text x="30" y="0">'
            f"{html.escape(text)}</text></g>"
        )
        cursor += 40 + 8 * len(text)
    out.append("</g>")
    return "".join(out)


def _country(site: Site, code: str | None) -> str:
    index = site.find("countries", ("country_code",), (code,))
    return site.rows["countries"][index]["name_en"] if index is not None else str(code)


def _period(row: Row) -> str:
    if row.get("period_start") and row.get("period_end"):
        return f"{row['period_start']} to {row['period_end']}"
    return {"open": "period not stated", "relative": "period relative to an unprinted date"}.get(
        row.get("period_basis", ""), f"period {row.get('period_basis')}"
    )


def amount_bars(site: Site, uri: str, table: Table) -> dict[str, list[Bar]]:
    """The amounts of a trade or investment table as bars, one list per currency."""
    out: dict[str, list[Bar]] = {}
    for i, row in enumerate(site.rows[table.name]):
        if table.name == "trade":
            label = (
                f"{_country(site, row['country_a_code'])} – "
                f"{_country(site, row['country_b_code'])}, {row['flow']}"
            )
        else:
            label = (
                f"{_country(site, row['investor_country_code'])} → "
                f"{_country(site, row['recipient_country_code'])}"
            )
        tooltip = f"{row['evidence_ar']} — {row_anchor(table, row)}"
        out.setdefault(row["currency_code"], []).append(
            Bar(
                label=label,
                amount=float(row["amount"]),
                unit=row["currency_code"],
                hedge=row["hedge"],
                status=row["status"],
                period=_period(row),
                link=site.row_href(uri, table, i),
                tooltip=tooltip,
            )
        )
    return out


@block("figure-amounts")
def figure_amounts(site: Site, uri: str, arg: str | None) -> str:
    """Bars for the amounts of one table (`trade` or `investment`), and the same as a table."""
    if arg not in ("trade", "investment"):
        raise BuildError(_problem(uri, "figure-amounts", arg, "trade or investment"))
    table = site.catalog.table(arg)
    if not site.rows[table.name]:
        link = md_href(uri, table_uri(table.name))
        return f"The package has no rows in [`{table.name}`]({link}) yet."
    parts = []
    for currency, bars in amount_bars(site, uri, table).items():
        chart = bar_chart(anchor_id(table.name, currency), f"{table.title} ({currency})", bars)
        parts.append(f'<div class="eaeu-figure">\n{chart}\n</div>')
    body = []
    for i, row in enumerate(site.rows[table.name]):
        hedge = (
            f'<bdi lang="ar">{esc(row["hedge_as_printed_ar"])}</bdi> '
            if row.get("hedge_as_printed_ar")
            else ""
        )
        body.append(
            f'<tr><td><a href="{site.row_href(uri, table, i)}"><code>{esc(row_anchor(table, row))}'
            f'</code></a></td><td dir="rtl" lang="ar">{hedge}{esc(row["amount_as_printed_ar"])}'
            f"</td><td>{words(row['hedge'])}</td><td>{words(row['status'])}</td>"
            f"<td>{row['currency_basis']}</td><td>{html.escape(_period(row))}</td></tr>"
        )
    parts.append(
        _table_html(["Row", "As printed", "Hedge", "Status", "Currency", "Period"], body, "eaeu-q")
    )
    return "\n\n".join(parts)


def _problem(uri: str, field_name: str, found: object, expected: str) -> Problems:
    problems = Problems()
    problems.add(f"docs/{uri}", None, field_name, found, expected)
    return problems


@block("figure-meetings")
def figure_meetings(site: Site, uri: str, arg: str | None) -> str:
    """Who met whom: people as nodes, one edge per meeting two of them took part in."""
    by_meeting: dict[str, list[Row]] = {}
    for row in site.rows["participants"]:
        by_meeting.setdefault(row["meeting_id"], []).append(row)
    people = sorted({r["person_id"] for r in site.rows["participants"]})
    order = [m["meeting_id"] for m in site.rows["meetings"] if m["meeting_id"] in by_meeting]
    edges: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for meeting in order:
        rows = by_meeting[meeting]
        for a in rows:
            for b in rows:
                if a["person_id"] < b["person_id"]:
                    inferred = "inferred" in (a["participation_basis"], b["participation_basis"])
                    edges.setdefault((a["person_id"], b["person_id"]), []).append(
                        (meeting, inferred)
                    )
    svg = meeting_graph(site, uri, people, order, edges)
    body = []
    for (a, b), held in sorted(edges.items()):
        links = "<br>".join(
            f'<a href="{_meeting_href(site, uri, m)}">{html.escape(_meeting_name(site, m))}</a>'
            + (" (participation inferred)" if inferred else "")
            for m, inferred in held
        )
        body.append(
            f"<tr><td>{html.escape(_person(site, a))}</td><td>{html.escape(_person(site, b))}</td>"
            f"<td>{links}</td></tr>"
        )
    return f'<div class="eaeu-figure">\n{svg}\n</div>\n\n' + _table_html(
        ["Person", "Person", "Meetings both took part in"], body, "eaeu-q"
    )


def _person(site: Site, person_id: str) -> str:
    index = site.find("people", ("person_id",), (person_id,))
    return site.rows["people"][index]["name_en"] if index is not None else person_id


def _meeting_name(site: Site, meeting_id: str) -> str:
    index = site.find("meetings", ("meeting_id",), (meeting_id,))
    return site.rows["meetings"][index]["name_en"] if index is not None else meeting_id


def _meeting_href(site: Site, uri: str, meeting_id: str) -> str:
    index = site.find("meetings", ("meeting_id",), (meeting_id,))
    table = site.catalog.table("meetings")
    return (
        site.row_href(uri, table, index) if index is not None else href(uri, table_uri("meetings"))
    )


def meeting_graph(
    site: Site,
    uri: str,
    people: list[str],
    meetings: list[str],
    edges: dict[tuple[str, str], list[tuple[str, bool]]],
) -> str:
    """The graph as SVG: people on a circle, a curve per shared meeting, dashed if inferred."""
    width, cx, cy, radius = 760, 380, 230, 160
    height = 470 + 22 * len(meetings)
    angle = {p: -math.pi / 2 + 2 * math.pi * i / max(len(people), 1) for i, p in enumerate(people)}
    pos = {p: (cx + radius * math.cos(a), cy + radius * math.sin(a)) for p, a in angle.items()}
    colour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(meetings)}
    out = [
        f'<svg class="eaeu-chart eaeu-graph" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Who met whom">',
        "<title>Who met whom: people as nodes, meetings as edges</title>",
    ]
    for (a, b), held in sorted(edges.items()):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        for j, (meeting, inferred) in enumerate(held):
            bend = (j - (len(held) - 1) / 2) * 36
            qx, qy = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
            dash = ' stroke-dasharray="7 5"' if inferred else ""
            note = " (participation inferred)" if inferred else ""
            out.append(
                f'<a href="{html.escape(_meeting_href(site, uri, meeting))}"><path class="edge" '
                f'd="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" '
                f'stroke="{colour[meeting]}"{dash}><title>{html.escape(_person(site, a))} and '
                f"{html.escape(_person(site, b))}: {html.escape(_meeting_name(site, meeting))}"
                f"{note}</title></path></a>"
            )
    people_table = site.catalog.table("people")
    for p in people:
        x, y = pos[p]
        index = site.find("people", ("person_id",), (p,))
        row = site.rows["people"][index] if index is not None else {"name_ar": ""}
        lx, ly = cx + (radius + 34) * math.cos(angle[p]), cy + (radius + 34) * math.sin(angle[p])
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        ly += 4 if abs(lx - cx) >= 20 else (-8 if ly < cy else 14)
        link = site.row_href(uri, people_table, index) if index is not None else "#"
        out.append(
            f'<a href="{html.escape(link)}"><g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" '
            f'r="11"/><text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
            f"{html.escape(_person(site, p))}</text>"
            f'<text class="ar" x="{lx:.1f}" y="{ly + 17:.1f}" text-anchor="{anchor}" '
            f'xml:lang="ar">{esc(row.get("name_ar"))}</text></g></a>'
        )
    y = 440
    for m in meetings:
        out.append(
            f'<g class="legend" transform="translate(20,{y})"><line x1="0" y1="-4" x2="28" '
            f'y2="-4" stroke="{colour[m]}" class="edge"/><text x="38" y="0">'
            f"{html.escape(_meeting_name(site, m))}</text></g>"
        )
        y += 22
    out.append(
        f'<g class="legend" transform="translate(20,{y})"><line x1="0" y1="-4" x2="28" y2="-4" '
        'class="edge" stroke="#777" stroke-dasharray="7 5"/><text x="38" y="0">dashed: at '
        "least one of the two is inferred to have taken part</text></g>"
    )
    out.append("</svg>")
    return "\n".join(out)


# --- Curating guide -------------------------------------------------------------------------

FIGURES = Path("tests") / "fixtures" / "figures"  # a second source, laid over the mini fixture
MINI_FACTS = "seeds/facts/001_0123456789abcdef.yaml"
MINI_TEXT = "seeds/sources/001_0123456789abcdef.txt"
FIG_FACTS = "seeds/facts/002_fedcba9876543210.yaml"
FIG_TEXT = "seeds/sources/002_fedcba9876543210.txt"
# The documented form of a problem line: `path[:line[:column]]: field: found ..., expected ...`.
PROBLEM_LINE = re.compile(r"^\S+?(?::\d+){0,2}: [^:]+: found .*, expected .+$")

# Every kind of bad input the curator's reference shows an example of: those issue 5 lists,
# and a value outside an enumerated field's list.
ERROR_KINDS = (
    "YAML that does not parse",
    "an unknown field",
    "a missing field",
    "a wrong type",
    "a value outside its schema's list",
    "evidence not found in the source",
    "evidence found more than once without saying which",
    "a duplicate identifier",
    "a reference to a missing row",
    "an unknown country code",
    "an unknown currency code",
    "a negative or zero amount",
    "a period that ends before it starts",
    "a date that does not exist",
    "digits in a form the parser does not accept",
    "a source file that is not UTF-8",
    "a source file with a byte order mark",
    "a source file with CRLF line ends",
    "a source file edited after facts cite it",
    "offsets that do not match",
    "a published CSV file whose bytes do not match datapackage.json",
    "a published Parquet file whose bytes do not match datapackage.json",
)


class Edit(Protocol):
    """One change to a copy of the project; `apply` makes it and says in Markdown what changed."""

    def apply(self, root: Path) -> str: ...


@dataclass(frozen=True)
class Replace:
    """Replace words in a text file, at exactly `count` places; shown as a diff."""

    path: str
    old: str
    new: str
    count: int = 1

    def apply(self, root: Path) -> str:
        before = (root / self.path).read_text(encoding="utf-8")
        if before.count(self.old) != self.count:
            raise _stale_example(
                f"{before.count(self.old)} occurrences of {self.old!r} in {self.path}",
                f"exactly {self.count}",
            )
        after = before.replace(self.old, self.new)
        (root / self.path).write_text(after, encoding="utf-8")
        return file_diff(self.path, before, after)


@dataclass(frozen=True)
class Rehash:
    """Record a source text's new sha256 in its record, as `sha256sum` gives it."""

    path: str

    def apply(self, root: Path) -> str:
        record = Path(self.path).with_suffix(".yaml").as_posix()
        digest = sha256_hex((root / self.path).read_bytes())
        before = (root / record).read_text(encoding="utf-8")
        after = re.sub(r"(?m)^sha256: .*$", f"sha256: {digest}", before)
        (root / record).write_text(after, encoding="utf-8")
        return file_diff(record, before, after)


@dataclass(frozen=True)
class ChangeBytes:
    """Change a file's bytes in a way a diff does not show (its encoding, its line ends)."""

    path: str
    how: str  # completes "`path` ...", in the page's words
    change: Callable[[bytes], bytes]

    def apply(self, root: Path) -> str:
        before = (root / self.path).read_bytes()
        after = self.change(before)
        (root / self.path).write_bytes(after)
        at = next(
            (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
            min(len(before), len(after)),
        )
        return (
            f"`{self.path}` {self.how}. From byte {at} on, `{before[at : at + 6].hex(' ')}` "
            f"became `{after[at : at + 6].hex(' ')}`."
        )


@dataclass(frozen=True)
class SetCell:
    """Change a cell of a published table in its CSV and its Parquet file alike, and list
    the files' new sizes and hashes in datapackage.json, so only the deeper checks can tell."""

    table: str
    key: str  # the value of the row's first primary key field
    field: str
    change: Callable[[str], str]

    def apply(self, root: Path) -> str:
        package = root / PACKAGE_DIR
        descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        table = catalog_from_descriptor(descriptor).table(self.table)
        rows = read_csv_table(table, package, Problems()).rows
        row = next(r for r in rows if r[table.primary_key[0]] == self.key)
        value = self.change(format_value(row[self.field]))
        row[self.field] = parse_cell(table.field(self.field).type, value)
        shown = f"{PACKAGE_DIR}/{table.path}"
        before = (root / shown).read_text(encoding="utf-8")
        write_csv(table, rows, package)
        write_parquet(table, rows, package)
        relist_files(package)
        after = (root / shown).read_text(encoding="utf-8")
        return (
            file_diff(shown, before, after)
            + f"\n\nThe Parquet file of `{self.table}` is rewritten to match, and "
            "`datapackage.json` lists the new sizes and hashes of both."
        )


def relist_files(package: Path) -> None:
    """Make datapackage.json list the sizes and hashes its files now have."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        data = (package / res["path"]).read_bytes()
        res.update(bytes=len(data), hash=f"sha256:{sha256_hex(data)}")
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


def file_diff(path: str, before: str, after: str) -> str:
    """The change as `git diff` shows it, so the line numbers are the file's own."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"a/{path}", f"b/{path}", n=0, lineterm=""
    )
    return "\n".join(["```diff", *lines, "```"])


def resave_parquet(data: bytes) -> bytes:
    """The same rows written again with another compression, as a user's tool might."""
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(pq.read_table(io.BytesIO(data)), out, compression="snappy")
    return out.getvalue()


@dataclass(frozen=True)
class BrokenExample:
    """A mistake, as edits to a copy of the fixture, and the command that reports it.

    `build` examples edit the curated inputs; `validate` ones tamper with the package a
    build published from them.
    """

    title: str
    why: str
    kinds: tuple[str, ...]  # of ERROR_KINDS
    edits: tuple[Edit, ...]
    command: str = "build"

    @property
    def anchor(self) -> str:
        return "error-" + anchor_id(self.title.lower())


@dataclass(frozen=True)
class ExampleGroup:
    """Examples shown together under one heading of the curating guide."""

    title: str
    intro: str
    examples: tuple[BrokenExample, ...]


EXAMPLE_GROUPS = (
    ExampleGroup(
        "Facts files and their fields",
        "The curated YAML must parse, and each entry must give its table's fields, each in "
        "the type its schema says.",
        (
            BrokenExample(
                "An unquoted colon in a value",
                "In YAML a colon followed by a space starts a mapping: quote any value that "
                "contains one. Nothing is built from a file that does not parse.",
                ("YAML that does not parse",),
                (Replace(MINI_FACTS, "name_en: Sami Nader\n", "name_en: Sami Nader: Premier\n"),),
            ),
            BrokenExample(
                "A misspelt field name",
                "An unknown key is refused rather than dropped, and the field it was meant to "
                "be is then missing.",
                ("an unknown field", "a missing field"),
                (
                    Replace(
                        MINI_FACTS, "    currency_basis: inferred", "    curency_basis: inferred"
                    ),
                ),
            ),
            BrokenExample(
                "An amount written with separators",
                "Amounts are whole numbers in base units, written with digits only: YAML "
                "reads `5,000,000,000` as text, not as a number.",
                ("a wrong type",),
                (Replace(MINI_FACTS, "amount: 5000000000", "amount: 5,000,000,000"),),
            ),
            BrokenExample(
                "A value outside the schema's list",
                "Enumerated fields take only the values their schema lists.",
                ("a value outside its schema's list",),
                (Replace(MINI_FACTS, "hedge: about", "hedge: approximately"),),
            ),
        ),
    ),
    ExampleGroup(
        "Evidence",
        "Every row cites the words of its source that support it; the build finds them and "
        "records where they are.",
        (
            BrokenExample(
                "Evidence that is not copied verbatim",
                "The evidence must be the source's exact words. Retyping them (here, a synonym "
                "for 'about') means they are not found, and the build says where it looked.",
                ("evidence not found in the source",),
                (
                    Replace(
                        MINI_FACTS,
                        "evidence: التجارة بلغت نحو 2 مليار دولار",
                        "evidence: التجارة بلغت حوالي 2 مليار دولار",
                    ),
                ),
            ),
            BrokenExample(
                "Evidence that occurs more than once",
                "When the words occur several times in the text, `occurrence` (counted from 1) "
                "says which one is meant; without it the build refuses to guess.",
                ("evidence found more than once without saying which",),
                (
                    Replace(
                        MINI_FACTS,
                        "    evidence: سامي نادر\n    occurrence: 1\n",
                        "    evidence: سامي نادر\n",
                    ),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Identifiers, references and codes",
        "Each row has its own identifier, and a field that names a row of another table "
        "(or a country, or a currency) must name one that exists.",
        (
            BrokenExample(
                "The same identifier twice",
                "An entry copied to start a new one keeps the old identifier until it is "
                "changed; no two rows of a table may share one, and both are named.",
                ("a duplicate identifier",),
                (
                    Replace(
                        MINI_FACTS, "trade_id: trade-kz-ru-actual", "trade_id: trade-kz-ru-target"
                    ),
                ),
            ),
            BrokenExample(
                "A reference to a row that does not exist",
                "Identifiers must match a row of the referenced table exactly.",
                ("a reference to a missing row",),
                (
                    Replace(
                        MINI_FACTS,
                        "stated_by_person_id: person-layla-hassan",
                        "stated_by_person_id: person-leila-hassan",
                    ),
                ),
            ),
            BrokenExample(
                "A country not in the list of countries",
                "Country codes are ISO 3166-1 alpha-2 codes of a row of `countries`: a country "
                "is added to `seeds/reference/countries.yaml` before a fact names it.",
                ("an unknown country code",),
                (
                    Replace(
                        MINI_FACTS,
                        "    country_code: RU\n    evidence:",
                        "    country_code: DE\n    evidence:",
                    ),
                ),
            ),
            BrokenExample(
                "A currency code that is not ISO 4217",
                "Currencies are written as ISO 4217 codes in use; RUR, the rouble's code "
                "until 1998, is no longer one. The build also says that the figure as printed "
                "is in dollars.",
                ("an unknown currency code",),
                (
                    Replace(
                        MINI_FACTS,
                        "currency_code: USD\n    currency_basis: inferred",
                        "currency_code: RUR\n    currency_basis: inferred",
                    ),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Amounts, dates and periods",
        "Amounts must be positive and match the figure as printed; dates must exist and "
        "periods must run forwards.",
        (
            BrokenExample(
                "A negative amount",
                "An amount is a size as printed, never negative or zero. The build also says "
                "that it is not the figure printed, and that the printed figure is then left "
                "without a row.",
                ("a negative or zero amount",),
                (Replace(MINI_FACTS, "amount: 2000000000", "amount: -2000000000"),),
            ),
            BrokenExample(
                "A period that ends before it starts",
                "A period's start and end are easily swapped when typing them.",
                ("a period that ends before it starts",),
                (
                    Replace(
                        MINI_FACTS,
                        "    period_basis: open\n    stated_by_person_id: person-layla-hassan",
                        "    period_basis: inferred\n    period_start: 2025-03-31\n"
                        "    period_end: 2025-01-01\n    stated_by_person_id: person-layla-hassan",
                    ),
                ),
            ),
            BrokenExample(
                "A date that does not exist",
                "Dates are written YYYY-MM-DD and must exist; the build does not roll 30 "
                "February over into March.",
                ("a date that does not exist",),
                (
                    Replace(
                        MINI_FACTS,
                        "    date_basis: open",
                        '    date: "2025-02-30"\n    date_basis: inferred',
                    ),
                ),
            ),
            BrokenExample(
                "Digits in a form the parser does not read",
                "The build reads every amount as printed to check the one written down. Here a "
                "source prints 1.5 billion as `١٬٥ مليار`, with the thousands separator `٬` "
                "where the decimal separator `٫` belongs. The build does not guess what such a "
                "figure means.",
                ("digits in a form the parser does not accept",),
                (
                    Replace(FIG_TEXT, "١٬٥٠٠ مليون", "١٬٥ مليار"),
                    Rehash(FIG_TEXT),
                    Replace(FIG_FACTS, "١٬٥٠٠ مليون", "١٬٥ مليار", count=2),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Source texts",
        "A source text is kept byte for byte as received: UTF-8 without a byte order mark, "
        "LF line ends, never edited once facts cite it. An editor can change any of these "
        "without showing it, so the build checks the bytes.",
        (
            BrokenExample(
                "A text saved in a legacy Arabic encoding",
                "Offsets count the characters of UTF-8 text: a text received in Windows-1256 "
                "is converted to UTF-8 before it is added.",
                ("a source file that is not UTF-8",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved in Windows-1256",
                        lambda data: data.decode("utf-8").encode("cp1256"),
                    ),
                ),
            ),
            BrokenExample(
                "A byte order mark",
                "Some editors put an invisible byte order mark (U+FEFF) at the start of the "
                "file; it would shift every offset by one.",
                ("a source file with a byte order mark",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved with a byte order mark",
                        lambda data: b"\xef\xbb\xbf" + data,
                    ),
                ),
            ),
            BrokenExample(
                "Windows line ends",
                "A text saved with CR LF line ends has one more character per line than the "
                "same text with LF, so offsets would drift line by line.",
                ("a source file with CRLF line ends",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved with CR LF line ends",
                        lambda data: data.replace(b"\n", b"\r\n"),
                    ),
                ),
            ),
            BrokenExample(
                "A source text edited after it was recorded",
                "A source is never edited once facts cite it: its bytes must still have the "
                "sha256 its record gives, or every offset could point at other words.",
                ("a source file edited after facts cite it",),
                (Replace(MINI_TEXT, "لقاء تجريبي بين بلدين", "لقاء تجريبي بين دولتين"),),
            ),
        ),
    ),
    ExampleGroup(
        "The published package",
        "`eaeu-facts validate` checks a package as a user receives it, trusting nothing but "
        "`datapackage.json` and the files beside it. Each example below tampers with the "
        "package a build published from the fixture.",
        (
            BrokenExample(
                "Offsets changed in a published table",
                "Even with the Parquet file and the hashes made to match, each span must slice "
                "its source text back to exactly the evidence the row quotes.",
                ("offsets that do not match",),
                (SetCell("trade", "trade-kz-ru-actual", "char_start", lambda v: str(int(v) + 1)),),
                command="validate",
            ),
            BrokenExample(
                "A published CSV file edited by hand",
                "A file whose bytes differ from those `datapackage.json` lists is refused, "
                "even when its size is the same.",
                ("a published CSV file whose bytes do not match datapackage.json",),
                (Replace(f"{PACKAGE_DIR}/csv/people.csv", "Layla Hassan", "Leila Hassan"),),
                command="validate",
            ),
            BrokenExample(
                "A Parquet file saved again",
                "The same rows saved again by another tool are other bytes: a user checks "
                "what they downloaded against the hashes the package lists, so those must hold.",
                ("a published Parquet file whose bytes do not match datapackage.json",),
                (
                    ChangeBytes(
                        f"{PACKAGE_DIR}/parquet/trade.parquet",
                        "is read and written again with snappy compression",
                        resave_parquet,
                    ),
                ),
                command="validate",
            ),
        ),
    ),
)
BROKEN_EXAMPLES = tuple(e for group in EXAMPLE_GROUPS for e in group.examples)


def _stale_example(found: str, expected: str) -> BuildError:
    return BuildError(
        _problem(
            "curating.md", "curating-errors", found, f"{expected} (update docs.EXAMPLE_GROUPS)"
        )
    )


def project_copy(repo: Path, into: Path) -> Path:
    """The real schemas with the mini fixture and the figures one laid over it."""
    root = into / "project"
    shutil.copytree(repo / "schemas", root / "schemas")
    shutil.copytree(repo / FIXTURE / "seeds", root / "seeds")
    shutil.copytree(repo / FIGURES / "seeds", root / "seeds", dirs_exist_ok=True)
    return root


def broken_copy(repo: Path, example: BrokenExample, into: Path) -> tuple[Path, list[str]]:
    """A copy of the fixture with the example's edits made (to the package a build published
    from it, for `validate`), and Markdown showing each edit."""
    root = project_copy(repo, into)
    if example.command == "validate":
        from eaeu_facts.publish import build

        build(root)
    return root, [edit.apply(root) for edit in example.edits]


def run_command(root: Path, command: str) -> tuple[int, str]:
    """Run `eaeu-facts COMMAND` in-process from the project directory, as a curator would."""
    from click.testing import CliRunner

    from eaeu_facts.cli import main

    with contextlib.chdir(root):
        result = CliRunner().invoke(main, [command])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _check_output(example: BrokenExample, code: int, output: str) -> None:
    """The command failed as documented: exit 1 and one well-formed line per problem."""
    lines = output.rstrip("\n").split("\n")
    summary = f"{len(lines) - 1} problem(s)"
    well_formed = all(PROBLEM_LINE.match(line) for line in lines[:-1])
    if code != 1 or lines[-1] != summary or not well_formed or len(lines) < 2:
        raise _stale_example(
            f"exit code {code} and output {output!r} for {example.title!r}",
            "exit code 1 and one `path:line: field: found ..., expected ...` line per problem",
        )


def _kinds_index() -> list[str]:
    """A table of ERROR_KINDS, each linking to the first example of it."""
    first = {k: e for e in reversed(BROKEN_EXAMPLES) for k in e.kinds}
    unknown = sorted(set(first) - set(ERROR_KINDS))
    missing = [k for k in ERROR_KINDS if k not in first]
    if unknown or missing:
        raise _stale_example(
            f"kinds {unknown} not in docs.ERROR_KINDS and {missing} without an example",
            "an example of each kind",
        )
    rows = []
    for kind in ERROR_KINDS:
        example = first[kind]
        link = f'<a href="#{example.anchor}">{html.escape(example.title)}</a>'
        cells = [
            html.escape(kind[0].upper() + kind[1:]),
            link,
            f"<code>eaeu-facts&nbsp;{example.command}</code>",
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return [_table_html(["Kind of error", "Example", "Reported by"], rows, "error-kinds"), ""]


@block("curating-errors")
def curating_errors(site: Site, uri: str, arg: str | None) -> str:
    """Every kind of error, each shown by an example run for real on a copy of the fixture."""
    parts = _kinds_index()
    for group in EXAMPLE_GROUPS:
        parts += [f"### {group.title}", "", group.intro, ""]
        for example in group.examples:
            parts += _example_markdown(site.root, example)
    return "\n".join(parts)


def _example_markdown(repo: Path, example: BrokenExample) -> list[str]:
    """An example's heading, edits and output; BuildError if it no longer fails as shown."""
    with tempfile.TemporaryDirectory(prefix="eaeu-facts-docs-") as tmp:
        root, shown = broken_copy(repo, example, Path(tmp))
        code, output = run_command(root, example.command)
    _check_output(example, code, output)
    parts = [f"#### {example.title} {{#{example.anchor}}}", "", example.why, ""]
    for edit in shown:
        parts += [edit, ""]
    return [
        *parts,
        f"What `eaeu-facts {example.command}` prints (exit code {code}):",
        "",
        "```text",
        output.rstrip("\n"),
        "```",
        "",
    ]


@block("fixture")
def fixture(site: Site, uri: str, arg: str | None) -> str:
    """A file of the committed mini fixture, shown whole."""
    path = site.root / FIXTURE / (arg or "")
    if not arg or not path.is_file():
        raise BuildError(_problem(uri, "fixture", arg, f"a file under {FIXTURE.as_posix()}"))
    language = {".yaml": "yaml", ".txt": "text"}.get(path.suffix, "text")
    return "\n".join(
        [f"`{arg}`:", "", f"```{language}", path.read_text(encoding="utf-8").rstrip("\n"), "```"]
    )


# --- Reference pages ------------------------------------------------------------------------


@block("cli-reference")
def cli_reference(site: Site, uri: str, arg: str | None) -> str:
    """Every command of the `eaeu-facts` click app with its help, as the terminal shows it."""
    import click

    from eaeu_facts.cli import main

    parts: list[str] = []

    def document(command: click.Command, ctx: click.Context) -> None:
        parts.extend(
            [
                f"## `{ctx.command_path}`",
                "",
                md_text(command.get_short_help_str(limit=200)),
                "",
                "```text",
                command.get_help(ctx),
                "```",
                "",
            ]
        )
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    document(sub, click.Context(sub, info_name=name, parent=ctx))

    width = 80  # as a terminal shows it, and narrow enough for the page
    document(main, click.Context(main, info_name="eaeu-facts", terminal_width=width))
    return "\n".join(parts)


def _annotation(value: Any) -> str:
    return value if isinstance(value, str) else inspect.formatannotation(value)


def signature(obj: Any) -> str:
    """The call signature as written in the source (annotations are strings here)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = []
    star = False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            params.append("*")
            star = True
        text = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        text += p.name
        if p.kind is p.VAR_POSITIONAL:
            star = True
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}" if p.annotation is not p.empty else f"={p.default!r}"
        params.append(text)
    out = f"({', '.join(params)})"
    if sig.return_annotation is not sig.empty:
        out += f" -> {_annotation(sig.return_annotation)}"
    return out


def _public(module: Any) -> list[tuple[str, Any]]:
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(module, name, None)
        own = getattr(obj, "__module__", None) == module.__name__ or hasattr(module, "__all__")
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and own:
            out.append((name, obj))
    return out


def _doc(obj: Any) -> str:
    return inspect.getdoc(obj) or "*(no docstring)*"


def _api_entries(module: Any, level: str, skip: tuple[Any, ...] = ()) -> list[str]:
    parts = []
    for name, obj in _public(module):
        if any(obj is s for s in skip):
            continue
        if inspect.isclass(obj):
            parts += [f"{level} class `{name}`", "", "```python", f"{name}{signature(obj)}", "```"]
            parts += ["", _doc(obj), ""]
            methods = [
                (n, m)
                for n, m in vars(obj).items()
                if not n.startswith("_") and (inspect.isfunction(m) or isinstance(m, property))
            ]
            for n, m in methods:
                if isinstance(m, property):
                    first = (inspect.getdoc(m) or "").split("\n")[0]
                    parts.append(f"- `{n}` (property){': ' + first if first else ''}")
                else:
                    first = (inspect.getdoc(m) or "").split("\n")[0]
                    parts.append(f"- `{n}{signature(m)}`{': ' + first if first else ''}")
            parts.append("")
        else:
            parts += [f"{level} `{name}`", "", "```python", f"{name}{signature(obj)}", "```"]
            parts += ["", _doc(obj), ""]
    return parts


@block("api-reference")
def api_reference(site: Site, uri: str, arg: str | None) -> str:
    """The public functions and classes of every module of the package, from their docstrings."""
    import eaeu_facts

    parts = []
    top = tuple(obj for _, obj in _public(eaeu_facts)) if hasattr(eaeu_facts, "__all__") else ()
    if top:
        parts += ["## `eaeu_facts`", "", _doc(eaeu_facts), "", *_api_entries(eaeu_facts, "###")]
    for info in sorted(pkgutil.iter_modules(eaeu_facts.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"eaeu_facts.{info.name}")
        parts += [f"## `eaeu_facts.{info.name}`", "", _doc(module), ""]
        parts += _api_entries(module, "###", skip=top)
    return "\n".join(parts)


@block("changelog")
def changelog(site: Site, uri: str, arg: str | None) -> str:
    path = site.root / "CHANGELOG.md"
    if not path.is_file():
        return '# Changelog\n\n!!! warning "No CHANGELOG.md yet"\n'
    return path.read_text(encoding="utf-8")


@block("citation")
def citation(site: Site, uri: str, arg: str | None) -> str:
    """How to cite the dataset (from CITATION.cff) and the sources it quotes (from `sources`)."""
    path = site.root / "CITATION.cff"
    if not path.is_file():
        return '!!! warning "No CITATION.cff yet"\n'
    text = path.read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    authors_list = cff.get("authors", [])
    authors = "; ".join(_cff_person(a) for a in authors_list)
    year = str(cff.get("date-released", ""))[:4]
    where = cff.get("doi") or cff.get("url") or cff.get("repository-code") or ""
    cited = f"{authors}{f' ({year})' if year else ''}. *{md_text(cff['title'])}* "
    cited += f"(version {cff.get('version', '')}) [Data set]."
    if where:
        cited += f" {where}"
    key = re.sub(r"[^a-z0-9]+", "_", f"{cff['title'].split(':')[0]} {cff.get('version', '')}")
    bibtex = [
        f"@misc{{{key.strip('_')},",
        f"  title = {{{cff['title']}}},",
        f"  author = {{{' and '.join('{' + _cff_person(a) + '}' for a in authors_list)}}},",
        f"  version = {{{cff.get('version', '')}}},",
    ]
    if year:
        bibtex.append(f"  year = {{{year}}},")
    if where:
        bibtex.append(f"  howpublished = {{{where}}},")
    bibtex += [f"  note = {{Licence: {cff.get('license', '')}}}", "}"]
    sources = [
        f"- {md_text(r['publisher_en'])}, «{md_text(r['title_ar'])}» "
        f"({md_text(r['title_en'])}), {r['published_date'] or 'undated'}; "
        f"[in this dataset]({md_href(uri, source_uri(r['source_id']))})."
        for r in site.rows["sources"]
    ]
    return "\n".join(
        [
            md_text(cff.get("message", "")),
            "",
            f"> {cited}",
            "",
            f"Licence of the data: `{cff.get('license', '')}`.",
            "",
            "## BibTeX",
            "",
            "```bibtex",
            *bibtex,
            "```",
            "",
            "## The sources it quotes",
            "",
            *sources,
            "",
            "## CITATION.cff",
            "",
            "```yaml",
            text.rstrip("\n"),
            "```",
        ]
    )


def _cff_person(person: dict[str, Any]) -> str:
    if "name" in person:
        return str(person["name"])
    return " ".join(str(person[k]) for k in ("given-names", "family-names") if k in person)
