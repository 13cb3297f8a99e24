"""The audit log: one append-only row for every moderation, verification, role and
consultation change, saying who did what, when, to which item, and what changed."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from ..extensions import db
from .models import AuditEvent


def _plain(value: Any) -> Any:
    """Make a value JSON-safe (enums by value, dates as ISO text)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record(
    actor,
    action: str,
    item_type: str,
    item_id: int | None,
    consultation_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Add an audit event to the current transaction (it is kept only if the change is)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        item_type=item_type,
        item_id=item_id,
        consultation_id=consultation_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        note=note,
    )
    db.session.add(event)
    return event


def changes(obj, names: list[str], new_values: dict) -> tuple[dict, dict]:
    """The before and after values of the fields that a change actually alters."""
    before, after = {}, {}
    for name in names:
        if name in new_values and getattr(obj, name) != new_values[name]:
            before[name] = getattr(obj, name)
            after[name] = new_values[name]
    return _plain(before), _plain(after)
