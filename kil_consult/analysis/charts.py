"""The shapes of the results pages' SVG charts, worked out here so the templates only draw.

Every chart sits beside a table with the same numbers; coordinates are strings with one
decimal, as the SVG gets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .values import GROUP_LABELS, BaseCluster, DayCounts, OpinionGroup, PlaceRow

GROUP_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738")


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True)
class BarChart:
    """Bars over time: one bar per day, scaled to the busiest day."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    peak: int
    first_day: str
    last_day: str

    @property
    def days(self) -> int:
        return len(self.bars)


def bars_over_time(
    days: tuple[DayCounts, ...], column: str, width: int = 600, height: int = 160
) -> BarChart | None:
    """A bar per day of one column (``"votes"``...); None when there is nothing to draw."""
    values = [getattr(day, column) for day in days]
    peak = max(values) if values else 0
    if not values or not peak:
        return None
    step = width / len(values)
    bars = []
    for n, value in enumerate(values):
        h = value / peak * (height - 10)
        bars.append(Bar(_f(n * step + step * 0.1), _f(height - h), _f(step * 0.8), _f(h)))
    return BarChart(width, height, tuple(bars), peak, days[0].day, days[-1].day)


@dataclass(frozen=True)
class ShareRow:
    """A neighbourhood's two bars: share of people (dark) and of population (light)."""

    place: PlaceRow
    y: int
    people_width: str
    people_label_x: str
    population_width: str
    population_label_x: str


@dataclass(frozen=True)
class ShareChart:
    height: int
    rows: tuple[ShareRow, ...]


def share_bars(places: tuple[PlaceRow, ...], row: int = 36, scale: int = 300) -> ShareChart:
    """Each neighbourhood's share of people beside its share of population, in a 600-wide box:
    bars start at 200 and end by 500 at 100%, leaving room for the label after the longest
    ("answered 100%" is about 85 units at 12 px)."""
    rows = []
    for n, place in enumerate(places):
        people = (place.people_share or 0) * scale
        population = (place.population_share or 0) * scale
        rows.append(
            ShareRow(
                place,
                n * row + 4,
                _f(people),
                _f(205 + people),
                _f(population),
                _f(205 + population),
            )
        )
    return ShareChart(len(places) * row + 10, tuple(rows))


@dataclass(frozen=True)
class Circle:
    cx: str
    cy: str
    r: str
    label_y: str
    colour: str
    label: str


@dataclass(frozen=True)
class OpinionMap:
    """The base clusters placed by the two main directions of the votes, sized by people."""

    circles: tuple[Circle, ...]
    groups: tuple[OpinionGroup, ...]


def opinion_map(
    base: tuple[BaseCluster, ...], groups: tuple[OpinionGroup, ...]
) -> OpinionMap | None:
    """The opinion map in a 600 x 400 box (40 margin); None when nothing was clustered."""
    if not base:
        return None
    xs = [c.x for c in base]
    ys = [c.y for c in base]
    x0, y0 = min(xs), min(ys)
    sx = 520 / ((max(xs) - x0) or 1)
    sy = 320 / ((max(ys) - y0) or 1)
    biggest = max(c.size for c in base)
    circles = []
    for cluster in base:
        cx = 40 + (cluster.x - x0) * sx
        cy = 40 + (cluster.y - y0) * sy
        r = 4 + 14 * (cluster.size / biggest) ** 0.5
        circles.append(
            Circle(
                _f(cx),
                _f(cy),
                _f(r),
                _f(cy + 4),
                GROUP_COLOURS[cluster.group % len(GROUP_COLOURS)],
                GROUP_LABELS[cluster.group],
            )
        )
    return OpinionMap(tuple(circles), groups)
