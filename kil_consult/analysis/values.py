"""What the analysis of a consultation found, as typed, read-only values.

``ConsultationResults`` is the one thing the results pages, the CSV downloads, the API, open
data and exports read: nothing else unpacks the stored JSON. ``results.current_results`` builds
it; the list lengths every reader shows come from the constants here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from ..ideas.models import Source


def in_ten(count: int, votes: int) -> str:
    """A share in words people read at a glance: "7 in 10", "all", "none", "fewer than 1 in 10"."""
    if votes <= 0 or count <= 0:
        return "none"
    if count >= votes:
        return "all"
    tenths = round(10 * count / votes)
    if tenths == 0:
        return "fewer than 1 in 10"
    if tenths == 10:
        return "more than 9 in 10"
    return f"{tenths} in 10"


LIST_LENGTH = 20  # the most supported, most divisive and consensus lists
SHORT_LIST_LENGTH = 10  # the API's most divisive, the ideas a summary may cite, majority lists
PAYLOAD_VERSION = 2  # the stored payload's layout: a new version makes every result stale
# 2: consensus with a bar, division, split, separation, everyone else's counts
GROUP_LABELS = "ABCDE"


class DayCounts(NamedTuple):
    """One day's new people, ideas, votes and comments (UTC)."""

    day: str
    new_people: int
    ideas: int
    votes: int
    comments: int


class ContributorCounts(NamedTuple):
    """Ideas, votes on those ideas and comments posted by residents or by organisations."""

    ideas: int
    votes: int
    comments: int


class SourceCounts(NamedTuple):
    """Ideas from one source (online, paper, event...) and the votes on them."""

    ideas: int
    votes: int


class SourceRow(NamedTuple):
    """A source of ideas as the results list it: its label, whether offline, its counts."""

    source: Source
    label: str
    offline: bool
    ideas: int
    votes: int


@dataclass(frozen=True)
class Participation:
    """Who took part: totals, by day, by neighbourhood (ids as text, "" for none), by kind."""

    people: int = 0
    ideas: int = 0
    votes: int = 0
    comments: int = 0
    organisations: int = 0
    days: tuple[DayCounts, ...] = ()
    by_neighbourhood: Mapping[str, int] = field(default_factory=dict)
    residents: ContributorCounts = ContributorCounts(0, 0, 0)
    organisation_posts: ContributorCounts = ContributorCounts(0, 0, 0)
    by_source: Mapping[Source, SourceCounts] = field(default_factory=dict)

    def source(self, source: Source) -> SourceCounts:
        """The counts of one source (zero when nothing came from it)."""
        return self.by_source.get(source, SourceCounts(0, 0))

    @property
    def sources(self) -> list[SourceRow]:
        """Every source with its counts, in the order the sources are listed."""
        return [SourceRow(s, s.label, s is not Source.ONLINE, *self.source(s)) for s in Source]

    @property
    def contributors(self) -> list[tuple[str, str, ContributorCounts]]:
        """(key, label, counts) for residents, then organisations."""
        return [
            ("residents", "Residents", self.residents),
            ("organisations", "Organisations", self.organisation_posts),
        ]


class GroupCounts(NamedTuple):
    """How one opinion group voted on an idea."""

    label: str
    agree: int
    disagree: int
    votes: int

    @property
    def agree_percent(self) -> int | None:
        """The group's agreement as a whole percentage; None when it cast no votes."""
        return round(self.agree / self.votes * 100) if self.votes else None


@dataclass(frozen=True)
class IdeaRow:
    """A published idea with its live counts, Wilson lower bound, divisiveness and how each
    opinion group voted on it (from the stored analysis)."""

    id: int
    title: str
    agree: int
    disagree: int
    passes: int
    comments: int
    wilson: float
    divisive: float
    groups: tuple[GroupCounts, ...] = ()

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes


@dataclass(frozen=True)
class ScoredIdea:
    """An idea on a scored list (consensus) with its score."""

    idea: IdeaRow
    score: float | None


@dataclass(frozen=True)
class GroupIdea:
    """An idea that sets an opinion group apart, and how the group voted on it."""

    idea_id: int
    title: str | None
    direction: str
    agree: int
    disagree: int
    votes: int
    p: float | None = None
    r: float | None = None
    others_count: int = 0  # everyone else's votes on the same side
    others_votes: int = 0

    @property
    def words(self) -> str:
        """The numbers in words: "7 in 10 of this group agree, against 2 in 10 of everyone else"."""
        verb = "agree" if self.agrees else "disagree"
        ours = in_ten(self.count, self.votes).capitalize()
        if self.others_votes <= 0:
            return f"{ours} of this group {verb}; no one else has voted on it"
        theirs = in_ten(self.others_count, self.others_votes)
        return f"{ours} of this group {verb}, against {theirs} of everyone else"

    @property
    def agrees(self) -> bool:
        """Whether the group stands out by agreeing (else by disagreeing)."""
        return self.direction == "agree"

    @property
    def count(self) -> int:
        """The votes on the side that sets the group apart."""
        return self.agree if self.agrees else self.disagree


