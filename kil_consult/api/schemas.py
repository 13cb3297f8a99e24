"""What the open-data API accepts and answers, described once.

The views validate query strings with the ``*Query`` models and serialise every answer through
the response models; ``openapi.py`` turns the same models into the OpenAPI document. Response
models forbid extra fields, so their JSON Schema says ``additionalProperties: false`` and a
field that is not described here (an email address, say) cannot slip into an answer unnoticed.

Later issues add fields here (results, summaries, statement, commitments, organisations, the
source of an idea) and the document follows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..ideas.services import DEFAULT_SORT, SORTS

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# itsdangerous URLSafeSerializer output: [.]payload.signature in URL-safe Base64 (no padding)
CURSOR_PATTERN = r"^\.?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"

SortName = Literal[tuple(SORTS)]  # the same sort orders as the consultation pages
Slug = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Pseudonym = Annotated[
    str,
    Field(
        pattern=r"^participant-[0-9a-f]{16}$",
        description="A stable pseudonym for an author's byline: the same person writing as "
        "themselves has the same pseudonym everywhere in this API; writing on behalf of an "
        "organisation they have another (one per organisation), and each idea gathered offline "
        "has its own. It is made with a secret key from a random value per person, never from "
        "their name, email address or account id, and changes if they erase their account. "
        "Votes are never published under it.",
    ),
]
Count = Annotated[int, Field(ge=0)]
SourceName = Literal["online", "event", "paper", "phone"]
AuthorType = Literal["resident", "organisation"]


class ResponseModel(BaseModel):
    """A part of an answer: exactly these fields, no others."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- answers -----------------------------------------------------------------------------


class Error(ResponseModel):
    """Every error answer: a short title, a message that says what to do, and the status."""

    error: str = Field(description="A short title, such as 'Page not found'.")
    message: str = Field(description="What went wrong and what to do about it.")
    status: int = Field(ge=400, le=599, description="The HTTP status code, repeated.")


class Neighbourhood(ResponseModel):
    """A ward, district or town that an idea can be about."""

    id: int
    slug: Slug
    name: str


class NeighbourhoodList(ResponseModel):
    """The council's neighbourhoods in their display order."""

    items: list[Neighbourhood]


class ConsultationCounts(ResponseModel):
    """How much has been said in a consultation: the same figures the site shows."""

    ideas: Count = Field(description="Published ideas.")
    votes: Count = Field(description="Agree, disagree and pass votes on published ideas.")
    comments: Count = Field(description="Comments and replies on published ideas.")
    participants: Count = Field(
        description="Different people who shared an idea, voted or commented."
    )


class ConsultationLinks(ResponseModel):
    self: str = Field(description="This consultation in the API.")
    ideas: str = Field(description="Its ideas in the API, page by page.")
    html: str = Field(description="Its page on the website.")


class Consultation(ResponseModel):
    """One Keep it Local principle put to residents."""

    id: int
    slug: Slug
    process: Slug = Field(description="The slug of the co-design process it belongs to.")
    principle_number: int = Field(ge=1, le=6, description="Which of the six principles.")
    title: str
    question: str = Field(description="The question put to residents.")
    explanation: str
    next_steps: str = Field(description="What happens after the consultation closes.")
    stage: Literal["open", "closed"] = Field(
        description="'open' while it takes ideas, votes and comments (or waits to open), "
        "'closed' once it has closed."
    )
    stage_label: str = Field(description="The stage in words, as the site shows it.")
    accepting: bool = Field(description="Whether it takes ideas, votes and comments now.")
    opens_at: datetime | None = Field(description="When it opens (UTC).")
    closes_at: datetime | None = Field(
        description="When it closes (UTC); once closed, when it closed (earlier than planned "
        "if the council closed it early)."
    )
    counts: ConsultationCounts
    links: ConsultationLinks


class ConsultationList(ResponseModel):
    """The published consultations of the current process, principle by principle."""

    items: list[Consultation]


class Process(ResponseModel):
    """The council's current co-design process and its published consultations."""

    id: int
    slug: Slug
    title: str
    summary: str
    created_at: datetime
    consultations: list[Consultation]


class IdeaCounts(ResponseModel):
    """Votes and comments on an idea."""

    model_config = ConfigDict(serialize_by_alias=True)

    agree: Count
    disagree: Count
    pass_: Count = Field(serialization_alias="pass")
    votes: Count = Field(description="agree + disagree + pass")
    comments: Count = Field(description="Published comments and replies.")


class IdeaLinks(ResponseModel):
    self: str = Field(description="This idea, with its comments, in the API.")
    html: str = Field(description="Its page on the website.")


class OrganisationRef(ResponseModel):
    """A verified community organisation an idea was shared on behalf of."""

    slug: Annotated[str, Field(min_length=1, max_length=140)]
    name: str
    html: str = Field(description="The organisation's page on the website.")


