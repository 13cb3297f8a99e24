"""What the hub shows from the returns it holds: each principle side by side across the member
councils, a council's timeline, and suggested peer pairs (a council strong on a principle
beside one that wants to improve on it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..consultations.principles import PRINCIPLES, Principle
from .hub_models import HarvestedReturn, MemberCouncil
from .levels import LEVEL_LABELS

STRONG = 3  # a level at or above this is "strong"; at or below WANTS_TO_IMPROVE wants help
WANTS_TO_IMPROVE = 2


@dataclass(frozen=True)
class Standing:
    """One council on one principle, from its latest return."""

    member: MemberCouncil
    latest: HarvestedReturn
    level: int
    previous_level: int | None
    next_steps: str
    champion: str

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")


def _item(ret: HarvestedReturn, principle: int) -> dict:
    return next(
        (i for i in ret.document.get("self_assessment", []) if i.get("principle") == principle),
        {},
    )


def side_by_side(members: list[MemberCouncil]) -> list[tuple[Principle, list[Standing]]]:
    """Each principle with every member's standing on it (members with a return only)."""
    rows = []
    for principle in PRINCIPLES:
        standings = []
        for member in members:
            latest = member.latest
            if latest is None:
                continue
            item = _item(latest, principle.number)
            standings.append(
                Standing(
                    member,
                    latest,
                    item.get("level", 0),
                    item.get("previous_level"),
                    item.get("next_steps", ""),
                    item.get("champion", ""),
                )
            )
        rows.append((principle, standings))
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    """One of a council's returns, with its levels and how its commitments stood."""

    ret: HarvestedReturn
    levels: list[int | None]
    done: int
    in_progress: int
    commitments: int
    people: int


def timeline(member: MemberCouncil) -> list[TimelineEntry]:
    """A council's returns, latest meeting first."""
    entries = []
    for ret in reversed(member.returns):
        commitments = ret.document.get("commitments", [])
        statuses = [c.get("status") for c in commitments]
        entries.append(
            TimelineEntry(
                ret,
                [ret.level(p.number) for p in PRINCIPLES],
                statuses.count("done"),
                statuses.count("in_progress"),
                len(commitments),
                ret.document.get("participation", {}).get("people", 0),
            )
        )
    return entries


@dataclass(frozen=True)
class PeerPair:
    """A council strong on a principle, suggested to one that wants to improve on it."""

    principle: Principle
    strong: Standing
    improving: Standing


def peer_pairs(members: list[MemberCouncil]) -> list[PeerPair]:
    """For each principle, pair the strongest councils with those lowest on it, one to one
    in order (the strongest with the lowest), never a council with itself."""
    pairs = []
    for principle, standings in side_by_side(members):
        strong = sorted(
            (s for s in standings if s.level >= STRONG),
            key=lambda s: (-s.level, s.member.display_name),
        )
        improving = sorted(
            (s for s in standings if 0 < s.level <= WANTS_TO_IMPROVE),
            key=lambda s: (s.level, s.member.display_name),
        )
        for helper, learner in zip(strong, improving, strict=False):
            pairs.append(PeerPair(principle, helper, learner))
    return pairs


def nominations(members: list[MemberCouncil]) -> list[tuple[MemberCouncil, dict]]:
    """Candidates for the Keep it Local award: each completed commitment in a member's latest
    return, with its dated progress as the evidence."""
    found = []
    for member in members:
        latest = member.latest
        for commitment in latest.document.get("commitments", []) if latest else []:
            if commitment.get("status") == "done":
                found.append((member, commitment))
    return found