@dataclass(frozen=True)
class DividedRow:
    """An idea that divides the groups: the most and least supportive groups and the gap
    between their (smoothed) agreement."""

    idea: IdeaRow
    gap: float
    most: str  # a group's letter
    least: str
    shares: tuple[float, ...] = ()  # each group's smoothed agreement, in letter order

    @property
    def words(self) -> str:
        """ "Group A: 8 in 10 agree; Group B: 2 in 10 agree", each of the group's own votes."""
        return "; ".join(
            f"Group {c.label}: {in_ten(c.agree, c.votes)} agree" for c in self.idea.groups
        )


@dataclass(frozen=True)
class GroupSeparation:
    """Whether people fall into distinct groups: ``k`` groups tried, how far apart
    (``silhouette``) and how reproducible (``stability``), and the verdict ``distinct``."""

    k: int = 0
    silhouette: float = 0.0
    stability: float = 0.0
    distinct: bool = False


@dataclass(frozen=True)
class OpinionGroup:
    """People who voted alike: a letter, how many, and the ideas that set them apart."""

    label: str
    size: int
    representative: tuple[GroupIdea, ...] = ()

    @property
    def people_word(self) -> str:
        return "person" if self.size == 1 else "people"


class BaseCluster(NamedTuple):
    """A cluster of people who voted alike, at its place on the opinion map."""

    x: float
    y: float
    size: int
    group: int


@dataclass(frozen=True)
class PlaceRow:
    """A neighbourhood's share of participants beside its share of the area's population."""

    name: str
    people: int
    people_share: float | None
    population: int | None
    population_share: float | None


@dataclass(frozen=True)
class ThemeRow:
    """A theme with the number of its published ideas and the votes on them."""

    id: int
    name: str
    status_label: str
    accepted: bool
    ideas: int
    agree: int
    disagree: int


@dataclass(frozen=True)
class ConsultationResults:
    """Everything the results of a consultation show, read from the stored analysis and the
    live counts. ``state`` is "none" (never computed), "ready", "queued" or "running"."""

    consultation_id: int
    computed_at: datetime | None = None
    current: bool = False
    state: str = "none"
    state_since: datetime | None = None  # when the queued or running recomputation began
    large: bool = False
    available: bool = False
    participation: Participation = Participation()
    ideas: tuple[IdeaRow, ...] = ()
    ranked: tuple[IdeaRow, ...] = ()
    divisive: tuple[IdeaRow, ...] = ()
    consensus: tuple[ScoredIdea, ...] = ()  # every idea that passes the consensus bar
    division: tuple[DividedRow, ...] = ()  # what divides opinion between the groups
    split: tuple[ScoredIdea, ...] = ()  # ideas people are split on overall
    separation: GroupSeparation = GroupSeparation()
    groups: tuple[OpinionGroup, ...] = ()
    people_in_map: int = 0
    people_clustered: int = 0
    base: tuple[BaseCluster, ...] = ()
    places: tuple[PlaceRow, ...] = ()
    no_place: int = 0
    themes: tuple[ThemeRow, ...] = ()

    @property
    def computing(self) -> bool:
        """Whether a recomputation is queued or under way."""
        return self.state in ("queued", "running")

    @property
    def queued(self) -> bool:
        """Whether a recomputation waits in the queue (not yet started)."""
        return self.state == "queued"

    @property
    def has_groups(self) -> bool:
        """More than one opinion group was found (one group is no structure)."""
        return len(self.groups) > 1

    @property
    def accepted_themes(self) -> list[ThemeRow]:
        return [theme for theme in self.themes if theme.accepted]

    def idea(self, idea_id: int) -> IdeaRow | None:
        """A published idea of the consultation by id, with its groups; None if not published."""
        return self._by_id.get(idea_id)

    @property
    def _by_id(self) -> dict[int, IdeaRow]:
        cached = self.__dict__.get("_by_id_cache")
        if cached is None:
            cached = {row.id: row for row in self.ideas}
            object.__setattr__(self, "_by_id_cache", cached)
        return cached

    def top_ranked(self, n: int = LIST_LENGTH) -> tuple[IdeaRow, ...]:
        return self.ranked[:n]

    def top_divisive(self, n: int = LIST_LENGTH) -> tuple[IdeaRow, ...]:
        return self.divisive[:n]
