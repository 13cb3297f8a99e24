"""Moderation pages: report something, the queue, review one item, hide, bulk actions,
merging duplicates, reason templates and the audit log."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from .. import policy
from ..accounts import facilitators
from ..accounts.models import User
from ..audit.log import AUDIT_PAGE_SIZE, CSV_HEADER, audit_events, audit_filters, csv_rows
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..downloads import csv_response
from ..extensions import db, limiter, per_account
from ..ideas.models import Comment, Idea, Merge
from ..ideas.services import has_posted_in_public, latest_merge
from ..ideas.similar import likely_duplicates, similar_ideas
from ..urls import is_safe_next, redirect_back
from . import house_rules, services
from . import queue as moderation_queue
from .forms import (
    BulkForm,
    HideForm,
    HideReasonForm,
    HouseRulesForm,
    MergeForm,
    QueueFilterForm,
    ReportForm,
)
from .models import HideReason, ReportReason

bp = Blueprint("moderation", __name__)

MODELS = {"idea": Idea, "comment": Comment, "user": User}


def _item_or_404(kind: str, item_id: int):
    model = MODELS.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None:
        abort(404)
    return item


def _idea_of(item) -> Idea | None:
    return item if isinstance(item, Idea) else getattr(item, "idea", None)


# --- reports ---------------------------------------------------------------------------------


@bp.route("/report/<any(idea, comment, user):kind>/<int:item_id>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=per_account("report"))
@limiter.limit("60 per hour", methods=["POST"])
def report(kind: str, item_id: int):
    item = _item_or_404(kind, item_id)
    if isinstance(item, User) and not has_posted_in_public(item.id):
        abort(404)  # a person's name is shown here only once they have posted in public
    idea = _idea_of(item)
    if idea is not None:
        policy.check("idea.view", idea)
    policy.check("item.report", item)
    form = ReportForm()
    if form.validate_on_submit():
        services.report(
            current_user, ReportReason(form.reason.data), form.note.data or "", **{kind: item}
        )
        db.session.commit()
        flash("Thank you. A moderator will look at your report.")
        if idea is not None:
            return redirect(url_for("ideas.show", idea_id=idea.id))
        return redirect(url_for("pages.home"))
    status = 400 if form.errors else 200
    return render_template(
        "moderation/report.html", form=form, kind=kind, item=item, idea=idea
    ), status


# --- the queue -------------------------------------------------------------------------------


def _consultation_choices(mine: list[int]) -> list[tuple[str, str]]:
    consultations = db.session.scalars(
        select(Consultation).order_by(Consultation.process_id.desc(), Consultation.principle_number)
    )
    yours = [(MINE, "Your consultations")] if mine else []
    return [
        *yours,
        ("", "All consultations"),
        *((c.slug, f"{c.principle_number}. {c.title}") for c in consultations),
    ]


MINE = "yours"  # the consultation filter's value for "the ones you are assigned to"


def _bulk_form() -> BulkForm:
    form = BulkForm()
    form.reason_id.choices = [("", "Choose a reason")] + [
        (r.id, r.title) for r in services.hide_reasons()
    ]
    return form


@bp.route("/moderation")
@policy.requires("moderation.act")
def queue():
    return _queue_page(request.args, _bulk_form())


# At most this many items change in one bulk action ("select all" on a longer queue asks the
# moderator to apply it again for the rest).
BULK_LIMIT = 2000


def _filters(args) -> tuple[QueueFilterForm, Consultation | list[int] | None, bool]:
    """The queue's tab and filters from a query string, and whether they are valid. A
    facilitator assigned to consultations sees theirs unless they choose otherwise."""
    mine = facilitators.consultation_ids_of(current_user)
    if mine and "consultation" not in args:
        args = MultiDict(args)
        args["consultation"] = MINE
    filters = QueueFilterForm(args)
    filters.consultation.choices = _consultation_choices(mine)
    if not filters.validate():
        for field in filters:  # a list with no choice selected: show its default, and the error
            if field.errors and hasattr(field, "choices"):
                field.data = field.default
        return filters, None, False
    consultation = None
    if filters.consultation.data == MINE:
        return filters, mine, True
    if filters.consultation.data:
        consultation = consultation_by_slug(filters.consultation.data)
    return filters, consultation, True


def _queue_page(args, bulk: BulkForm, next_path: str | None = None, status: int = 200):
    """The queue for the tab and filters in ``args``, with the bulk form as it was sent: a
    refused bulk action shows its errors beside its fields and keeps the ticks."""
    filters, consultation, valid = _filters(args)
    if not valid:
        return render_template(
            "moderation/queue.html", filters=filters, page=None, bulk=bulk, duplicates={}
        ), 400
    page = moderation_queue.queue(
        tab=filters.tab.data,
        consultation=consultation,
        kind=filters.kind.data,
        reason=filters.reason.data,
        sort=filters.sort.data,
        page=filters.page.data or 1,
    )
    idea_entries = [entry for entry in page.entries if entry.kind == "idea"]
    found = likely_duplicates([entry.item for entry in idea_entries])
    duplicates = {entry.key: found.get(entry.item.id, []) for entry in idea_entries}
    return render_template(
        "moderation/queue.html",
        filters=filters,
        page=page,
        bulk=bulk,
        duplicates=duplicates,
        next_path=next_path,
    ), status


def _sent_from() -> tuple[str, MultiDict]:
    """The queue page a bulk form was sent from (its ``next`` path) and that page's filters."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if not is_safe_next(target) or parts.path != url_for(".queue"):
        target, parts = url_for(".queue"), urlsplit(url_for(".queue"))
    return target, MultiDict(parse_qsl(parts.query))


