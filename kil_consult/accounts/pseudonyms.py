"""The pseudonyms people appear under in what the council publishes: the open-data API and the
open-data exports. Two spaces that never share a value, so no vote can be joined to a name:

- **Authorship**: who wrote an idea or comment. The pages show a name (or an organisation, or
  "from <name>" for an idea gathered offline) beside each of them, so an authorship pseudonym
  is, in effect, public beside that name. It is made per *byline*: a person writing as
  themselves has one, writing on behalf of an organisation another (one per organisation),
  and every idea gathered offline its own (the facilitator who typed it in is not its author).
  So a pseudonym links no more than the pages' bylines do.
- **Voting**: how someone voted. Votes are never shown beside a name anywhere, and appear
  only in the exports, under a key drawn for that export alone and forgotten with it: no
  authorship pseudonym, no earlier or later export and no account id leads to them.

The API's authorship pseudonyms stay the same from one answer to the next (researchers can
follow a byline): an HMAC-SHA256, keyed with ``KIL_PSEUDONYM_KEY`` (required and checked in
production, a random file under ``instance/`` in development), of the person's random
``pseudonym_seed``, never of their id. Erasing an account draws a new seed, so what stays of
the person afterwards carries pseudonyms that cannot be linked to the old ones, even by
someone who knows the key. Exports draw two fresh keys each time (authorship and voting).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from flask import current_app

API_PREFIX = "participant-"
EXPORT_AUTHOR_PREFIX = "author-"
EXPORT_VOTER_PREFIX = "voter-"
_AUTHORSHIP = b"kil-consult authorship\x00"
OWN = "own"


def byline(organisation_id: int | None = None, offline_idea_id: int | None = None) -> str:
    """The byline an idea or comment is published under, as the pages show it: on behalf of
    an organisation, gathered offline (each such idea on its own), or the person's own."""
    if organisation_id is not None:
        return f"organisation:{organisation_id}"
    if offline_idea_id is not None:
        return f"offline:{offline_idea_id}"
    return OWN


def byline_of(item) -> str:
    """The byline of a loaded idea or comment."""
    offline = item.id if getattr(item, "is_offline", False) else None
    return byline(item.organisation_id, offline)


def author_pseudonym(seed: str, item_byline: str) -> str:
    """The API's stable pseudonym for one person's byline (see the module's description)."""
    key = current_app.config["KIL_PSEUDONYM_KEY"].encode()
    message = _AUTHORSHIP + seed.encode() + b"\x00" + item_byline.encode()
    return API_PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def pseudonym_of_author(item) -> str:
    """The API's pseudonym for whoever an idea or comment is shown as written by."""
    return author_pseudonym(item.author.pseudonym_seed, byline_of(item))


class ExportPseudonyms:
    """The two pseudonym spaces of one export, each with its own random key drawn here and
    forgotten with the export: ``author(user_id, byline)`` for ideas and comments,
    ``voter(user_id)`` for votes. Bounded caches keep a large export fast."""

    def __init__(self) -> None:
        author_key = secrets.token_bytes(32)
        voter_key = secrets.token_bytes(32)

        @functools.lru_cache(maxsize=100_000)
        def author(user_id: int, item_byline: str) -> str:
            message = f"{user_id}\x00{item_byline}".encode()
            digest = hashlib.blake2b(message, key=author_key, digest_size=8)
            return EXPORT_AUTHOR_PREFIX + digest.hexdigest()

        @functools.lru_cache(maxsize=100_000)
        def voter(user_id: int) -> str:
            digest = hashlib.blake2b(str(user_id).encode(), key=voter_key, digest_size=8)
            return EXPORT_VOTER_PREFIX + digest.hexdigest()

        self._author = author
        self._voter = voter

    def author(self, user_id: int | None, item_byline: str = OWN) -> str | None:
        """The pseudonym of an idea's or comment's byline in this export."""
        return None if user_id is None else self._author(user_id, item_byline)

    def voter(self, user_id: int) -> str:
        """The pseudonym of a voter in this export (linked to nothing outside the votes)."""
        return self._voter(user_id)
