"""Small server-rendered SVG charts: no JavaScript, readable at a glance, described for screen readers.

Each function returns one <svg role="img"> with a <title> and <desc>; the page puts a data table with
the same numbers under it. Colours all have at least 3:1 contrast against white and text is dark on
white, so bars and labels meet WCAG 2.1 AA; adjacent segments are also split by a white line.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#00558c", "#a84d00", "#0b6a37", "#6b3fa0", "#56606b", "#b10e1e")
TEXT = "#1a1a1a"
AXIS = "#4a4a4a"
GRID = "#c8ccd0"
WIDTH = 720
FONT = 14


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"


def _nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 × 10ⁿ at or above value, so axis ticks are round numbers."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _ticks(top: float) -> list[float]:
    """Round, whole-number gridlines from zero up to at least `top`: at most about five of them."""
    step = max(_nice_ceiling(top / 5), 1)
    return [step * n for n in range(math.ceil(top / step) + 1)] if top > 0 else [0, 1]


def _text(x: float, y: float, content: str, anchor: str = "start", weight: str = "normal",
          size: int = FONT) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{TEXT}">{escape(content)}</text>')


def _rect(x: float, y: float, width: float, height: float, colour: str, tip: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></rect>')


def _svg(key: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" focusable="false" '
        f'font-family="Segoe UI, Arial, sans-serif">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>")


def _legend(labels: list[str], y: float) -> tuple[list[str], float]:
    """Swatches with labels, three to a row; returns the elements and the height used."""
    parts, per_row, column = [], 3, WIDTH / 3
    for index, label in enumerate(labels):
        x, row_y = (index % per_row) * column + 8, y + (index // per_row) * 22
        parts.append(f'<rect x="{x:.1f}" y="{row_y:.1f}" width="14" height="14" fill="{PALETTE[index]}"/>')
        parts.append(_text(x + 20, row_y + 12, _fit(label, 30)))
    return parts, math.ceil(len(labels) / per_row) * 22 + 8


def stacked_columns(key: str, title: str, description: str, categories: list[str],
                    series: list[Series]) -> Markup:
    """Vertical columns, one per category (month), stacked by series, with the total on top."""
    body, legend_height = _legend([s.label for s in series], 4)
    top, left, bottom, plot_height = legend_height + 20, 48, 44, 240
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = _ticks(max(totals, default=0))
    ceiling = ticks[-1]
    plot_width = WIDTH - left - 8
    step = plot_width / max(len(categories), 1)
    bar = step * 0.7
    for value in ticks:
        y = top + plot_height - plot_height * value / ceiling
        body.append(f'<line x1="{left}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 5, _number(value), "end"))
    label_every = math.ceil(len(categories) / 12)
    for index, category in enumerate(categories):
        x, base = left + index * step + (step - bar) / 2, top + plot_height
        for colour, item in zip(PALETTE, series):
            height = plot_height * item.values[index] / ceiling
            if height > 0:
                base -= height
                body.append(_rect(x, base, bar, height, colour,
                                  f"{category}: {_number(item.values[index])} {item.label}"))
        if totals[index] and len(categories) <= 24:
            body.append(_text(x + bar / 2, base - 4, _number(totals[index]), "middle", "bold", 12))
        if index % label_every == 0:
            body.append(_text(x + bar / 2, top + plot_height + 20, category, "middle", size=12))
    body.append(f'<line x1="{left}" x2="{WIDTH - 8}" y1="{top + plot_height}" y2="{top + plot_height}" '
                f'stroke="{AXIS}" stroke-width="2"/>')
    return _svg(key, title, description, top + plot_height + bottom, body)


def bar_chart(key: str, title: str, description: str, bars: list[tuple[str, float]],
              unit: str = "") -> Markup:
    """Horizontal bars with the label on the left and the value at the end of each bar."""
    return grouped_bars(key, title, description, [label for label, _ in bars],
                        [Series(unit, [value for _, value in bars])], legend=False, unit=unit)


def grouped_bars(key: str, title: str, description: str, categories: list[str], series: list[Series],
                 legend: bool = True, unit: str = "") -> Markup:
    """Horizontal bars, one group per category and one bar per series, so pairs compare side by side."""
    body, top = _legend([s.label for s in series], 4) if legend else ([], 4)
    label_width, bar_height, gap = 230, 18 if len(series) > 1 else 22, 12
    group_height = bar_height * len(series) + gap
    ceiling = _nice_ceiling(max((v for s in series for v in s.values), default=0))
    plot_width = WIDTH - label_width - 80
    for index, category in enumerate(categories):
        y = top + index * group_height
        body.append(_text(label_width - 8, y + bar_height * len(series) / 2 + 5, _fit(category, 30), "end"))
        for offset, (colour, item) in enumerate(zip(PALETTE, series)):
            value, bar_y = item.values[index], y + offset * bar_height
            width = plot_width * value / ceiling
            tip = f"{category}: {_number(value)}{' ' + unit if unit else ''}" + (
                f" {item.label}" if legend else "")
            body.append(_rect(label_width, bar_y, width, bar_height - 2, colour, tip))
            body.append(_text(label_width + width + 6, bar_y + bar_height - 5, _number(value), size=13))
    height = top + len(categories) * group_height
    body.append(f'<line x1="{label_width}" x2="{label_width}" y1="{top - 2}" y2="{height - gap + 2}" '
                f'stroke="{AXIS}" stroke-width="2"/>')
    return _svg(key, title, description, height + 4, body)


def funnel(key: str, title: str, description: str, stages: list[tuple[str, int]]) -> Markup:
    """Centred bars that narrow stage by stage, each with its count and share of the first stage."""
    label_width, row, centre, span = 260, 40, 400, 260
    first = stages[0][1] if stages else 0
    body = []
    for index, (label, count) in enumerate(stages):
        y = 6 + index * row
        width = span * count / first if first else 0
        share = f" ({count / first:.0%} of {stages[0][0].lower()})" if first and index else ""
        body.append(_text(label_width - 8, y + 21, _fit(label, 34), "end"))
        body.append(_rect(centre - width / 2, y, width, row - 8, PALETTE[index % len(PALETTE)],
                          f"{label}: {_number(count)}{share}"))
        body.append(_text(centre + span / 2 + 8, y + 21, f"{_number(count)}{share}", size=13))
    return _svg(key, title, description, 6 + len(stages) * row, body)
