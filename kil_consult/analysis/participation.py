"""Who took part in a consultation: totals, by day, by neighbourhood, residents and
organisations, online and offline."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import distinct, func, select, union_all

from ..accounts.models import User
from ..consultations.models import Consultation, Neighbourhood
from ..consultations.services import neighbourhoods
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import Comment, Idea, Source, Visibility, Vote
from .values import PlaceRow


def _day(value) -> str:
    """A date or datetime (or SQLite's text date) as YYYY-MM-DD."""
    return str(value)[:10]


def participation(consultation: Consultation) -> dict:
    """Counts of people, ideas, votes and comments: in total, by day, by neighbourhood, by kind.

    The JSON-able form stored with the analysis; ``results.current_results`` reads it back as
    a ``Participation``.
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
    activity = union_all(
        select(Idea.author_id.label("uid"), Idea.created_at.label("at")).where(in_scope),
        select(Vote.user_id, Vote.created_at).join(Idea, Vote.idea_id == Idea.id).where(in_scope),
        select(Comment.author_id, Comment.created_at)
        .join(Idea, Comment.idea_id == Idea.id)
        .where(in_scope),
    ).subquery()
    firsts = (
        select(activity.c.uid, func.min(activity.c.at).label("first"))
        .group_by(activity.c.uid)
        .subquery()
    )
    new_people: dict[str, int] = {}
    for (first,) in db.session.execute(select(firsts.c.first)):
        new_people[_day(first)] = new_people.get(_day(first), 0) + 1
    by_place = dict(
        db.session.execute(
            select(User.neighbourhood_id, func.count(distinct(User.id)))
            .join(firsts, firsts.c.uid == User.id)
            .group_by(User.neighbourhood_id)
        ).all()
    )
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
        "by_neighbourhood": {str(k) if k is not None else "": v for k, v in by_place.items()},
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
