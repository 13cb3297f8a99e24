"""The evidence behind an assessment: addresses on this site (an idea, a commitment on the
progress page, a summary, the statement, a report or another download), each checked and
named here so that the page, the meeting pack and the return show what it is."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ..extensions import db
from ..ideas.models import Idea, Visibility
from ..urls import base_url
from .models import NetworkError

# What each kind of page on this site is, as evidence.
KINDS = {
    "ideas.show": "idea",
    "statements.progress": "commitment",
    "statements.show": "statement",
    "statements.version": "statement",
    "statements.summary_version": "summary",
    "pages.consultation": "summary",
    "analysis.results": "summary",
}
MAX_EVIDENCE = 20
# What a page is called when it is not an idea or a commitment.
NAMES = {
    "statements.progress": "Progress on our commitments",
    "statements.show": "Our Keep it Local statement",
    "statements.version": "A version of our statement",
    "exports.progress_download": "Progress report (download)",
    "exports.statement_download": "Our statement (download)",
    "exports.report": "“You said, we did” report (download)",
}


def commitment_evidence(commitment) -> dict:
    """A commitment of the statement as evidence (its place on the progress page)."""
    return {
        "kind": "commitment",
        "label": f"Commitment {commitment.number}: {commitment.text[:120]}",
        "path": f"/statement/progress#commitment-{commitment.id}",
    }


def _path_of(line: str) -> str:
    """The path of an address on this site; refuses an address on another site."""
    here = base_url()
    if line.startswith(here + "/"):
        line = line[len(here) :]
    parts = urlsplit(line)
    if parts.scheme or parts.netloc or not line.startswith("/"):
        raise NetworkError(
            f"“{line[:80]}” is not an address on this site: give one that starts with "
            f"{here}/ or with /."
        )
    return line


def resolve(line: str) -> dict:
    """One address as evidence: its kind, a label and its path. Refuses an address that is
    not a page of this site, or an idea that is not published."""
    path = _path_of(line.strip())
    parts = urlsplit(path)
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, values = adapter.match(parts.path, method="GET")
    except (HTTPException, RequestRedirect):
        raise NetworkError(f"“{path[:80]}” is not a page of this site.") from None
    if endpoint == "static":
        raise NetworkError(f"“{path[:80]}” is not a page of this site.")
    kind = KINDS.get(endpoint, "document" if endpoint.startswith("exports.") else "page")
    label = NAMES.get(endpoint, path)
    if kind == "idea":
        idea = db.session.get(Idea, values["idea_id"])
        if idea is None or idea.visibility is not Visibility.PUBLISHED:
            raise NetworkError(f"There is no published idea {values['idea_id']}.")
        label = f"Idea {idea.id}: {idea.title}"
    elif kind == "commitment" and parts.fragment.startswith("commitment-"):
        label = f"Commitment on the progress page ({parts.fragment})"
    return {"kind": kind, "label": label[:200], "path": path}


def resolve_all(lines: list[str]) -> list[dict]:
    """Every address given, in order, without repeats (at most ``MAX_EVIDENCE``)."""
    found, seen = [], set()
    for line in lines:
        if not line.strip():
            continue
        item = resolve(line)
        if item["path"] not in seen:
            seen.add(item["path"])
            found.append(item)
    if len(found) > MAX_EVIDENCE:
        raise NetworkError(f"Give at most {MAX_EVIDENCE} pieces of evidence.")
    return found
