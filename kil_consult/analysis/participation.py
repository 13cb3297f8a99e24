"""Who took part in a consultation: totals, by day, by neighbourhood, residents and
organisations, online and offline."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import distinct, func, select

from ..consultations.models import Consultation, Neighbourhood
from ..consultations.services import neighbourhoods
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import Comment, Idea, Source, Visibility, Vote
from ..ideas.participation import newcomers_by_day, people_by_neighbourhood
from .values import PlaceRow


def _day(value) -> str:
    """A date or datetime (or SQLite's text date) as YYYY-MM-DD."""
    return str(value)[:10]


def participation(
    consultation: Consultation, votes_by_day: Mapping[str, int] | None = None
) -> dict:
    """Counts of people, ideas, votes and comments: in total, by day, by neighbourhood, by kind.

    The JSON-able form stored with the analysis; ``results.current_results`` reads it back as
    a ``Participation``. People come from the participant rows (``ideas.participation``), never
    from a union over every vote; ``votes_by_day`` (votes on published ideas per day) is given
    by the analysis, which has read every vote already, and counted here only when it is not.
    """
    cid = consultation.id
    counts = counts_for([cid])[cid]
    in_scope = Idea.consultation_id == cid
    published = Idea.visibility == Visibility.PUBLISHED

    def per_day(column, *joins_and_filters):
        query = select(func.date(column), func.count()).select_from(column.table)
        for item in joins_and_filters:
            query = item(query)
        return {_day(d): n for d, n in db.session.execute(query.group_by(func.date(column)))}

    ideas_by_day = per_day(Idea.created_at, lambda q: q.where(in_scope, published))
    if votes_by_day is None:
        votes_by_day = per_day(
            Vote.created_at,
            lambda q: q.join(Idea, Vote.idea_id == Idea.id).where(in_scope, published),
        )
    comments_by_day = per_day(
        Comment.created_at,
        lambda q: q.join(Idea, Comment.idea_id == Idea.id).where(
            in_scope, published, Comment.visibility == Visibility.PUBLISHED
        ),
    )
    new_people = newcomers_by_day(cid)
    by_place = people_by_neighbourhood([cid])
    days = sorted(set(ideas_by_day) | set(votes_by_day) | set(comments_by_day) | set(new_people))
    kinds = db.session.execute(
        select(
            Idea.organisation_id.is_not(None),
            Idea.source,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count + Idea.disagree_count + Idea.pass_count), 0),
            func.count(distinct(Idea.organisation_id)),
        )
        .where(in_scope, published)
        .group_by(Idea.organisation_id.is_not(None), Idea.source)
    ).all()
    org_comments = db.session.execute(
        select(Comment.organisation_id.is_not(None), func.count(Comment.id))
        .join(Idea, Comment.idea_id == Idea.id)
        .where(in_scope, published, Comment.visibility == Visibility.PUBLISHED)
        .group_by(Comment.organisation_id.is_not(None))
    ).all()
    organisations = db.session.scalar(
        select(func.count(distinct(Idea.organisation_id))).where(in_scope, published)
    )
    by_who = {"residents": [0, 0, 0], "organisations": [0, 0, 0]}  # ideas, votes, comments
    by_source = {s.value: [0, 0] for s in Source}  # ideas, votes on them
    for is_org, source, n_ideas, n_votes, _orgs in kinds:
        who = by_who["organisations" if is_org else "residents"]
        who[0] += int(n_ideas)
        who[1] += int(n_votes)
        by_source[Source(source).value][0] += int(n_ideas)
        by_source[Source(source).value][1] += int(n_votes)
    for is_org, n in org_comments:
        by_who["organisations" if is_org else "residents"][2] += int(n)
    return {
        "people": counts.participants,
        "ideas": counts.ideas,
        "votes": counts.votes,
        "comments": counts.comments,
        "organisations": int(organisations or 0),
        "days": [
            [
                day,
                new_people.get(day, 0),
                ideas_by_day.get(day, 0),
                votes_by_day.get(day, 0),
                comments_by_day.get(day, 0),
            ]
            for day in days
        ],
        "by_neighbourhood": by_place,
        "by_who": by_who,
        "by_source": by_source,
    }


def neighbourhood_rows(counts: Mapping[str, int]) -> tuple[list[PlaceRow], int]:
    """Rows per neighbourhood (population from today's settings) and people who gave none,
    from the people counted by neighbourhood id ("" for those who gave none)."""
    places: list[Neighbourhood] = neighbourhoods()
    gave = sum(v for k, v in counts.items() if k)
    population = sum(p.population or 0 for p in places)
    rows = []
    for place in places:
        people = counts.get(str(place.id), 0)
        rows.append(
            PlaceRow(
                place.name,
                people,
                people / gave if gave else None,
                place.population,
                (place.population or 0) / population if population and place.population else None,
            )
        )
    return rows, counts.get("", 0)
