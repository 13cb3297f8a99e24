"""The network returns in the open data: each signed-off self-assessment round as the
versioned document ``network/returns.py`` describes, the latest one, and an Atom feed of them
for the network hub and anyone else who wants to hear of a new return."""

from __future__ import annotations

from datetime import UTC

from flask import current_app, render_template, request

from ..consultations.services import current_council
from ..extensions import db
from ..network.models import AssessmentRound, RoundState
from ..network.returns import NetworkReturn, ReturnList
from ..network.rounds import signed_off_rounds
from ..urls import external_url as site_url
from .routes import PREFIX, bp, operation
from .services import ApiError


def _document(round_: AssessmentRound) -> NetworkReturn:
    return NetworkReturn.model_validate(round_.return_document)


def _changed(found: list[AssessmentRound]):
    return max((r.signed_off_at for r in found if r.signed_off_at), default=None)


@operation(
    "/network/returns",
    response=ReturnList,
    tag="Network",
    summary="Every network return of this council",
    errors=(),
)
def network_returns(query):
    """Every signed-off self-assessment round as a Keep it Local network return (newest
    first): the council, its champions, its level on each principle with the evidence and
    next steps, its commitments with their progress, and participation. The JSON Schema of a
    return is at /network/return.schema.json. The hub sends If-None-Match to get 304."""
    found = signed_off_rounds()
    model = ReturnList(items=[_document(r) for r in found])
    return model, _changed(found)


@operation(
    "/network/returns/latest",
    response=NetworkReturn,
    tag="Network",
    summary="The latest network return",
)
def network_latest_return(query):
    """The network return of the latest signed-off round (by meeting date). 404 before any."""
    found = signed_off_rounds()
    if not found:
        raise ApiError(404, "No self-assessment round has been signed off yet.")
    return _document(found[0]), found[0].signed_off_at


@operation(
    "/network/returns/<int:round_id>",
    response=NetworkReturn,
    tag="Network",
    summary="One network return",
)
def network_return(query, round_id: int):
    """The network return of one signed-off round, by the round's number."""
    found = db.session.get(AssessmentRound, round_id) if round_id <= 2_147_483_647 else None
    if found is None or found.state is not RoundState.SIGNED_OFF:
        raise ApiError(404, f"There is no signed-off round {round_id}.")
    return _document(found), found.signed_off_at


@bp.route(PREFIX + "/network/returns.atom")
def network_returns_feed():
    """An Atom feed of the council's network returns, newest first."""
    found = signed_off_rounds()
    updated = _changed(found)
    body = render_template(
        "api/returns.atom",
        council=current_council(),
        rounds=found,
        feed_url=site_url("api.network_returns_feed"),
        base=current_app.config["KIL_BASE_URL"],
        updated=(updated.replace(tzinfo=UTC) if updated else None),
        utc=lambda value: value.replace(tzinfo=UTC, microsecond=0).isoformat(),
        return_url=lambda r: site_url("api.network_return", round_id=r.id),
        page_url=lambda r: site_url("network.show", round_id=r.id),
    )
    response = current_app.response_class(body, mimetype="application/atom+xml")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response.make_conditional(request)
