"""Journeys through the real pages in Chromium, as people take them: by labels, button names
and links. The database is touched only to set up data and to check what was saved."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kil_consult.accounts.models import Role, User
from kil_consult.consultations.models import Consultation, Stage
from kil_consult.ideas.models import Comment, Idea, Vote, VoteValue
from tests import factories
from tests.browser.helpers import assert_tab_cycle, sign_in, sign_out, tab_to

pytestmark = pytest.mark.browser

NEW_EMAIL = "sam.resident@example.org"
NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def consultation(db) -> Consultation:
    """An open consultation with someone else's idea in it."""
    factories.make_council()
    factories.make_neighbourhood("Northtown")
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    factories.make_idea(consultation, title="Other idea", body="Fix the old bandstand.")
    db.session.commit()
    return consultation


def saved_vote(db, email: str) -> VoteValue | None:
    db.session.expire_all()
    vote = db.session.scalar(select(Vote).join(User).where(User.email == email))
    return vote.value if vote else None


def vote_button(scope, value: str, title: str):
    return scope.get_by_role("button", name=re.compile(rf"^{value}\s+with {re.escape(title)}"))


def card(page: Page, title: str):
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


# --- a resident, with a mouse --------------------------------------------------------------


def test_resident_creates_an_account_and_takes_part(page, live_server, mailbox, db, consultation):
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Email address").fill(NEW_EMAIL)
    page.get_by_label("Name to show with your ideas and comments").fill("Sam")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Where do you live? (optional)").select_option(label="Northtown")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    link = mailbox.wait_for(NEW_EMAIL).link("/account/confirm/")
    assert link.startswith(live_server), link
    page.goto(link)
    expect(
        page.get_by_text("Your email address is confirmed. Sign in to take part.")
    ).to_be_visible()
    page.get_by_label("Email address").fill(NEW_EMAIL)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Sam")).to_be_visible()

    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("button", name="Share an idea").click()
    page.get_by_label("Title of your idea").fill("Plant fruit trees in the park")
    page.get_by_label("Describe your idea").fill("Anyone could pick the fruit.")
    page.get_by_role("button", name="Share your idea").click()
    expect(page.get_by_text("Your idea has been shared. Thank you.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plant fruit trees in the park")

    page.get_by_role("link", name="Back to all ideas").click()
    other = card(page, "Other idea")
    vote_button(other, "Agree", "Other idea").click()
    expect(other.get_by_role("status")).to_have_text("You voted agree. Your vote is saved.")
    expect(other.get_by_text("1 agree")).to_be_visible()
    assert saved_vote(db, NEW_EMAIL) is VoteValue.AGREE

    other.get_by_role("link", name="Other idea").click()
    page.get_by_label("Add a comment").fill("The bandstand is lovely in summer.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment has been posted.")).to_be_visible()
    expect(page.get_by_text("The bandstand is lovely in summer.")).to_be_visible()

    vote_button(page, "Disagree", "Other idea").click()
    expect(page.get_by_role("status")).to_have_text("You voted disagree. Your vote is saved.")
    expect(vote_button(page, "Disagree", "Other idea")).to_have_attribute("aria-pressed", "true")
    assert saved_vote(db, NEW_EMAIL) is VoteValue.DISAGREE

    sign_out(page)
    expect(page.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()
    assert db.session.scalar(select(Comment.body)) == "The bandstand is lovely in summer."


# --- the same with the keyboard alone ------------------------------------------------------


def type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, re.compile(f"^{re.escape(label)}"))
    page.keyboard.type(text)


