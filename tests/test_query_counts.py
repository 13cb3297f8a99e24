"""No N+1 queries: a page or API list makes as many SQL statements for 3N items as for N.

Each case builds a consultation with N ideas (by different people, in different
neighbourhoods, some from an organisation or an offline event, some hidden or merged, with
votes and comments), counts the statements one request makes, adds 2N more of the same, and
counts again. A count that grows with the items shown is a query per item.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from kil_consult.accounts.models import Role
from kil_consult.ideas.models import CommunityEvent, Source, Visibility
from kil_consult.moderation.models import ReportReason
from kil_consult.moderation.services import report

from . import factories

N = 3


@contextmanager
def counting(engine):
    """Count the SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


class World:
    """A consultation that grows by ``add(n)`` ideas of every kind, with votes and comments."""

    def __init__(self, db, viewer=None):
        self.db = db
        self.viewer = viewer
        self.consultation = factories.make_consultation()
        self.ideas = []
        self.comments = []
        self.event = CommunityEvent(
            consultation=self.consultation,
            kind=Source.EVENT,
            name="Town hall workshop",
            held_on=date(2026, 11, 1),
        )
        db.session.add(self.event)
        self.facilitator = factories.make_user(Role.FACILITATOR)

    def add(self, n: int) -> None:
        for _ in range(n):
            place = factories.make_neighbourhood()
            author = factories.make_user(neighbourhood_id=place.id)
            organisation = factories.make_organisation(members=[author])
            idea = factories.make_idea(
                self.consultation, author, neighbourhood_id=place.id, organisation=organisation
            )
            # The same words as ``idea``: staff pages that list likely duplicates find some
            # however many ideas there are (the query loading them is then always made).
            offline = factories.make_idea(
                self.consultation,
                self.facilitator,
                title=f"{idea.title} again",
                body=f"{idea.body} Said again at the event.",
                source=Source.EVENT,
                event=self.event,
                contributor_name="A resident",
            )
            hidden = factories.make_idea(self.consultation, visibility=Visibility.HIDDEN)
            hidden.moderation_reason = "Off topic"
            merged = factories.make_idea(
                self.consultation, visibility=Visibility.MERGED, merged_into=idea
            )
            for target in (idea, offline):
                factories.make_vote(target)
                if self.viewer is not None:
                    factories.make_vote(target, self.viewer)
            comment = factories.make_comment(idea, body="I agree with this.")
            factories.make_comment(idea, body="So do I.", parent=comment)
            factories.make_comment(idea, factories.make_user(), body="Another view.")
            report(factories.make_user(), list(ReportReason)[0], idea=idea)
            report(factories.make_user(), list(ReportReason)[0], comment=comment)
            self.ideas += [idea, offline, hidden, merged]
            self.comments.append(comment)
        self.db.session.commit()


def _statements(client, db, path: str) -> int:
    client.get(path)  # warm up: caches of the app (forms, council) are not what is measured
    with counting(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def _same_for_more(client, db, world: World, path_of) -> None:
    world.add(N)
    few = _statements(client, db, path_of(world))
    world.add(2 * N)
    many = _statements(client, db, path_of(world))
    assert many == few, f"{path_of(world)}: {few} statements for {N}, {many} for {3 * N}"


PAGES = {
    "home": lambda w: "/",
    "consultation, newest": lambda w: f"/consultations/{w.consultation.slug}",
    "consultation, agreed": lambda w: f"/consultations/{w.consultation.slug}?sort=agreed",
    "consultation, divisive": lambda w: f"/consultations/{w.consultation.slug}?sort=divisive",
    "idea with comments": lambda w: f"/ideas/{w.ideas[0].id}",
    "organisations": lambda w: "/organisations",
    "api: ideas": lambda w: f"/api/v1/consultations/{w.consultation.slug}/ideas?limit=100",
    "api: idea with comments": lambda w: f"/api/v1/ideas/{w.ideas[0].id}",
    "api: process": lambda w: "/api/v1/process",
    "api: neighbourhoods": lambda w: "/api/v1/neighbourhoods",
}

STAFF_PAGES = {
    "moderation queue": lambda w: "/moderation",
    "moderation, waiting": lambda w: "/moderation?tab=waiting",
    "moderation, published": lambda w: "/moderation?tab=recent",
    "staff home": lambda w: "/admin/",
    "offline event": lambda w: f"/admin/offline/{w.event.id}",
    "offline events": lambda w: f"/admin/consultations/{w.consultation.slug}/offline",
    "organisations to check": lambda w: "/admin/organisations",
    "audit log": lambda w: "/admin/audit",
}


@pytest.fixture
def council(db):
    factories.make_council()
    db.session.commit()


@pytest.mark.parametrize("page", PAGES)
def test_visitor_pages_make_the_same_statements_for_more_items(client, db, council, page):
    _same_for_more(client, db, World(db), PAGES[page])


@pytest.mark.parametrize("page", [p for p in PAGES if not p.startswith("api")])
def test_signed_in_pages_make_the_same_statements_for_more_items(
    client, db, council, login_as, page
):
    viewer = factories.make_user()
    login_as(viewer)
    _same_for_more(client, db, World(db, viewer), PAGES[page])


@pytest.mark.parametrize("path_of", STAFF_PAGES.values(), ids=list(STAFF_PAGES))
def test_staff_pages_make_the_same_statements_for_more_items(
    client, db, council, login_as, path_of
):
    login_as(Role.ADMIN)
    _same_for_more(client, db, World(db), path_of)


def test_the_counter_notices_a_query_per_item(client, db, council):
    """The check itself works: a loop that loads each idea's author one by one is caught."""
    from kil_consult.ideas.models import Idea

    world = World(db)

    def per_item() -> int:
        db.session.expire_all()
        with counting(db.engine) as statements:
            for idea in db.session.scalars(db.select(Idea)).all():
                _ = idea.author.display_name
        return len(statements)

    world.add(1)
    few = per_item()
    world.add(2)
    assert per_item() > few
