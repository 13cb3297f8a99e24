"""Who took part and how, as JSON-able data: what the statement (frozen when it is agreed)
and the consultation report say about participation (issue 15).

The figures count published ideas and their published comments; a person is anyone who
shared, voted on or commented on an idea in the consultations counted, once however many
consultations they took part in.
"""

from __future__ import annotations

from sqlalchemy import distinct, func, select

from ..analysis.participation import neighbourhood_rows
from ..consultations.models import Consultation
from ..equality.figures import to_dict, who_took_part
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import CommunityEvent, Idea, Source, Visibility
from ..ideas.participation import people_by_neighbourhood


def taking_part(consultations: list[Consultation]) -> dict:
    """Participants, votes, comments, ideas by source, workshops and events, organisations
    and neighbourhoods against population, for one consultation or a whole process, and the
    suppressed "About you" figures of its "Who took part" page (``about_you``)."""
    ids = [c.id for c in consultations]
    counts = counts_for(ids)
    published = (Idea.consultation_id.in_(ids), Idea.visibility == Visibility.PUBLISHED)
    by_source = dict.fromkeys(Source, (0, 0))
    for source, ideas, votes in db.session.execute(
        select(
            Idea.source,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count + Idea.disagree_count + Idea.pass_count), 0),
        )
        .where(*published)
        .group_by(Idea.source)
    ):
        by_source[Source(source)] = (int(ideas), int(votes))
    ideas_at = dict(
        db.session.execute(
            select(Idea.event_id, func.count(Idea.id))
            .where(*published, Idea.event_id.is_not(None))
            .group_by(Idea.event_id)
        ).all()
    )
    events = db.session.scalars(
        select(CommunityEvent)
        .where(CommunityEvent.consultation_id.in_(ids))
        .order_by(CommunityEvent.held_on, CommunityEvent.id)
    ).all()
    organisations = (
        db.session.scalar(select(func.count(distinct(Idea.organisation_id))).where(*published)) or 0
    )
    people = people_by_neighbourhood(ids)
    places, unknown = neighbourhood_rows(people)
    return {
        "people": sum(people.values()),
        "organisations": int(organisations),
        "consultations": [
            {
                "principle": c.principle_number,
                "title": c.title,
                "people": counts[c.id].participants if c.id in counts else 0,
                "ideas": counts[c.id].ideas if c.id in counts else 0,
                "votes": counts[c.id].votes if c.id in counts else 0,
                "comments": counts[c.id].comments if c.id in counts else 0,
            }
            for c in consultations
        ],
        "sources": [
            {
                "source": s.value,
                "label": s.label,
                "ideas": by_source[s][0],
                "votes": by_source[s][1],
            }
            for s in Source
        ],
        "events": [
            {
                "name": e.name,
                "kind": e.kind.label,
                "held_on": e.held_on.isoformat(),
                "place": e.place,
                "attendees": e.attendees,
                "ideas": int(ideas_at.get(e.id, 0)),
            }
            for e in events
        ],
        "neighbourhoods": [
            {
                "name": p.name,
                "people": p.people,
                "people_share": p.people_share,
                "population_share": p.population_share,
            }
            for p in places
        ],
        "no_neighbourhood": unknown,
        "about_you": _about_you(consultations),
    }


def _about_you(consultations: list[Consultation]) -> dict | None:
    """The "Who took part" page's figures: a consultation's are protected against its
    process's (the same as on its page), so no document gives away more than the pages."""
    if not consultations:
        return None
    process = list(consultations[0].process.consultations)
    title = consultations[0].title if len(consultations) == 1 else consultations[0].process.title
    return to_dict(who_took_part(consultations, process, title))


def idea_sources(idea_ids: list[int]) -> dict[int, tuple[str, str]]:
    """How each offline idea reached the consultation: its source and, in words, where and
    when ("Gathered at Hastings workshop, 3 March 2027"); online ideas are left out."""
    if not idea_ids:
        return {}
    found = {}
    for idea in db.session.scalars(
        select(Idea).where(Idea.id.in_(idea_ids), Idea.source != Source.ONLINE)
    ):
        if idea.event is not None and idea.event.is_event:
            words = f"Gathered at {idea.event.name}, {_day(idea.event.held_on.isoformat())}"
        elif idea.event is not None:
            words = f"{idea.source.label}, {idea.event.name}"
        else:
            words = idea.source.label
        found[idea.id] = (idea.source.value, words)
    return found


def _day(iso: str) -> str:
    from datetime import date

    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"
