"""The figures page: amounts of trade and investment as bars, and who met whom as a graph.

Every mark links to the row it draws and each figure is followed by the same data as a table,
so nothing is shown only as a picture.
"""

from __future__ import annotations

import html
import math

from eaeu_facts.docs.blocks import block, page_problem
from eaeu_facts.docs.charts import Bar, bar_chart
from eaeu_facts.docs.markup import (
    Row,
    anchor_id,
    esc,
    href,
    md_href,
    row_anchor,
    table_html,
    table_uri,
    words,
)
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.schemas import Table

PALETTE = ("#1f6fb4", "#c8372d", "#2a9d4b", "#8a4fbf", "#e07b00", "#8c564b", "#d4429a", "#148f9e")
# Each pair of people who met, with every meeting they shared and whether that was inferred.
Edges = dict[tuple[str, str], list[tuple[str, bool]]]


def _country(site: Site, code: str | None) -> str:
    index = site.find("countries", ("country_code",), (code,))
    return site.rows["countries"][index]["name_en"] if index is not None else str(code)


def _period(row: Row) -> str:
    """The period in words, saying why when the source gives none."""
    if row.get("period_start") and row.get("period_end"):
        return f"{row['period_start']} to {row['period_end']}"
    return {"open": "period not stated", "relative": "period relative to an unprinted date"}.get(
        row.get("period_basis", ""), f"period {row.get('period_basis')}"
    )


def _bar_label(site: Site, table: Table, row: Row) -> str:
    """Who traded with whom (and which flow), or who invested where."""
    if table.name == "trade":
        return (
            f"{_country(site, row['country_a_code'])} – "
            f"{_country(site, row['country_b_code'])}, {row['flow']}"
        )
    return (
        f"{_country(site, row['investor_country_code'])} → "
        f"{_country(site, row['recipient_country_code'])}"
    )


def amount_bars(site: Site, uri: str, table: Table) -> dict[str, list[Bar]]:
    """The amounts of a trade or investment table as bars, one list per currency."""
    out: dict[str, list[Bar]] = {}
    for i, row in enumerate(site.rows[table.name]):
        out.setdefault(row["currency_code"], []).append(
            Bar(
                label=_bar_label(site, table, row),
                amount=float(row["amount"]),
                unit=row["currency_code"],
                hedge=row["hedge"],
                status=row["status"],
                period=_period(row),
                link=site.row_href(uri, table, i),
                tooltip=f"{row['evidence_ar']} — {row_anchor(table, row)}",
            )
        )
    return out


@block("figure-amounts")
def figure_amounts(site: Site, uri: str, arg: str | None) -> str:
    """Bars for the amounts of one table (`trade` or `investment`), and the same as a table."""
    if arg not in ("trade", "investment"):
        raise BuildError(page_problem(uri, "figure-amounts", arg, "trade or investment"))
    table = site.catalog.table(arg)
    if not site.rows[table.name]:
        link = md_href(uri, table_uri(table.name))
        return f"The package has no rows in [`{table.name}`]({link}) yet."
    parts = []
    for currency, bars in amount_bars(site, uri, table).items():
        chart = bar_chart(anchor_id(table.name, currency), f"{table.title} ({currency})", bars)
        parts.append(f'<div class="eaeu-figure">\n{chart}\n</div>')
    body = [_amount_row(site, uri, table, i, row) for i, row in enumerate(site.rows[table.name])]
    parts.append(
        table_html(["Row", "As printed", "Hedge", "Status", "Currency", "Period"], body, "eaeu-q")
    )
    return "\n\n".join(parts)


def _amount_row(site: Site, uri: str, table: Table, index: int, row: Row) -> str:
    """A charted amount as printed, with its hedge, status, currency basis and period."""
    hedge = (
        f'<bdi lang="ar">{esc(row["hedge_as_printed_ar"])}</bdi> '
        if row.get("hedge_as_printed_ar")
        else ""
    )
    return (
        f'<tr><td><a href="{site.row_href(uri, table, index)}"><code>{esc(row_anchor(table, row))}'
        f'</code></a></td><td dir="rtl" lang="ar">{hedge}{esc(row["amount_as_printed_ar"])}'
        f"</td><td>{words(row['hedge'])}</td><td>{words(row['status'])}</td>"
        f"<td>{row['currency_basis']}</td><td>{html.escape(_period(row))}</td></tr>"
    )


@block("figure-meetings")
def figure_meetings(site: Site, uri: str, arg: str | None) -> str:
    """Who met whom: people as nodes, one edge per meeting two of them took part in."""
    by_meeting: dict[str, list[Row]] = {}
    for row in site.rows["participants"]:
        by_meeting.setdefault(row["meeting_id"], []).append(row)
    people = sorted({r["person_id"] for r in site.rows["participants"]})
    order = [m["meeting_id"] for m in site.rows["meetings"] if m["meeting_id"] in by_meeting]
    edges = _meeting_edges(by_meeting, order)
    svg = meeting_graph(site, uri, people, order, edges)
    body = [_pair_row(site, uri, a, b, held) for (a, b), held in sorted(edges.items())]
    return f'<div class="eaeu-figure">\n{svg}\n</div>\n\n' + table_html(
        ["Person", "Person", "Meetings both took part in"], body, "eaeu-q"
    )


