"""Signed-in pages served from their audience's shell are the pages each person would get
afresh: their own name, unread count, votes, follows, answers and update email, and their own
CSRF token; nothing of anyone else's (Redis and the local file store, SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from flask import g

from kil_consult.accounts.models import Role
from kil_consult.analysis.models import UpdateSubscription
from kil_consult.consultations.models import ModerationMode, Stage
from kil_consult.following.models import FollowKind, Notification, NotificationKind
from kil_consult.following.services import follow
from kil_consult.ideas.models import VoteValue
from kil_consult.questions import services as questions
from kil_consult.questions.models import QuestionKind
from tests import factories

_TOKENS = re.compile(r'(name="csrf_token" value=")[^"]+(")')
_NONCES = re.compile(r'(nonce=")[^"]+(")')


def masked(html: str) -> str:
    return _NONCES.sub(r"\1N\2", _TOKENS.sub(r"\1T\2", html))


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def page_for(client, path: str):
    """The page as this client's person sees it (the test's app context outlives requests, so
    Flask-Login's user and Flask-WTF's token kept on ``g`` are dropped first)."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    return client.get(path)


def sign_in(app, user):
    client = app.test_client()
    answer = client.post(
        "/account/sign-in", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert answer.status_code == 302
    return client


def _world(db):
    council = factories.make_council()
    consultation = factories.make_consultation(slug="transport")
    ideas = [
        factories.make_idea(consultation=consultation, title=f"Idea number {n}") for n in range(25)
    ]
    questions.add_question(consultation, QuestionKind.RADIOS, "Which?", options=["One", "Two"])
    ann = factories.make_user(display_name="Ann <b>& Co</b>")
    bob = factories.make_user(display_name="Bob O'Neill")
    cat = factories.make_user(display_name="Cat Unconfirmed", confirmed=False)
    for idea, value in zip(
        ideas[-5:], ("agree", "disagree", "pass", "agree", "agree"), strict=True
    ):
        factories.make_vote(idea, ann, VoteValue(value))
    factories.make_vote(ideas[-2], bob, VoteValue.DISAGREE)
    follow(ann, FollowKind.CONSULTATION, consultation)
    follow(bob, FollowKind.STATEMENT)
    db.session.add(UpdateSubscription(consultation_id=consultation.id, user_id=ann.id))
    for _ in range(3):
        db.session.add(
            Notification(user_id=ann.id, kind=NotificationKind.COMMENT, text="A reply", link="/")
        )
    questions.answer_question(bob, questions.questions_of(consultation)[0], 0)
    dan = factories.make_user(display_name="Dan Commenter")
    first = factories.make_comment(ideas[-1], dan, "Yes, and on Sundays too")
    factories.make_comment(ideas[-1], bob, "Sundays matter", parent=first)
    follow(ann, FollowKind.IDEA, ideas[-1])
    db.session.commit()
    return council, consultation, ideas, (ann, bob, cat)


PATHS = ("/", "/consultations/transport", "/consultations/transport?sort=agreed&page=2")
IDEA_PAGES = (-1, -3, 0)  # commented on, voted on by Ann, and neither


def test_each_resident_gets_their_own_page_from_the_shared_shell(app, db, cache):
    _council, _consultation, _ideas, people = _world(db)
    clients = {person.id: sign_in(app, person) for person in people}
    idea_paths = [f"/ideas/{_ideas[n].id}" for n in IDEA_PAGES]
    for path in (*PATHS, *idea_paths, f"/ideas/{_ideas[-1].id}?reply_to=1"):
        # afresh, without the cache: what each person should see
        kept = app.extensions.pop("kil_cache")
        fresh = {p.id: page_for(clients[p.id], path).get_data(as_text=True) for p in people}
        app.extensions["kil_cache"] = kept
        for _round in range(2):  # the first person stores the shell; then all read it
            for person in people:
                answer = page_for(clients[person.id], path)
                assert answer.status_code == 200
                html = answer.get_data(as_text=True)
                assert "\x00" not in html, "a slot was left unfilled"
                assert len(tokens(html)) == 1, "a CSRF token of someone else's is in the page"
                assert masked(html) == masked(fresh[person.id]), (path, person.display_name)
    ann, bob, cat = people
    front = masked(fresh[ann.id])
    assert "Ann &lt;b&gt;&amp; Co&lt;/b&gt;" in front
    assert 'app-unread-count">3<' in front


def test_the_page_really_comes_from_the_shell(app, db, cache):
    """The shell is stored once per audience and reused: the second resident's page makes
    none of the statements the page's own content needs (the person is already loaded)."""
    from sqlalchemy import event

    _council, _consultation, _ideas, (ann, bob, _cat) = _world(db)
    first, second = sign_in(app, ann), sign_in(app, bob)
    page_for(first, "/consultations/transport")
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        html = page_for(second, "/consultations/transport").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert "Bob O&#39;Neill" in html and "Ann" not in html
    assert not [s for s in seen if "FROM ideas" in s and "votes" not in s], seen
    # the person's follows, unread count, votes and update email in one statement, then the
    # three of the question prompt (this consultation asks a question); nothing else
    assert len(seen) == 4, seen
    assert "UNION ALL" in seen[0] and "votes" in seen[0] and "update_subscriptions" in seen[0]


def test_csrf_tokens_on_a_shell_page_are_the_persons_own(app, db, cache):
    _council, _consultation, ideas, (ann, bob, _cat) = _world(db)
    first, second = sign_in(app, ann), sign_in(app, bob)
    ann_page = page_for(first, "/consultations/transport").get_data(as_text=True)
    bob_page = page_for(second, "/consultations/transport").get_data(as_text=True)
    assert len(tokens(ann_page)) == 1 and len(tokens(bob_page)) == 1
    assert tokens(ann_page) != tokens(bob_page)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        vote = f"/ideas/{ideas[0].id}/vote"
        g.pop("_login_user", None)
        stolen = second.post(vote, data={"csrf_token": tokens(ann_page).pop(), "value": "agree"})
        assert stolen.status_code == 400
        g.pop("_login_user", None)
        own = second.post(vote, data={"csrf_token": tokens(bob_page).pop(), "value": "agree"})
        assert own.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_staff_and_waiting_messages_never_use_a_shell(app, db, cache, client):
    _council, consultation, _ideas, (ann, _bob, _cat) = _world(db)
    officer = factories.make_user(Role.ADMIN, display_name="Olive Officer")
    db.session.commit()
    staff = sign_in(app, officer)
    resident = sign_in(app, ann)
    page_for(resident, "/consultations/transport")  # a resident's shell is stored
    html = page_for(staff, "/consultations/transport").get_data(as_text=True)
    assert "Edit, open or close this consultation" in html  # the admin's own tools
    assert "Olive Officer" in html
    g.pop("_login_user", None)
    with resident.session_transaction() as session:
        session["_flashes"] = [("success", "Your idea was shared")]
    html = page_for(resident, "/consultations/transport").get_data(as_text=True)
    assert "Your idea was shared" in html
    again = page_for(resident, "/consultations/transport").get_data(as_text=True)
    assert "Your idea was shared" not in again


def test_a_vote_shows_at_once_on_the_persons_page(app, db, cache):
    _council, _consultation, ideas, (ann, bob, _cat) = _world(db)
    first, second = sign_in(app, ann), sign_in(app, bob)
    page_for(first, "/consultations/transport")
    g.pop("_login_user", None)
    assert second.post(f"/ideas/{ideas[-1].id}/vote", data={"value": "agree"}).status_code == 303
    html = page_for(second, "/consultations/transport").get_data(as_text=True)
    card = html[html.index(f'id="idea-{ideas[-1].id}"') :]
    card = card[: card.index("</form>")]
    assert "(your vote)" in card and 'value="agree"' in card
    assert '<strong data-count="agree">2</strong>' in card  # Ann's and Bob's


def test_whoever_has_something_of_their_own_on_an_idea_page_gets_it_rendered_for_them(
    app, db, cache
):
    """The idea's author, a commenter (their comment waiting for a moderator included) and a
    member of an organisation (the comment form offers it) never get the shared shell."""
    _council, consultation, ideas, (ann, bob, _cat) = _world(db)
    consultation.moderation = ModerationMode.PRE
    author = ideas[0].author
    waiting = factories.make_user(display_name="Wendy Waiting")
    factories.make_comment(ideas[0], waiting, "Not yet seen by a moderator")
    member = factories.make_user(display_name="Mo Member")
    factories.make_organisation(members=[member], name="Hastings Larder")
    db.session.commit()
    path = f"/ideas/{ideas[0].id}"
    page_for(sign_in(app, ann), path)  # Ann's audience's shell is stored
    own = page_for(sign_in(app, author), path).get_data(as_text=True)
    assert "Change your idea" in own and "Withdraw your idea" in own
    theirs = page_for(sign_in(app, waiting), path).get_data(as_text=True)
    assert "Not yet seen by a moderator" in theirs
    speaking = page_for(sign_in(app, member), path).get_data(as_text=True)
    assert "Hastings Larder" in speaking
    shared = page_for(sign_in(app, bob), path).get_data(as_text=True)
    assert "Not yet seen by a moderator" not in shared and "Change your idea" not in shared


def test_a_closed_consultations_idea_page_says_how_each_person_voted(app, db, cache):
    _council, consultation, ideas, (ann, bob, _cat) = _world(db)
    consultation.stage = Stage.CLOSED
    db.session.commit()
    path = f"/ideas/{ideas[-3].id}"  # Ann voted pass on it, Bob did not vote
    ann_page = page_for(sign_in(app, ann), path).get_data(as_text=True)
    bob_page = page_for(sign_in(app, bob), path).get_data(as_text=True)
    assert "You voted pass." in ann_page and "voting and comments have ended" not in ann_page
    assert "You voted" not in bob_page and "voting and comments have ended" in bob_page


def test_a_reused_part_is_rendered_once_and_keeps_no_ones_token(app):
    """``page_shells.reused`` renders a part once a worker for the same arguments, with the
    CSRF token as a mark: each person's page gets their own token in its place, the store
    keeps none, and it lets the oldest parts go past ``REUSED_PARTS``."""
    from kil_consult import page_shells

    renders = []

    def button(label):
        renders.append(label)
        return f'<form><input name="csrf_token" value="{page_shells.csrf_token()}">{label}</form>'

    page_shells.register_part(
        "test_button",
        lambda slots: [page_shells.reused("test_button", (label,), button) for (label,) in slots],
    )
    pages = []
    for _person in range(2):
        with app.test_request_context("/"):  # a new session each: a new token
            g.pop("csrf_token", None)
            pages.append(str(page_shells.personal("test_button", "Follow")))
    assert renders == ["Follow"]  # the second person's part came from the store
    first, second = (tokens(page) for page in pages)
    assert len(first) == 1 and len(second) == 1 and first != second  # each their own token
    stored = app.extensions["kil_reused_parts"]
    assert stored[("test_button", ("Follow",))].count(page_shells.CSRF_MARK) == 1
    with app.test_request_context("/"):
        for n in range(page_shells.REUSED_PARTS + 1):
            page_shells.reused("test_button", (f"Label {n}",), button)
    assert len(stored) == page_shells.REUSED_PARTS
    assert ("test_button", ("Follow",)) not in stored and ("test_button", ("Label 1",)) in stored


def test_votes_leave_the_shells_and_change_only_their_tallies(app, db, cache):
    """Votes by others keep the list's and the idea page's shells (neither is made again:
    no statement reads the list), and each page still equals the page made afresh, with the
    new counts and people taking part; a sort that votes reorder is made again."""
    from sqlalchemy import event

    _council, consultation, ideas, (ann, bob, _cat) = _world(db)
    clients = {person.id: sign_in(app, person) for person in (ann, bob)}
    target = ideas[10]  # on the list's first page, with no votes yet
    paths = ("/consultations/transport", f"/ideas/{target.id}")
    for path in (*paths, "/consultations/transport?sort=agreed"):
        page_for(clients[ann.id], path)  # the shells are stored
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    for number in range(3):  # three new people vote on the idea
        factories.make_vote(target, factories.make_user(), VoteValue.AGREE)
        db.session.commit()
        for path in paths:
            seen.clear()
            event.listen(db.engine, "before_cursor_execute", note)
            try:
                html = page_for(clients[bob.id], path).get_data(as_text=True)
            finally:
                event.remove(db.engine, "before_cursor_execute", note)
            made_again = [s for s in seen if "ideas.title" in s or "comments.body" in s]
            assert not made_again, (path, made_again)
            card = html.split(f'id="idea-{target.id}"')[1] if path == paths[0] else html
            counts = card.split('class="app-counts', 1)[1].split("</ul>")[0]
            assert f'data-count="agree">{number + 1}<' in counts, path
            kept = app.extensions.pop("kil_cache")
            fresh = page_for(clients[bob.id], path).get_data(as_text=True)
            app.extensions["kil_cache"] = kept
            assert masked(html) == masked(fresh), path
            if path == paths[0]:
                db.session.refresh(consultation)
                assert f"{consultation.participant_count} people taking part" in html
    seen.clear()
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        page_for(clients[bob.id], "/consultations/transport?sort=agreed")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert [s for s in seen if "ideas.title" in s], "a sort by agreement kept its old order"


def test_a_stored_idea_page_is_read_with_its_versions_in_one_round_trip(
    app, db, cache, monkeypatch
):
    """The shell and the versions of the scopes its address names come back together: one
    read of the store (one round trip to Redis) for a resident's idea page, and for a
    visitor's."""
    _council, _consultation, ideas, (ann, _bob, _cat) = _world(db)
    path = f"/ideas/{ideas[0].id}"
    resident, visitor = sign_in(app, ann), app.test_client()
    page_for(resident, path), visitor.get(path)  # stored
    reads = []
    real = cache.store.get_many
    monkeypatch.setattr(cache.store, "get_many", lambda keys: reads.append(keys) or real(keys))
    for client in (resident, visitor):
        reads.clear()
        assert page_for(client, path).status_code == 200
        assert len(reads) == 1, reads


def _autocommit(dbapi_connection) -> bool:
    """Whether the DB-API connection runs each statement on its own (no transaction)."""
    if "sqlite3" in type(dbapi_connection).__module__:
        return dbapi_connection.isolation_level is None
    return bool(dbapi_connection.autocommit)  # psycopg


def test_a_shared_page_reads_outside_a_transaction_and_a_vote_after_it_has_one(app, db, cache):
    """A resident's shared page runs its statements in autocommit (no BEGIN and ROLLBACK
    round trips on PostgreSQL); the connection goes back to the pool transactional, so the
    vote that follows on it still takes its row lock in a transaction."""
    from sqlalchemy import event

    _council, _consultation, ideas, (ann, _bob, _cat) = _world(db)
    resident, idea_id = sign_in(app, ann), ideas[3].id
    seen: list[tuple[str, bool]] = []

    def note(conn, cursor, statement, *args):
        seen.append((statement.split()[0], _autocommit(conn.connection.dbapi_connection)))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for _round in range(2):  # the shell made, then read
            db.session.remove()  # as each request starts in production
            seen.clear()
            assert page_for(resident, "/consultations/transport").status_code == 200
            assert seen and all(auto for _verb, auto in seen), seen
        db.session.remove()
        seen.clear()
        g.pop("_login_user", None)
        voted = resident.post(f"/ideas/{idea_id}/vote", data={"value": "agree"})
        assert voted.status_code == 303
        assert "UPDATE" in [verb for verb, _auto in seen]
        assert not any(auto for _verb, auto in seen), seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
