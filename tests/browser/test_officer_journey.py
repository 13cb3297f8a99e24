"""Issue 15, tried as an officer would in Chromium: a facilitator moderates, publishes the
summary of a closed consultation, drafts the statement from it and finishes its commitment;
an admin records the decision, signs, publishes, and downloads the Word and PDF statement;
hiding a cited idea afterwards changes nothing the agreed version shows."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Visibility
from kil_consult.moderation.services import ensure_default_hide_reasons
from kil_consult.timeutil import to_local, utcnow
from tests import factories
from tests.browser.helpers import sign_in, sign_out

pytestmark = pytest.mark.browser


def _fill_date(page: Page, group: str, day) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def _world(db):
    factories.make_council("East Testshire Council")
    process = factories.make_process(stage=Stage.OPEN)
    consultation = process.consultations[0]
    consultation.stage, consultation.closes_at = Stage.CLOSED, utcnow() - timedelta(days=1)
    author = factories.make_user(display_name="Ali")
    hub = factories.make_idea(
        consultation, author, title="One front door for help", body="A single hub for help."
    )
    bus = factories.make_idea(consultation, author, title="A bus to the hub", body="Link it.")
    waiting = factories.make_idea(
        consultation,
        author,
        title="Longer library hours",
        body="Open until eight.",
        visibility=Visibility.PENDING,
    )
    for n in range(5):
        factories.make_vote(hub, value="agree" if n < 4 else "disagree")
        factories.make_vote(bus, value="agree")
    facilitator = factories.make_user(Role.FACILITATOR, display_name="Fay")
    admin = factories.make_user(Role.ADMIN, display_name="Ada")
    ensure_default_hide_reasons()
    db.session.commit()
    return consultation, hub, bus, waiting, facilitator, admin


def test_from_conversation_to_a_signed_statement(page, live_server, db):
    consultation, hub, bus, waiting, facilitator, admin = _world(db)
    today = to_local(utcnow()).date()

    # The facilitator publishes the idea waiting for a moderator.
    sign_in(page, facilitator.email)
    page.goto("/admin/")
    page.get_by_role("link", name=re.compile("waiting for approval")).click()
    expect(page.get_by_text("Longer library hours")).to_be_visible()
    page.get_by_role("link", name=f"Review idea {waiting.id}").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. The author has been told.")).to_be_visible()

    # ... writes and publishes the summary of the closed consultation.
    page.goto(f"/consultations/{consultation.slug}/summary")
    page.get_by_label("Overview").fill("We asked where services fail to join up.")
    page.get_by_label("Themes").fill("* One place to go for help")
    page.get_by_label("Finding 1", exact=True).fill("People want one front door for help.")
    page.get_by_label("Ideas finding 1 rests on").fill(f"{hub.id}, {bus.id}")
    page.get_by_label("What the council decided").fill("We will open a community hub.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text(re.compile("published", re.I)).first).to_be_visible()

    # ... starts the statement from the summaries and finishes the commitment.
    page.goto("/admin/statement")
    page.get_by_role("button", name="Start the draft statement").click()
    page.get_by_role("link", name=re.compile("Change or remove")).first.click()
    page.get_by_label("Owning team").fill("Communities and Neighbourhoods")
    _fill_date(page, "Target date (optional)", today + timedelta(days=180))
    page.get_by_label("What changed and why").first.fill("Owner and date agreed with the team")
    page.get_by_role("button", name="Save commitment").click()
    expect(page.get_by_text("Communities and Neighbourhoods").first).to_be_visible()
    sign_out(page)

    # The admin records the decision, signs, publishes and downloads it.
    sign_in(page, admin.email)
    page.goto("/admin/statement")
    page.get_by_label("Who decided").fill("Cabinet")
    _fill_date(page, "Date of the decision", today)
    page.get_by_label("Reference").fill("Minute 42")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Name", exact=True).fill("Cllr Lee Leader")
    page.get_by_label("Role", exact=True).fill("Leader of the Council")
    _fill_date(page, "Date signed", today)
    page.get_by_role("button", name="Add signatory").click()
    expect(page.get_by_text("1 signatory so far")).to_be_visible()
    publish = page.get_by_role("button", name=re.compile(r"^Publish version \d+$"))
    anyway = page.get_by_label("Publish despite the warnings")
    if anyway.count():  # only the warnings the six sections leave (five have no summary)
        anyway.check()
        page.get_by_label("Why it is published despite the warnings").fill(
            "The other principles follow in the next version"
        )
    publish.click()
    page.goto("/statement")
    expect(page.get_by_text("Cllr Lee Leader").first).to_be_visible()
    expect(page.get_by_text("Communities and Neighbourhoods").first).to_be_visible()

    word = page.request.get("/statement/download/docx")
    assert word.ok and word.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = Document(io.BytesIO(word.body()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Communities and Neighbourhoods" in text and "Cllr Lee Leader" in text
    pdf = page.request.get("/statement/download/pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "One front door for help" in pdf_text

    # Hiding a cited idea afterwards: the agreed version keeps showing it.
    page.goto(f"/moderation/idea/{hub.id}/hide")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=re.compile("Hide")).click()
    page.goto("/statement")
    expect(page.get_by_text("One front door for help").first).to_be_visible()
    again = page.request.get("/statement/download/pdf")
    assert "One front door for help" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(again.body())).pages
    )
