"""Site pages that belong to no area: the accessibility statement and the cookies page."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.route("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/cookies")
def cookies():
    return render_template("pages/cookies.html")
