"""The shape of an indicator's trend chart, worked out here so that the progress page's SVG,
the PDF (the same SVG) and the Word report (a picture drawn from the same shape) only draw.

The line runs from the baseline through each reading; a dashed line runs from the baseline to
the target (where the council means to be, by when), and the target is a marked point.
Coordinates are strings with one decimal, as the SVG gets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .indicators import Trend

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 40


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    label: str  # the figure, as people read it


@dataclass(frozen=True)
class Tick:
    at: str  # y for a value tick, x for a date tick
    label: str


@dataclass(frozen=True)
class TrendChart:
    """Everything the chart draws, in a WIDTH x HEIGHT box."""

    width: int
    height: int
    line: str  # polyline points: baseline, then readings
    plan: str  # polyline points: baseline to target
    dots: tuple[Dot, ...]
    target: Dot
    value_ticks: tuple[Tick, ...]
    date_ticks: tuple[Tick, ...]
    axis_y: str  # the bottom axis's y
    target_label_x: str
    target_label_y: str
    left: int
    right: int
    title: str
    description: str

    @property
    def plot_box(self) -> str:
        """The viewBox of the plot alone, the lines' box without the room for labels: the
        progress page stretches it to the width and writes the labels in HTML around it."""
        return f"{self.left} {TOP} {self.right - self.left} {_f(float(self.axis_y) - TOP)}"


def _nice_ticks(low: float, high: float) -> list[float]:
    span = high - low or abs(high) or 1
    raw = span / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10, 20, 50) if m * magnitude >= raw)
    start = (low // step) * step
    ticks, value = [], start
    while value <= high + step * 0.001:
        ticks.append(round(value, 6))
        value += step
    return ticks


def trend_chart(trend: Trend) -> TrendChart:
    """The chart of one indicator: its line so far, its plan and its target."""
    points = list(trend.points)
    values = [p.value for p in points] + [trend.target.value]
    ticks = _nice_ticks(min(0.0, *values), max(values))
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    first = trend.baseline.on
    last = max(trend.target.on, points[-1].on)
    days = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(on: date) -> float:
        return LEFT + (on - first).days / days * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    dots = tuple(Dot(_f(x(p.on)), _f(y(p.value)), trend.figure(p.value)) for p in points)
    target = Dot(
        _f(x(trend.target.on)), _f(y(trend.target.value)), trend.figure(trend.target.value)
    )
    years = sorted({first.year, *range(first.year + 1, last.year + 1)})
    date_ticks = [Tick(_f(x(first)), first.strftime("%b %Y"))]
    date_ticks += [
        Tick(_f(x(date(year, 1, 1))), str(year))
        for year in years
        if date(year, 1, 1) > first and 70 < x(date(year, 1, 1)) - LEFT < plot_w - 70
    ]
    date_ticks.append(Tick(_f(x(last)), last.strftime("%b %Y")))
    latest = trend.latest
    description = (
        f"Line chart of {trend.name}. Baseline {trend.figure(trend.baseline.value)} on "
        f"{first:%d %B %Y}; "
        + (
            f"latest reading {trend.figure(latest.value)} on {latest.on:%d %B %Y}; "
            if trend.readings
            else "no readings yet; "
        )
        + f"target {trend.figure(trend.target.value)} by {trend.target.on:%d %B %Y}. "
        "The table beside it gives every figure."
    )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        line=" ".join(f"{d.x},{d.y}" for d in dots),
        plan=f"{dots[0].x},{dots[0].y} {target.x},{target.y}",
        dots=dots,
        target=target,
        value_ticks=tuple(Tick(_f(y(v)), trend.figure(v)) for v in ticks),
        date_ticks=tuple(date_ticks),
        axis_y=_f(TOP + plot_h),
        # The target's label sits above and to the left of its square, or below it where
        # the square is at the top of the chart.
        target_label_x=_f(float(target.x) - 10),
        target_label_y=_f(float(target.y) + (22 if float(target.y) < TOP + 20 else -10)),
        left=LEFT,
        right=WIDTH - RIGHT,
        title=f"{trend.name}: trend against target",
        description=description,
    )


def charted_trends(commitment_ids: list[int]) -> dict[int, list[tuple[Trend, TrendChart]]]:
    """Each commitment's indicators, each with its chart (for the progress page and report)."""
    from .indicators import trends_by_commitment

    return {
        cid: [(trend, trend_chart(trend)) for trend in trends]
        for cid, trends in trends_by_commitment(commitment_ids).items()
    }
