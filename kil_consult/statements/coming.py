"""Where the statement is on its way, for the public pages that do not exist yet.

Until the statement is opened for comment (and, for progress, until it is published) its public
pages explain what they will hold and when, instead of answering "Page not found": the home
page promises "help write our local statement", so every link to it must lead somewhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from ..consultations.models import Consultation, Process
from .models import Statement, StatementState
from .services import published_summaries


class Phase(enum.StrEnum):
    """How far the statement has got, in the order the public meets the steps."""

    GATHERING = "gathering"  # the consultations are running or their summaries are being written
    DRAFTING = "drafting"  # facilitators are drafting it from the published summaries
    REVIEW = "review"  # a draft is open for comment (or the review has just closed)
    AGREED = "agreed"  # agreed by the council, not yet published
    PUBLISHED = "published"


@dataclass(frozen=True)
class Outlook:
    """What a visitor is told about a statement page that is not there yet."""

    phase: Phase
    consultations: list[Consultation]
    summarised: list[Consultation]
    review_closes_at: datetime | None
    last_closes_at: datetime | None

    @property
    def waiting_for(self) -> list[Consultation]:
        """The consultations whose summary is not published yet."""
        return [c for c in self.consultations if c not in self.summarised]


def outlook(process: Process | None, statement: Statement | None) -> Outlook:
    """Where the statement of ``process`` is, for the page that explains what is coming."""
    consultations = list(process.consultations) if process else []
    summarised = published_summaries(process)
    closing = [c.closes_at for c in consultations if c.closes_at is not None]
    if statement is None or not statement.versions:
        phase = Phase.GATHERING
    else:
        phase = {
            StatementState.DRAFT: Phase.DRAFTING,
            StatementState.REVIEW: Phase.REVIEW,
            StatementState.AGREED: Phase.AGREED,
            StatementState.PUBLISHED: Phase.PUBLISHED,
        }[statement.state]
        if phase is Phase.DRAFTING and statement.published_number is not None:
            phase = Phase.PUBLISHED  # a revision of a published statement is being drafted
    return Outlook(
        phase,
        consultations,
        summarised,
        statement.review_closes_at if statement is not None else None,
        max(closing) if closing else None,
    )
