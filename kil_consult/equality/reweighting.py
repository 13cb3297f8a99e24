"""Results as cast and reweighted to the population by neighbourhood and age.

**Method.** Each person who voted, gave their age band in "About you" and has a neighbourhood
gets a weight, by raking (iterative proportional fitting): the weights are scaled in turn so
that the weighted voters match the area's population by age band, then by neighbourhood, and
again until both match (or 50 rounds). Weights are kept between a fifth and five, so that no
one counts for too many. A group with fewer than ``KIL_DISCLOSURE_THRESHOLD`` such voters is
not weighted at all (its people count once each, and the other groups are balanced among
themselves), so that the change from the figures as cast never tells how a handful of people
voted. An idea is reweighted only when at
least twice the threshold of weighted people voted on it. Agreement is the share of agree
among agree and disagree votes (passes left out); the reweighted figure counts only the
weighted voters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..accounts.models import User
from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Idea, Visibility, Vote, VoteValue
from .figures import NEIGHBOURHOOD, threshold
from .models import AboutYou, WardNeighbourhood
from .population import population_of
from .questions import question

ROUNDS = 50
LOWEST, HIGHEST = 0.2, 5.0
IDEAS = 10


@dataclass(frozen=True)
class ReweightedIdea:
    """One idea's agreement as cast and as the area's population would have it."""

    id: int
    title: str
    cast: float
    reweighted: float
    voters: int


def _weights(people: dict[int, tuple[str, str]], t: int) -> dict[int, float]:
    """Raking weights for people by (age band, neighbourhood), as the module says."""
    margins = []
    for index, name in ((0, "age_band"), (1, NEIGHBOURHOOD)):
        population = population_of(name)
        if not population.known:
            continue
        sizes = Counter(cell[index] for cell in people.values())
        large = {g for g, n in sizes.items() if n >= t and population.people.get(g)}
        total = sum(population.people[g] for g in large)
        if len(large) < 2 or not total:
            continue  # nothing to balance
        target = {g: population.people[g] / total for g in large}
        margins.append((index, target))
    weights = dict.fromkeys(people, 1.0)
    for _round in range(ROUNDS if margins else 0):
        for index, target in margins:
            weighted: dict[str, float] = defaultdict(float)
            for person, cell in people.items():
                if cell[index] in target:
                    weighted[cell[index]] += weights[person]
            total = sum(weighted.values())
            for person, cell in people.items():
                group = cell[index]
                if group in target and weighted[group]:
                    factor = target[group] * total / weighted[group]
                    weights[person] = min(HIGHEST, max(LOWEST, weights[person] * factor))
    return weights


def reweighted_results(consultation: Consultation) -> tuple[ReweightedIdea, ...]:
    """The most voted-on published ideas of a consultation, as cast and reweighted (empty
    when the population or the voters' answers do not allow it)."""
    t = threshold()
    if not population_of("age_band").known and not population_of(NEIGHBOURHOOD).known:
        return ()
    wards = dict(
        db.session.execute(
            select(WardNeighbourhood.ward_code, WardNeighbourhood.neighbourhood_id)
        ).all()
    )
    ideas = db.session.execute(
        select(Idea.id, Idea.title)
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by((Idea.agree_count + Idea.disagree_count).desc(), Idea.id)
        .limit(IDEAS)
    ).all()
    if not ideas:
        return ()
    votes = db.session.execute(
        select(
            Vote.idea_id,
            Vote.user_id,
            Vote.value,
            AboutYou.age_band,
            AboutYou.ward_code,
            User.neighbourhood_id,
        )
        .join(User, User.id == Vote.user_id)
        .outerjoin(AboutYou, AboutYou.user_id == Vote.user_id)
        .where(Vote.idea_id.in_([i.id for i in ideas]), Vote.value != VoteValue.PASS)
    ).all()
    age = question("age_band")
    people: dict[int, tuple[str, str]] = {}
    for _idea, user_id, _value, band, ward, place in votes:
        place = place or wards.get(ward)
        group = age.group_of(band)
        if group and place:
            people[user_id] = (group, str(place))
    if len(people) < 2 * t:
        return ()
    weights = _weights(people, t)
    found = []
    for idea_id, title in ideas:
        mine = [(u, v) for i, u, v, *_rest in votes if i == idea_id]
        weighted = [(weights[u], v) for u, v in mine if u in weights]
        if len(weighted) < 2 * t:
            continue
        cast = sum(v == VoteValue.AGREE for _u, v in mine) / len(mine)
        total = sum(w for w, _v in weighted)
        agree = sum(w for w, v in weighted if v == VoteValue.AGREE)
        found.append(ReweightedIdea(idea_id, title, cast, agree / total, len(mine)))
    return tuple(found)


__all__ = ["ReweightedIdea", "reweighted_results"]
