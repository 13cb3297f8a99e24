"""The only reader of "About you" answers: counts of people by characteristic, suppressed.

For one consultation or the whole process, each characteristic is one table: the people who
answered its question in one of its groups, by source (online, community event, paper, phone)
and by group, with its margins. It goes through ``disclosure.suppress_table`` with the
``KIL_DISCLOSURE_THRESHOLD`` setting, and a consultation's table also through
``protect.protect`` against the process's, so that subtracting one page from the other gives
nothing away. "Prefer not to say" and unanswered questions are not counted, and no total of
everyone who answered anything is published: either, beside a characteristic's own total,
would give away how few left that question out. Shares, the representativeness score and the
"who is missing" prompts are worked out from the shown figures only.

Nothing here returns a person's answers: only ``WhoTookPart`` values of suppressed counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..accounts.models import User
from ..consultations.models import Consultation, Participant
from ..consultations.services import neighbourhoods
from ..disclosure import Table
from ..extensions import db
from ..ideas.models import CommunityEvent, Source
from .models import AboutYou, WardNeighbourhood
from .population import Population, population_of
from .protect import protect
from .questions import QUESTIONS

SOURCES = tuple(Source)
NEIGHBOURHOOD = "neighbourhood"
UNDER_SHARE = 0.8  # a group is "missing" below 80% of its share of the population
NOTABLE_SHARE = 0.05  # hidden groups are prompted for from 5% of the population
PROMPT_SHARE = 0.02  # groups under 2% of the population are not prompted for (too noisy)


def threshold() -> int:
    """The fewest people a published figure may count (``KIL_DISCLOSURE_THRESHOLD``)."""
    return int(current_app.config.get("KIL_DISCLOSURE_THRESHOLD", 10))


@dataclass(frozen=True)
class GroupRow:
    """One group of a characteristic: people who answered in it (None: not shown), their
    share of those who answered, and the group's share of the area's population."""

    code: str
    label: str
    people: int | None
    share: float | None
    population: int | None
    population_share: float | None

    @property
    def people_share(self) -> float | None:  # the existing share charts read these names
        return self.share

    @property
    def name(self) -> str:
        return self.label


@dataclass(frozen=True)
class SourceRow:
    """How many people from one source answered, and in which groups (None: not shown)."""

    source: str
    label: str
    people: int | None
    cells: tuple[int | None, ...]


@dataclass(frozen=True)
class Characteristic:
    """One characteristic's suppressed figures against the population."""

    name: str
    heading: str
    question: str
    rows: tuple[GroupRow, ...]
    answered: int | None
    by_source: tuple[SourceRow, ...]
    score: float | None
    score_note: str
    missing: tuple[str, ...]
    population: Population
    threshold: int

    @property
    def has_population(self) -> bool:
        return self.population.known

    @property
    def hidden_any(self) -> bool:
        return any(r.people is None for r in self.rows)


@dataclass(frozen=True)
class WhoTookPart:
    """Who answered "About you" among the people who took part in one consultation or the
    whole process, characteristic by characteristic."""

    title: str
    characteristics: tuple[Characteristic, ...]
    threshold: int
    illustrative: bool
    sources: tuple[str, ...]

    @property
    def anyone(self) -> bool:
        """Someone who took part answered one of the questions (shown or not)."""
        return any(c.answered != 0 for c in self.characteristics)

    @property
    def any_figures(self) -> bool:
        """Some count of people is shown."""
        return any(c.answered or any(r.people for r in c.rows) for c in self.characteristics)


# --- reading the answers (never returned) ------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    source: Source
    consultations: frozenset[int]
    neighbourhood_id: int | None
    codes: dict


