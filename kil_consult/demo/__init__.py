"""The demo council: an East Sussex-like county with six consultations and a lively start.

``load_demo()`` is what ``make run`` loads into an empty database, so that a newcomer meets a
realistic conversation: an admin, a facilitator, residents, a community organisation's
volunteer, and a few dozen ideas, votes and comments.
"""

from __future__ import annotations

import random
from datetime import timedelta

from flask import current_app

from ..accounts.models import Role, User
from ..accounts.passwords import hash_password
from ..consultations.models import Consultation, Council, Neighbourhood, Process, Stage
from ..consultations.principles import PRINCIPLES
from ..extensions import db
from ..ideas.models import Idea, VoteValue
from ..ideas.participation import repair_participation
from ..ideas.votes import cast_vote
from ..moderation.services import ensure_default_hide_reasons
from ..organisations.models import Membership, MembershipStatus, Organisation, OrganisationStatus
from ..timeutil import utcnow
from .content import (
    COMMENTS,
    IDEAS,
    NEIGHBOURHOODS,
    OFFLINE_IDEAS,
    ORGANISATION,
    PEOPLE,
    REPLIES,
    SUMMARIES,
)
from .who_took_part import load_who_took_part

DEMO_PASSWORD = "demo-password-2027"

DEMO_ACCOUNTS = [(email, role.label) for email, _name, role, _place in PEOPLE[:3]] + [
    ("volunteer@demo.kil.example", "VCS volunteer")
]


