"""Writing the audit log: one append-only row per change, in the change's own transaction."""

from __future__ import annotations

import warnings
from datetime import date, datetime
from enum import Enum
from typing import Any

from ..extensions import db
from .actions import ACTIONS
from .items import kind_of, label_of
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
    obj,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Add an audit event about ``obj`` to the current transaction (it is kept only if the
    change is). The item's kind, id, consultation and name come from the object itself.

    Nothing is recorded when nothing changed: ``before`` and ``after`` both given and equal.
    ``action`` is a ``noun.verb`` name with a label in ``ACTIONS``.
    """
    if action not in ACTIONS:
        warnings.warn(f"Audit action {action!r} has no label in audit.ACTIONS", stacklevel=2)
    before = _plain(before) if before is not None else None
    after = _plain(after) if after is not None else None
    if before is not None and after is not None and before == after:
        return None
    kind = kind_of(obj)
    if kind is None:
        item_type, consultation_id, label = type(obj).__name__.lower(), None, ""
    else:
        item_type, consultation_id = kind.name, kind.consultation_id(obj)
        label = label_of(kind, obj) if kind.keep_label else ""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        item_type=item_type,
        item_id=getattr(obj, "id", None),
        item_label=label,
        consultation_id=consultation_id,
        before=before,
        after=after,
        note=note or "",
    )
    db.session.add(event)
    return event


def changes(obj, names: list[str], new_values: dict) -> tuple[dict, dict]:
    """The before and after values of the fields that a change actually alters."""
    before, after = {}, {}
    for name in names:
        if name in new_values and _plain(getattr(obj, name)) != _plain(new_values[name]):
            before[name] = getattr(obj, name)
            after[name] = new_values[name]
    return _plain(before), _plain(after)
