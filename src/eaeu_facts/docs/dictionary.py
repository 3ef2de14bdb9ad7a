"""The data dictionary: an overview of the tables and one page per table, from schemas/.

Each table page states what a row is, every field with its type, constraints and description,
the keys that link the tables, and the rows as published, each cell linking to what it names.
"""

from __future__ import annotations

import html
from collections import Counter

from eaeu_facts.docs.markup import (
    Row,
    esc,
    href,
    inline_md,
    is_arabic_field,
    md_cell,
    md_href,
    row_anchor,
    shows_spans,
    source_uri,
    span_anchor,
    table_html,
    table_uri,
)
from eaeu_facts.docs.site import Site
from eaeu_facts.model.frames import format_value
from eaeu_facts.model.paths import PACKAGE_DIR
from eaeu_facts.model.schemas import ForeignKey, Table
from eaeu_facts.read.mentions import ENTITY_KEYS, MENTIONS

KIND_NOTES = {
    "reference": "reference data, citing no source",
    "dimension": "things the sources name, each row citing where",
    "fact": "what the sources say, each row citing its evidence span",
    "derived": "computed by the build from the other tables",
}


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
        lines.append(f"| {link} | {table.kind} | {count} | {md_cell(table.description)} |")
    lines += ["", "## How the tables link", ""]
    for table in site.catalog.tables:
        for fk in table.foreign_keys:
            lines.append(
                f"- [`{table.name}.{', '.join(fk.fields)}`]({table.name}.md#field-{fk.fields[0]})"
                f" → [`{fk.resource}.{', '.join(fk.reference_fields)}`]"
                f"({fk.resource}.md#field-{fk.reference_fields[0]})"
            )
    return "\n".join(lines) + "\n"


def table_page(site: Site, table: Table) -> str:
    uri = table_uri(table.name)
    rows = site.rows[table.name]
    files = " · ".join(
        f"[{r['path']}](../{PACKAGE_DIR}/{r['path']}) ({r['bytes']:,} bytes)"
        for r in site.resources(table.name)
    )
    # A search for a name leads to the entity's own row first, before the pages that only
    # refer to it (mentions, aliases, the cookbook).
    boost = ["---", "search:", "  boost: 2", "---", ""] if table.name in ENTITY_KEYS else []
    lines = [
        *boost,
        f"# {table.title}",
        "",
        table.description,
        "",
        f"- **Table:** `{table.name}`, {table.kind} ({KIND_NOTES.get(table.kind, table.kind)})",
        f"- **Rows:** {len(rows)}",
        f"- **Schema:** `{table.path}`",
        f"- **Files:** {files}",
        "",
        *_keys_lines(site, table),
        "",
        "## Fields",
        "",
        fields_html(site, table, uri),
        "",
        "## Rows",
        "",
        *_rows_lines(site, table, uri),
    ]
    return "\n".join(lines) + "\n"


def _keys_lines(site: Site, table: Table) -> list[str]:
    """The Keys section: the table's own keys and the keys of other tables that point at it."""
    lines = ["## Keys", "", f"- **Primary key:** {', '.join(f'`{k}`' for k in table.primary_key)}"]
    if table.foreign_keys:
        lines.append("- **Foreign keys:**")
        lines += [
            f"    - `{', '.join(fk.fields)}` → [`{fk.resource}.{', '.join(fk.reference_fields)}`]"
            f"({fk.resource}.md#field-{fk.reference_fields[0]})"
            for fk in table.foreign_keys
        ]
    referenced = _referenced_by(site, table)
    if referenced:
        lines.append("- **Referenced by:**")
        lines += [
            f"    - [`{other.name}.{', '.join(fk.fields)}`]({other.name}.md#field-{fk.fields[0]})"
            for other, fk in referenced
        ]
    return lines