def _bulk_refused(form: BulkForm):
    """The queue the form was sent from, again, with the form's errors."""
    target, args = _sent_from()
    return _queue_page(args, form, target, status=400)


@bp.route("/moderation/bulk", methods=["POST"])
@policy.requires("moderation.act")
def bulk():
    form = _bulk_form()
    if not form.validate_on_submit():
        return _bulk_refused(form)
    reason_text = ""
    if form.action.data == "hide":
        reason = db.session.get(HideReason, form.reason_id.data)
        if reason is None:
            form.reason_id.errors.append("Choose a reason for hiding the selected items")
            return _bulk_refused(form)
        reason_text = reason.public_text
    keys = form.items.data
    if form.all_matching.data:
        _target, args = _sent_from()
        filters, consultation, valid = _filters(args)
        if not valid:
            return _bulk_refused(form)
        keys = moderation_queue.matching_keys(
            filters.tab.data, consultation, filters.kind.data, filters.reason.data
        )
    left = max(0, len(keys) - BULK_LIMIT)
    done, problems = services.apply_bulk(
        keys[:BULK_LIMIT], form.action.data, current_user, reason_text, form.note.data or ""
    )
    db.session.commit()
    if done:
        flash(f"Done for {done} {'item' if done == 1 else 'items'}.")
    if left:
        flash(f"{left} more {'item matches' if left == 1 else 'items match'}: apply it again.")
    for problem in problems[:10]:
        flash(problem, "error")
    return redirect_back("moderation.queue")


# --- one item --------------------------------------------------------------------------------


@bp.route("/moderation/<any(idea, comment, user):kind>/<int:item_id>", methods=["GET", "POST"])
@policy.requires("moderation.act")
def review(kind: str, item_id: int):
    item = _item_or_404(kind, item_id)
    policy.check("moderation.act", item)  # in a consultation they answer for
    if request.method == "POST":
        action = request.form.get("action", "")
        note = request.form.get("note", "").strip()[:1000]
        try:
            if action == "publish" and kind != "user":
                services.publish(item, current_user)
                message = "Published. The author has been told."
            elif action == "restore" and kind != "user":
                services.restore(item, current_user, note)
                message = "Restored. The author has been told."
            elif action == "dismiss":
                services.dismiss_reports(item, current_user, note)
                message = "Reports marked as dealt with."
            else:
                abort(400)
        except services.ModerationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".review", kind=kind, item_id=item_id))
        db.session.commit()
        flash(message)
        return redirect_back("moderation.queue")
    reports = moderation_queue.reports_about(item)
    idea = _idea_of(item)
    duplicates = (
        similar_ideas(item.consultation, item.title + " " + item.body, limit=5, exclude_id=item.id)
        if isinstance(item, Idea)
        else []
    )
    return render_template(
        "moderation/review.html",
        kind=kind,
        item=item,
        idea=idea,
        reports=reports,
        duplicates=duplicates,
        merge=latest_merge(item) if kind == "idea" else None,
    )


@bp.route("/moderation/<any(idea, comment):kind>/<int:item_id>/hide", methods=["GET", "POST"])
@policy.requires("moderation.act")
def hide(kind: str, item_id: int):
    item = _item_or_404(kind, item_id)
    policy.check("moderation.act", item)
    form = HideForm()
    reasons = services.hide_reasons()
    form.reason_id.choices = [(r.id, f"{r.title}: {r.public_text}") for r in reasons]
    if form.validate_on_submit():
        reason = db.session.get(HideReason, form.reason_id.data)
        try:
            services.hide(item, current_user, reason.public_text, form.note.data or "")
        except services.ModerationError as exc:
            db.session.rollback()
            form.reason_id.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Hidden. A note with the reason stays in its place and the author has been told.")
            return redirect(url_for(".review", kind=kind, item_id=item_id))
    status = 400 if form.errors else 200
    return render_template(
        "moderation/hide.html", form=form, kind=kind, item=item, reasons=reasons
    ), status