def follow(page: Page, key: str) -> None:
    """Press a key that loads another page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_resident_journey_with_the_keyboard_alone(page, live_server, mailbox, db, consultation):
    page.goto("/")
    assert_tab_cycle(page)
    page.goto("/")
    tab_to(page, re.compile("^Create an account$"))
    follow(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    type_into(page, "Email address", NEW_EMAIL)
    type_into(page, "Name to show", "Kay")
    type_into(page, "Create a password", NEW_PASSWORD)
    tab_to(page, re.compile("^Create account$"))
    follow(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(mailbox.wait_for(NEW_EMAIL).link("/account/confirm/"))
    type_into(page, "Email address", NEW_EMAIL)
    type_into(page, "Password", NEW_PASSWORD)
    follow(page, "Enter")  # sends the form from its last box
    expect(page.get_by_text("Signed in as Kay")).to_be_visible()

    tab_to(page, consultation.title)
    follow(page, "Enter")
    tab_to(page, re.compile("^Share an idea$"))
    follow(page, "Space")  # a link that looks like a button works like one
    type_into(page, "Title of your idea", "Plant fruit trees in the park")
    type_into(page, "Describe your idea", "Anyone could pick the fruit.")
    tab_to(page, re.compile("^Share your idea$"))
    follow(page, "Space")
    expect(page.get_by_text("Your idea has been shared. Thank you.")).to_be_visible()
    assert_tab_cycle(page)

    page.goto(page.url)  # start again from the top of the idea page
    tab_to(page, "Back to all ideas")
    follow(page, "Enter")
    tab_to(page, re.compile("^Agree with Other idea"))
    page.keyboard.press("Space")
    expect(card(page, "Other idea").get_by_role("status")).to_have_text(
        "You voted agree. Your vote is saved."
    )
    assert saved_vote(db, NEW_EMAIL) is VoteValue.AGREE

    tab_to(page, re.compile("^Other idea$"), backwards=True)
    follow(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Other idea")
    assert_tab_cycle(page)
    type_into(page, "Add a comment", "Lovely in summer.")
    tab_to(page, re.compile("^Post comment$"))
    follow(page, "Enter")
    expect(page.get_by_text("Your comment has been posted.")).to_be_visible()

    tab_to(page, re.compile("^Disagree with Other idea"))
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_have_text("You voted disagree. Your vote is saved.")
    assert saved_vote(db, NEW_EMAIL) is VoteValue.DISAGREE

    tab_to(page, re.compile("^Sign out$"), backwards=True)
    follow(page, "Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


# --- the core journey with JavaScript turned off -------------------------------------------


def test_core_journey_without_javascript(new_page, db, consultation):
    resident = factories.make_user(display_name="Jo")
    db.session.commit()
    page = new_page(js=False)
    sign_in(page, resident.email)

    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("button", name="Share an idea").click()
    page.get_by_label("Title of your idea").fill("A library van")
    page.get_by_label("Describe your idea").fill("For the villages.")
    page.get_by_role("button", name="Share your idea").click()
    expect(page.get_by_text("Your idea has been shared. Thank you.")).to_be_visible()

    page.get_by_role("link", name="Back to all ideas").click()
    vote_button(card(page, "Other idea"), "Agree", "Other idea").click()
    expect(page.get_by_text("Your vote is recorded: agree.")).to_be_visible()
    expect(card(page, "Other idea").get_by_text("1 agree")).to_be_visible()

    card(page, "Other idea").get_by_role("link", name="Other idea").click()
    page.get_by_label("Add a comment").fill("Yes please.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment has been posted.")).to_be_visible()

    vote_button(page, "Disagree", "Other idea").click()
    expect(page.get_by_text("Your vote is recorded: disagree.")).to_be_visible()
    expect(page.get_by_text("1 disagree")).to_be_visible()
    expect(page.get_by_text("0 agree")).to_be_visible()
    assert saved_vote(db, resident.email) is VoteValue.DISAGREE

    sign_out(page)


# --- an admin runs a consultation ----------------------------------------------------------


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_admin_edits_opens_and_closes_a_consultation(new_page, db):
    factories.make_council()
    consultation = factories.make_process(stage=Stage.DRAFT).consultations[0]
    idea = factories.make_idea(consultation, title="Bring back the bus")
    admin = factories.make_user(Role.ADMIN)
    resident = factories.make_user()
    db.session.commit()
    title, idea_id = consultation.title, idea.id

    page = new_page()
    sign_in(page, admin.email)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name=f"1. {title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit consultation")
    page.get_by_label("Question for residents").fill("How should services work together?")
    opens, closes = date.today() - timedelta(days=1), date.today() + timedelta(days=84)
    fill_date(page, "Opening date", opens)
    page.get_by_label("Opening time").fill("9:00")
    fill_date(page, "Closing date", closes)
    page.get_by_label("Closing time").fill("5pm")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Consultation saved.")).to_be_visible()
    expect(page.get_by_label("Question for residents")).to_have_value(
        "How should services work together?"
    )
    expect(page.get_by_role("group", name="Closing date").get_by_label("Day")).to_have_value(
        f"{closes.day:02d}"
    )
    db.session.expire_all()
    saved = db.session.get(Consultation, consultation.id)
    assert saved.question == "How should services work together?"
    assert saved.closes_at.date() == closes

    page.get_by_role("button", name="Open consultation").click()
    expect(page.get_by_text("Consultation opened.", exact=False)).to_be_visible()

    neighbour = new_page()
    sign_in(neighbour, resident.email)
    neighbour.get_by_role("link", name=title).click()
    expect(neighbour.get_by_text("How should services work together?")).to_be_visible()
    neighbour.get_by_role("link", name="Bring back the bus").click()
    agree = vote_button(neighbour, "Agree", "Bring back the bus")
    expect(agree).to_be_visible()

    page.get_by_role("button", name="Close consultation").click()  # a link styled as a button
    expect(page.get_by_role("heading", level=1)).to_contain_text("now?")
    page.get_by_role("button", name="Yes, close it now").click()
    expect(page.get_by_text("Consultation closed.", exact=False)).to_be_visible()

    agree.click()  # the page was loaded while it was open
    expect(neighbour.get_by_role("status")).to_contain_text("This consultation is closed")
    neighbour.reload()
    expect(vote_button(neighbour, "Agree", "Bring back the bus")).to_have_count(0)
    expect(neighbour.get_by_text("This consultation is closed")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).agree_count == 0


# --- a form sent with mistakes -------------------------------------------------------------


def check_error_summary(page: Page, count: int) -> list[str]:
    """The GOV.UK error summary: title, focus, and each link moving focus to its field."""
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(count)
    messages = []
    for index in range(count):
        link = links.nth(index)
        target = link.get_attribute("href").removeprefix("#")
        messages.append(link.inner_text())
        link.click()
        assert page.evaluate("() => document.activeElement.id") == target, (
            f"the error link {link.inner_text()!r} did not move focus to #{target}"
        )
        page.locator(f"#{target}").evaluate("el => el.blur()")
    return messages


def test_form_with_mistakes_keeps_what_was_typed(page, db, consultation):
    page.goto("/account/create")
    page.get_by_label("Email address").fill("sam@example")
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Where do you live? (optional)").select_option(label="Northtown")
    page.get_by_role("button", name="Create account").click()

    messages = check_error_summary(page, 3)
    assert messages[0].startswith("Enter an email address in the correct format")
    assert messages[1] == "Enter a name to show with your ideas and comments"
    expect(page.get_by_label("Email address")).to_have_value("sam@example")
    expect(page.get_by_label("Where do you live? (optional)")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#email-error")).to_contain_text("Enter an email address")


def test_date_mistakes_link_to_the_day_box(page, db):
    factories.make_council()
    factories.make_process(stage=Stage.DRAFT)
    admin = factories.make_user(Role.ADMIN)
    db.session.commit()
    sign_in(page, admin.email)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name=re.compile(r"^1\. ")).click()
    page.get_by_label("Title", exact=True).fill("")
    fill_date(page, "Closing date", date(2027, 2, 1))
    page.get_by_role("group", name="Closing date").get_by_label("Day").fill("31")
    page.get_by_role("button", name="Save changes").click()

    messages = check_error_summary(page, 2)
    assert messages == ["Enter a title", "Closing date must be a real date, like 27 3 2027"]
    closing = page.get_by_role("group", name="Closing date")
    expect(closing.get_by_label("Day")).to_have_value("31")
    expect(closing.get_by_label("Month")).to_have_value("2")
