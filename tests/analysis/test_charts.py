"""The results charts' shapes, worked out in Python, and drawn on the page."""

from __future__ import annotations

import re

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
    assert chart.height == 46
    assert (chart.rows[0].people_width, chart.rows[0].population_label_x) == ("150.0", "280.0")
    # A group that is everyone still has its label inside the 600-wide chart.
    full = charts.share_bars((PlaceRow("All", 9, 1.0, 100, 1.0),)).rows[0]
    assert float(full.people_label_x) + 95 <= 600
    groups = (OpinionGroup("A", 1), OpinionGroup("B", 4))
    drawn = charts.opinion_map((BaseCluster(0, 0, 1, 0), BaseCluster(1, 2, 4, 1)), groups)
    assert [(c.cx, c.cy, c.r, c.label) for c in drawn.circles] == [
        ("40.0", "40.0", "11.0", "A"),
        ("560.0", "360.0", "18.0", "B"),
    ]
    assert charts.opinion_map((), groups) is None


def test_the_results_page_draws_every_chart(client, council, db, login_as):
    consultation = make_consultation()
    two_camps(consultation)
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    opinion_map = page.split('id="chart-groups-title"')[1].split("</svg>")[0]
    assert len(re.findall(r"<circle ", opinion_map)) >= 2
    assert "group A, 12 people; group B, 12 people." in opinion_map
    assert re.search(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#1d70b8"', page
    )
