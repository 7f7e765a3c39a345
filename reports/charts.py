"""Geometry of the statistics dashboards' bar charts, drawn as inline SVG by `reports/_chart.html`.

No chart library: a few bars, an axis and its ticks are simple arithmetic, and a server-drawn SVG
works without JavaScript. The numbers themselves are in the table beside each chart; the SVG is one
image (role="img") with a title and a description."""

import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640  # viewBox units; the SVG scales to the column's width


@dataclass(frozen=True)
class Bar:
    label: str  # what is counted: a month, a department
    value: int | Decimal
    x: float
    y: float
    width: float
    height: float
    label_x: float  # where the bar's label and its value are written
    label_y: float
    value_x: float
    value_y: float
    sublabel: str = ""  # a second line under a column's label (the year, at its first month)


@dataclass(frozen=True)
class Tick:
    value: int | Decimal
    position: float  # y of a column chart's tick, x of a bar chart's


@dataclass(frozen=True)
class Chart:
    chart_id: str
    horizontal: bool  # bars grow right (one row a department) instead of up (one column a month)
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    axis_max: int | Decimal
    ticks: list[Tick]
    bars: list[Bar]
    unit: str  # "" or "%", written after tick and bar values


def _nice_axis(largest: float, *, steps: int = 4) -> tuple[int, int]:
    """An axis maximum at or above `largest` and a tick step of 1, 2 or 5 × 10^k."""
    if largest <= 0:
        return 1, 1
    raw = largest / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step * math.ceil(largest / step), step


def column_chart(
    *, chart_id: str, items: list[tuple[str, int]], sublabels: list[str] | None = None, height: int = 280
) -> Chart:
    """One column per item (e.g. a month), heights in proportion to the values, from 0."""
    sublabels = sublabels or [""] * len(items)
    left, top, right, bottom = 48.0, 24.0, WIDTH - 8.0, height - 48.0
    axis_max, step = _nice_axis(max((v for _label, v in items), default=0))
    slot = (right - left) / max(len(items), 1)
    bar_width = slot * 0.6
    scale = (bottom - top) / axis_max
    bars = []
    for n, (label, value) in enumerate(items):
        bar_height = value * scale
        x = left + n * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 2),
                y=round(bottom - bar_height, 2),
                width=round(bar_width, 2),
                height=round(bar_height, 2),
                label_x=round(x + bar_width / 2, 2),
                label_y=bottom + 18,
                value_x=round(x + bar_width / 2, 2),
                value_y=round(bottom - bar_height - 6, 2),
                sublabel=sublabels[n],
            )
        )
    ticks = [Tick(v, round(bottom - v * scale, 2)) for v in range(0, axis_max + 1, step)]
    return Chart(chart_id, False, WIDTH, height, left, top, right, bottom, axis_max, ticks, bars, "")


def percent_bar_chart(*, chart_id: str, items: list[tuple[str, Decimal]]) -> Chart:
    """One horizontal bar per item (e.g. a department), lengths as per cent of a 0–100 axis; each
    bar's label is written above it, so long department names need no margin."""
    row, left, top, right = 48.0, 20.0, 8.0, WIDTH - 64.0
    bottom = top + row * max(len(items), 1)
    height = int(bottom + 28)
    scale = (right - left) / 100
    bars = []
    for n, (label, value) in enumerate(items):
        y = top + n * row + 20
        length = float(value) * scale
        bars.append(
            Bar(
                label=label,
                value=value,
                x=left,
                y=y,
                width=round(length, 2),
                height=18,
                label_x=left + 4,  # clear of the axis line
                label_y=y - 6,
                value_x=round(left + length + 6, 2),
                value_y=y + 14,
            )
        )
    ticks = [Tick(v, round(left + v * scale, 2)) for v in (0, 25, 50, 75, 100)]
    return Chart(chart_id, True, WIDTH, height, left, top, right, bottom, 100, ticks, bars, "%")