def load_demo() -> None:
    """Create the demo council, neighbourhoods, people, process, consultations and content."""
    rng = random.Random(2027)
    now = utcnow()
    # A second demo council (for a demo network hub) is named by KIL_COUNCIL_NAME.
    council_name = current_app.config.get("KIL_COUNCIL_NAME") or "East Sussex County Council"
    area = council_name.replace(" County Council", "").replace(" District Council", "")
    area = area.replace(" Council", "")
    db.session.add(
        Council(name=council_name, area_name=area, contact_email="keepitlocal@demo.kil.example")
    )
    places = {}
    for position, (name, population) in enumerate(NEIGHBOURHOODS):
        places[name] = Neighbourhood(
            name=name, slug=name.lower(), population=population, position=position
        )
        db.session.add(places[name])
    password_hash = hash_password(DEMO_PASSWORD)
    people = {}
    for email, name, role, place in PEOPLE:
        people[email.split("@")[0]] = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            role=role,
            neighbourhood=places.get(place),
            email_confirmed_at=now - timedelta(days=20),
            created_at=now - timedelta(days=21),
        )
        db.session.add(people[email.split("@")[0]])

    process = Process(
        title="Keep it Local East Sussex 2027",
        slug="keep-it-local-east-sussex-2027",
        summary=(
            "East Sussex County Council has joined the Keep it Local Network and endorsed its six "
            "principles. Now we want to work out with you what those principles should mean "
            "here. Share your ideas, say whether you agree with other people's, and help write "
            "our local Keep it Local statement."
        ),
    )
    db.session.add(process)
    consultations = {}
    for p in PRINCIPLES:
        consultation = Consultation(
            process=process,
            principle_number=p.number,
            slug=f"principle-{p.number}",
            title=p.title,
            question=p.question,
            explanation=p.explanation,
            next_steps=(
                "When this consultation closes, facilitators will publish a summary of what "
                "people said. It will shape this principle's section of the council's local Keep "
                "it Local statement, which goes to the Cabinet for agreement. We will publish "
                "what changed because of your ideas."
            ),
            opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(days=42),
            stage=Stage.OPEN,
            opened_at=now - timedelta(days=14),
        )
        if p.number in EARLY_ROUND:  # ran first, closed, and already has its summary
            consultation.opens_at = consultation.opened_at = now - timedelta(days=100)
            consultation.closes_at = consultation.closed_at = now - timedelta(days=16)
            consultation.stage = Stage.CLOSED
        consultations[p.number] = consultation
        db.session.add(consultation)
    db.session.flush()

    residents = [u for u in people.values() if u.role is Role.RESIDENT]
    ideas = []
    for i, (number, author, place, title, body) in enumerate(IDEAS):
        idea = Idea(
            consultation=consultations[number],
            author=people[author],
            neighbourhood=places.get(place) if place else None,
            title=title,
            body=body,
            created_at=now - timedelta(days=13, hours=-i * 9),
        )
        if number in EARLY_ROUND:
            idea.created_at = now - timedelta(days=90, hours=-i * 9)
        db.session.add(idea)
        ideas.append(idea)
    db.session.flush()

    weights = [VoteValue.AGREE] * 6 + [VoteValue.DISAGREE] * 2 + [VoteValue.PASS]
    for idea in ideas:
        for voter in rng.sample(residents, rng.randint(2, len(residents))):
            if voter.id != idea.author_id:
                cast_vote(idea, voter, rng.choice(weights))

    from ..ideas.services import add_comment

    for n, idea in enumerate(ideas[::3]):
        author, text = COMMENTS[n % len(COMMENTS)]
        if people[author].id == idea.author_id:
            continue
        comment = add_comment(idea, people[author], text)
        comment.created_at = idea.created_at + timedelta(hours=5)
        if n % 3 == 0:
            replier, reply = REPLIES[(n // 3) % len(REPLIES)]
            answer = add_comment(idea, people[replier], reply, parent=comment)
            answer.created_at = comment.created_at + timedelta(hours=2)
    _load_organisation(people, places, ideas, now)
    event = _load_offline_event(people, places, consultations[2], now)
    _date_early_round(ideas, now)
    _publish_summaries(people["facilitator"], consultations, ideas)
    load_who_took_part(people, consultations, places, now)
    from .questions import load_indicator, load_questions

    load_questions(people, consultations[2], event, rng)
    load_indicator(people, process, now)
    ensure_default_hide_reasons()
    db.session.flush()
    repair_participation()  # the demo dates its contributions after making them
    from .network import load_network_rounds

    load_network_rounds(council_name, people, ideas, consultations, now)


def _load_organisation(people, places, ideas, now) -> None:
    """A verified community organisation, its volunteer as a member, two ideas on its behalf."""
    organisation = Organisation(
        name=ORGANISATION["name"],
        slug=ORGANISATION["slug"],
        description=ORGANISATION["description"],
        website=ORGANISATION["website"],
        registration_number=ORGANISATION["registration_number"],
        status=OrganisationStatus.VERIFIED,
        requested_by=people["volunteer"],
        decided_by_id=people["facilitator"].id,
        decided_at=now - timedelta(days=18),
        created_at=now - timedelta(days=20),
        neighbourhoods=[places[name] for name in ORGANISATION["neighbourhoods"]],
    )
    db.session.add(organisation)
    db.session.add(
        Membership(
            organisation=organisation,
            user_id=people["volunteer"].id,
            status=MembershipStatus.ACTIVE,
            created_at=now - timedelta(days=20),
            joined_at=now - timedelta(days=20),
        )
    )
    for idea in ideas:
        if idea.title in ORGANISATION["ideas"]:
            idea.organisation = organisation


# Principles 5 and 6 ran in an early round: closed, summarised, ready for the statement.
EARLY_ROUND = (5, 6)


def _date_early_round(ideas, now) -> None:
    """Votes and comments on the early round's ideas happened while it was open."""
    from sqlalchemy import update

    from ..ideas.models import Comment, Vote

    for idea in ideas:
        if idea.consultation.principle_number in EARLY_ROUND:
            when = idea.created_at + timedelta(days=2)
            db.session.execute(
                update(Vote).where(Vote.idea_id == idea.id).values(created_at=when, updated_at=when)
            )
            db.session.execute(
                update(Comment).where(Comment.idea_id == idea.id).values(created_at=when)
            )


def _publish_summaries(facilitator, consultations, ideas) -> None:
    """A facilitator's published summary for each consultation of the early round."""
    from ..statements import summaries as analysis

    for number, text in SUMMARIES.items():
        consultation = consultations[number]
        by_title = {i.title: i for i in ideas if i.consultation is consultation}
        findings = [
            analysis.FindingDraft(
                finding,
                [i.id for title, i in by_title.items() if title.startswith(starts)],
            )
            for finding, starts in text["findings"]
        ]
        analysis.save_draft(
            consultation,
            facilitator,
            text["overview"],
            text["themes"],
            text["decision"],
            text["connection"],
            findings,
        )
        analysis.publish(consultation, facilitator)


def _load_offline_event(people, places, consultation, now):
    """A drop-in session at Rye market whose ideas a facilitator entered on the day."""
    from ..ideas.models import Source
    from ..ideas.offline import enter_offline_idea, record_event

    event = record_event(
        consultation,
        people["facilitator"],
        Source.EVENT,
        "Rye market drop-in",
        (now - timedelta(days=6)).date(),
        place="Strand Quay, Rye",
        neighbourhood_id=places["Rother"].id,
        attendees=31,
    )
    for title, body, who in OFFLINE_IDEAS:
        idea = enter_offline_idea(event, people["facilitator"], title, body, who)
        idea.created_at = now - timedelta(days=6)
    return event


__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load_demo"]
