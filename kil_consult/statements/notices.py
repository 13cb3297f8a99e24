"""Who is told about summaries, the statement and commitments (the rows and emails are
``following``'s): followers of a consultation when its summary is published, the authors and
followers of the ideas it answers, followers of the statement when it opens for comment or is
published, and, for progress on a commitment, the statement's followers and the people who
backed that commitment in the public review."""

from __future__ import annotations

from sqlalchemy import select

from ..consultations.models import Consultation
from ..extensions import db
from ..following.models import FollowKind, NotificationKind
from ..following.services import follower_ids, notify, target_key
from ..ideas.notices import ideas_answered
from .content import typed
from .models import Commitment, ProgressUpdate, ReviewResponse, Stance, Statement


def summary_published(consultation: Consultation, cited_idea_ids: list[int]) -> int:
    """The council said what happened next: the consultation's followers and the authors and
    followers of the ideas its findings cite are told where to read it."""
    path = f"/consultations/{consultation.slug}#you-said-we-did"
    told = notify(
        follower_ids(target_key(FollowKind.CONSULTATION, consultation.id)),
        NotificationKind.ANSWERED,
        f"The council has published what happened next for {consultation.title}",
        path,
    )
    return told + ideas_answered(cited_idea_ids, consultation.title, path)


def review_opened(statement: Statement) -> int:
    """The statement is open for comment: its followers are told until when."""
    from ..timeutil import format_date

    closes = (
        f" until {format_date(statement.review_closes_at)}" if statement.review_closes_at else ""
    )
    return notify(
        follower_ids(target_key(FollowKind.STATEMENT)),
        NotificationKind.STATEMENT_REVIEW,
        f"The draft Keep it Local statement is open for your comments{closes}",
        "/statement",
    )


def statement_published(statement: Statement) -> int:
    """The agreed statement is published: its followers are told."""
    return notify(
        follower_ids(target_key(FollowKind.STATEMENT)),
        NotificationKind.STATEMENT_PUBLISHED,
        "The council has published its Keep it Local statement",
        "/statement",
    )


def backers_of(commitment: Commitment) -> set[int]:
    """The people who said they support this commitment in any public review."""
    return set(
        db.session.scalars(
            select(ReviewResponse.user_id).where(
                ReviewResponse.statement_id == commitment.statement_id,
                ReviewResponse.part == f"commitment-{commitment.id}",
                ReviewResponse.stance == Stance.SUPPORT,
            )
        )
    )


def progress_added(commitment: Commitment, update: ProgressUpdate, actor_id: int) -> int:
    """Progress on a commitment: the statement's followers and the commitment's backers."""
    statement = commitment.statement
    version = statement.published_version or statement.latest
    words = typed(version.content).commitment(commitment.id) if version else None
    title = words.text if words is not None else "a commitment"
    if len(title) > 150:
        title = title[:147] + "..."
    return notify(
        follower_ids(target_key(FollowKind.STATEMENT)) | backers_of(commitment),
        NotificationKind.COMMITMENT_PROGRESS,
        f"Progress on \u201c{title}\u201d: {update.status.label}",
        f"/statement/progress#commitment-{commitment.id}",
        exclude=(actor_id,),
    )
