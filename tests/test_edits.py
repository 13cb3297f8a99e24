"""Your contributions are yours (issue 17 item 4): an author edits or withdraws their own idea
or comment while the consultation is open; the history is kept for staff, everyone sees an
"edited" marker with the date, votes cast before an edit stay and the page says how many there
were; a withdrawn idea or comment leaves a note where others replied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.consultations.models import ModerationMode, Stage
from kil_consult.ideas import edits
from kil_consult.ideas.models import ContributionEdit, Idea, ResponseStatus, Source, Visibility
from kil_consult.ideas.responses import respond
from kil_consult.ideas.search import IdeaSearch, search
from kil_consult.organisations.models import Membership
from kil_consult.timeutil import utcnow
from tests import factories


def _world(db, **consultation_fields):
    factories.make_council()
    consultation = factories.make_consultation(Stage.OPEN, **consultation_fields)
    author = factories.make_user(display_name="Ada")
    idea = factories.make_idea(consultation, author, title="Bench by the pond", body="A bench.")
    db.session.commit()
    return consultation, author, idea


# --- the rules -----------------------------------------------------------------------------


def test_only_the_author_may_edit_or_withdraw_while_open(db):
    consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "My comment")
    for action in ("contribution.edit", "contribution.withdraw"):
        for item in (idea, comment):
            assert policy.allowed(action, author, item), (action, item)
            assert not policy.allowed(action, factories.make_user(), item)
            assert not policy.allowed(action, factories.make_user(Role.ADMIN), item)
            assert not policy.allowed(action, AnonymousUserMixin(), item)
    unconfirmed = factories.make_user(confirmed=False)
    own = factories.make_idea(consultation, unconfirmed)
    assert not policy.allowed("contribution.edit", unconfirmed, own)


def test_no_changes_once_the_consultation_closes(db):
    consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "My comment")
    consultation.closes_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    for action in ("contribution.edit", "contribution.withdraw"):
        assert not policy.allowed(action, author, idea)
        assert not policy.allowed(action, author, comment)


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.MERGED, Visibility.WITHDRAWN])
def test_no_changes_once_hidden_merged_or_withdrawn(db, visibility):
    _consultation, author, idea = _world(db)
    idea.visibility = visibility
    comment = factories.make_comment(factories.make_idea(idea.consultation), author, "Mine")
    comment.visibility = visibility if visibility is not Visibility.MERGED else Visibility.HIDDEN
    db.session.flush()
    for action in ("contribution.edit", "contribution.withdraw"):
        assert not policy.allowed(action, author, idea)
        assert not policy.allowed(action, author, comment)


def test_a_waiting_idea_may_be_changed(db):
    _consultation, author, idea = _world(db)
    idea.visibility = Visibility.PENDING
    assert policy.allowed("contribution.edit", author, idea)


def test_comment_on_a_hidden_idea_is_not_changed(db):
    _consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "Mine")
    idea.visibility = Visibility.HIDDEN
    assert not policy.allowed("contribution.edit", author, comment)


def test_answered_idea_keeps_its_words_but_may_be_withdrawn(db):
    _consultation, author, idea = _world(db)
    respond(
        idea, factories.make_user(Role.FACILITATOR), ResponseStatus.BEING_CONSIDERED, "We will look"
    )
    assert not policy.allowed("contribution.edit", author, idea)
    assert policy.allowed("contribution.withdraw", author, idea)


def test_offline_ideas_are_not_changed_by_the_facilitator_who_entered_them(db):
    consultation, _author, _idea = _world(db)
    facilitator = factories.make_user(Role.FACILITATOR)
    offline = factories.make_idea(consultation, facilitator, source=Source.PAPER)
    assert not policy.allowed("contribution.edit", facilitator, offline)


def test_shared_for_an_organisation_only_while_still_a_member(db):
    consultation, author, _idea = _world(db)
    organisation = factories.make_organisation(members=[author])
    idea = factories.make_idea(consultation, author, organisation_id=organisation.id)
    assert policy.allowed("contribution.edit", author, idea)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == author.id))
    db.session.delete(membership)  # they left the organisation
    db.session.flush()
    assert not policy.allowed("contribution.edit", author, idea)


def test_history_is_for_staff(db):
    _consultation, author, idea = _world(db)
    assert policy.allowed("contribution.history", factories.make_user(Role.FACILITATOR), idea)
    assert not policy.allowed("contribution.history", author, idea)


# --- what happens ------------------------------------------------------------------------


def test_edit_keeps_the_words_before_and_the_votes(db):
    _consultation, author, idea = _world(db)
    for value in ("agree", "agree", "disagree"):
        factories.make_vote(idea, value=value)
    assert edits.edit_idea(idea, author, " Two benches by the pond ", "Two benches.")
    assert not edits.edit_idea(idea, author, "Two benches by the pond", "Two benches.")
    db.session.commit()
    (change,) = edits.edits_of(idea)
    assert (change.title_before, change.body_before, change.votes_before) == (
        "Bench by the pond",
        "A bench.",
        3,
    )
    assert idea.title == "Two benches by the pond" and idea.edited_at is not None
    assert (idea.agree_count, idea.disagree_count) == (2, 1)
    assert idea.visibility is Visibility.PUBLISHED


def test_edit_under_pre_moderation_waits_for_a_moderator_again(db):
    _consultation, author, idea = _world(db, moderation=ModerationMode.PRE)
    edits.edit_idea(idea, author, "Something else entirely", "Rude words.")
    assert idea.visibility is Visibility.PENDING
    comment = factories.make_comment(factories.make_idea(idea.consultation), author, "Hello")
    comment.visibility = Visibility.PUBLISHED
    db.session.flush()
    edits.edit_comment(comment, author, "Changed")
    assert comment.visibility is Visibility.PENDING


def test_search_finds_the_new_words_not_the_old(db):
    consultation, author, idea = _world(db)
    edits.edit_idea(idea, author, "Seat by the pond", "Made of recycled plastic.")
    db.session.commit()
    found = search(IdeaSearch(text="plastic", consultation_ids=[consultation.id]))
    assert [found_idea.id for found_idea in found.ideas] == [idea.id]
    assert search(IdeaSearch(text="bench", consultation_ids=[consultation.id])).ideas == []


def test_withdrawn_comment_leaves_a_note_and_its_replies(client, db, login_as):
    _consultation, author, idea = _world(db)
    mine = factories.make_comment(idea, author, "The pond floods in winter.")
    reply = factories.make_comment(
        idea, factories.make_user(display_name="Bo"), "Not since 2020.", parent=mine
    )
    db.session.commit()
    assert idea.comment_count == 2
    login_as(author)
    page = client.get(f"/comments/{mine.id}/withdraw")
    assert page.status_code == 200 and "Are you sure" in page.get_data(as_text=True)
    response = client.post(f"/comments/{mine.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.comment_count == 1
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Withdrawn by the person who wrote it" in page
    assert "The pond floods in winter." not in page
    assert "Not since 2020." in page and f'id="comment-{reply.id}"' in page
    assert client.post(f"/comments/{mine.id}/edit", data={"body": "again"}).status_code == 403


def test_withdrawn_idea_leaves_a_note_and_takes_no_votes(client, db, login_as):
    consultation, author, idea = _world(db)
    factories.make_comment(idea, body="I like this bench")
    factories.make_vote(idea)
    db.session.commit()
    login_as(author)
    assert client.post(f"/ideas/{idea.id}/withdraw").status_code == 302
    db.session.refresh(idea)
    assert idea.visibility is Visibility.WITHDRAWN and idea.withdrawn_at is not None
    assert idea.agree_count == 1  # stored votes stay; the idea is out of voting and results
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Withdrawn idea" in page and "Withdrawn by the person who shared it" in page
    assert "A bench." not in page and "I like this bench" in page
    listing = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Withdrawn idea" in listing and "Bench by the pond" not in listing
    resident = factories.make_user()
    assert not policy.allowed("idea.vote", resident, idea)
    client.post("/account/sign-out")
    login_as(factories.make_user(Role.FACILITATOR))
    staff_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "A bench." in staff_page and "Only staff can see what follows" in staff_page
    history = client.get(f"/ideas/{idea.id}/history").get_data(as_text=True)
    assert "Withdrawn by its author on" in history


def test_edited_idea_shows_marker_votes_note_and_staff_history(client, db, login_as):
    _consultation, author, idea = _world(db)
    voter = factories.make_user()
    factories.make_vote(idea, voter)
    factories.make_vote(idea)
    db.session.commit()
    login_as(author)
    form = client.get(f"/ideas/{idea.id}/edit").get_data(as_text=True)
    assert 'value="Bench by the pond"' in form and "2 people have voted" in form
    response = client.post(
        f"/ideas/{idea.id}/edit", data={"title": "A bench and a bin", "body": "And a bin."}
    )
    assert response.status_code == 302
    client.post("/account/sign-out")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "(edited " in page
    assert "changed this idea on" in page and "after 2 votes" in page
    assert "A bench." not in page and "See every version" not in page
    assert client.get(f"/ideas/{idea.id}/history").status_code in (302, 403)
    login_as(voter)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "yours included" in page
    client.post("/account/sign-out")
    login_as(factories.make_user(Role.FACILITATOR))
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "See every version" in page
    history = client.get(f"/ideas/{idea.id}/history").get_data(as_text=True)
    assert "First version" in history and "A bench." in history and "And a bin." in history
    assert "after 2 votes" in history


def test_edit_comment_through_the_pages(client, db, login_as):
    _consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "Lovely idae")
    db.session.commit()
    login_as(author)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/comments/{comment.id}/edit"' in page
    bad = client.post(f"/comments/{comment.id}/edit", data={"body": "   "})
    assert bad.status_code == 400 and "Enter your comment" in bad.get_data(as_text=True)
    client.post(f"/comments/{comment.id}/edit", data={"body": "Lovely idea"})
    db.session.refresh(comment)
    assert comment.body == "Lovely idea" and comment.edited_at is not None
    assert db.session.query(ContributionEdit).filter_by(comment_id=comment.id).count() == 1
    assert "(edited " in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_someone_else_cannot_edit(client, db, login_as):
    _consultation, _author, idea = _world(db)
    login_as(factories.make_user())
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    assert client.post(f"/ideas/{idea.id}/withdraw").status_code == 403
    assert db.session.get(Idea, idea.id).visibility is Visibility.PUBLISHED


def test_activity_page_links_to_change_and_withdraw(client, db, login_as):
    _consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "Mine")
    db.session.commit()
    login_as(author)
    page = client.get("/account/activity").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}/edit"' in page and f'href="/ideas/{idea.id}/withdraw"' in page
    assert f'href="/comments/{comment.id}/edit"' in page
    client.post(f"/ideas/{idea.id}/withdraw")
    page = client.get("/account/activity").get_data(as_text=True)
    assert "Withdrawn</strong>" in page and f'href="/ideas/{idea.id}/edit"' not in page


def test_your_data_holds_what_you_wrote_before_each_change(client, db, login_as):
    from kil_consult.personal_data.services import export_data

    _consultation, author, idea = _world(db)
    edits.edit_idea(idea, author, "Bench by the big pond", "A bench.")
    db.session.commit()
    data = export_data(author)
    (earlier,) = data["earlier_versions"]
    assert earlier["idea_id"] == idea.id and earlier["title_before"] == "Bench by the pond"
    assert data["ideas"][0]["edited_at"]


def test_moderators_see_that_an_item_changed_and_its_versions(client, db, login_as):
    _consultation, author, idea = _world(db)
    edits.edit_idea(idea, author, "Bench by the big pond", "A bench.")
    db.session.commit()
    login_as(factories.make_user(Role.FACILITATOR))
    page = client.get(f"/moderation/idea/{idea.id}").get_data(as_text=True)
    assert "Changed by its author on" in page and f'href="/ideas/{idea.id}/history"' in page


def test_a_withdrawn_idea_cited_by_the_statement_is_flagged(db):
    from kil_consult.statements.versions import not_citable

    _consultation, author, idea = _world(db)
    edits.withdraw(idea, author)
    assert "has withdrawn" in not_citable(idea, idea.id)


def test_erasing_an_account_that_keeps_its_contributions_removes_its_earlier_words(
    client, db, login_as
):
    from kil_consult.personal_data.services import erase_account

    _consultation, author, idea = _world(db)
    comment = factories.make_comment(idea, author, "Ring me on 07700 900123")
    edits.edit_idea(idea, author, "A bench and a bin", "And a bin.")
    edits.edit_comment(comment, author, "Ask at the library")
    db.session.commit()
    erase_account(author, keep_contributions=True)
    db.session.commit()
    kept = db.session.scalars(select(ContributionEdit)).all()
    assert len(kept) == 2 and all(e.words_erased for e in kept)
    login_as(factories.make_user(Role.FACILITATOR))
    history = client.get(f"/ideas/{idea.id}/history").get_data(as_text=True)
    assert "A bench." not in history and "Bench by the pond" not in history
    assert "removed when the person who wrote them erased their account" in history
    assert "And a bin." in history  # what it says now stays
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "07700 900123" not in page
