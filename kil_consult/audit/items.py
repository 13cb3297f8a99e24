"""What the audit log calls each kind of item and where it links to.

Areas register their models in ``create_app`` (``register_item(Idea, "idea", ...)``); the log
reads this registry, so it never imports an area. ``record()`` uses it to derive an item's
kind, id, consultation and label from the object itself; the audit page uses it to show
items by name with links, in one query per kind of item on the page.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from ..extensions import db

LABEL_LENGTH = 200


@dataclass(frozen=True)
class ItemKind:
    """One kind of item the log can name: ``idea``, ``consultation``, ``organisation``..."""

    name: str
    model: type
    noun: str  # "Idea", "Person": the words for an item that no longer exists
    label: Callable[[Any], str]
    endpoint: str | None = None
    url_args: Callable[[Any], dict] = field(default=lambda obj: {})
    consultation_id: Callable[[Any], int | None] = field(
        default=lambda obj: getattr(obj, "consultation_id", None)
    )
    keep_label: bool = True  # False when the name is personal data (people, what they wrote)

    def url(self, obj) -> str | None:
        """The page of one item, or None if it has no page (or the endpoint is unknown)."""
        if self.endpoint is None:
            return None
        try:
            return url_for(self.endpoint, **self.url_args(obj))
        except BuildError:
            return None


_BY_NAME: dict[str, ItemKind] = {}
_BY_MODEL: dict[type, ItemKind] = {}


def register_item(
    model: type,
    name: str,
    *,
    noun: str,
    label: Callable[[Any], str],
    endpoint: str | None = None,
    url_args: Callable[[Any], dict] | None = None,
    consultation_id: Callable[[Any], int | None] | None = None,
    keep_label: bool = True,
) -> ItemKind:
    """Tell the audit log about one kind of item (called from ``create_app``; idempotent)."""
    options: dict[str, Any] = {}
    if url_args is not None:
        options["url_args"] = url_args
    if consultation_id is not None:
        options["consultation_id"] = consultation_id
    kind = ItemKind(
        name=name,
        model=model,
        noun=noun,
        label=label,
        endpoint=endpoint,
        keep_label=keep_label,
        **options,
    )
    _BY_NAME[name] = kind
    _BY_MODEL[model] = kind
    return kind


def kind_named(name: str) -> ItemKind | None:
    """The registered kind with this name, if any."""
    return _BY_NAME.get(name)


def kind_of(obj) -> ItemKind | None:
    """The registered kind of an object (looking through its classes), warning if none."""
    for cls in type(obj).__mro__:
        if cls in _BY_MODEL:
            return _BY_MODEL[cls]
    warnings.warn(
        f"{type(obj).__name__} is not registered with the audit log (register_item)",
        stacklevel=3,
    )
    return None


def registered_kinds() -> list[ItemKind]:
    """Every registered kind, in the order they were registered."""
    return list(_BY_NAME.values())


def label_of(kind: ItemKind, obj) -> str:
    """An item's name as the log shows it, on one line and not too long."""
    text = " ".join(str(kind.label(obj) or "").split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


@dataclass(frozen=True)
class ItemName:
    """How the log shows one item: its name, a link while it exists, and whether it is gone."""

    text: str
    url: str | None = None
    gone: bool = False


def _missing(kind: ItemKind | None, item_type: str, item_id: int | None, label: str) -> ItemName:
    noun = kind.noun if kind else item_type.replace("_", " ").capitalize()
    if label:
        return ItemName(label, None, gone=True)
    if item_id is None:
        return ItemName(noun, None, gone=True)
    return ItemName(f"{noun} {item_id}", None, gone=True)


def load(pairs: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int], Any]:
    """The items behind (kind, id) pairs that still exist: one query per kind."""
    wanted: dict[str, set[int]] = {}
    for item_type, item_id in pairs:
        if item_id is not None and item_type in _BY_NAME:
            wanted.setdefault(item_type, set()).add(item_id)
    found: dict[tuple[str, int], Any] = {}
    for item_type, ids in wanted.items():
        model = _BY_NAME[item_type].model
        for obj in db.session.scalars(select(model).where(model.id.in_(sorted(ids)))):
            found[(item_type, obj.id)] = obj
    return found


def name_item(
    found: dict[tuple[str, int], Any], item_type: str, item_id: int | None, label: str = ""
) -> ItemName:
    """How the log shows one item, from items ``load`` found (or its label snapshot)."""
    kind = _BY_NAME.get(item_type)
    obj = found.get((item_type, item_id)) if item_id is not None else None
    if kind is None or obj is None:
        return _missing(kind, item_type, item_id, label)
    return ItemName(label_of(kind, obj) or label or f"{kind.noun} {item_id}", kind.url(obj))