# --- merging ---------------------------------------------------------------------------------


@bp.route("/ideas/<int:idea_id>/merge", methods=["GET", "POST"])
@policy.requires("idea.merge", model=Idea, id_arg="idea_id")
def merge(idea: Idea):
    form = MergeForm()
    if form.validate_on_submit():
        target = db.session.get(Idea, form.target_id.data)
        if target is None:
            form.target_id.errors = ["There is no idea with that number"]
        else:
            try:
                services.merge(idea, target, current_user)
            except services.ModerationError as exc:
                db.session.rollback()
                form.target_id.errors = [str(exc)]
            else:
                db.session.commit()
                flash(f"Merged into “{target.title}”. Its voters have been told.")
                return redirect(url_for("ideas.show", idea_id=idea.id))
    duplicates = similar_ideas(
        idea.consultation, idea.title + " " + idea.body, limit=5, exclude_id=idea.id
    )
    status = 400 if form.errors else 200
    return render_template(
        "moderation/merge.html", form=form, idea=idea, duplicates=duplicates
    ), status


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
@policy.requires("moderation.act")
def undo_merge(merge_id: int):
    record = db.get_or_404(Merge, merge_id)
    source = db.session.get(Idea, record.source_idea_id)
    if source is not None:
        policy.check("moderation.act", source)
    try:
        services.undo_merge(record, current_user)
    except services.ModerationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash("Merge undone. The idea and its votes are back.")
    return redirect(url_for("ideas.show", idea_id=record.source_idea_id))


# --- reason templates ------------------------------------------------------------------------


@bp.route("/moderation/reasons")
@policy.requires("moderation.act")
def reasons():
    return render_template(
        "moderation/reasons.html", reasons=services.hide_reasons(include_inactive=True)
    )


@bp.route("/moderation/reasons/new", methods=["GET", "POST"], defaults={"reason_id": None})
@bp.route("/moderation/reasons/<int:reason_id>", methods=["GET", "POST"])
@policy.requires("moderation.act")
def edit_reason(reason_id: int | None):
    reason = db.get_or_404(HideReason, reason_id) if reason_id else None
    form = HideReasonForm(obj=reason)
    if form.validate_on_submit():
        try:
            services.save_hide_reason(
                reason, form.title.data, form.public_text.data, form.active.data, current_user
            )
        except services.ModerationError as exc:
            db.session.rollback()
            form.title.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Reason saved.")
            return redirect(url_for(".reasons"))
    status = 400 if form.errors else 200
    return render_template("moderation/edit_reason.html", form=form, reason=reason), status


# --- audit log -------------------------------------------------------------------------------


@bp.route("/admin/audit")
@policy.requires("audit.read")
def audit_log():
    filters = audit_filters(request.args)
    if not filters.validate():
        return render_template("moderation/audit.html", filters=filters, page=None), 400
    page = audit_events(filters, page=filters.page.data or 1)
    return render_template(
        "moderation/audit.html", filters=filters, page=page, page_size=AUDIT_PAGE_SIZE
    )


@bp.route("/admin/audit.csv")
@policy.requires("audit.read")
def audit_csv():
    filters = audit_filters(request.args)
    if not filters.validate():
        abort(400)
    # Built here, inside the request: the rows need the app (time zone) and the database.
    rows = csv_rows(audit_events(filters, page=None).items)
    return csv_response("audit-log.csv", CSV_HEADER, rows)


# --- house rules --------------------------------------------------------------------------


@bp.route("/admin/house-rules", methods=["GET", "POST"])
@policy.requires("house_rules.edit")
def edit_house_rules():
    """The admin writes the house rules (the default stands until then)."""
    form = HouseRulesForm()
    if request.method == "GET":
        form.body.data = house_rules.house_rules_text()
    elif form.validate_on_submit():
        house_rules.save_house_rules(current_user, form.body.data)
        db.session.commit()
        flash("The house rules are saved.")
        return redirect(url_for("pages.house_rules"))
    status = 400 if form.errors else 200
    return render_template(
        "moderation/house_rules_edit.html", form=form, custom=house_rules.current_house_rules()
    ), status
