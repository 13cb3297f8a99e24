"""Time helpers shared by every area: the database stores naive UTC; people read local time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_zone() -> ZoneInfo:
    """The council's time zone (``KIL_TIMEZONE``, Europe/London by default)."""
    return ZoneInfo(current_app.config.get("KIL_TIMEZONE", "Europe/London"))


def to_local(value: datetime | None) -> datetime | None:
    """Convert a stored naive-UTC datetime to the council's local time."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(local_zone())


def from_local(value: datetime) -> datetime:
    """Convert a local wall-clock datetime (as an officer typed it) to naive UTC."""
    return value.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def format_datetime(value: datetime | None) -> str:
    """'5:00pm on 14 March 2027', the GOV.UK style for a time and date."""
    local = to_local(value)
    if local is None:
        return ""
    hour = local.strftime("%I").lstrip("0") or "12"
    minute = local.strftime("%M")
    suffix = local.strftime("%p").lower()
    time = f"{hour}{suffix}" if minute == "00" else f"{hour}:{minute}{suffix}"
    if local.hour == 12 and local.minute == 0:
        time = "midday"
    elif local.hour == 0 and local.minute == 0:
        time = "midnight"
    return f"{time} on {local.day} {local.strftime('%B %Y')}"


def format_date(value: datetime | None) -> str:
    """'14 March 2027' in the council's time zone."""
    local = to_local(value)
    if local is None:
        return ""
    return f"{local.day} {local.strftime('%B %Y')}"


def format_iso_date(value: str) -> str:
    """'2026-11-23' (as settings hold dates) as '23 November 2026'."""
    from datetime import date

    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day.strftime('%B %Y')}"