def _referenced_by(site: Site, table: Table) -> list[tuple[Table, ForeignKey]]:
    return [
        (other, fk)
        for other in site.catalog.tables
        for fk in other.foreign_keys
        if fk.resource == table.name
    ]


def _rows_lines(site: Site, table: Table, uri: str) -> list[str]:
    """The Rows section: the first `row_limit` rows, saying so when the files hold more."""
    rows = site.rows[table.name]
    if not rows:
        return ["The package has no rows in this table yet."]
    shown = min(len(rows), site.row_limit)
    return [
        f"All {len(rows)} rows, as published."
        if shown == len(rows)
        else f"The first {shown} of {len(rows)} rows; the files above hold them all.",
        "",
        rows_html(site, table, uri),
    ]


def fields_html(site: Site, table: Table, uri: str) -> str:
    body = []
    for f in table.fields:
        body.append(
            f'<tr id="field-{f.name}"><td><code>{f.name}</code><br>{html.escape(f.title)}</td>'
            f"<td>{f.type}</td><td>{constraints_html(site, table, f.name, uri)}</td>"
            f"<td>{inline_md(f.description)}</td></tr>"
        )
    return table_html(["Field", "Type", "Constraints", "Description"], body, "eaeu-fields")


# Bounds as the page says them: a template takes the value, a phrase is followed by it.
BOUNDS = (
    ("minimum", "at least"),
    ("maximum", "at most"),
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
)


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
    for key, text in BOUNDS:
        if key in c:
            items.append(text.format(c[key]) if "{}" in text else f"{text} {c[key]}")
    for fk in table.foreign_keys:
        if name in fk.fields:
            target = href(uri, table_uri(fk.resource), f"field-{fk.reference_fields[0]}")
            items.append(f'refers to <a href="{target}">{fk.resource}.{fk.reference_fields[0]}</a>')
    return "<br>".join(items)


def rows_html(site: Site, table: Table, uri: str) -> str:
    rows = site.rows[table.name][: site.row_limit]
    sources = _mentioned_in(site, table, uri)
    body = []
    for row in rows:
        cells = "".join(value_cell(site, table, row, f.name, uri) for f in table.fields)
        if sources is not None:
            cells += f"<td>{sources.get(row[ENTITY_KEYS[table.name]], '')}</td>"
        body.append(f'<tr id="{row_anchor(table, row)}">{cells}</tr>')
    header = [f"<code>{f.name}</code>" for f in table.fields]
    if sources is not None:
        header.append('mentioned in (<a href="mentions.html">mentions</a>)')
    return table_html(header, body, "eaeu-rows")


def _mentioned_in(site: Site, table: Table, uri: str) -> dict[str, str] | None:
    """For a table of entities, each entity's sources, linked, with how often each names it."""
    column = ENTITY_KEYS.get(table.name)
    if column is None or MENTIONS not in site.rows:
        return None
    counts = Counter((m[column], m["source_id"]) for m in site.rows[MENTIONS] if m.get(column))
    cells: dict[str, list[str]] = {}
    for (key, source_id), n in sorted(counts.items()):
        link = f'<a href="{href(uri, source_uri(source_id))}"><code>{esc(source_id)}</code></a>'
        cells.setdefault(key, []).append(f"{link} ({n})")
    return {key: "<br>".join(links) for key, links in cells.items()}


def value_cell(site: Site, table: Table, row: Row, name: str, uri: str) -> str:
    """One cell of a row: Arabic set right to left, long text marked so CSS can wrap it."""
    value = row.get(name)
    attrs = ' dir="rtl" lang="ar"' if is_arabic_field(name) and value is not None else ""
    if value is not None and len(format_value(value)) > 60:
        attrs += ' class="long"'
    return f"<td{attrs}>{_value_html(site, table, row, name, uri)}</td>"


def _value_html(site: Site, table: Table, row: Row, name: str, uri: str) -> str:
    """A value linked to what it names: its evidence, its source, or the row it refers to."""
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
