"""Make users, consultations, ideas, votes and comments with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import select

from kil_consult.accounts.models import Role, User
from kil_consult.accounts.passwords import hash_password
from kil_consult.consultations.models import Consultation, Council, Neighbourhood, Process, Stage
from kil_consult.consultations.principles import PRINCIPLES
from kil_consult.extensions import db
from kil_consult.ideas.models import Comment, Idea, Vote, VoteValue
from kil_consult.ideas.participation import note_participant
from kil_consult.ideas.services import add_comment
from kil_consult.ideas.votes import cast_vote
from kil_consult.organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from kil_consult.timeutil import utcnow

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(role: Role | str = Role.RESIDENT, confirmed: bool = True, **fields) -> User:
    n = next(_seq)
    user = User(
        email=fields.pop("email", f"person{n}@example.org"),
        display_name=fields.pop("display_name", f"Person {n}"),
        password_hash=fields.pop("password_hash", _password_hash()),
        role=Role(role),
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_council(name: str = "Test County Council") -> Council:
    council = Council(name=name, area_name="Testshire", contact_email="kil@example.org")
    db.session.add(council)
    db.session.flush()
    return council


def make_neighbourhood(name: str | None = None, population: int | None = 1000) -> Neighbourhood:
    name = name or f"Place {next(_seq)}"
    place = Neighbourhood(name=name, slug=name.lower().replace(" ", "-"), population=population)
    db.session.add(place)
    db.session.flush()
    return place


def make_process(stage: Stage = Stage.OPEN, **fields) -> Process:
    """A process with its six consultations, all in ``stage``."""
    n = next(_seq)
    process = Process(
        title=fields.pop("title", f"Keep it Local Testshire {n}"),
        slug=f"process-{n}",
        summary="A test process.",
    )
    db.session.add(process)
    now = utcnow()
    for p in PRINCIPLES:
        db.session.add(
            Consultation(
                process=process,
                principle_number=p.number,
                slug=f"p{n}-principle-{p.number}",
                title=p.title,
                question=p.question,
                explanation=p.explanation,
                next_steps="We will publish a summary.",
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=30),
                stage=stage,
            )
        )
    db.session.flush()
    return process


def make_consultation(stage: Stage = Stage.OPEN, **fields) -> Consultation:
    """The first consultation of a new process, in ``stage``, with any fields overridden."""
    consultation = make_process(stage=stage).consultations[0]
    for name, value in fields.items():
        setattr(consultation, name, value)
    db.session.flush()
    return consultation


def make_idea(
    consultation: Consultation | None = None, author: User | None = None, **fields
) -> Idea:
    consultation = consultation or make_consultation()
    author = author or make_user()
    n = next(_seq)
    idea = Idea(
        consultation=consultation,
        author=author,
        title=fields.pop("title", f"Idea number {n}"),
        body=fields.pop("body", f"The body of idea {n}."),
        **fields,
    )
    db.session.add(idea)
    db.session.flush()
    note_participant(idea.consultation_id, idea.author_id)
    return idea


def make_vote(idea: Idea, user: User | None = None, value: VoteValue | str = VoteValue.AGREE):
    """Vote through the service (as the route does) and return the stored vote."""
    user = user or make_user()
    cast_vote(idea, user, VoteValue(value))
    return db.session.scalar(
        select(Vote)
        .where(Vote.idea_id == idea.id, Vote.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def make_organisation(
    status: OrganisationStatus | str = OrganisationStatus.VERIFIED, members=(), **fields
) -> Organisation:
    """An organisation (verified by default) with ``members`` as its active members."""
    n = next(_seq)
    name = fields.pop("name", f"Community group {n}")
    organisation = Organisation(
        name=name,
        slug=fields.pop("slug", f"community-group-{n}"),
        description=fields.pop("description", f"{name} helps people in Testshire."),
        status=OrganisationStatus(status),
        **fields,
    )
    db.session.add(organisation)
    db.session.flush()
    for user in members:
        make_membership(organisation, user)
    return organisation


def make_membership(
    organisation: Organisation,
    user: User | None = None,
    status: MembershipStatus | str = MembershipStatus.ACTIVE,
) -> Membership:
    membership = Membership(
        organisation=organisation,
        user_id=(user or make_user()).id,
        status=MembershipStatus(status),
        joined_at=utcnow() if MembershipStatus(status) is MembershipStatus.ACTIVE else None,
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def make_comment(
    idea: Idea, author: User | None = None, body: str = "A comment", parent=None
) -> Comment:
    return add_comment(idea, author or make_user(), body, parent)
