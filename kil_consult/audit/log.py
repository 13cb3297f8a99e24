"""Reading the audit log: filters, pages of events with their items named, and CSV rows."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..extensions import db
from ..forms import GovSelect, GovTextInput, clean_text
from ..timeutil import format_datetime, format_iso_date, to_local
from .actions import ACTIONS, action_label
from .items import ItemName, load, name_item
from .models import AuditEvent

AUDIT_PAGE_SIZE = 50

ITEM_TYPES = [
    ("", "Any item"),
    ("idea", "Ideas"),
    ("comment", "Comments"),
    ("user", "People"),
    ("consultation", "Consultations"),
    ("organisation", "Organisations"),
    ("community_event", "Offline events"),
    ("hide_reason", "Reason templates"),
    ("statement", "Statements"),
    ("commitment", "Commitments"),
]


class AuditFilterForm(Form):
    action = SelectField("Action", default="", widget=GovSelect())
    item_type = SelectField("Item", default="", choices=ITEM_TYPES, widget=GovSelect())
    who = StringField(
        "Done by (name)",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), Length(max=60)],
    )
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100_000)])


def audit_filters(args) -> AuditFilterForm:
    """The filter form for the audit log, offering every action (and any other recorded)."""
    form = AuditFilterForm(args)
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    choices = {"": "All actions", **ACTIONS}
    for action in sorted(recorded - set(choices)):
        choices[action] = action_label(action)
    form.action.choices = list(choices.items())
    return form


@dataclass(frozen=True)
class AuditEntry:
    """One event as the log shows it: what was done, to which item, in which consultation."""

    event: AuditEvent
    item: ItemName
    consultation: ItemName | None

    @property
    def action_label(self) -> str:
        return action_label(self.event.action)

    @property
    def who(self) -> str:
        return self.event.actor.display_name if self.event.actor else "System"

    @property
    def when_iso(self) -> str:
        """The time in the council's zone, to the minute, for a ``<time datetime>``."""
        return to_local(self.event.created_at).isoformat(timespec="minutes")

    @property
    def before_shown(self) -> list[tuple[str, str]]:
        return shown(self.event.before)

    @property
    def after_shown(self) -> list[tuple[str, str]]:
        return shown(self.event.after)


def _readable(value) -> str:
    """A recorded value as people read it: times in the council's zone to the minute."""
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return format_datetime(moment)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        return format_iso_date(value)
    if isinstance(value, list):
        return ", ".join(_readable(item) for item in value)
    if value is None or value == "":
        return "(none)"
    return str(value)


def shown(values: dict | None) -> list[tuple[str, str]]:
    """The fields of a before or after, each with its value made readable."""
    return [(key.replace("_", " "), _readable(value)) for key, value in (values or {}).items()]


@dataclass
class AuditPage:
    items: list[AuditEntry]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / AUDIT_PAGE_SIZE))


def _conditions(filters: AuditFilterForm) -> list:
    conditions = []
    if filters.action.data:
        conditions.append(AuditEvent.action == filters.action.data)
    if filters.item_type.data:
        conditions.append(AuditEvent.item_type == filters.item_type.data)
    if filters.who.data:
        person = AuditEvent.actor.property.mapper.class_
        like = f"%{filters.who.data.lower()}%"
        conditions.append(AuditEvent.actor.has(func.lower(person.display_name).like(like)))
    return conditions


def entries_for(events: list[AuditEvent]) -> list[AuditEntry]:
    """Events with their items and consultations named (one query per kind of item)."""
    pairs = [(e.item_type, e.item_id) for e in events]
    pairs += [("consultation", e.consultation_id) for e in events if e.consultation_id]
    found = load(pairs)
    entries = []
    for event in events:
        item = name_item(found, event.item_type, event.item_id, event.item_label)
        consultation = None
        if event.consultation_id and not (
            event.item_type == "consultation" and event.item_id == event.consultation_id
        ):
            consultation = name_item(found, "consultation", event.consultation_id)
        entries.append(AuditEntry(event, item, consultation))
    return entries


def audit_events(filters: AuditFilterForm, page: int | None) -> AuditPage:
    """Audit events matching the filters, newest first: one page, or all of them (page=None)."""
    conditions = _conditions(filters)
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
    events = list(db.session.scalars(statement))
    return AuditPage(entries_for(events), total, page or 1)


CSV_HEADER = [
    "id",
    "when_utc",
    "when",
    "who",
    "action",
    "what",
    "item_type",
    "item_id",
    "item",
    "consultation_id",
    "consultation",
    "before",
    "after",
    "note",
]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _consultation_text(entry: AuditEntry) -> str:
    if entry.consultation is not None:
        return entry.consultation.text
    if entry.event.consultation_id and entry.event.item_type == "consultation":
        return entry.item.text  # the item is the consultation itself
    return ""


def csv_rows(entries: list[AuditEntry]) -> list[list]:
    """The rows of the CSV download: UTC to the second, the council's time to the minute."""
    rows = []
    for entry in entries:
        event = entry.event
        utc = event.created_at.replace(tzinfo=UTC, microsecond=0)
        rows.append(
            [
                event.id,
                utc.isoformat().replace("+00:00", "Z"),
                format_datetime(event.created_at),
                entry.who if event.actor else "",
                event.action,
                entry.action_label,
                event.item_type,
                event.item_id or "",
                entry.item.text,
                event.consultation_id or "",
                _consultation_text(entry),
                _json(event.before),
                _json(event.after),
                event.note,
            ]
        )
    return rows
