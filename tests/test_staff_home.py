"""The staff home says what is waiting, with counts and where to deal with each."""

from __future__ import annotations

import re
from datetime import timedelta

from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Visibility
from kil_consult.moderation import services as moderation
from kil_consult.moderation.models import ReportReason
from kil_consult.organisations.models import OrganisationStatus
from kil_consult.timeutil import utcnow

from .factories import make_comment, make_idea, make_organisation, make_process, make_user


def _rows(page: str) -> dict[str, str]:
    """Each row of the "What is waiting" list: its label and the value shown."""
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)(?:<br>.*?)?</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        page,
        re.S,
    )
    return {label.strip(): value.strip() for label, value in rows}


def test_the_staff_home_counts_what_waits(client, council, db, login_as):
    process = make_process()
    first, second = process.consultations[0], process.consultations[1]
    reported = make_idea(first)
    moderation.report(make_user(), ReportReason.SPAM, idea=reported)
    moderation.report(make_user(), ReportReason.ABUSIVE, idea=reported)  # one item
    moderation.report(make_user(), ReportReason.SPAM, comment=make_comment(reported))
    make_idea(first, visibility=Visibility.PENDING)
    make_comment(reported).visibility = Visibility.PENDING
    make_organisation(status=OrganisationStatus.PENDING)
    make_organisation(status=OrganisationStatus.VERIFIED)
    second.stage = Stage.CLOSED
    second.closes_at = second.closed_at = utcnow() - timedelta(weeks=13)  # response overdue
    db.session.commit()

    login_as("facilitator")
    page = client.get("/admin/").get_data(as_text=True)
    rows = _rows(page)
    assert rows["Reported ideas, comments and people"] == "2"
    assert rows["Ideas and comments waiting for approval"] == "2"
    assert rows["Community organisations to check"] == "1"
    summary = f"Summary of principle {second.principle_number}: {second.title}"
    assert rows[summary] == "To write"
    assert "Overdue: it was due" in page
    assert f'href="/consultations/{second.slug}/summary"' in page
    assert 'href="/moderation?tab=waiting"' in page


def test_nothing_waiting_says_so(client, council, db, login_as):
    make_process()
    db.session.commit()
    login_as("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Nothing is waiting" in page