def _answers(consultation_ids: list[int]) -> list[_Answer]:
    """The answers of everyone who took part in these consultations: people with an account
    who took part online, and responses entered from the consultations' events."""
    wards = dict(
        db.session.execute(
            select(WardNeighbourhood.ward_code, WardNeighbourhood.neighbourhood_id)
        ).all()
    )  # a postcode's ward places someone who chose no neighbourhood
    taken_part: dict[int, set[int]] = defaultdict(set)
    online: dict[int, tuple[AboutYou, int | None]] = {}
    for about, place, cid in db.session.execute(
        select(AboutYou, User.neighbourhood_id, Participant.consultation_id)
        .join(User, User.id == AboutYou.user_id)
        .join(Participant, Participant.user_id == AboutYou.user_id)
        .where(Participant.consultation_id.in_(consultation_ids))
    ):
        taken_part[about.user_id].add(cid)
        online[about.user_id] = (about, place)
    found = [
        _Answer(
            Source.ONLINE,
            frozenset(taken_part[user_id]),
            place or wards.get(about.ward_code),
            about.answers(),
        )
        for user_id, (about, place) in online.items()
    ]
    for about, cid, event_place in db.session.execute(
        select(AboutYou, CommunityEvent.consultation_id, CommunityEvent.neighbourhood_id)
        .join(CommunityEvent, CommunityEvent.id == AboutYou.event_id)
        .where(CommunityEvent.consultation_id.in_(consultation_ids))
    ):
        found.append(
            _Answer(
                about.source,
                frozenset({cid}),
                about.neighbourhood_id or wards.get(about.ward_code) or event_place,
                about.answers(),
            )
        )
    return found


def _columns(name: str) -> list[tuple[str, str]]:
    """(code, label) of each group a characteristic's table counts people in."""
    if name == NEIGHBOURHOOD:
        return [(str(n.id), n.name) for n in neighbourhoods()]
    q = next(q for q in QUESTIONS if q.name == name)
    return [(g.code, g.label) for g in q.groups]


def _column_of(name: str, answer: _Answer) -> str | None:
    """The group a person is counted in (None: not answered, or prefer not to say)."""
    if name == NEIGHBOURHOOD:
        return str(answer.neighbourhood_id) if answer.neighbourhood_id else None
    q = next(q for q in QUESTIONS if q.name == name)
    return q.group_of(answer.codes[name])


def _count(name: str, answers: list[_Answer]) -> dict[str, dict[str, int]]:
    columns = [code for code, _label in _columns(name)]
    counts = {s.value: dict.fromkeys(columns, 0) for s in SOURCES}
    for answer in answers:
        column = _column_of(name, answer)
        if column in counts[answer.source.value]:
            counts[answer.source.value][column] += 1
    return counts


# --- the figures -------------------------------------------------------------------------------


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _score(rows: list[GroupRow], answered: int | None) -> tuple[float | None, str]:
    """One minus the total variation distance between who answered and the population, as
    a share: 100% when the people who answered are the population in miniature. Groups whose
    counts are not shown are taken together (their sum is known from the shown figures)."""
    if not answered:
        return None, "too few people answered to compare with the population."
    if sum(r.people is not None for r in rows) < 2:
        return None, "too few of the groups can be shown."
    if any(r.population_share is None for r in rows):
        return None, "the population is not known for every group."
    shown_total = sum(r.people for r in rows if r.people is not None)
    hidden_people = answered - shown_total
    hidden_population = sum(r.population_share for r in rows if r.people is None)
    distance = sum(
        abs(r.people / answered - r.population_share) for r in rows if r.people is not None
    )
    distance += abs(hidden_people / answered - hidden_population)
    note = ""
    if any(r.people is None for r in rows):
        note = "Groups with too few people to show are counted together in the score."
    return 1 - distance / 2, note


def _missing(heading: str, rows: list[GroupRow], threshold_: int) -> tuple[str, ...]:
    """Plain-words prompts about groups heard from less than their share of the population."""
    prompts = []
    under = [
        r
        for r in rows
        if r.share is not None
        and (r.population_share or 0) >= PROMPT_SHARE
        and r.share < UNDER_SHARE * r.population_share
    ]
    for r in sorted(under, key=lambda r: r.share / r.population_share)[:3]:
        prompts.append(
            f"{r.label}: {r.population_share * 100:.0f}% of the area’s population, but "
            f"{r.share * 100:.0f}% of the people who answered. Look for ways to hear more "
            "from them."
        )
    for r in rows:
        if r.people is None and (r.population_share or 0) >= NOTABLE_SHARE:
            prompts.append(
                f"{r.label}: {r.population_share * 100:.0f}% of the area’s population. Too few "
                f"of the people who answered can be shown (fewer than {threshold_}, or hidden "
                "so that small numbers cannot be worked out): check that you heard from them."
            )
    return tuple(prompts)


