"""Results and themes pages of a consultation, and the results' CSV downloads.

Reading results never writes: the pages read ``ConsultationResults`` (queuing a
recomputation job when they are out of date); "Recompute now" queues one.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..extensions import db
from ..questions.results import question_results
from . import charts, theme_services
from .forms import ConfirmForm, RenameForm, TagForm, ThemeActionForm, ThemeForm
from .models import Theme
from .ranking import published_idea_ids, rows_by_id
from .results import summary_of
from .stats import MIN_GROUP_VOTES, SILHOUETTE_MIN, STABILITY_MIN
from .tables import TABLES, table_csv
from .tasks import fresh_results, queue_recompute
from .values import LIST_LENGTH

bp = Blueprint("analysis", __name__)

BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}


# --- results --------------------------------------------------------------------------------


@bp.route("/consultations/<slug>/results")
@policy.requires("consultation.view", **BY_SLUG)
def results(consultation: Consultation):
    if not policy.can("results.view", consultation):
        # Not a 404: say when the results will appear.
        return render_template("analysis/results_pending.html", consultation=consultation)
    shown = fresh_results(consultation)
    summary = summary_of(consultation)
    return render_template(
        "analysis/results.html",
        consultation=consultation,
        results=shown,
        ranked=shown.top_ranked(LIST_LENGTH),
        divisive=shown.top_divisive(LIST_LENGTH),
        days_chart=charts.bars_over_time(shown.participation.days, "votes"),
        places_chart=charts.share_bars(shown.places),
        groups_chart=charts.opinion_map(shown.base, shown.groups),
        version=summary.published if summary else None,
        latest=summary.latest if summary else None,
        confirm=ConfirmForm(),
        min_group_votes=MIN_GROUP_VOTES,
        silhouette_min=SILHOUETTE_MIN,
        stability_min=STABILITY_MIN,
        answers=question_results(consultation),
    )


@bp.route("/consultations/<slug>/results/recompute", methods=["POST"])
@policy.requires("results.manage", **BY_SLUG)
def recompute(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    flash(
        "The results are being recomputed. Refresh this page in a minute."
        if queue_recompute(consultation, force=True)
        else "The results are already being recomputed."
    )
    return redirect(url_for(".results", slug=consultation.slug))


@bp.route("/consultations/<slug>/results/<any(" + ", ".join(TABLES) + "):table>.csv")
@policy.requires("results.view", **BY_SLUG)
def download(consultation: Consultation, table: str):
    drafts = policy.can("results.manage", consultation)  # suggested themes are staff-only
    return table_csv(consultation, fresh_results(consultation), table, drafts=drafts)


# --- themes ---------------------------------------------------------------------------------


def _theme(consultation: Consultation, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.consultation_id != consultation.id:
        abort(404)
    return theme


def _themes_page(consultation, form=None, tag_form=None, rename=None, status=200):
    themes = theme_services.themes_of(consultation)
    tag_form = tag_form or TagForm(formdata=None)
    tag_form.theme.choices = [("", "Choose a theme")] + [(t.id, t.name) for t in themes]
    ideas_of = {t.id: theme_services.theme_idea_ids(t) for t in themes}
    return render_template(
        "analysis/themes.html",
        consultation=consultation,
        themes=themes,
        ideas_of=ideas_of,
        rows=rows_by_id(consultation),
        form=form or ThemeForm(formdata=None),
        tag_form=tag_form,
        rename=rename,
        action_form=ThemeActionForm(formdata=None),
        untagged=theme_services.untagged_ideas(consultation),
        confirm=ConfirmForm(),
    ), status


@bp.route("/consultations/<slug>/themes")
@policy.requires("results.manage", **BY_SLUG)
def themes(consultation: Consultation):
    return _themes_page(consultation)


@bp.route("/consultations/<slug>/themes/suggest", methods=["POST"])
@policy.requires("results.manage", **BY_SLUG)
def suggest(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    made = theme_services.refresh_suggestions(consultation)
    db.session.commit()
    if made:
        flash(f"{made} suggested {'theme' if made == 1 else 'themes'} from the ideas' text.")
    else:  # nothing was made: not a success, so not in the green banner
        flash("There are too few ideas (or too little text) to suggest themes yet.", "info")
    return redirect(url_for(".themes", slug=consultation.slug))


@bp.route("/consultations/<slug>/themes/new", methods=["POST"])
@policy.requires("results.manage", **BY_SLUG)
def create_theme(consultation: Consultation):
    form = ThemeForm()
    if not form.validate_on_submit():
        return _themes_page(consultation, form=form, status=400)
    theme_services.create_theme(consultation, form.name.data)
    db.session.commit()
    flash(f"Theme “{form.name.data}” added.")
    return redirect(url_for(".themes", slug=consultation.slug))


@bp.route(
    "/consultations/<slug>/themes/<int:theme_id>/<any(accept, rename, discard, merge):action>",
    methods=["POST"],
)
@policy.requires("results.manage", **BY_SLUG)
def theme_action(consultation: Consultation, theme_id: int, action: str):
    theme = _theme(consultation, theme_id)
    back = redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")
    if action == "rename":
        form = RenameForm(prefix=f"rename-{theme.id}")
        if not form.validate_on_submit():
            return _themes_page(consultation, rename=(theme.id, form), status=400)
        theme_services.rename_theme(theme, form.name.data)
        message = f"Theme renamed to “{form.name.data}”."
    else:
        form = ThemeActionForm(prefix=f"theme-{theme.id}")
        if not form.validate_on_submit():
            abort(400)
        if action == "accept":
            theme_services.accept_theme(theme)
            message = f"Theme “{theme.name}” accepted."
        elif action == "discard":
            message = f"Theme “{theme.name}” discarded."
            theme_services.discard_theme(theme)
            back = redirect(url_for(".themes", slug=consultation.slug))
        else:
            target = db.session.get(Theme, form.target.data or 0)
            if target is None or target.consultation_id != consultation.id or target is theme:
                flash("Choose another theme to merge into.", "error")
                return back
            theme_services.merge_themes(theme, target)
            message = f"Theme “{theme.name}” merged into “{target.name}”."
            back = redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{target.id}")
    db.session.commit()
    flash(message)
    return back


@bp.route("/consultations/<slug>/themes/tag", methods=["POST"])
@policy.requires("results.manage", **BY_SLUG)
def tag(consultation: Consultation):
    form = TagForm()
    themes = theme_services.themes_of(consultation)
    form.theme.choices = [("", "Choose a theme")] + [(t.id, t.name) for t in themes]
    if not form.validate_on_submit():
        return _themes_page(consultation, tag_form=form, status=400)
    ticked = [int(v) for v in request.form.getlist("idea") if v.isdigit()]
    numbers = getattr(form.numbers, "parsed", [])
    wanted = list(dict.fromkeys(ticked + numbers))
    valid = published_idea_ids(consultation, wanted)
    unknown = [n for n in numbers if n not in valid]
    if not wanted or unknown:
        form.numbers.errors = [
            f"Idea {', '.join(map(str, unknown))} is not a published idea of this consultation"
            if unknown
            else "Tick the ideas to tag, or enter their numbers"
        ]
        return _themes_page(consultation, tag_form=form, status=400)
    theme = _theme(consultation, form.theme.data or 0)
    added = theme_services.tag_ideas(theme, wanted)
    db.session.commit()
    flash(f"{added} {'idea' if added == 1 else 'ideas'} tagged “{theme.name}”.")
    return redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")


@bp.route("/consultations/<slug>/themes/<int:theme_id>/untag/<int:idea_id>", methods=["POST"])
@policy.requires("results.manage", **BY_SLUG)
def untag(consultation: Consultation, theme_id: int, idea_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    theme = _theme(consultation, theme_id)
    theme_services.untag_idea(theme, idea_id)
    db.session.commit()
    flash(f"Idea {idea_id} taken out of “{theme.name}”.")
    return redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")
