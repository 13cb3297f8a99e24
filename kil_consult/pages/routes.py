"""Site pages that belong to no area: the accessibility statement, cookies and privacy."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .accessibility import KNOWN_FAILURES, KNOWN_SHORTCOMINGS

bp = Blueprint("pages", __name__)


@bp.route("/accessibility")
def accessibility():
    return render_template(
        "pages/accessibility.html", failures=KNOWN_FAILURES, shortcomings=KNOWN_SHORTCOMINGS
    )


@bp.route("/cookies")
def cookies():
    return render_template("pages/cookies.html")


@bp.route("/privacy")
def privacy():
    """The privacy notice, from the controller, DPO and retention settings."""
    config = current_app.config
    return render_template(
        "pages/privacy.html",
        retention_days=config["KIL_RETENTION_DAYS"],
        unconfirmed_days=config["KIL_UNCONFIRMED_DAYS"],
    )
