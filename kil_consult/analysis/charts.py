"""The shapes of the results pages' SVG charts, worked out here so the templates only draw.

Every chart sits beside a table with the same numbers; coordinates are strings with one
decimal, as the SVG gets them.
"""

from __future__ import annotations

import math
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
    """A neighbourhood's two bars, share of people (dark) and of population (light), each as a
    length out of 100: the width of the bar's track, the same in every row, so rows compare."""

    place: PlaceRow
    people_width: str
    population_width: str


@dataclass(frozen=True)
class ShareChart:
    rows: tuple[ShareRow, ...]


def share_bars(places: tuple[PlaceRow, ...]) -> ShareChart:
    """Each neighbourhood's share of people beside its share of population. The words and
    figures are HTML beside the bars (they keep their size on a narrow screen and grow with
    the text), so only the bars' lengths are worked out here."""
    return ShareChart(
        tuple(
            ShareRow(
                place, _f((place.people_share or 0) * 100), _f((place.population_share or 0) * 100)
            )
            for place in places
        )
    )


# A group's marker: its shape as well as its colour tells the groups apart (WCAG 1.4.1), and
# the key under the map, in HTML text, names them; each shape has the area of a circle of
# radius r, so its size still shows how many people it holds.
GROUP_SHAPES = ("circles", "squares", "triangles", "diamonds", "triangles pointing down")


def marker_path(shape: int, cx: float, cy: float, r: float) -> str:
    """The SVG path of group marker ``shape`` centred on (cx, cy), as big as a circle of r."""
    kind = shape % len(GROUP_SHAPES)
    if kind == 0:
        arc = f"a{_f(r)},{_f(r)} 0 1,0"
        return f"M{_f(cx - r)},{_f(cy)} {arc} {_f(2 * r)},0 {arc} {_f(-2 * r)},0 Z"
    if kind == 1:
        h = r * math.pi**0.5 / 2
        corners = [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    elif kind == 3:
        d = r * (math.pi / 2) ** 0.5
        corners = [(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)]
    else:  # triangles: circumradius R gives the area 3*sqrt(3)/4 * R**2
        big = r * (4 * math.pi / (3 * 3**0.5)) ** 0.5
        flip = 1 if kind == 2 else -1
        corners = [
            (cx, cy - flip * big),
            (cx + big * 3**0.5 / 2, cy + flip * big / 2),
            (cx - big * 3**0.5 / 2, cy + flip * big / 2),
        ]
    return "M" + " L".join(f"{_f(x)},{_f(y)}" for x, y in corners) + " Z"


@dataclass(frozen=True)
class Marker:
    """One base cluster on the map: ``group`` is its group's index (its shape and colour)."""

    cx: str
    cy: str
    r: str
    path: str
    colour: str
    group: int
    label: str


@dataclass(frozen=True)
class KeyEntry:
    """A group in the key under the map: its marker drawn in a 24-unit box, and its words."""

    group: OpinionGroup
    path: str
    colour: str
    shape: str


@dataclass(frozen=True)
class OpinionMap:
    """The base clusters placed by the two main directions of the votes, sized by people."""

    markers: tuple[Marker, ...]
    groups: tuple[OpinionGroup, ...]
    key: tuple[KeyEntry, ...]


def _colour(group: int) -> str:
    return GROUP_COLOURS[group % len(GROUP_COLOURS)]


def _shape(group: int) -> str:
    return GROUP_SHAPES[group % len(GROUP_SHAPES)]


def opinion_map(
    base: tuple[BaseCluster, ...], groups: tuple[OpinionGroup, ...]
) -> OpinionMap | None:
    """The opinion map in a 600 x 400 box (40 margin); None when nothing was clustered.
    The smallest marker has a radius of 8 (about 3.5 px on a 320 px screen, big enough to
    see its shape), the biggest 22."""
    if not base:
        return None
    xs = [c.x for c in base]
    ys = [c.y for c in base]
    x0, y0 = min(xs), min(ys)
    sx = 520 / ((max(xs) - x0) or 1)
    sy = 320 / ((max(ys) - y0) or 1)
    biggest = max(c.size for c in base)
    markers = []
    for cluster in base:
        cx = 40 + (cluster.x - x0) * sx
        cy = 40 + (cluster.y - y0) * sy
        r = 8 + 14 * (cluster.size / biggest) ** 0.5
        markers.append(
            Marker(
                _f(cx),
                _f(cy),
                _f(r),
                marker_path(cluster.group, cx, cy, r),
                _colour(cluster.group),
                cluster.group,
                GROUP_LABELS[cluster.group],
            )
        )
    key = []
    for g in groups:
        n = GROUP_LABELS.index(g.label)
        key.append(KeyEntry(g, marker_path(n, 12, 12, 8), _colour(n), _shape(n)))
    return OpinionMap(tuple(markers), groups, tuple(key))
