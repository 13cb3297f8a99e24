"""Statement workflows, the one module routes, exports and the API call: start a draft from
the published summaries, save and revise versions, take public comment. The evidence behind
each clause (``evidence.py``, frozen when a version is agreed), commitments
(``commitments.py``), sign-off (``signoff.py``), versions (``versions.py``) and the typed
content (``content.py``) live beside it; their services are named here too, so that callers
need one import.

Services flush and never commit; a route commits once. Sign-off, publication and every change
of a commitment's status go to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..consultations.models import Consultation, Process
from ..consultations.services import current_council
from ..extensions import db
from ..organisations.models import Organisation
from .checks import StatementWarning, warnings_for
from .commitments import (
    NumberedCommitment,
    add_progress,
    commitment_in,
    commitments_by_id,
    move_commitment,
    new_commitment,
    numbered_commitments,
    progress_counts,
    remove_commitment,
    save_commitment,
)
from .content import (
    CHAMPION_KINDS,
    Champion,
    CommitmentText,
    PartDiff,
    Section,
    StatementContent,
    cited_ideas,
    compare,
    diff_text,
    parts_of,
)
from .evidence import (
    Citation,
    Evidence,
    IdeaEvidence,
    TakingPart,
    citations_of,
    freeze,
    live_evidence,
    version_evidence,
)
from .models import (
    Commitment,
    CommitmentStatus,
    Decision,
    ProgressUpdate,
    ReviewResponse,
    Signatory,
    Stance,
    Statement,
    StatementError,
    StatementState,
    StatementVersion,
)
from .signoff import (
    add_signatory,
    close_review,
    current_decision,
    decision_of,
    open_review,
    publish,
    record_decision,
)
from .versions import (
    MAX_IDEAS_PER_CLAUSE,
    add_version,
    current_statement,
    public_version,
    revise_text,
    save_champion,
    save_version,
    statement_of,
    visible_versions,
)

__all__ = [  # the models too, as before the split: callers may name them from here
    "Commitment",
    "CommitmentStatus",
    "Decision",
    "ProgressUpdate",
    "ReviewResponse",
    "Signatory",
    "Statement",
    "StatementState",
    "StatementVersion",
    "CHAMPION_KINDS",
    "MAX_IDEAS_PER_CLAUSE",
    "Champion",
    "CommitmentText",
    "Citation",
    "Evidence",
    "Feedback",
    "IdeaEvidence",
    "TakingPart",
    "NumberedCommitment",
    "PartDiff",
    "Section",
    "Stance",
    "StatementContent",
    "StatementError",
    "add_progress",
    "add_signatory",
    "StatementWarning",
    "cited_ideas",
    "close_review",
    "commitment_in",
    "commitments_by_id",
    "compare",
    "current_decision",
    "current_statement",
    "decision_of",
    "default_preamble",
    "diff_text",
    "empty_content",
    "citations_of",
    "freeze",
    "live_evidence",
    "version_evidence",
    "feedback",
    "move_commitment",
    "new_commitment",
    "numbered_commitments",
    "open_review",
    "parts_of",
    "progress_counts",
    "public_version",
    "publish",
    "published_summaries",
    "record_decision",
    "remove_commitment",
    "respond",
    "responses_of",
    "revise_text",
    "save_champion",
    "save_commitment",
    "save_version",
    "start_from_summaries",
    "statement_of",
    "visible_versions",
    "warnings_for",
]


# --- starting the statement ----------------------------------------------------------------


def default_preamble(council_name: str, area_name: str) -> str:
    """The council's endorsement of the six principles, after the network's suggested wording."""
    return (
        "We believe in the power of community. That is why we understand the best way to tackle "
        "the challenges we face as an authority, and to create transformative local services "
        "for our residents, is to Keep it Local.\n\n"
        f"This means we will work to harness the local potential that exists in {area_name}, "
        "by building strong local partnerships, sharing power, and maximising local "
        "strengths. In doing so, we can use public resources to invest in the local economy "
        "and support community capacity, and provide services which intervene early to reduce "
        "long-term costs and drive down pressure on our public services.\n\n"
        f"{council_name} endorses the six Keep it Local principles and has joined the Keep it "
        "Local Network. We convened a conversation with residents and community organisations "
        f"to co-design what it means to Keep it Local in {area_name}. This statement sets out "
        "what each principle means here, what people told us, and what we commit to do. We "
        "will keep working with Locality and peer councils in the Network to assess and "
        "improve our practice, and we will report our progress twice a year.\n\n"
        f"{council_name} has appointed a Keep it Local champion in the Cabinet and in the "
        "Senior Management Team to take ownership of this work and to work with colleagues in "
        "pursuit of these aims."
    )


def empty_content(process: Process) -> StatementContent:
    """A statement with the default preamble, an empty section per principle, no commitments
    and one unnamed champion of each kind."""
    council = current_council()
    return StatementContent(
        title=f"{process.title}: our local Keep it Local statement",
        preamble=default_preamble(council.name, council.area_name),
        sections=tuple(Section(c.principle_number, c.title) for c in process.consultations),
    )


def published_summaries(process: Process | None) -> list[Consultation]:
    """The consultations of a process whose summary is published (the statement's sources)."""
    consultations = process.consultations if process else []
    return [c for c in consultations if c.summary is not None and c.summary.is_published]


def _cite(ids: list[int]) -> str:
    if not ids:
        return ""
    word = "idea" if len(ids) == 1 else "ideas"
    return f" ({word} {', '.join(str(i) for i in ids)})"


def start_from_summaries(process: Process, author: User) -> Statement:
    """Start the statement as version 1: each section pre-filled with its consultation's
    published key findings, and a commitment for each published "what we decided", linked to
    the ideas its findings cite. Refuses if the process already has a statement."""
    from .summaries import published_version

    if statement_of(process) is not None:
        raise StatementError("This process already has a statement.")
    statement = Statement(process_id=process.id)
    db.session.add(statement)
    db.session.flush()
    content = empty_content(process)
    bodies: dict[int, str] = {}
    commitments: list[CommitmentText] = []
    for consultation in process.consultations:
        summary = published_version(consultation)
        if summary is None:
            continue
        lines = [
            f"* {f.text.strip()}{_cite([c.idea_id for c in f.citations])}" for f in summary.findings
        ]
        bodies[consultation.principle_number] = (
            "What people told us:\n\n" + "\n".join(lines) if lines else ""
        )
        if summary.decision.strip():
            ideas = sorted({c.idea_id for f in summary.findings for c in f.citations})
            commitments.append(
                CommitmentText(
                    id=new_commitment(statement).id,
                    principle=consultation.principle_number,
                    text=summary.decision.strip(),
                    ideas=tuple(ideas[:MAX_IDEAS_PER_CLAUSE]),
                )
            )
    used = len(bodies)
    content = content.with_text(content.title, content.preamble, bodies)
    for commitment in commitments:
        content = content.with_commitment(commitment)
    reason = (
        f"Started from the published summaries of {used} of the six consultations."
        if used
        else "Started with no published summaries yet."
    )
    add_version(statement, author, content, reason)
    audit.record(author, "statement.start", statement, note=reason)
    return statement


# --- public review -------------------------------------------------------------------------


def respond(
    statement: Statement,
    user: User,
    part: str,
    stance: Stance,
    comment: str,
    organisation: Organisation | None = None,
) -> ReviewResponse:
    """Record (or replace) a person's support and comment on one part of the version under
    review, optionally on behalf of an organisation they may speak for."""
    version = statement.review_version
    if version is None or not statement.is_reviewing():
        raise StatementError("The draft statement is not open for comment.")
    if part not in dict(parts_of(version.content)):
        raise StatementError("That part of the statement does not exist.")
    response = db.session.scalar(
        select(ReviewResponse).where(
            ReviewResponse.version_id == version.id,
            ReviewResponse.part == part,
            ReviewResponse.user_id == user.id,
        )
    )
    if response is None:
        response = ReviewResponse(
            statement_id=statement.id, version_id=version.id, part=part, user_id=user.id
        )
        db.session.add(response)
    response.stance = stance
    response.comment = comment
    response.organisation_id = organisation.id if organisation else None
    db.session.flush()
    return response


@dataclass
class Feedback:
    """What people said about one part: counts by stance, organisations, and the comments."""

    support: int = 0
    oppose: int = 0
    unsure: int = 0
    organisations: list[str] = field(default_factory=list)
    comments: list[ReviewResponse] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.support + self.oppose + self.unsure


def feedback(statement: Statement, version: StatementVersion | None = None) -> dict[str, Feedback]:
    """Feedback per part on the version under review (or ``version``), oldest comment first."""
    version = version or statement.review_version
    result: dict[str, Feedback] = {}
    if version is None:
        return result
    responses = db.session.scalars(
        select(ReviewResponse)
        .where(ReviewResponse.version_id == version.id)
        .order_by(ReviewResponse.created_at, ReviewResponse.id)
    )
    for response in responses:
        item = result.setdefault(response.part, Feedback())
        setattr(item, response.stance.value, getattr(item, response.stance.value) + 1)
        if response.organisation and response.stance is Stance.SUPPORT:
            item.organisations.append(response.organisation.name)
        if response.comment:
            item.comments.append(response)
    return result


def responses_of(statement: Statement, user) -> dict[str, ReviewResponse]:
    """The signed-in person's own responses to the version under review, by part."""
    version = statement.review_version
    if version is None or not getattr(user, "is_authenticated", False):
        return {}
    return {
        r.part: r
        for r in db.session.scalars(
            select(ReviewResponse).where(
                ReviewResponse.version_id == version.id, ReviewResponse.user_id == user.id
            )
        )
    }
