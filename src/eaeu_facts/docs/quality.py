"""The data quality page: rows whose source leaves something open, and the curators' notes.

Rows record what a source says, not what is true; these blocks show a reader where the data
says less than a reader might assume, from the `*_basis` fields and notes of every table.
"""

from __future__ import annotations

import html

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import Row, esc, md_text, row_anchor, table_html
from eaeu_facts.docs.site import Site
from eaeu_facts.model.schemas import Table
from eaeu_facts.read import accuracy

OPEN_BASES = ("inferred", "relative", "open")  # `*_basis` values a data quality note lists


def _basis_fields(table: Table) -> list[str]:
    return [f.name for f in table.fields if f.name.endswith("_basis")]


def _open_bases(table: Table, row: Row) -> list[str]:
    """The row's `*_basis` fields that say it is not simply stated."""
    return [b for b in _basis_fields(table) if row.get(b) in OPEN_BASES]


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
        body = [
            _quality_row(site, uri, table, i, row, bases)
            for i, row in enumerate(site.rows[table.name])
            if (bases := _open_bases(table, row))
        ]
        if body:
            total += len(body)
            parts += [
                f"### {table.title}",
                "",
                table_html(["Row", "Left open or inferred", "Curator's note"], body, "eaeu-q"),
                "",
            ]
    head = (
        f"{total} rows record something their source leaves open, gives only relative to an "
        "unprinted date, or that the curators inferred (a `*_basis` field other than `stated`):"
    )
    return "\n".join([head, "", *parts])


def _quality_row(site: Site, uri: str, table: Table, index: int, row: Row, bases: list[str]) -> str:
    """A row left open: each open basis with the words as printed, and the notes on it."""
    what = []
    for b in bases:
        printed = b.removesuffix("_basis") + "_as_printed_ar"
        words_ar = row.get(printed) if printed in table.field_names else None
        shown = f' (printed: <bdi lang="ar">{esc(words_ar)}</bdi>)' if words_ar else ""
        what.append(f"<code>{b}</code>: {row[b]}{shown}")
    notes = "<br>".join(_note_html(n) for n in _notes(table, row, bases))
    return (
        f'<tr><td><a href="{site.row_href(uri, table, index)}">'
        f"<code>{esc(row_anchor(table, row))}</code></a></td>"
        f"<td>{'<br>'.join(what)}</td><td>{notes}</td></tr>"
    )


@block("quality-notes")
def quality_notes(site: Site, uri: str, arg: str | None) -> str:
    """Curators' notes on rows that state everything but still need a word on how they read."""
    body = []
    for table in site.catalog.tables:
        for i, row in enumerate(site.rows[table.name]):
            if _open_bases(table, row):
                continue
            notes = _notes(table, row, [])
            if notes:
                body.append(
                    f'<tr><td>{table.name}</td><td><a href="{site.row_href(uri, table, i)}">'
                    f"<code>{esc(row_anchor(table, row))}</code></a></td>"
                    f"<td>{'<br>'.join(_note_html(n) for n in notes)}</td></tr>"
                )
    return table_html(["Table", "Row", "Curator's note"], body, "eaeu-q")


@block("finder-accuracy")
def finder_accuracy(site: Site, uri: str, arg: str | None) -> str:
    """Precision and recall of the fact finder by kind, on the development and the held-out
    passages, computed as the site is built, with every miss listed (read/accuracy.py)."""
    return accuracy.markdown(site.root, md_text)


@block("drafter-accuracy")
def drafter_accuracy(site: Site, uri: str, arg: str | None) -> str:
    """Precision and recall of `eaeu-facts new`'s drafts by table and field on the held-out
    articles, against the drafter before them, and a line for each development set,
    computed as the site is built."""
    from eaeu_facts.draft import score
    from eaeu_facts.draft.known import Known
    from eaeu_facts.model import paths

    known = Known.from_package(site.root / paths.PACKAGE_DIR)  # every set drafted against it
    now, then = score.run(site.root, known=known)
    invented = now.invented
    lines = [score.markdown(now, then), ""]
    lines.append(
        f"Invented (a country, period, date or amount the text does not give): {len(invented)}."
    )
    lines += [f"- {md_text(line)}" for line in invented]
    lines.append("")
    for folder in score.DEVELOPMENT_SETS:
        dev, first = score.run(site.root, folder=folder, known=known)
        total, old = dev.total(), first.total()
        articles = len(score.heldout(site.root, folder))
        before = (
            f"; the drafter before it, {old.recall:.1%} and {old.precision:.1%}"
            if first.total().drafted
            else ""
        )
        lines.append(
            f"- Development set `{folder}/` ({articles} articles): recall {total.recall:.1%}, "
            f"precision {total.precision:.1%}, invented {len(dev.invented)}{before}."
        )
    return "\n".join(lines)
