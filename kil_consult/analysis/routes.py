"""Results, themes and summary pages of a consultation, their CSV downloads, update requests."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..downloads import csv_response
from ..extensions import db
from ..ideas.models import Source
from . import services
from .forms import (
    ConfirmForm,
    RenameForm,
    SummaryForm,
    TagForm,
    ThemeActionForm,
    ThemeForm,
    UpdatesForm,
)
from .models import Theme, ThemeStatus

bp = Blueprint("analysis", __name__)

_BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}


@bp.app_template_global("you_said_we_did")
def you_said_we_did_global(consultation: Consultation):
    """The consultation page's "You said, we did" section (a template global)."""
    return services.you_said_we_did(consultation, current_user)


@bp.app_template_global("results_published")
def results_published_global(consultation: Consultation) -> bool:
    return services.is_published(consultation)


@bp.app_template_global("groups_of")
def groups_of_global(payload: dict, idea_id: int):
    return services.group_agreement(payload or {}, idea_id)


@bp.app_template_filter("markdown")
def markdown_filter(text: str):
    return services.render_markdown(text)


@bp.app_template_filter("percent")
def percent_filter(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


# --- results --------------------------------------------------------------------------------


def _results_context(consultation: Consultation) -> dict:
    results = services.results_for(consultation)
    payload = results.payload
    rows = services.idea_rows(consultation)
    by_id = {row.id: row for row in rows}
    ranked = services.with_groups(services.ranked(rows)[: services.LIST_LENGTH], payload)
    divisive = services.with_groups(services.most_divisive(rows)[: services.LIST_LENGTH], payload)
    consensus = services.with_groups(
        [
            by_id[item["idea_id"]]
            for item in payload.get("consensus", [])
            if item["idea_id"] in by_id
        ],
        payload,
    )
    places, no_place = services.neighbourhood_rows(payload)
    return {
        "consultation": consultation,
        "results": results,
        "payload": payload,
        "participation": payload.get("participation", {}),
        "ranked": ranked,
        "divisive": divisive,
        "consensus": consensus,
        "consensus_scores": {i["idea_id"]: i["score"] for i in payload.get("consensus", [])},
        "by_id": by_id,
        "places": places,
        "no_place": no_place,
        "sources": list(Source),
        "themes": services.theme_rows(consultation, ThemeStatus.ACCEPTED),
        "version": services.published_version(consultation),
        "latest": services.latest_version(consultation),
        "confirm": ConfirmForm(),
    }


@bp.route("/consultations/<slug>/results")
@policy.requires("results.view", **_BY_SLUG)
def results(consultation: Consultation):
    return render_template("analysis/results.html", **_results_context(consultation))


@bp.route("/consultations/<slug>/results/recompute", methods=["POST"])
@policy.requires("results.manage", **_BY_SLUG)
def recompute(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.results_for(consultation).large:
        started = services.compute_in_background(consultation)
        flash(
            "The results are being recomputed. Refresh this page in a minute."
            if started
            else "The results are already being recomputed."
        )
    else:
        services.compute(consultation)
        flash("Results recomputed.")
    return redirect(url_for(".results", slug=consultation.slug))


def _group_columns(payload: dict) -> list[str]:
    columns = []
    for group in payload.get("groups", []):
        label = group["label"]
        columns += [f"group {label} agree", f"group {label} disagree", f"group {label} votes"]
    return columns


def _group_cells(row) -> list:
    return [value for _label, *counts in row.groups for value in counts]


TABLES = (
    "participation",
    "days",
    "neighbourhoods",
    "contributors",
    "sources",
    "ranked",
    "divisive",
    "groups",
    "consensus",
    "themes",
)


@bp.route("/consultations/<slug>/results/<any(" + ", ".join(TABLES) + "):table>.csv")
@policy.requires("results.view", **_BY_SLUG)
def download(consultation: Consultation, table: str):
    results = services.results_for(consultation)
    payload = results.payload
    part = payload.get("participation", {})
    name = f"{consultation.slug}-{table}.csv"
    if table == "participation":
        return csv_response(
            name,
            ["people", "ideas", "votes", "comments", "organisations"],
            [[part.get(k, 0) for k in ("people", "ideas", "votes", "comments", "organisations")]],
        )
    if table == "days":
        return csv_response(
            name, ["date", "new people", "ideas", "votes", "comments"], part.get("days", [])
        )
    if table == "neighbourhoods":
        places, no_place = services.neighbourhood_rows(payload)
        rows = [
            [p.name, p.people, p.people_share, p.population, p.population_share] for p in places
        ] + [["Not given", no_place, None, None, None]]
        return csv_response(
            name,
            ["neighbourhood", "people", "share of people", "population", "share of population"],
            rows,
        )
    if table == "contributors":
        who = part.get("by_who", {})
        return csv_response(
            name,
            ["posted by", "ideas", "votes on their ideas", "comments"],
            [[k, *who.get(k, [0, 0, 0])] for k in ("residents", "organisations")],
        )
    if table == "sources":
        by_source = part.get("by_source", {})
        return csv_response(
            name,
            ["source", "offline", "ideas", "votes on their ideas"],
            [[s.label, s is not Source.ONLINE, *by_source.get(s.value, [0, 0])] for s in Source],
        )
    rows = services.idea_rows(consultation)
    idea_header = ["idea", "title", "agree", "disagree", "pass", "comments", "wilson lower bound"]

    def idea_cells(r):
        return [r.id, r.title, r.agree, r.disagree, r.passes, r.comments, round(r.wilson, 4)]

    if table == "ranked":
        ordered = services.with_groups(services.ranked(rows), payload)
        return csv_response(
            name,
            ["rank", *idea_header, *_group_columns(payload)],
            [[n, *idea_cells(r), *_group_cells(r)] for n, r in enumerate(ordered, 1)],
        )
    if table == "divisive":
        ordered = services.with_groups(services.most_divisive(rows), payload)
        return csv_response(
            name,
            ["rank", *idea_header, "divisiveness", *_group_columns(payload)],
            [[n, *idea_cells(r), r.divisive, *_group_cells(r)] for n, r in enumerate(ordered, 1)],
        )
    by_id = {r.id: r for r in rows}
    if table == "consensus":
        items = [i for i in payload.get("consensus", []) if i["idea_id"] in by_id]
        ordered = services.with_groups([by_id[i["idea_id"]] for i in items], payload)
        return csv_response(
            name,
            ["rank", *idea_header, "consensus", *_group_columns(payload)],
            [
                [n, *idea_cells(r), i["score"], *_group_cells(r)]
                for n, (i, r) in enumerate(zip(items, ordered, strict=True), 1)
            ],
        )
    if table == "groups":
        out = []
        for group in payload.get("groups", []):
            out.append([group["label"], group["size"], "", "", "", "", ""])
            for rep in group["representative"]:
                title = by_id[rep["idea_id"]].title if rep["idea_id"] in by_id else ""
                out.append(
                    [
                        group["label"],
                        group["size"],
                        rep["idea_id"],
                        title,
                        rep["direction"],
                        rep["agree"],
                        rep["disagree"],
                    ]
                )
        return csv_response(
            name,
            ["group", "people", "idea", "title", "sets apart by", "group agree", "group disagree"],
            out,
        )
    # themes: suggested ones (drafts) are for staff only
    status = None if policy.can("results.manage", consultation) else ThemeStatus.ACCEPTED
    return csv_response(
        name,
        ["theme", "status", "ideas", "agree", "disagree"],
        [
            [t.name, t.status.label, n, a, d]
            for t, n, a, d in services.theme_rows(consultation, status)
        ],
    )


# --- themes ---------------------------------------------------------------------------------


def _theme(consultation: Consultation, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.consultation_id != consultation.id:
        abort(404)
    return theme


def _themes_page(consultation, form=None, tag_form=None, rename=None, status=200):
    themes = services.themes_of(consultation)
    tag_form = tag_form or TagForm(formdata=None)
    tag_form.theme.choices = [("", "Choose a theme")] + [(t.id, t.name) for t in themes]
    ideas_of = {t.id: services.theme_idea_ids(t) for t in themes}
    return render_template(
        "analysis/themes.html",
        consultation=consultation,
        themes=themes,
        ideas_of=ideas_of,
        rows=services.rows_by_id(consultation),
        form=form or ThemeForm(formdata=None),
        tag_form=tag_form,
        rename=rename,
        action_form=ThemeActionForm(formdata=None),
        untagged=services.untagged_ideas(consultation),
        confirm=ConfirmForm(),
    ), status


@bp.route("/consultations/<slug>/themes")
@policy.requires("results.manage", **_BY_SLUG)
def themes(consultation: Consultation):
    return _themes_page(consultation)


@bp.route("/consultations/<slug>/themes/suggest", methods=["POST"])
@policy.requires("results.manage", **_BY_SLUG)
def suggest(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    made = services.refresh_suggestions(consultation)
    db.session.commit()
    flash(
        f"{made} suggested {'theme' if made == 1 else 'themes'} from the ideas' text."
        if made
        else "There are too few ideas (or too little text) to suggest themes yet."
    )
    return redirect(url_for(".themes", slug=consultation.slug))


@bp.route("/consultations/<slug>/themes/new", methods=["POST"])
@policy.requires("results.manage", **_BY_SLUG)
def create_theme(consultation: Consultation):
    form = ThemeForm()
    if not form.validate_on_submit():
        return _themes_page(consultation, form=form, status=400)
    services.create_theme(consultation, form.name.data)
    db.session.commit()
    flash(f"Theme “{form.name.data}” added.")
    return redirect(url_for(".themes", slug=consultation.slug))


@bp.route(
    "/consultations/<slug>/themes/<int:theme_id>/<any(accept, rename, discard, merge):action>",
    methods=["POST"],
)
@policy.requires("results.manage", **_BY_SLUG)
def theme_action(consultation: Consultation, theme_id: int, action: str):
    theme = _theme(consultation, theme_id)
    back = redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")
    if action == "rename":
        form = RenameForm(prefix=f"rename-{theme.id}")
        if not form.validate_on_submit():
            return _themes_page(consultation, rename=(theme.id, form), status=400)
        services.rename_theme(theme, form.name.data)
        message = f"Theme renamed to “{form.name.data}”."
    else:
        form = ThemeActionForm(prefix=f"theme-{theme.id}")
        if not form.validate_on_submit():
            abort(400)
        if action == "accept":
            services.accept_theme(theme)
            message = f"Theme “{theme.name}” accepted."
        elif action == "discard":
            message = f"Theme “{theme.name}” discarded."
            services.discard_theme(theme)
            back = redirect(url_for(".themes", slug=consultation.slug))
        else:
            target = db.session.get(Theme, form.target.data or 0)
            if target is None or target.consultation_id != consultation.id or target is theme:
                flash("Choose another theme to merge into.", "error")
                return back
            services.merge_themes(theme, target)
            message = f"Theme “{theme.name}” merged into “{target.name}”."
            back = redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{target.id}")
    db.session.commit()
    flash(message)
    return back


@bp.route("/consultations/<slug>/themes/tag", methods=["POST"])
@policy.requires("results.manage", **_BY_SLUG)
def tag(consultation: Consultation):
    form = TagForm()
    themes = services.themes_of(consultation)
    form.theme.choices = [("", "Choose a theme")] + [(t.id, t.name) for t in themes]
    if not form.validate_on_submit():
        return _themes_page(consultation, tag_form=form, status=400)
    ticked = [int(v) for v in request.form.getlist("idea") if v.isdigit()]
    numbers = getattr(form.numbers, "parsed", [])
    wanted = list(dict.fromkeys(ticked + numbers))
    valid = services.published_idea_ids(consultation, wanted)
    unknown = [n for n in numbers if n not in valid]
    if not wanted or unknown:
        form.numbers.errors = [
            f"Idea {', '.join(map(str, unknown))} is not a published idea of this consultation"
            if unknown
            else "Tick the ideas to tag, or enter their numbers"
        ]
        return _themes_page(consultation, tag_form=form, status=400)
    theme = _theme(consultation, form.theme.data or 0)
    added = services.tag_ideas(theme, wanted)
    db.session.commit()
    flash(f"{added} {'idea' if added == 1 else 'ideas'} tagged “{theme.name}”.")
    return redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")


@bp.route("/consultations/<slug>/themes/<int:theme_id>/untag/<int:idea_id>", methods=["POST"])
@policy.requires("results.manage", **_BY_SLUG)
def untag(consultation: Consultation, theme_id: int, idea_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    theme = _theme(consultation, theme_id)
    services.untag_idea(theme, idea_id)
    db.session.commit()
    flash(f"Idea {idea_id} taken out of “{theme.name}”.")
    return redirect(url_for(".themes", slug=consultation.slug) + f"#theme-{theme.id}")


# --- summary --------------------------------------------------------------------------------


def _fill(form: SummaryForm, version) -> None:
    if version is None:
        return
    form.overview.data = version.overview
    form.themes.data = version.themes
    form.decision.data = version.decision
    form.connection.data = version.connection
    for (text, ideas), finding in zip(form.findings(), version.findings, strict=False):
        text.data = finding.text
        ideas.data = ", ".join(str(c.idea_id) for c in finding.citations)


@bp.route("/consultations/<slug>/summary", methods=["GET", "POST"])
@policy.requires("summary.write", **_BY_SLUG)
def edit_summary(consultation: Consultation):
    form = SummaryForm()
    latest = services.latest_version(consultation)
    if request.method == "GET":
        _fill(form, latest)
    elif form.validate_on_submit():
        drafts = [
            services.FindingDraft(text.data or "", getattr(ideas, "parsed", []))
            for text, ideas in form.findings()
        ]
        try:
            version = services.save_draft(
                consultation,
                current_user,
                form.overview.data or "",
                form.themes.data or "",
                form.decision.data or "",
                form.connection.data or "",
                drafts,
            )
        except services.SummaryError as exc:
            db.session.rollback()
            form[exc.field].errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Draft saved as version {version.number}.")
            return redirect(url_for(".edit_summary", slug=consultation.slug))
    results = services.results_for(consultation)
    rows = services.idea_rows(consultation)
    return render_template(
        "analysis/summary_edit.html",
        consultation=consultation,
        form=form,
        latest=latest,
        published=services.published_version(consultation),
        top=services.with_groups(services.ranked(rows)[:10], results.payload),
        confirm=ConfirmForm(),
        can_publish=policy.can("summary.publish", consultation),
    ), (400 if form.errors else 200)


@bp.route("/consultations/<slug>/summary/publish", methods=["POST"])
@policy.requires("summary.publish", **_BY_SLUG)
def publish_summary(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = services.publish(consultation, current_user)
    except services.SummaryError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".edit_summary", slug=consultation.slug))
    db.session.commit()
    flash(f"Version {version.number} of the summary is published.")
    return redirect(url_for(".results", slug=consultation.slug))


@bp.route("/consultations/<slug>/summary/versions")
@policy.requires("summary.write", **_BY_SLUG)
def summary_versions(consultation: Consultation):
    summary = services.summary_of(consultation)
    return render_template(
        "analysis/summary_versions.html",
        consultation=consultation,
        versions=list(reversed(summary.versions)) if summary else [],
    )


@bp.route("/consultations/<slug>/summary/versions/<int:number>")
@policy.requires("summary.write", **_BY_SLUG)
def summary_version(consultation: Consultation, number: int):
    summary = services.summary_of(consultation)
    version = next((v for v in summary.versions if v.number == number), None) if summary else None
    if version is None:
        abort(404)
    results = services.results_for(consultation)
    return render_template(
        "analysis/summary_version.html",
        consultation=consultation,
        version=version,
        payload=results.payload,
        rows=services.rows_by_id(consultation),
    )


# --- asking for updates -----------------------------------------------------------------------


@bp.route("/consultations/<slug>/updates", methods=["POST"])
@policy.requires("updates.subscribe", **_BY_SLUG)
def updates(consultation: Consultation):
    if not UpdatesForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "stop":
        services.unsubscribe(consultation, current_user)
        message = "You will not get an email about what the council did."
    else:
        services.subscribe(consultation, current_user)
        message = "We will email you when the council publishes what it did."
    db.session.commit()
    flash(message)
    return redirect(url_for("consultations.show", slug=consultation.slug) + "#you-said-we-did")


from . import commands as _commands  # noqa: E402,F401  (registers flask kil analyse)
