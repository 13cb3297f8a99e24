"""The results charts' shapes, worked out in Python, and drawn on the page."""

from __future__ import annotations

import re

import pytest

from kil_consult.accounts.models import Role
from kil_consult.analysis import charts
from kil_consult.analysis.values import BaseCluster, DayCounts, OpinionGroup, PlaceRow

from ..factories import make_consultation
from .test_results import two_camps


def test_bars_scale_to_the_busiest_day():
    days = (DayCounts("2026-01-01", 1, 0, 5, 0), DayCounts("2026-01-02", 0, 0, 10, 0))
    chart = charts.bars_over_time(days, "votes")
    assert chart.peak == 10 and chart.days == 2
    assert [(b.x, b.y, b.width, b.height) for b in chart.bars] == [
        ("30.0", "85.0", "240.0", "75.0"),
        ("330.0", "10.0", "240.0", "150.0"),
    ]
    assert charts.bars_over_time((), "votes") is None
    assert charts.bars_over_time((DayCounts("2026-01-01", 1, 0, 0, 0),), "votes") is None


def test_share_bars_and_the_opinion_map():
    chart = charts.share_bars((PlaceRow("North", 3, 0.5, 100, 0.25),))
    assert [(r.people_width, r.population_width) for r in chart.rows] == [("50.0", "25.0")]
    # A group that is everyone fills its track; one not known draws nothing.
    full = charts.share_bars((PlaceRow("All", 9, 1.0, None, None),)).rows[0]
    assert (full.people_width, full.population_width) == ("100.0", "0.0")
    groups = (OpinionGroup("A", 1), OpinionGroup("B", 4))
    drawn = charts.opinion_map((BaseCluster(0, 0, 1, 0), BaseCluster(1, 2, 4, 1)), groups)
    assert [(m.cx, m.cy, m.r, m.label) for m in drawn.markers] == [
        ("40.0", "40.0", "15.0", "A"),
        ("560.0", "360.0", "22.0", "B"),
    ]
    # Group A a circle, group B a square of the same area (22 * sqrt(pi) / 2 = 19.5 each side).
    assert drawn.markers[0].path == "M25.0,40.0 a15.0,15.0 0 1,0 30.0,0 a15.0,15.0 0 1,0 -30.0,0 Z"
    assert drawn.markers[1].path == "M540.5,340.5 L579.5,340.5 L579.5,379.5 L540.5,379.5 Z"
    assert [(k.group.label, k.shape, k.colour) for k in drawn.key] == [
        ("A", "circles", "#1d70b8"),
        ("B", "squares", "#d4351c"),
    ]
    assert charts.opinion_map((), groups) is None


def test_every_group_has_its_own_shape_of_the_same_area():
    """Shapes tell the groups apart without colour; equal areas keep size meaning people."""
    import math

    def area(path: str) -> float:  # the shoelace formula over the corners
        points = [tuple(map(float, p.split(","))) for p in path[1:-2].split(" L")]
        pairs = zip(points, points[1:] + points[:1], strict=True)
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2

    paths = [charts.marker_path(n, 100, 100, 10) for n in range(len(charts.GROUP_LABELS))]
    assert len(set(paths)) == len(paths) == len(charts.GROUP_SHAPES)
    for path in paths[1:]:
        assert area(path) == pytest.approx(math.pi * 100, rel=0.02), path


def test_the_results_page_draws_every_chart(client, council, db, login_as):
    consultation = make_consultation()
    two_camps(consultation)
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    opinion_map = page.split('id="chart-groups-title"')[1].split("</svg>")[0]
    assert len(re.findall(r'<path d="M[\d.,]+ ', opinion_map)) >= 2
    assert "<text" not in page
    assert "group A, 12 people; group B, 12 people." in opinion_map
    key = page.split('aria-label="Key to the map of opinion groups"')[1].split("</ul>")[0]
    assert "Group A (circles): 12 people" in key and "Group B (squares): 12 people" in key
    assert re.search(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#1d70b8"', page
    )
    # The neighbourhoods' bars: each figure in words beside a bar of that length out of 100.
    places = page.split('id="chart-places-title"')[1].split("</div>")[0]
    assert re.search(
        r'People 50%</span>\s*<span class="app-bars__track"><svg [^>]*'
        r'viewBox="0 0 100 10" preserveAspectRatio="none"[^>]*><rect width="50.0"',
        places,
    )
