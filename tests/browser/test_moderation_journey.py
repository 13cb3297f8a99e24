"""Issue 4, tried as people would: a resident registers an organisation and speaks for it once
verified; someone reports an idea; a facilitator hides it, merges two duplicates and enters a
workshop's ideas; an admin reads all of it in the audit log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Idea, Source, Visibility, Vote
from kil_consult.moderation.services import ensure_default_hide_reasons
from tests import factories
from tests.browser.helpers import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_organisation_report_hide_merge_offline_and_audit(page, live_server, mailbox, db):
    factories.make_council()
    factories.make_neighbourhood("Hastings")
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    author = factories.make_user(email="author@example.org", display_name="Ali")
    rude = factories.make_idea(consultation, author, title="Rude idea", body="Something unkind.")
    dup_source = factories.make_idea(
        consultation, author, title="Open the library on Sundays", body="Libraries on Sundays."
    )
    dup_target = factories.make_idea(
        consultation, author, title="Sunday library opening", body="Open libraries on Sunday."
    )
    both = factories.make_user(display_name="Bo")
    factories.make_vote(dup_source, both, "agree")
    factories.make_vote(dup_target, both, "disagree")
    resident = factories.make_user(email="res@example.org", display_name="Rae")
    facilitator = factories.make_user(Role.FACILITATOR, email="fac@example.org")
    admin = factories.make_user(Role.ADMIN, email="admin@example.org")
    ensure_default_hide_reasons()
    db.session.commit()

    # A resident registers an organisation.
    sign_in(page, resident.email)
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name=re.compile("organisations")).first.click()
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Name of the organisation").fill("Hastings Food Larder")
    page.get_by_label("What does the organisation do?").fill("Food and advice for families.")
    page.get_by_label("Hastings").check()
    page.get_by_role("button", name="Ask to register").click()
    # ... and reports an idea.
    page.goto(f"/ideas/{rude.id}")
    page.get_by_role("link", name="Report this idea").click()
    page.get_by_label("Abusive or offensive").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("A moderator will look at your report")).to_be_visible()
    sign_out(page)

    # A facilitator verifies the organisation, hides the idea, merges and enters offline ideas.
    sign_in(page, facilitator.email)
    page.get_by_role("link", name="Manage", exact=True).click()
    page.get_by_role("link", name="Check community organisations").click()
    page.get_by_role("link", name="Hastings Food Larder").click()
    page.get_by_label("Yes, verify it").check()
    page.get_by_role("button", name="Save decision").click()

    page.get_by_role("link", name="Manage", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Moderation")).click()
    page.get_by_role("link", name=re.compile(r"^Review idea")).first.click()
    page.get_by_role("link", name="Hide with a reason").click()
    page.get_by_label(re.compile("Abusive: It broke")).check()
    page.get_by_label("Note to the author (optional)").fill("Please keep it respectful.")
    page.get_by_role("button", name="Hide").click()
    expect(page.get_by_text(re.compile("Hidden. A note with the reason"))).to_be_visible()
    assert "respectful" in mailbox.wait_for("author@example.org").body

    page.goto(f"/ideas/{dup_source.id}")
    page.get_by_role("link", name="Merge into another idea").click()
    page.get_by_role(
        "button", name=re.compile(r"Merge into this idea\s*:\s*Sunday library opening")
    ).click()
    expect(page.get_by_text(re.compile("Merged into “Sunday"))).to_be_visible()

    page.get_by_role("link", name="Manage", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Offline ideas for principle 1")).click()
    page.get_by_label("A workshop or community event").check()
    page.get_by_label("Name", exact=True).fill("Hastings workshop")
    date_group = page.get_by_role("group", name="Date")
    date_group.get_by_label("Day").fill("2")
    date_group.get_by_label("Month").fill("3")
    date_group.get_by_label("Year").fill("2026")
    page.get_by_label("Number of people (optional)").fill("20")
    page.get_by_role("button", name="Save").click()
    for n in range(3):
        page.get_by_label("Title of the idea").fill(f"Workshop idea {n + 1}")
        page.get_by_label("What the person said").fill("Said at the workshop.")
        page.get_by_role("button", name="Add idea").click()
        expect(page.get_by_text(f"Idea added: Workshop idea {n + 1}")).to_be_visible()
    # The ideas show the workshop's date, not the day they were typed in.
    page.get_by_role("link", name="Workshop idea 1").click()
    expect(page.get_by_text("on 2 March 2026")).to_be_visible()
    sign_out(page)

    # The resident now speaks for the verified organisation.
    sign_in(page, resident.email)
    page.goto(f"/consultations/{consultation.slug}/ideas/new")
    page.get_by_label("Title of your idea").fill("Cookery classes at the larder")
    page.get_by_label("Describe your idea").fill("Teach families to cook on a budget.")
    page.get_by_label("Share as").select_option(label="Hastings Food Larder")
    page.get_by_role("button", name="Share your idea").click()
    expect(page.get_by_role("link", name="Hastings Food Larder").first).to_be_visible()
    sign_out(page)

    # Anyone sees the note in place of the hidden idea.
    page.goto(f"/consultations/{consultation.slug}")
    expect(page.get_by_text("Hidden by a moderator:").first).to_be_visible()
    expect(page.get_by_text("Rude idea")).to_have_count(0)

    # The admin reads all of it in the audit log.
    sign_in(page, admin.email)
    page.get_by_role("link", name="Manage", exact=True).click()
    page.get_by_role("link", name="Audit log").click()
    log = page.get_by_role("table")
    for action in (
        "Hidden",
        "Merged",
        "Offline event recorded",
        "Offline idea entered",
        "Organisation verified",
        "Organisation registered",
    ):
        expect(log.get_by_role("cell", name=action, exact=True).first).to_be_visible()

    db.session.expire_all()
    assert db.session.get(Idea, rude.id).visibility is Visibility.HIDDEN
    votes = db.session.scalars(select(Vote).where(Vote.user_id == both.id)).all()
    assert [(v.idea_id, v.value.value) for v in votes] == [(dup_target.id, "disagree")]
    offline = db.session.scalars(select(Idea).where(Idea.source == Source.EVENT)).all()
    assert len(offline) == 3
    assert (
        db.session.scalar(
            select(Idea).where(Idea.title == "Cookery classes at the larder")
        ).organisation.name
        == "Hastings Food Larder"
    )