def _characteristic(name, heading, question, table: Table, population: Population, t: int):
    columns = _columns(name)
    groups = [code for code, _ in columns]
    labels = dict(columns)
    answered = table.total
    rows = [
        GroupRow(
            code,
            labels[code],
            table.column_totals[code],
            _share(table.column_totals[code], answered),
            population.people.get(code),
            population.share(code),
        )
        for code in groups
    ]
    score, note = (
        _score(rows, answered)
        if population.known
        else (None, "no population figures have been uploaded for this characteristic.")
    )
    by_source = tuple(
        SourceRow(
            s.value,
            s.label,
            table.row_totals[s.value],
            tuple(table.cells[s.value][code] for code, _ in columns),
        )
        for s in SOURCES
        if table.row_totals[s.value] != 0
    )
    return Characteristic(
        name,
        heading,
        question,
        tuple(rows),
        answered,
        by_source,
        score,
        note,
        _missing(heading, rows, t) if population.known else (),
        population,
        t,
    )


def _characteristics():
    yield NEIGHBOURHOOD, "Neighbourhood", "Which neighbourhood do you live in?"
    for q in QUESTIONS:
        yield q.name, q.characteristic, q.text


def who_took_part(
    consultations: list[Consultation], process: list[Consultation] | None = None, title: str = ""
) -> WhoTookPart:
    """The suppressed figures for the people who took part in ``consultations``: the whole
    process, or one consultation with ``process`` the whole it belongs to, whose own page's
    figures are then taken into account so that subtracting one from the other gives nothing
    away. The process's figures are the same whichever page asks."""
    t = threshold()
    ids = {c.id for c in consultations}
    whole_ids = [c.id for c in (process or consultations)]
    everyone = _answers(whole_ids)
    part = [a for a in everyone if a.consultations & ids]
    one_of_several = set(whole_ids) != ids
    characteristics = []
    for name, heading, question in _characteristics():
        whole_counts = _count(name, everyone)
        table = whole_table = protect(whole_counts, t)
        if one_of_several:
            table = protect(_count(name, part), t, whole=whole_counts, whole_table=whole_table)
        population = population_of(name)
        characteristics.append(_characteristic(name, heading, question, table, population, t))
    return WhoTookPart(
        title,
        tuple(characteristics),
        t,
        any(c.population.illustrative for c in characteristics),
        tuple(s.label for s in SOURCES),
    )


# --- as JSON-able data (frozen with an agreed statement's evidence) -----------------------------


def to_dict(figures: WhoTookPart) -> dict:
    """The suppressed figures as plain data (the statement keeps them when it is agreed)."""
    return {
        "title": figures.title,
        "threshold": figures.threshold,
        "illustrative": figures.illustrative,
        "characteristics": [
            {
                "name": c.name,
                "heading": c.heading,
                "question": c.question,
                "answered": c.answered,
                "score": c.score,
                "score_note": c.score_note,
                "missing": list(c.missing),
                "population_source": c.population.source,
                "groups": [
                    {
                        "code": r.code,
                        "label": r.label,
                        "people": r.people,
                        "share": r.share,
                        "population_share": r.population_share,
                    }
                    for r in c.rows
                ],
            }
            for c in figures.characteristics
        ],
    }


def from_dict(data: dict) -> WhoTookPart:
    """The figures back from :func:`to_dict` (by-source tables and counts of the population
    are not kept: the documents do not show them)."""
    t = int(data.get("threshold", 10))
    characteristics = tuple(
        Characteristic(
            c["name"],
            c["heading"],
            c["question"],
            tuple(
                GroupRow(
                    g["code"], g["label"], g["people"], g["share"], None, g["population_share"]
                )
                for g in c["groups"]
            ),
            c["answered"],
            (),
            c["score"],
            c["score_note"],
            tuple(c["missing"]),
            Population(source=c.get("population_source", ""), illustrative=data["illustrative"]),
            t,
        )
        for c in data.get("characteristics", ())
    )
    return WhoTookPart(data.get("title", ""), characteristics, t, bool(data["illustrative"]), ())
