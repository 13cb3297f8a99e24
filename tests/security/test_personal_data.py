"""UK GDPR: the privacy notice, downloading one's data, erasing an account, the retention purge."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from kil_consult.accounts.models import Role, User
from kil_consult.audit import AuditEvent
from kil_consult.ideas.models import Comment, Idea, Vote, VoteValue
from kil_consult.ideas.votes import cast_vote
from kil_consult.moderation.models import ReportReason
from kil_consult.moderation.services import merge, report
from kil_consult.notifications.models import OutboxMessage
from kil_consult.personal_data import services as personal_data
from kil_consult.timeutil import utcnow
from tests import factories


def _world(db):
    """A resident with an idea, a comment, a reply from someone else, votes, a report, a
    membership; and another person's idea they voted on and commented on."""
    me = factories.make_user(display_name="Mia Mine", email="mia@example.org")
    other = factories.make_user(display_name="Otto Other")
    consultation = factories.make_consultation()
    mine = factories.make_idea(consultation, me, title="My idea about buses")
    theirs = factories.make_idea(consultation, other, title="Their idea about libraries")
    cast_vote(theirs, me, VoteValue.AGREE)
    cast_vote(mine, other, VoteValue.DISAGREE)
    my_comment = factories.make_comment(theirs, me, body="My comment on libraries")
    reply = factories.make_comment(theirs, other, body="A reply to Mia", parent=my_comment)
    factories.make_comment(mine, other, body="Other's comment on buses")
    report(me, ReportReason.SPAM, "Looks like spam", idea=theirs)
    organisation = factories.make_organisation(members=[me, other])
    db.session.commit()
    return me, other, mine, theirs, reply, organisation


def test_privacy_notice_comes_from_settings(client, app, council):
    app.config.update(
        KIL_CONTROLLER_NAME="Testshire County Council (controller)",
        KIL_DPO_CONTACT="dpo@testshire.example",
        KIL_RETENTION_DAYS=400,
    )
    try:
        page = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config.update(KIL_CONTROLLER_NAME="", KIL_DPO_CONTACT="", KIL_RETENTION_DAYS=1095)
    assert "Testshire County Council (controller)" in page
    assert 'href="mailto:dpo@testshire.example"' in page
    assert "400 days" in page
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)


