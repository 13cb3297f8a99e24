"""The evidence behind the statement: the ideas a version cites (their words, votes, the
opinion groups and organisations with them) and who took part, read live for a draft and
frozen on the version when the council agrees it.

Recording the decision stores a snapshot on the agreed version (``freeze``); its page and
every export of it read that snapshot (``version_evidence``), so that hiding or merging an idea
afterwards, new votes or a new analysis never change what the council agreed. Services flush
and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..consultations.models import Consultation, Process
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import Comment, Idea, Visibility
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .content import CommitmentText, cited_ideas
from .models import StatementState, StatementVersion
from .taking_part import taking_part as who_took_part


@dataclass(frozen=True)
class IdeaEvidence:
    """What stands behind a clause: an idea, its votes, the groups and organisations with it.

    ``groups`` holds ``(label, agree, votes)`` for each opinion group of the last analysis.
    """

    id: int
    title: str
    consultation_title: str
    principle: int
    agree: int
    disagree: int
    passes: int
    groups: tuple[tuple[str, int, int], ...] = ()
    organisations: tuple[str, ...] = ()
    text: str = ""

    @property
    def groups_agreeing(self) -> list[str]:
        """The groups in which more than half of those who voted agreed."""
        return [label for label, agree, votes in self.groups if votes and agree * 2 > votes]

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "consultation_title": self.consultation_title,
            "principle": self.principle,
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passes,
            "groups": [list(g) for g in self.groups],
            "organisations": list(self.organisations),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> IdeaEvidence:
        return cls(
            id=int(data["id"]),
            title=data.get("title", ""),
            consultation_title=data.get("consultation_title", ""),
            principle=int(data.get("principle", 0)),
            agree=int(data.get("agree", 0)),
            disagree=int(data.get("disagree", 0)),
            passes=int(data.get("pass", 0)),
            groups=tuple((str(g[0]), int(g[1]), int(g[2])) for g in data.get("groups", ())),
            organisations=tuple(data.get("organisations", ())),
            text=data.get("text", ""),
        )


@dataclass(frozen=True)
class TakingPart:
    """Who took part in one consultation of the process."""

    principle: int
    consultation_title: str
    people: int
    ideas: int
    votes: int
    comments: int

    def to_dict(self) -> dict:
        return {
            "principle": self.principle,
            "consultation_title": self.consultation_title,
            "people": self.people,
            "ideas": self.ideas,
            "votes": self.votes,
            "comments": self.comments,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> TakingPart:
        return cls(
            int(data["principle"]),
            data.get("consultation_title", ""),
            *(int(data.get(k, 0)) for k in ("people", "ideas", "votes", "comments")),
        )


@dataclass(frozen=True)
class Evidence:
    """The evidence one version shows: cited ideas by id and who took part, with the time it
    was frozen (None while it is read live)."""

    ideas: dict[int, IdeaEvidence] = field(default_factory=dict)
    taking_part: tuple[TakingPart, ...] = ()
    frozen_at: datetime | None = None
    # who took part and how (``statements/taking_part.py``), for the documents' section
    who_took_part: dict | None = None

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def to_dict(self) -> dict:
        return {
            "ideas": [e.to_dict() for e in self.ideas.values()],
            "taking_part": [t.to_dict() for t in self.taking_part],
            "who_took_part": self.who_took_part,
        }

    @classmethod
    def from_dict(cls, data: Mapping, frozen_at: datetime | None) -> Evidence:
        ideas = [IdeaEvidence.from_dict(e) for e in data.get("ideas", ())]
        return cls(
            {e.id: e for e in ideas},
            tuple(TakingPart.from_dict(t) for t in data.get("taking_part", ())),
            frozen_at,
            data.get("who_took_part"),
        )


def taking_part(process: Process) -> tuple[TakingPart, ...]:
    """People, published ideas, votes and comments in each consultation of the process."""
    consultations = list(process.consultations)
    counts = counts_for([c.id for c in consultations])
    return tuple(
        TakingPart(
            c.principle_number,
            c.title,
            counts[c.id].participants,
            counts[c.id].ideas,
            counts[c.id].votes,
            counts[c.id].comments,
        )
        for c in consultations
    )


def live_evidence(process: Process, idea_ids: Iterable[int]) -> Evidence:
    """Evidence as it stands now for published ideas of the process: counts, opinion groups
    from the stored analysis (never computed here), and organisations that posted the idea or
    commented on it."""
    from ..analysis.results import idea_group_counts

    ids = sorted(set(idea_ids))
    ideas = []
    if ids:
        ideas = list(
            db.session.scalars(
                select(Idea)
                .join(Consultation, Idea.consultation_id == Consultation.id)
                .where(
                    Idea.id.in_(ids),
                    Idea.visibility == Visibility.PUBLISHED,
                    Consultation.process_id == process.id,
                )
            )
        )
    orgs: dict[int, set[str]] = {i.id: set() for i in ideas}
    if ideas:
        for idea_id, name in db.session.execute(
            select(Comment.idea_id, Organisation.name)
            .join(Organisation, Comment.organisation_id == Organisation.id)
            .where(Comment.idea_id.in_(ids), Comment.visibility == Visibility.PUBLISHED)
        ):
            orgs.setdefault(idea_id, set()).add(name)
    groups_by_consultation: dict[int, dict] = {}
    result = {}
    for idea in ideas:
        if idea.organisation is not None:
            orgs[idea.id].add(idea.organisation.name)
        if idea.consultation_id not in groups_by_consultation:
            groups_by_consultation[idea.consultation_id] = idea_group_counts(idea.consultation)
        counts = groups_by_consultation[idea.consultation_id].get(idea.id, ())
        result[idea.id] = IdeaEvidence(
            idea.id,
            idea.title,
            idea.consultation.title,
            idea.consultation.principle_number,
            idea.agree_count,
            idea.disagree_count,
            idea.pass_count,
            tuple((g.label, g.agree, g.votes) for g in counts),
            tuple(sorted(orgs[idea.id])),
            idea.body,
        )
    return Evidence(
        {i: result[i] for i in ids if i in result},
        taking_part(process),
        who_took_part=who_took_part(list(process.consultations)),
    )


def freeze(version: StatementVersion) -> Evidence:
    """Keep on the version everything its evidence shows now (called when it is agreed)."""
    evidence = live_evidence(version.statement.process, cited_ideas(version.typed_content))
    version.evidence = evidence.to_dict()
    version.evidence_frozen_at = utcnow()
    db.session.flush()
    return Evidence(
        evidence.ideas, evidence.taking_part, version.evidence_frozen_at, evidence.who_took_part
    )


def version_evidence(version: StatementVersion) -> Evidence:
    """What a version shows as its evidence: the snapshot taken when it was agreed, or, for a
    draft (or a version agreed before snapshots were kept), the evidence as it stands now."""
    if version.evidence is not None:
        return Evidence.from_dict(version.evidence, version.evidence_frozen_at)
    return live_evidence(version.statement.process, cited_ideas(version.typed_content))


# --- what a moderator is told --------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """An agreed or published version that cites an idea, and what it keeps showing of it."""

    version_number: int
    published: bool
    commitments: tuple[int, ...]  # the numbers of the commitments that cite the idea
    kept: IdeaEvidence | None  # the frozen evidence the version keeps showing


def citations_of(idea: Idea) -> list[Citation]:
    """The agreed and published versions of the idea's statement that cite it, newest first."""
    statement = idea.consultation.process.statement
    if statement is None:
        return []
    agreed = [
        v
        for v in statement.versions
        if v.evidence is not None
        or v.number == statement.published_number
        or (statement.state is StatementState.AGREED and v is statement.latest)
    ]
    found = []
    for version in reversed(agreed):
        content = version.typed_content
        if idea.id not in cited_ideas(content):
            continue
        numbers = tuple(n for n, c in enumerate(content.commitments, 1) if _cites(c, idea.id))
        found.append(
            Citation(
                version.number,
                version.number == statement.published_number,
                numbers,
                version_evidence(version).ideas.get(idea.id),
            )
        )
    return found


def _cites(commitment: CommitmentText, idea_id: int) -> bool:
    return idea_id in commitment.ideas
