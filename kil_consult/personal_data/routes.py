"""A person's own data pages: what is held and a download only they can use, and erasing the
account (the confirmation page after it stays with the account pages)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from .. import policy
from ..accounts import passwords
from ..accounts.forms import EraseAccountForm
from ..extensions import db, limiter, per_account
from . import services as personal_data
from .activity import activity_of

bp = Blueprint("personal_data", __name__)


@bp.route("/account/your-data")
@policy.requires("account.download_data")
def your_data():
    """Explain what is held and offer a download link that works only for this person."""
    token = personal_data.make_download_token(current_user)
    minutes = current_app.config["KIL_DATA_LINK_MAX_AGE"] // 60
    return render_template("accounts/your_data.html", token=token, minutes=minutes)


@bp.route("/account/activity")
@policy.requires("account.view_activity")
def activity():
    """Everything the person shared and every vote they cast, with what became of each."""
    return render_template(
        "accounts/activity.html", activity=activity_of(current_user._get_current_object())
    )


@bp.route("/account/your-data/<token>.json")
@policy.requires("account.download_data")
def download_data(token: str):
    """All of one's data as JSON, if the link was made for the person signed in now."""
    if not personal_data.download_token_is_for(token, current_user):
        abort(404)
    body = json.dumps(personal_data.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="your-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@policy.requires("account.erase")
@limiter.limit("10 per hour", methods=["POST"], key_func=per_account("account"))
def erase():
    """Erase one's account, keeping contributions anonymised or deleting them, as chosen."""
    form = EraseAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not passwords.verify_password(user.password_hash, form.password.data):
            form.password.errors.append("Your password is not right")
        else:
            keep = form.contributions.data == "keep"
            personal_data.erase_account(user, keep_contributions=keep)
            db.session.commit()
            logout_user()
            session.clear()
            return redirect(url_for("accounts.erased", kept="yes" if keep else "no"))
    status = 400 if form.errors else 200
    return render_template("accounts/erase.html", form=form), status