def test_a_person_downloads_all_their_data_through_a_link_bound_to_them(client, login_as, db):
    me, other, mine, theirs, _reply, organisation = _world(db)
    login_as(me)
    page = client.get("/account/your-data").get_data(as_text=True)
    link = re.search(r'href="(/account/your-data/[^"]+\.json)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["account"]["email"] == "mia@example.org"
    assert [i["title"] for i in data["ideas"]] == ["My idea about buses"]
    assert [(v["idea_id"], v["vote"]) for v in data["votes"]] == [(theirs.id, "agree")]
    assert [c["body"] for c in data["comments"]] == ["My comment on libraries"]
    assert [r["reason"] for r in data["reports_made"]] == ["spam"]
    assert [m["organisation"] for m in data["organisation_memberships"]] == [organisation.name]
    assert "Otto Other" not in response.get_data(as_text=True)

    # The same link for anyone else: not found (signed in as another person, or signed out).
    client.post("/account/sign-out")
    assert client.get(link).status_code == 302  # sign in first
    login_as(other)
    assert client.get(link).status_code == 404


def test_a_download_link_expires_and_dies_with_the_session_generation(client, login_as, db, app):
    me = factories.make_user()
    db.session.commit()
    login_as(me)
    token = personal_data.make_download_token(me)
    assert client.get(f"/account/your-data/{token}.json").status_code == 200
    app.config["KIL_DATA_LINK_MAX_AGE"] = -1
    try:
        assert client.get(f"/account/your-data/{token}.json").status_code == 404
    finally:
        app.config["KIL_DATA_LINK_MAX_AGE"] = 15 * 60
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/account/your-data/{tampered}.json").status_code == 404
    me.session_generation += 1  # a password change elsewhere ends old links
    db.session.commit()
    assert not personal_data.download_token_is_for(token, me)


def _counts_match_rows(db):
    for idea in db.session.scalars(select(Idea)):
        votes = dict(
            db.session.execute(
                select(Vote.value, func.count()).where(Vote.idea_id == idea.id).group_by(Vote.value)
            ).all()
        )
        assert idea.agree_count == votes.get(VoteValue.AGREE, 0), idea
        assert idea.disagree_count == votes.get(VoteValue.DISAGREE, 0), idea
        assert idea.pass_count == votes.get(VoteValue.PASS, 0), idea
        comments = db.session.scalar(
            select(func.count()).where(
                Comment.idea_id == idea.id, Comment.visibility == "published"
            )
        )
        assert idea.comment_count == comments, idea


def test_erasing_keeps_contributions_anonymised(client, login_as, db):
    me, other, mine, theirs, reply, _organisation = _world(db)
    me_id = me.id
    login_as(me)
    page = client.get("/account/delete")
    assert "Former participant" in page.get_data(as_text=True)
    wrong = client.post("/account/delete", data={"contributions": "keep", "password": "nope"})
    assert wrong.status_code == 400 and "Your password is not right" in wrong.get_data(True)
    response = client.post(
        "/account/delete", data={"contributions": "keep", "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and "/account/deleted" in response.location
    db.session.expire_all()
    erased = db.session.get(User, me_id)
    assert erased.display_name == "Former participant"
    assert "mia" not in erased.email and erased.erased_at is not None
    assert db.session.scalar(select(func.count()).where(Idea.author_id == me_id)) == 1
    assert db.session.scalar(select(func.count()).where(Vote.user_id == me_id)) == 1
    # The person is signed out and cannot sign in again.
    assert client.get("/account").status_code == 302
    again = client.post(
        "/account/sign-in", data={"email": "mia@example.org", "password": factories.PASSWORD}
    )
    assert again.status_code == 400
    shown = client.get(f"/ideas/{mine.id}").get_data(as_text=True)
    assert "Former participant" in shown and "Mia Mine" not in shown
    _counts_match_rows(db)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erase"))
    assert event.item_id == me_id and event.after["contributions"] == "anonymised"
    assert "mia" not in json.dumps([event.before, event.after, event.note]).lower()


def test_erasing_can_delete_contributions_and_keeps_counts_exact(client, login_as, db):
    me, other, mine, theirs, reply, _organisation = _world(db)
    me_id, mine_id, theirs_id, reply_id = me.id, mine.id, theirs.id, reply.id
    # Someone else's idea merged into mine comes back when mine goes.
    dup = factories.make_idea(mine.consultation, other, title="A duplicate about buses")
    merge(dup, mine, factories.make_user(Role.FACILITATOR))
    db.session.commit()
    dup_id = dup.id
    login_as(me)
    response = client.post(
        "/account/delete", data={"contributions": "delete", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "have been deleted" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me_id) is None
    assert db.session.get(Idea, mine_id) is None
    assert db.session.scalar(select(func.count()).where(Vote.user_id == me_id)) == 0
    assert db.session.scalar(select(func.count()).where(Comment.author_id == me_id)) == 0
    assert db.session.get(Comment, reply_id).parent_id is None  # others' replies stay
    assert db.session.get(Idea, dup_id).visibility.value == "published"
    theirs = db.session.get(Idea, theirs_id)
    assert theirs.agree_count == 0 and theirs.comment_count == 1
    _counts_match_rows(db)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erase"))
    assert event.after == {"contributions": "deleted", "ideas": 1, "comments": 1, "votes": 1}
    assert (
        db.session.scalar(select(func.count()).where(OutboxMessage.recipient == "mia@example.org"))
        == 0
    )


def test_erasing_asks_for_a_choice_and_staff_cannot_erase_here(client, login_as, db):
    login_as(Role.RESIDENT)
    missing = client.post("/account/delete", data={"password": factories.PASSWORD})
    assert missing.status_code == 400
    assert "Choose what should happen" in missing.get_data(as_text=True)
    client.post("/account/sign-out")
    login_as(Role.FACILITATOR)
    assert client.get("/account/delete").status_code == 403
    assert "ask one to make you a resident" in client.get("/account").get_data(as_text=True)


def test_purge_removes_unconfirmed_and_inactive_accounts_and_old_emails(app, db):
    old = utcnow() - timedelta(days=4000)
    stale = factories.make_user(confirmed=False, created_at=old)
    fresh = factories.make_user(confirmed=False)
    sleeper = factories.make_user(created_at=old, last_signed_in_at=old)
    idea = factories.make_idea(author=sleeper)
    active = factories.make_user(created_at=old, last_signed_in_at=utcnow())
    staff = factories.make_user(Role.ADMIN, created_at=old, last_signed_in_at=old)
    db.session.add(OutboxMessage(recipient="x@example.org", subject="s", body="b", sent_at=old))
    db.session.add(
        OutboxMessage(recipient="y@example.org", subject="s", body="b", sent_at=utcnow())
    )
    db.session.commit()
    ids = stale.id, fresh.id, sleeper.id, active.id, staff.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kil", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 account(s) unconfirmed" in result.output
    assert "erased 1 account(s)" in result.output and "deleted 1 old email" in result.output
    db.session.expire_all()
    assert db.session.get(User, ids[0]) is None
    assert db.session.get(User, ids[1]) is not None
    assert db.session.get(User, ids[2]).display_name == "Former participant"
    assert db.session.get(Idea, idea.id) is not None
    assert db.session.get(User, ids[3]).erased_at is None
    assert db.session.get(User, ids[4]).erased_at is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"account.purge_unconfirmed", "account.erase"} <= actions
