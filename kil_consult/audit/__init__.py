"""The audit log, at the bottom of the house: who did what, when, to which item, and what
changed. Any area records an event with ``record(actor, "idea.hide", idea, before=..., ...)``;
areas tell the log what their items are called (``register_item``) in ``create_app``, so this
package never imports them."""

from __future__ import annotations

from .actions import ACTIONS, action_label
from .items import ItemKind, register_item
from .models import AuditEvent
from .services import changes, record

__all__ = [
    "ACTIONS",
    "AuditEvent",
    "ItemKind",
    "action_label",
    "changes",
    "record",
    "register_item",
]
