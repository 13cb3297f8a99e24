"""Smaller points of issue 15 on the summary and statement pages: the summary's "Ideas to cite"
table, the themes message when none are found, and version comparison in plain words."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kil_consult.statements import services

from . import world as world_module


@pytest.fixture
def world(db):
    return world_module.build()


def test_ideas_to_cite_says_how_many_it_lists_and_labels_every_column(client, login_as, world):
    consultation = world.process.consultations[0]
    login_as(world.facilitator)
    page = client.get(f"/consultations/{consultation.slug}/summary").get_data(as_text=True)
    table = page[page.index('id="cite-table"') :]
    table = table[: table.index("</table>")]
    assert "The 2 most supported ideas, with their numbers" in page
    headers = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)
    cells = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1]
    assert all(h.strip() for h in headers)
    assert len(headers) == len(re.findall(r"<t[hd] ", cells)), (headers, cells)


def test_version_comparison_shows_words_and_dates_as_people_read_them(world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    first = statement.latest.typed_content.commitments[0]
    world_module.finish_commitment(
        statement, world.facilitator, first, due=date(2027, 12, 1), ideas=first.ideas, reason="Date"
    )
    parts = {
        p.key: p for p in services.compare(statement.versions[0].content, statement.latest.content)
    }
    changed = "".join(text for _kind, text in parts[f"commitment-{first.id}"].fragments)
    assert "Target date: 1 December 2027" in changed and "2027-12-01" not in changed
    section = "".join(text for _kind, text in parts["section-1"].fragments)
    assert "People want a hub." in section and "**" not in section and "* " not in section


def test_no_suggested_themes_is_not_a_success(client, login_as, world, db):
    consultation = world.process.consultations[5]
    login_as(world.facilitator)
    page = client.post(
        f"/consultations/{consultation.slug}/themes/suggest", follow_redirects=True
    ).get_data(as_text=True)
    banner = page[page.index("govuk-notification-banner") - 200 :][:1500]
    assert "too few ideas" in banner
    assert "govuk-notification-banner--success" not in banner
