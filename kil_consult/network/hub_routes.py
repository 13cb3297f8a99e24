"""The hub's pages (only in hub mode, ``KIL_MODE=hub``): the member councils with how their
last harvest went, each principle side by side, a council's timeline, suggested peer pairs and
award nominations; the admin's register and "harvest now"; and the whole network's latest
returns as open data."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import policy
from ..extensions import db
from ..jobs import bound_queue
from . import hub, hub_views
from .forms import ConfirmForm, MemberForm
from .hub_models import MemberCouncil
from .models import NetworkError

bp = Blueprint("hub", __name__, url_prefix="/hub")


@bp.before_app_request
def home_is_the_hub():
    """In hub mode the site's home page is the hub."""
    if request.path == "/":
        return redirect(url_for("hub.index"))
    return None


@bp.route("/")
def index(form: MemberForm | None = None, status: int = 200):
    return (
        render_template(
            "network/hub/index.html",
            members=hub.members(),
            form=form or MemberForm(formdata=None),
            confirm=ConfirmForm(),
        ),
        status,
    )


@bp.route("/members", methods=["POST"])
@policy.requires("hub.manage")
def add_member():
    form = MemberForm()
    if not form.validate_on_submit():
        return index(form, 400)
    try:
        member = hub.register(form.base_url.data)
    except NetworkError as exc:
        db.session.rollback()
        form.base_url.errors = [str(exc)]
        return index(form, 400)
    db.session.commit()
    flash(f"Added {member.base_url}. Its returns are harvested within 15 minutes.")
    return redirect(url_for(".index"))


@bp.route("/harvest", methods=["POST"])
@policy.requires("hub.manage")
def harvest_now():
    from .tasks import harvest_all_now

    bound_queue()
    harvest_all_now()
    flash("Harvesting every member council now: reload this page in a minute.")
    return redirect(url_for(".index"))


@bp.route("/principles")
def principles():
    members = hub.members()
    return render_template(
        "network/hub/principles.html",
        members=[m for m in members if m.latest],
        rows=hub_views.side_by_side(members),
    )


@bp.route("/members/<int:member_id>")
def member(member_id: int):
    found = db.session.get(MemberCouncil, member_id)
    if found is None:
        abort(404)
    return render_template(
        "network/hub/member.html", member=found, timeline=hub_views.timeline(found)
    )


@bp.route("/peers")
def peers():
    members = hub.members()
    return render_template(
        "network/hub/peers.html",
        pairs=hub_views.peer_pairs(members),
        nominations=hub_views.nominations(members),
    )


@bp.route("/pack.<kind>")
def pack(kind: str):
    if kind not in ("docx", "pdf"):
        abort(404)
    from ..consultations.services import current_council
    from ..exports.files import write
    from .hub_pack import hub_pack_document
    from .pack import MIMETYPES

    document = hub_pack_document(hub.members(), current_council().name)
    name = f"keep-it-local-network-meeting-pack.{kind}"
    return Response(
        write(document, kind),
        mimetype=MIMETYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route("/returns.json")
def returns_json():
    """Open data of the whole network: each member's latest valid return."""
    response = jsonify(
        {
            "members": [
                {
                    "base_url": m.base_url,
                    "name": m.name,
                    "gss_code": m.gss_code,
                    "status": m.status.value,
                    "problem": m.problem,
                    "latest_return": m.latest.document if m.latest else None,
                }
                for m in hub.members()
            ]
        }
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)