class Idea(ResponseModel):
    """A published idea. Its author appears only as a pseudonym."""

    id: int
    consultation: Slug = Field(description="The slug of its consultation.")
    title: str
    body: str
    neighbourhood: Neighbourhood | None = Field(description="The place it is about, if any.")
    source: SourceName = Field(
        description="'online', or where a facilitator gathered it offline: 'event', 'paper' "
        "or 'phone'."
    )
    organisation: OrganisationRef | None = Field(
        description="The organisation it was shared on behalf of; null for a resident's own."
    )
    author: Pseudonym
    created_at: datetime
    counts: IdeaCounts
    links: IdeaLinks


class Reply(ResponseModel):
    """A published reply to a comment."""

    id: int
    parent_id: int
    author: Pseudonym
    body: str
    created_at: datetime


class Comment(ResponseModel):
    """A published comment on an idea, oldest reply first."""

    id: int
    author: Pseudonym
    body: str
    created_at: datetime
    replies: list[Reply]


class IdeaWithComments(Idea):
    """A published idea with its published comments, oldest first."""

    comments: list[Comment]


class IdeaListLinks(ResponseModel):
    self: str = Field(description="This page.")
    next: str | None = Field(description="The next page, or null on the last page.")


class IdeaList(ResponseModel):
    """One page of a consultation's published ideas."""

    items: list[Idea]
    total: Count = Field(
        description="How many published ideas match the filters, on every page (the "
        "consultation's 'ideas' count when no filter is given)."
    )
    sort: SortName
    neighbourhood: Slug | None = Field(description="The neighbourhood filter, if any.")
    source: SourceName | None = Field(description="The source filter, if any.")
    author_type: AuthorType | None = Field(description="The author type filter, if any.")
    theme: int | None = Field(description="The theme filter (a theme id), if any.")
    limit: int = Field(ge=1, le=MAX_LIMIT)
    next_cursor: str | None = Field(
        description="Pass as 'cursor' to get the next page; null on the last page."
    )
    links: IdeaListLinks


# --- questions ---------------------------------------------------------------------------


class Query(BaseModel):
    """Query-string parameters: unknown ones are refused, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: What to say when a parameter has a bad value, by parameter name.
    messages: ClassVar[dict[str, str]] = {}


class NoQuery(Query):
    """An endpoint that takes no query-string parameters."""


class IdeaListQuery(Query):
    """How to page through, sort and filter a consultation's ideas."""

    sort: SortName = Field(
        DEFAULT_SORT,
        description="The order, as on the consultation page: "
        + ", ".join(f"'{name}' ({label.lower()})" for name, label in SORTS.items())
        + ".",
    )
    neighbourhood: Slug | None = Field(
        None, description="Only ideas about this neighbourhood (its slug)."
    )
    source: SourceName | None = Field(
        None, description="Only ideas from this source: online, event, paper or phone."
    )
    author_type: AuthorType | None = Field(
        None,
        description="Only ideas shared by residents ('resident') or on behalf of community "
        "organisations ('organisation').",
    )
    theme: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="Only ideas tagged with this accepted theme (its id, from .../themes).",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Ideas per page, 1 to 100.")
    cursor: str | None = Field(
        None,
        min_length=3,
        max_length=500,
        pattern=CURSOR_PATTERN,
        description="The 'next_cursor' of the previous page. Keep the other parameters the same. "
        "An opaque token signed by the server: URL-safe Base64 text, a dot and a signature "
        "(optionally led by a dot). Only a cursor this list gave out is valid: any other "
        "well-formed one answers 404, as a page not found; one not of this form answers 400.",
    )

    messages: ClassVar[dict[str, str]] = {
        "sort": "sort must be one of: " + ", ".join(SORTS) + ".",
        "neighbourhood": "neighbourhood must be a neighbourhood's slug, such as 'hastings' "
        "(see /api/v1/neighbourhoods).",
        "source": "source must be one of: online, event, paper, phone.",
        "author_type": "author_type must be 'resident' or 'organisation'.",
        "theme": "theme must be the id of one of the consultation's themes (see .../themes).",
        "limit": f"limit must be a whole number from 1 to {MAX_LIMIT}.",
        "cursor": "The cursor is not valid: cursor must be the next_cursor of the previous page, "
        "copied exactly.",
    }


# --- themes, summaries and results (issue 5) ---------------------------------------------


class Theme(ResponseModel):
    """A theme a facilitator accepted for a consultation, and how many ideas carry it."""

    id: int
    name: str
    ideas: Count
    links: IdeaListLinks


class ThemeList(ResponseModel):
    """A consultation's accepted themes."""

    items: list[Theme]


class Finding(ResponseModel):
    """A key finding, in Markdown as the facilitator wrote it, and the ideas it rests on."""

    text: str
    ideas: list[int] = Field(description="The ids of the ideas it cites.")


