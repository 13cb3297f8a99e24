"""Notifications: the list (with "mark all as read"), the settings page (email frequency,
neighbourhoods, what you follow) and the one-click unsubscribe link of every notification
email, which works without signing in (RFC 8058: the mail provider POSTs to it)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..extensions import csrf, db
from ..urls import redirect_back
from . import services
from .forms import EmptyForm, SettingsForm
from .models import Frequency

bp = Blueprint("following", __name__, url_prefix="/notifications")


@bp.route("")
@policy.requires("notifications.read")
def notifications():
    page = request.args.get("page", 1, type=int) or 1
    if page < 1 or page > 10_000:
        abort(404)
    rows, more = services.notifications_of(current_user, page)
    if not rows and page > 1:
        abort(404)
    return render_template(
        "following/notifications.html",
        notifications=rows,
        page=page,
        more=more,
        form=EmptyForm(),
        unread=services.unread_count(current_user),
    )


@bp.post("/read")
@policy.requires("notifications.read")
def mark_read():
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash("All your notifications are marked as read." if count else "You had nothing unread.")
    return redirect(url_for("following.notifications"))


def _settings_form(formdata=None) -> SettingsForm:
    form = SettingsForm(formdata=formdata)
    form.neighbourhoods.choices = [(n.id, n.name) for n in services.neighbourhoods()]
    return form


@bp.route("/settings", methods=["GET", "POST"])
@policy.requires("notifications.read")
def settings():
    form = _settings_form(request.form if request.method == "POST" else None)
    follows = services.follows_of(current_user)
    if request.method == "GET":
        form.frequency.data = services.frequency_of(current_user).value
        form.neighbourhoods.data = [f.neighbourhood_id for f in follows if f.neighbourhood_id]
    elif form.validate_on_submit():
        services.set_frequency(current_user, Frequency(form.frequency.data))
        if current_user.is_confirmed:
            services.set_neighbourhoods(current_user, form.neighbourhoods.data or [])
        db.session.commit()
        flash("Your notification settings are saved.")
        return redirect(url_for("following.settings"))
    status = 400 if form.errors else 200
    return (
        render_template(
            "following/settings.html",
            form=form,
            follows=[f for f in follows if f.neighbourhood_id is None],
            stop_form=EmptyForm(),
        ),
        status,
    )


@bp.post("/following/stop")
@policy.requires("notifications.read")
def unfollow():
    form = EmptyForm()
    target = request.form.get("target", "")
    if not form.validate_on_submit() or not target or len(target) > 40:
        abort(400)
    if services.unfollow(current_user, target):
        db.session.commit()
        flash("You have stopped following it.")
    return redirect_back("following.settings")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token is the proof: a mail provider's one-click POST has no session
def unsubscribe(token: str):
    person = services.user_for_unsubscribe(token)
    if person is None:
        return render_template("following/unsubscribe_problem.html"), 404
    if request.method == "POST":
        services.set_frequency(person, Frequency.NEVER)
        db.session.commit()
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 200
        return render_template("following/unsubscribed.html", person=person)
    return render_template("following/unsubscribe.html", token=token, person=person)
