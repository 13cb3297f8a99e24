"""Reading the audit log: filters, pages, and the rows for the CSV download."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..extensions import db
from ..forms import GovSelect, GovTextInput, clean_text
from .models import AuditEvent

AUDIT_PAGE_SIZE = 50

ACTIONS = {
    "": "All actions",
    "publish": "Published",
    "hide": "Hidden",
    "restore": "Restored",
    "dismiss_reports": "Reports dealt with",
    "merge": "Merged",
    "undo_merge": "Merge undone",
    "edit_hide_reason": "Reason template changed",
    "change_role": "Role changed",
    "edit_consultation": "Consultation edited",
    "open_consultation": "Consultation opened",
    "close_consultation": "Consultation closed",
    "record_event": "Offline event recorded",
    "enter_offline_idea": "Offline idea entered",
    "organisation.register": "Organisation registered",
    "organisation.verify": "Organisation verified",
    "organisation.decline": "Organisation declined",
    "membership.invite": "Member invited",
    "membership.request": "Asked to join",
    "membership.accept": "Invitation accepted",
    "membership.decline": "Invitation declined",
    "membership.approve": "Member approved",
    "membership.refuse": "Request refused",
    "membership.leave": "Member left",
}


def action_label(action: str) -> str:
    """The words the audit log shows for an action."""
    return ACTIONS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


class AuditFilterForm(Form):
    action = SelectField("Action", default="", widget=GovSelect())
    item_type = SelectField(
        "Item",
        default="",
        choices=[
            ("", "Any item"),
            ("idea", "Ideas"),
            ("comment", "Comments"),
            ("user", "People"),
            ("consultation", "Consultations"),
            ("organisation", "Organisations"),
            ("membership", "Memberships"),
            ("community_event", "Offline events"),
            ("hide_reason", "Reason templates"),
        ],
        widget=GovSelect(),
    )
    who = StringField(
        "Done by (name)",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), Length(max=60)],
    )
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100_000)])


def audit_filters(args) -> AuditFilterForm:
    """The filter form for the audit log, with every action that has been recorded offered."""
    form = AuditFilterForm(args)
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    choices = dict(ACTIONS)
    for action in sorted(recorded - set(choices)):
        choices[action] = action_label(action)
    form.action.choices = list(choices.items())
    return form


@dataclass
class AuditPage:
    items: list[AuditEvent]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / AUDIT_PAGE_SIZE))


def audit_events(filters: AuditFilterForm, page: int | None) -> AuditPage:
    """Audit events matching the filters, newest first: one page, or all of them (page=None)."""
    from ..accounts.models import User

    conditions = []
    if filters.action.data:
        conditions.append(AuditEvent.action == filters.action.data)
    if filters.item_type.data:
        conditions.append(AuditEvent.item_type == filters.item_type.data)
    if filters.who.data:
        like = f"%{filters.who.data.lower()}%"
        conditions.append(
            AuditEvent.actor_id.in_(select(User.id).where(func.lower(User.display_name).like(like)))
        )
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    statement = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(*conditions)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if page is not None:
        page = max(1, min(page, max(1, math.ceil(total / AUDIT_PAGE_SIZE))))
        statement = statement.limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE)
    return AuditPage(list(db.session.scalars(statement)), total, page or 1)
