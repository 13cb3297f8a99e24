"""Who took part and how, and how to read the figures: the sections the statement and the
consultation report share (issue 15), as JSON-able data and as document blocks.

The figures count published ideas and their published comments; a person is anyone who
shared, voted on or commented on an idea in the consultations counted, once however many
consultations they took part in.
"""

from __future__ import annotations

from sqlalchemy import distinct, func, select, union_all

from ..accounts.models import User
from ..analysis.participation import neighbourhood_rows
from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import Comment, CommunityEvent, Idea, Source, Visibility, Vote
from .blocks import Heading, Para, Table


def _people(ids: list[int]) -> dict[str, int]:
    """Distinct people taking part by neighbourhood id as text ("" for none given)."""
    scope = Idea.consultation_id.in_(ids)
    activity = union_all(
        select(Idea.author_id.label("uid")).where(scope),
        select(Vote.user_id).join(Idea, Vote.idea_id == Idea.id).where(scope),
        select(Comment.author_id).join(Idea, Comment.idea_id == Idea.id).where(scope),
    ).subquery()
    rows = db.session.execute(
        select(User.neighbourhood_id, func.count(distinct(User.id)))
        .join(activity, activity.c.uid == User.id)
        .group_by(User.neighbourhood_id)
    )
    return {str(k) if k is not None else "": int(n) for k, n in rows}


def taking_part(consultations: list[Consultation]) -> dict:
    """Participants, votes, comments, ideas by source, workshops and events, organisations
    and neighbourhoods against population, for one consultation or a whole process."""
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
    people = _people(ids)
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
    }


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


def _share(value: float | None) -> str:
    return "Not known" if value is None else f"{round(value * 100)}%"


def taking_part_blocks(data: dict, level: int = 2) -> list:
    """The "Who took part and how" section."""
    blocks: list = [
        Heading(level, "Who took part and how"),
        Para(
            f"{data['people']} {'person' if data['people'] == 1 else 'people'} took part: they "
            "shared ideas, voted on them or commented, online or at workshops and events. "
            f"{data['organisations']} local "
            f"{'organisation' if data['organisations'] == 1 else 'organisations'} shared ideas."
        ),
    ]
    if len(data["consultations"]) > 1:
        blocks.append(
            Table(
                "Taking part in each consultation",
                ["Principle", "People", "Ideas", "Votes", "Comments"],
                [
                    [f"{c['principle']}. {c['title']}", *map(str, (c["people"], c["ideas"]))]
                    + [str(c["votes"]), str(c["comments"])]
                    for c in data["consultations"]
                ],
                "People, ideas, votes and comments in each of the consultations",
            )
        )
    else:
        c = data["consultations"][0]
        blocks.append(
            Table(
                "Taking part",
                ["Measure", "Number"],
                [
                    ["People taking part", str(c["people"])],
                    ["Ideas", str(c["ideas"])],
                    ["Votes", str(c["votes"])],
                    ["Comments", str(c["comments"])],
                ],
            )
        )
    blocks.append(
        Table(
            "Ideas by how they were shared",
            ["How shared", "Ideas", "Votes on them"],
            [[s["label"], str(s["ideas"]), str(s["votes"])] for s in data["sources"]],
            "Published ideas and the votes on them, by how each idea was shared",
        )
    )
    if data["events"]:
        blocks.append(
            Table(
                "Workshops and events",
                ["Event", "Date", "Place", "Attended", "Ideas"],
                [
                    [
                        f"{e['name']} ({e['kind'].lower()})",
                        _day(e["held_on"]),
                        e["place"] or "Not recorded",
                        "Not recorded" if e["attendees"] is None else str(e["attendees"]),
                        str(e["ideas"]),
                    ]
                    for e in data["events"]
                ],
                "Workshops, events and batches of paper or phone responses, with the ideas "
                "gathered at each",
            )
        )
    else:
        blocks.append(Para("No workshops or events were recorded."))
    if data["neighbourhoods"]:
        blocks.append(
            Table(
                "Neighbourhoods against population",
                ["Neighbourhood", "People", "Share of people", "Share of population"],
                [
                    [p["name"], str(p["people"])]
                    + [_share(p["people_share"]), _share(p["population_share"])]
                    for p in data["neighbourhoods"]
                ],
                "People taking part from each neighbourhood beside its share of the area's "
                "population",
            )
        )
        blocks.append(
            Para(
                f"{data['no_neighbourhood']} of the people taking part did not say where they "
                "live; the shares are of those who did.",
                small=True,
            )
        )
    return blocks


def reading_blocks(level: int = 2) -> list:
    """The "How we read the results" section: the evidence columns in plain words."""
    return [
        Heading(level, "How we read the results"),
        Para(
            "Agree, Disagree and Pass count the votes on each idea: each person has one vote "
            "on an idea, and every vote counts the same."
        ),
        Para(
            "Groups: the analysis puts people who voted in similar ways on the same ideas "
            "into opinion groups, named A, B, C and so on. The groups are not chosen by "
            "anyone and say nothing about who people are; they show where views differ. "
            '"Groups agreeing: A, B" means that in groups A and B more than half of the '
            "people who voted on the idea agreed with it. An idea every group agrees with has "
            "support across different points of view."
        ),
        Para(
            "Organisations are the local organisations that shared the idea or backed it in "
            "a comment. Ideas gathered at a workshop or event, or on paper or by phone, say "
            'so. An idea marked "No votes yet" was cited although nobody had voted on it: '
            "it shows what someone said, not how many people support it."
        ),
    ]