def _meeting_edges(by_meeting: dict[str, list[Row]], order: list[str]) -> Edges:
    """Every pair of participants of each meeting, in meeting order."""
    edges: Edges = {}
    for meeting in order:
        rows = by_meeting[meeting]
        for a in rows:
            for b in rows:
                if a["person_id"] < b["person_id"]:
                    inferred = "inferred" in (a["participation_basis"], b["participation_basis"])
                    edges.setdefault((a["person_id"], b["person_id"]), []).append(
                        (meeting, inferred)
                    )
    return edges


def _pair_row(site: Site, uri: str, a: str, b: str, held: list[tuple[str, bool]]) -> str:
    links = "<br>".join(
        f'<a href="{_meeting_href(site, uri, m)}">{html.escape(_meeting_name(site, m))}</a>'
        + (" (participation inferred)" if inferred else "")
        for m, inferred in held
    )
    return (
        f"<tr><td>{html.escape(_person(site, a))}</td><td>{html.escape(_person(site, b))}</td>"
        f"<td>{links}</td></tr>"
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


# The graph's layout: people on a circle of `RADIUS` around (CX, CY), the legend below it.
WIDTH, CX, CY, RADIUS = 760, 380, 230, 160
LEGEND_Y, LEGEND_STEP = 440, 22


def meeting_graph(
    site: Site,
    uri: str,
    people: list[str],
    meetings: list[str],
    edges: dict[tuple[str, str], list[tuple[str, bool]]],
) -> str:
    """The graph as SVG: people on a circle, a curve per shared meeting, dashed if inferred."""
    height = 470 + LEGEND_STEP * len(meetings)
    angle = {p: -math.pi / 2 + 2 * math.pi * i / max(len(people), 1) for i, p in enumerate(people)}
    colour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(meetings)}
    out = [
        f'<svg class="eaeu-chart eaeu-graph" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Who met whom">',
        "<title>Who met whom: people as nodes, meetings as edges</title>",
        *_edge_paths(site, uri, angle, colour, edges),
        *(_node(site, uri, p, angle[p]) for p in people),
        *_graph_legend(site, meetings, colour),
        "</svg>",
    ]
    return "\n".join(out)


def _on_circle(angle: float, radius: float) -> tuple[float, float]:
    return CX + radius * math.cos(angle), CY + radius * math.sin(angle)


def _edge_paths(
    site: Site, uri: str, angle: dict[str, float], colour: dict[str, str], edges: Edges
) -> list[str]:
    """A curve per meeting a pair shared, bent apart when they shared several."""
    out = []
    for (a, b), held in sorted(edges.items()):
        (x1, y1), (x2, y2) = _on_circle(angle[a], RADIUS), _on_circle(angle[b], RADIUS)
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
    return out


def _node(site: Site, uri: str, person: str, angle: float) -> str:
    """A person on the circle, named in English and Arabic outside it, linked to their row."""
    x, y = _on_circle(angle, RADIUS)
    index = site.find("people", ("person_id",), (person,))
    row = site.rows["people"][index] if index is not None else {"name_ar": ""}
    lx, ly = _on_circle(angle, RADIUS + 34)
    anchor = "middle" if abs(lx - CX) < 20 else ("start" if lx > CX else "end")
    ly += 4 if abs(lx - CX) >= 20 else (-8 if ly < CY else 14)
    people = site.catalog.table("people")
    link = site.row_href(uri, people, index) if index is not None else "#"
    return (
        f'<a href="{html.escape(link)}"><g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" '
        f'r="11"/><text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
        f"{html.escape(_person(site, person))}</text>"
        f'<text class="ar" x="{lx:.1f}" y="{ly + 17:.1f}" text-anchor="{anchor}" '
        f'xml:lang="ar">{esc(row.get("name_ar"))}</text></g></a>'
    )


def _graph_legend(site: Site, meetings: list[str], colour: dict[str, str]) -> list[str]:
    """A line in each meeting's colour, then what a dashed line means."""
    out = []
    y = LEGEND_Y
    for m in meetings:
        out.append(
            f'<g class="legend" transform="translate(20,{y})"><line x1="0" y1="-4" x2="28" '
            f'y2="-4" stroke="{colour[m]}" class="edge"/><text x="38" y="0">'
            f"{html.escape(_meeting_name(site, m))}</text></g>"
        )
        y += LEGEND_STEP
    out.append(
        f'<g class="legend" transform="translate(20,{y})"><line x1="0" y1="-4" x2="28" y2="-4" '
        'class="edge" stroke="#777" stroke-dasharray="7 5"/><text x="38" y="0">dashed: at '
        "least one of the two is inferred to have taken part</text></g>"
    )
    return out
