"""The hub's work: register member councils by base address and harvest their network returns.

A harvest asks a council's ``/api/v1/network/returns`` with the ETag of the last answer
(``If-None-Match``), so an unchanged council answers 304 and costs nothing. A 200 is checked
against the published JSON Schema of the return; a council whose answer does not fit is shown
with why (and its returns already taken in are kept). A council that does not answer, or
answers with a server error, is tried again later, waiting longer after each failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from jsonschema import Draft202012Validator
from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from .hub_models import HarvestedReturn, HarvestStatus, MemberCouncil
from .models import NetworkError
from .returns import schema

RETURNS_PATH = "/api/v1/network/returns"
TIMEOUT = 10  # seconds to wait for a council's answer
MAX_BYTES = 5 * 1024 * 1024  # a council's answer larger than this is refused
EVERY = timedelta(hours=1)  # how often a council that answers is asked again
RETRY_FIRST = timedelta(minutes=5)  # the first retry of a council that is down; then doubled
RETRY_MOST = timedelta(hours=6)
SUPPORTED_MAJOR = "1"


def normalise_base_url(address: str) -> str:
    """A council's base address as the register keeps it: http(s), host, path, no trailing
    slash, query or fragment. Refuses anything else."""
    address = address.strip()
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NetworkError(
            "Enter the address of the council's site, like https://kil.example.gov.uk"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise NetworkError("Enter the site's address only, without ?, # or a password.")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def register(address: str) -> MemberCouncil:
    """Add a council to the register; its first harvest is due at once."""
    base_url = normalise_base_url(address)
    if db.session.scalar(select(MemberCouncil.id).where(MemberCouncil.base_url == base_url)):
        raise NetworkError(f"{base_url} is already a member.")
    member = MemberCouncil(base_url=base_url, next_try_at=utcnow())
    db.session.add(member)
    db.session.flush()
    return member


def members() -> list[MemberCouncil]:
    """Every member council, by name."""
    found = db.session.scalars(select(MemberCouncil)).all()
    return sorted(found, key=lambda m: m.display_name.lower())


def due_members(now: datetime | None = None) -> list[MemberCouncil]:
    """The members whose next harvest is due."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(MemberCouncil)
            .where(MemberCouncil.next_try_at <= now)
            .order_by(MemberCouncil.next_try_at, MemberCouncil.id)
        )
    )


def problems_with(answer) -> list[str]:
    """Why a council's answer is not a list of valid returns (empty if it is)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
        return ['The answer is not a list of returns (no "items").']
    validator = Draft202012Validator(schema())
    problems = []
    for number, item in enumerate(answer["items"], start=1):
        version = str(item.get("schema_version", "")) if isinstance(item, dict) else ""
        if version.split(".")[0] != SUPPORTED_MAJOR:
            problems.append(f"Return {number}: schema version {version or 'missing'} is not 1.x.")
            continue
        for error in sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))[:3]:
            where = "/".join(map(str, error.absolute_path)) or "the document"
            problems.append(f"Return {number}, at {where}: {error.message[:200]}")
    return problems


@dataclass(frozen=True)
class Harvest:
    """What one harvest of one council found."""

    status: HarvestStatus
    changed: int = 0  # returns new or changed
    problem: str = ""


def _fetch(member: MemberCouncil) -> requests.Response:
    headers = {"Accept": "application/json", "User-Agent": "kil-consult network hub"}
    if member.etag:
        headers["If-None-Match"] = member.etag
    response = requests.get(
        member.base_url + RETURNS_PATH,
        headers=headers,
        timeout=TIMEOUT,
        stream=True,
        allow_redirects=False,
    )
    body = b""
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_BYTES:
            response.close()
            raise ValueError(f"The answer is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    response._content = body
    return response


def harvest(member: MemberCouncil, now: datetime | None = None) -> Harvest:
    """Ask one council for its returns and take in what is new (flushes)."""
    now = now or utcnow()
    member.last_tried_at = now
    try:
        response = _fetch(member)
    except requests.RequestException as exc:
        return _down(member, now, f"No answer from {member.base_url} ({type(exc).__name__}).")
    except ValueError as exc:
        return _invalid(member, now, str(exc))
    if response.status_code == 304:
        return _settled(member, now, HarvestStatus.UNCHANGED)
    if response.status_code >= 500 or response.status_code == 429:
        return _down(member, now, f"The council's site answered HTTP {response.status_code}.")
    if response.status_code != 200:
        return _invalid(member, now, f"The council's site answered HTTP {response.status_code}.")
    try:
        answer = json.loads(response.content)
    except ValueError:
        return _invalid(member, now, "The answer is not JSON.")
    problems = problems_with(answer)
    if problems:
        return _invalid(member, now, " ".join(problems))
    changed = _take_in(member, answer["items"], now)
    member.etag = response.headers.get("ETag", "")[:200]
    if changed:
        member.last_changed_at = now
    return _settled(
        member, now, HarvestStatus.CHANGED if changed else HarvestStatus.UNCHANGED, changed
    )


def _take_in(member: MemberCouncil, items: list[dict], now: datetime) -> int:
    """Keep each return (new, or changed since the last harvest); returns how many changed."""
    kept = {r.round_id: r for r in member.returns}
    changed = 0
    for item in items:
        round_id = item["round"]["id"]
        found = kept.get(round_id)
        if found is not None and found.document == item:
            found.harvested_at = now
            continue
        if found is None:
            found = HarvestedReturn(member_id=member.id, round_id=round_id)
            db.session.add(found)
            member.returns.append(found)
        found.document = item
        found.round_title = item["round"]["title"][:120]
        found.meeting_on = item["round"]["meeting_on"][:10]
        found.harvested_at = found.changed_at = now
        changed += 1
    latest = max(items, key=lambda i: i["round"]["meeting_on"], default=None)
    if latest is not None:
        member.name = latest["council"]["name"][:160]
        member.gss_code = latest["council"]["gss_code"][:9]
    db.session.flush()
    return changed


def _settled(member, now, status: HarvestStatus, changed: int = 0) -> Harvest:
    member.status, member.problem, member.failures = status, "", 0
    member.next_try_at = now + EVERY
    db.session.flush()
    return Harvest(status, changed)


def _invalid(member, now, problem: str) -> Harvest:
    member.status, member.problem, member.failures = HarvestStatus.INVALID, problem, 0
    member.etag = ""  # ask for the whole answer next time
    member.next_try_at = now + EVERY
    db.session.flush()
    return Harvest(HarvestStatus.INVALID, problem=problem)


def _down(member, now, problem: str) -> Harvest:
    member.failures += 1
    member.status, member.problem = HarvestStatus.DOWN, problem
    wait = min(RETRY_FIRST * 2 ** (member.failures - 1), RETRY_MOST)
    member.next_try_at = now + wait
    db.session.flush()
    return Harvest(HarvestStatus.DOWN, problem=problem)
