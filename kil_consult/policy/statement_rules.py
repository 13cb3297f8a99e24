"""The rules of the Keep it Local statement: reading it and its drafts, drafting, review,
decision, signatures, publication and progress on its commitments (``RULES`` in ``rules.py``
names them)."""

from __future__ import annotations

from ..statements.models import Commitment, Statement, StatementState
from .people import is_admin, is_participant, is_staff


def may_view_statement(user, statement: Statement) -> bool:
    """Anyone may read the statement once it is open for comment or published, with its
    earlier public versions; facilitators and admins also read drafts."""
    return statement.is_public or is_staff(user)


def may_view_statement_drafts(user, statement: Statement) -> bool:
    """Facilitators and admins read and download every version of the statement, drafts
    included; everyone else reads those opened for comment or published, and those before."""
    return is_staff(user)


def may_start_statement(user, obj=None) -> bool:
    """Facilitators and admins start the statement's draft from the published summaries."""
    return is_staff(user)


def may_edit_statement(user, statement: Statement) -> bool:
    """Facilitators and admins revise a draft (also while it is open for comment) and start a
    new version of a published statement; nobody changes an agreed, unpublished one."""
    return is_staff(user) and statement.is_editable


def may_open_statement_review(user, statement: Statement) -> bool:
    """An admin opens the latest draft for public comment until a date."""
    return (
        is_admin(user)
        and statement.state in (StatementState.DRAFT, StatementState.REVIEW)
        and bool(statement.versions)
    )


def may_respond_to_statement(user, statement: Statement) -> bool:
    """A confirmed person may comment on and support parts of the draft while it is open for
    comment."""
    return is_participant(user) and statement.is_reviewing()


def may_read_statement_feedback(user, statement: Statement) -> bool:
    """Facilitators and admins read every response beside the text."""
    return is_staff(user)


def may_agree_statement(user, statement: Statement) -> bool:
    """An admin records the decision (body, date, reference) that agreed the latest draft."""
    return (
        is_admin(user)
        and statement.state in (StatementState.DRAFT, StatementState.REVIEW)
        and bool(statement.versions)
    )


def may_close_statement_review(user, statement: Statement) -> bool:
    """An admin may close an open public review early, so that the decision can be recorded."""
    return is_admin(user) and statement.is_reviewing()


def may_sign_statement(user, statement: Statement) -> bool:
    """An admin records who signed an agreed statement, before it is published."""
    return is_admin(user) and statement.state is StatementState.AGREED


def may_publish_statement(user, statement: Statement) -> bool:
    """An admin publishes an agreed statement (the service asks for a signatory first)."""
    return is_admin(user) and statement.state is StatementState.AGREED


def may_view_progress(user, statement: Statement) -> bool:
    """Anyone may follow the commitments' progress once the statement is published; staff
    at any time."""
    return statement.published_number is not None or is_staff(user)


def may_update_commitment(user, commitment: Commitment) -> bool:
    """Facilitators and admins record the status and progress of a published commitment."""
    return is_staff(user) and commitment.statement.published_number is not None


def may_manage_indicators(user, commitment: Commitment) -> bool:
    """An admin gives a commitment its indicators (baseline, target, source, how often
    measured), adopting or adapting the starter library, and changes or removes them."""
    return is_admin(user)


def may_record_readings(user, commitment: Commitment) -> bool:
    """Facilitators and admins enter (and take back) the dated readings of a commitment's
    indicators."""
    return is_staff(user)
