"""The statement and its versions: find it, save a new version, revise its words and champions,
and say which versions a person may read.

Every save makes a version; none is ever changed. Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import func, select

from ..accounts.models import User
from ..consultations.models import Consultation, Process
from ..consultations.services import current_process
from ..extensions import db
from ..ideas.models import Idea, Visibility
from .content import CHAMPION_LABELS, Champion, StatementContent, typed
from .models import Statement, StatementError, StatementVersion

MAX_IDEAS_PER_CLAUSE = 50


def statement_of(process: Process | None) -> Statement | None:
    """The statement of a process, if a draft was started."""
    if process is None:
        return None
    return db.session.scalar(select(Statement).where(Statement.process_id == process.id))


def current_statement() -> Statement | None:
    """The statement of the process on the home page."""
    return statement_of(current_process())


def add_version(
    statement: Statement, author: User, content: StatementContent, reason: str
) -> StatementVersion:
    """Store ``content`` as the statement's next version (no checks: see ``save_version``)."""
    number = (
        db.session.scalar(
            select(func.max(StatementVersion.number)).where(
                StatementVersion.statement_id == statement.id
            )
        )
        or 0
    ) + 1
    version = StatementVersion(
        statement_id=statement.id,
        number=number,
        content=content.to_dict(),
        reason=reason.strip(),
        author_id=author.id,
    )
    db.session.add(version)
    db.session.flush()
    db.session.expire(statement, ["versions"])
    return version


def not_citable(idea: Idea | None, idea_id: int) -> str:
    """Why an idea cannot be newly cited, in words for the facilitator."""
    if idea is not None and idea.visibility is Visibility.MERGED and idea.merged_into:
        target = idea.merged_into
        return (
            f"idea {idea_id}, which was merged into idea {target.id} (“{target.title}”): "
            f"cite idea {target.id} instead"
        )
    if idea is not None and idea.visibility is Visibility.HIDDEN:
        return f"idea {idea_id}, which a moderator has hidden"
    if idea is not None and idea.visibility is Visibility.WITHDRAWN:
        return f"idea {idea_id}, which the person who shared it has withdrawn"
    return f"idea {idea_id}, which is not a published idea of this process"


def _check_ideas(process: Process, ids: Iterable[int], label: str, kept: set[int]) -> None:
    """Refuse a clause citing too many ideas, or newly citing one that is not a published idea
    of the process. Ideas in ``kept`` were cited by the same commitment already: one hidden or
    merged since stays cited (the checks before agreement flag it) so that drafting never gets
    stuck on it."""
    ids = list(ids)
    if len(ids) > MAX_IDEAS_PER_CLAUSE:
        raise StatementError(f"{label} cites more than {MAX_IDEAS_PER_CLAUSE} ideas.")
    new = [i for i in ids if i not in kept]
    if not new:
        return
    found = set(
        db.session.scalars(
            select(Idea.id)
            .join(Consultation, Idea.consultation_id == Consultation.id)
            .where(
                Idea.id.in_(new),
                Consultation.process_id == process.id,
                Idea.visibility == Visibility.PUBLISHED,
            )
        )
    )
    missing = [i for i in new if i not in found]
    if missing:
        reasons = "; ".join(not_citable(db.session.get(Idea, i), i) for i in missing)
        raise StatementError(f"{label} cites {reasons}.")


def save_version(
    statement: Statement, author: User, content: StatementContent | Mapping, reason: str
) -> StatementVersion:
    """Save the whole statement as a new version, saying why. A published statement goes back
    to draft (its public text stays until a new version is agreed and published); an agreed
    one refuses. Every idea newly cited must be a published idea of the process."""
    content = typed(content)
    if not reason.strip():
        raise StatementError("Say what changed and why.")
    latest = statement.latest
    if latest is not None and latest.typed_content == content:
        raise StatementError("Nothing has changed since the last version.")
    before = latest.typed_content if latest is not None else None
    for n, commitment in enumerate(content.commitments, start=1):
        previous = before.commitment(commitment.id) if before is not None else None
        kept = set(previous.ideas) if previous is not None else set()
        _check_ideas(statement.process, commitment.ideas, f"Commitment {n}", kept)
    statement.start_revision()
    return add_version(statement, author, content, reason)


def revise_text(
    statement: Statement,
    author: User,
    title: str,
    preamble: str,
    bodies: Mapping[int, str],
    champions: Iterable[Champion],
    reason: str,
) -> StatementVersion:
    """Save new words as a version: the title, the endorsement, each principle's section (by
    principle number) and the champions; the commitments stay as they are."""
    content = statement.latest.typed_content.with_text(title, preamble, bodies).with_champions(
        champions
    )
    return save_version(statement, author, content, reason)


def save_champion(
    statement: Statement, author: User, kind: str, name: str, role: str, reason: str
) -> StatementVersion:
    """Name one of the Keep it Local champions (``kind`` from ``CHAMPION_KINDS``) in a new
    version; the other champion and the rest of the text stay as they are."""
    if kind not in CHAMPION_LABELS:
        raise StatementError("Choose a Keep it Local champion.")
    content = statement.latest.typed_content.with_champion(Champion(kind, name, role))
    return save_version(statement, author, content, reason)


def visible_versions(statement: Statement, staff: bool) -> list[StatementVersion]:
    """Every version when ``staff`` (policy's ``statement.view_drafts``); otherwise the ones
    that were opened for comment or published, and those before them."""
    if staff:
        return list(statement.versions)
    return [v for v in statement.versions if v.number <= statement.public_through]


def public_version(statement: Statement) -> StatementVersion | None:
    """The version the public page shows: the published one, or else the one under review."""
    return statement.published_version or statement.review_version
