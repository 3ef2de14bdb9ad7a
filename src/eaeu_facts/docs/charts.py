"""Horizontal bar charts as inline SVG, drawn without a plotting library or a script.

The site makes no request outside itself and must build byte for byte the same, so charts
are plain SVG text whose look comes from the site's CSS. A bar shows how sure its figure is:
hatched for targets and forecasts, dotted for estimates, with the source's hedge drawn.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from eaeu_facts.docs.markup import words

RAISED = ("more_than", "at_least")  # hedges drawn as an arrow pointing right
LOWERED = ("less_than", "at_most")  # hedges drawn as an arrow pointing left


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
    """An amount in the words a reader scans: `2 bn USD`, not 2000000000."""
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
    axis_y = top + row_h * len(bars)
    out = [
        f'<svg class="eaeu-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        _patterns(key),
        *_ticks(end, step, left, scale, top, axis_y, bars[0].unit),
        *(_bar(key, bar, left, top + i * row_h, scale) for i, bar in enumerate(bars)),
        _legend(key, bars, 20, axis_y + 40),
        "</svg>",
    ]
    return "\n".join(out)


def _ticks(
    end: float, step: float, left: int, scale: float, top: int, axis_y: int, unit: str
) -> list[str]:
    """A grid line and a label at each step of the axis."""
    out = []
    for k in range(round(end / step) + 1):
        x = left + k * step * scale
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{axis_y}"/>'
            f'<text class="tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">'
            f"{html.escape(_scaled(k * step, unit))}</text>"
        )
    return out


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
    """The pattern that marks a figure as a target or an estimate; actual figures are solid."""
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
    hedge = "" if bar.hedge == "exactly" else words(bar.hedge) + " "
    value_x = x_end + (34 if bar.hedge in (*RAISED, "about") else 8)
    return "\n".join(
        [
            f'<a href="{html.escape(bar.link)}"><g class="bar status-{bar.status}">',
            f"<title>{html.escape(bar.tooltip)}</title>",
            f'<text class="label" x="{left - 10}" y="{y + 15}" text-anchor="end">'
            f"{html.escape(bar.label)}</text>",
            f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="20"{style}/>',
            *_hedge_marks(key, bar.hedge, x_end, y),
            f'<text class="value" x="{value_x:.1f}" y="{y + 16}">'
            f"{html.escape(hedge + _scaled(bar.amount, bar.unit))}</text>",
            f'<text class="status" x="{left - 10}" y="{y + 32}" text-anchor="end">'
            f"{html.escape(words(bar.status))} · {html.escape(bar.period)}</text>",
            "</g></a>",
        ]
    )


def _hedge_marks(key: str, hedge: str, x_end: float, y: int) -> list[str]:
    """The hedge at the bar's end: an arrow for more or less than, two ticks for about."""
    if hedge in RAISED or hedge in LOWERED:
        tip = x_end + 26 if hedge in RAISED else x_end - 26
        return [
            f'<line class="hedge" x1="{x_end:.1f}" y1="{y + 12}" x2="{tip:.1f}" '
            f'y2="{y + 12}" marker-end="url(#{key}-arrow)"/>'
        ]
    if hedge == "about":
        return [
            f'<line class="hedge" x1="{x_end + dx:.1f}" y1="{y + 4}" x2="{x_end + dx:.1f}" '
            f'y2="{y + 20}"/>'
            for dx in (-8, 8)
        ]
    return []


def _legend(key: str, bars: list[Bar], x: int, y: int) -> str:
    out = [f'<g class="legend bar" transform="translate({x},{y})">']
    cursor = 0
    for mark, text in _legend_items(key, bars):
        out.append(
            f'<g transform="translate({cursor},0)">{mark}<text x="30" y="0">'
            f"{html.escape(text)}</text></g>"
        )
        cursor += 40 + 8 * len(text)
    out.append("</g>")
    return "".join(out)


def _legend_items(key: str, bars: list[Bar]) -> list[tuple[str, str]]:
    """(mark, words) for each status and hedge the chart draws, and only those."""
    items = []
    for status in sorted({b.status for b in bars}):
        fill = _fill(key, status)
        style = f' fill="{fill}"' if fill else ""
        items.append((f'<rect width="22" height="12" y="-10"{style}/>', words(status)))
    hedges = {b.hedge for b in bars}
    if hedges & set(RAISED):
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
    return items