class Summary(ResponseModel):
    """A consultation's published summary: what people said and what the council decided."""

    consultation: Slug
    version: int = Field(ge=1, description="The summary's version number.")
    published_at: datetime
    overview: str = Field(description="Markdown.")
    themes: str = Field(description="Markdown.")
    findings: list[Finding]
    decision: str = Field(description="What the council decided (Markdown).")
    connection: str = Field(description="How the decision follows from what people said.")
    response_due: date | None = Field(description="When the council's response is due.")
    responded_at: datetime | None
    overdue: bool = Field(description="True once the response is late.")


class RankedIdea(ResponseModel):
    """An idea with its support score and how much it divides opinion."""

    idea: int
    title: str
    agree: Count
    disagree: Count
    passes: Count
    wilson_lower_bound: float = Field(
        description="Lower bound of the 95% Wilson interval of agree / (agree + disagree)."
    )
    divisiveness: float = Field(description="Twice the smaller side's share of votes.")


class GroupIdea(ResponseModel):
    """An idea that sets an opinion group apart, with the group's own votes on it."""

    idea: int
    direction: Literal["agree", "disagree"]
    agree: Count
    disagree: Count
    votes: Count


class OpinionGroup(ResponseModel):
    """A group of participants who voted alike, and the ideas that set it apart."""

    label: str
    size: Count
    distinguishing_ideas: list[GroupIdea]


class ScoredIdea(ResponseModel):
    """An idea and its consensus score (0 to 1)."""

    idea: int
    score: float


class PlaceShare(ResponseModel):
    """How many participants gave this neighbourhood as where they live."""

    neighbourhood: Slug | None = Field(description="Null for people who gave no area.")
    people: Count


class Participation(ResponseModel):
    """How many took part, and how: by author type, source and neighbourhood."""

    people: Count
    ideas: Count
    votes: Count
    comments: Count
    organisations: Count
    ideas_by_author_type: dict[AuthorType, Count]
    ideas_by_source: dict[SourceName, Count]
    people_by_neighbourhood: list[PlaceShare]


class Results(ResponseModel):
    """A consultation's published results (public once its summary is published)."""

    consultation: Slug
    computed_at: datetime | None = Field(description="When the opinion analysis was run.")
    current: bool = Field(description="False while a newer analysis is waiting to run.")
    participation: Participation
    most_supported: list[RankedIdea]
    most_divisive: list[RankedIdea]
    opinion_groups: list[OpinionGroup]
    consensus: list[ScoredIdea] = Field(
        description="Ideas every opinion group tends to agree with, strongest first."
    )


from .indicator_schemas import IndicatorOut, IndicatorPoint  # noqa: E402,F401

# --- the statement and its commitments (issue 6) ------------------------------------------

CommitmentStatusName = Literal["not_started", "in_progress", "done", "dropped"]


class StatementVersionLinks(ResponseModel):
    self: str = Field(description="This version as data, in the API.")
    html: str = Field(description="The statement's page on the website.")


class StatementVersionRef(ResponseModel):
    """A public version of the statement: published, agreed, or opened for comment."""

    number: int = Field(ge=1)
    saved_at: datetime
    reason: str = Field(description="Why this version was saved.")
    status: Literal["draft", "agreed", "published"]
    links: StatementVersionLinks


class StatementVersionList(ResponseModel):
    """Every version of the statement the public may read, oldest first."""

    current: int | None = Field(description="The number of the version the public page shows.")
    items: list[StatementVersionRef]


class StatementDocument(ResponseModel):
    """One version of the statement as data: the same document as the JSON download."""

    version: int = Field(ge=1)
    statement: dict[str, Any] = Field(
        description="The statement: preamble, sections, commitments with progress, champions, "
        "decision, signatories and evidence. Its JSON Schema is at /statement/schema.json."
    )


class ProgressNote(ResponseModel):
    """A dated progress update on a commitment."""

    date: date
    status: CommitmentStatusName
    text: str


class CommitmentOut(ResponseModel):
    """A commitment of the current public statement and how far the council has got."""

    number: int = Field(ge=1, description="Its number in the statement.")
    id: str = Field(description="Stays the same across versions.")
    principle: int | None = Field(description="The principle it belongs to, 1 to 6.")
    text: str
    owner: str = Field(description="The team that owns it.")
    due: str | None = Field(description="The target date, as written.")
    ideas: list[int] = Field(description="The ideas it came from.")
    status: CommitmentStatusName
    status_reason: str
    progress: list[ProgressNote] = Field(description="Newest first.")
    indicators: list[IndicatorOut] = Field(
        description="How the commitment is measured: each indicator's trend against its target."
    )


class CommitmentList(ResponseModel):
    """The commitments of the statement the public page shows."""

    statement_version: int = Field(ge=1)
    items: list[CommitmentOut]
