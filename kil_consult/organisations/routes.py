"""Organisation pages: the public list and pages, registering one, joining, managing members,
answering invitations, and the staff pages where organisations are verified or declined."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import policy
from ..consultations.services import neighbourhoods
from ..extensions import db, limiter, per_account
from . import membership as memberships
from . import services
from .forms import ActionForm, DecisionForm, InviteForm, RegisterOrganisationForm
from .models import Membership, MembershipStatus, Organisation

bp = Blueprint("organisations", __name__)


def _by_slug(action: str):
    """``policy.requires`` for a view whose URL names an organisation by its slug."""
    return policy.requires(
        action, id_arg="slug", lookup=services.organisation_by_slug, name="organisation"
    )


def _membership_in(organisation: Organisation, membership_id: int) -> Membership:
    """The membership with this id in this organisation, or 404."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    return membership


def _back_to(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), 303)


# --- public ------------------------------------------------------------------------------


@bp.route("/organisations")
def index():
    return render_template(
        "organisations/index.html", organisations=services.verified_organisations()
    )


# --- registering -------------------------------------------------------------------------


@bp.route("/organisations/register", methods=["GET", "POST"])
@policy.requires("organisation.register")
@limiter.limit("5 per day", methods=["POST"], key_func=per_account("organisation-register"))
def register():
    form = RegisterOrganisationForm(neighbourhoods=neighbourhoods())
    if form.validate_on_submit():
        try:
            organisation = services.register_organisation(
                current_user,
                form.name.data,
                form.description.data,
                form.website.data,
                form.registration_number.data,
                form.neighbourhood_ids.data,
            )
        except services.OrganisationError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                f"Thank you. We will check {organisation.name} and email you when it is "
                "verified. Until then, you cannot post on its behalf."
            )
            return _back_to("pages.organisation", slug=organisation.slug)
    status = 400 if form.errors else 200
    return render_template("organisations/register.html", form=form), status


# --- joining and leaving -----------------------------------------------------------------


@bp.route("/organisations/<slug>/join", methods=["POST"])
@_by_slug("organisation.join")
def join(organisation: Organisation):
    if ActionForm().validate_on_submit():
        memberships.request_to_join(organisation, current_user)
        db.session.commit()
        flash(
            f"You have asked to join {organisation.name}. We will email you when a member answers."
        )
    return _back_to("pages.organisation", slug=organisation.slug)


@bp.route("/organisations/<slug>/leave", methods=["POST"])
@_by_slug("organisation.leave")
def leave(organisation: Organisation):
    if not ActionForm().validate_on_submit():
        return _back_to("pages.organisation", slug=organisation.slug)
    try:
        memberships.leave(organisation, current_user)
    except services.OrganisationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back_to("pages.organisation", slug=organisation.slug)
    db.session.commit()
    flash(f"You have left {organisation.name}.")
    return _back_to(".mine")


@bp.route("/account/organisations")
@login_required
def mine():
    return render_template(
        "organisations/mine.html",
        memberships=services.memberships_of(current_user),
        statuses=MembershipStatus,
    )


@bp.route("/account/organisations/invitations/<int:membership_id>/accept", methods=["POST"])
@policy.requires("membership.respond", model=Membership, id_arg="membership_id")
def accept(membership: Membership):
    if not ActionForm().validate_on_submit():
        return _back_to(".mine")
    memberships.accept_invitation(membership, current_user)
    db.session.commit()
    flash(f"You are now a member of {membership.organisation.name}.")
    return _back_to("pages.organisation", slug=membership.organisation.slug)


@bp.route("/account/organisations/invitations/<int:membership_id>/decline", methods=["POST"])
@policy.requires("membership.respond", model=Membership, id_arg="membership_id")
def decline(membership: Membership):
    if not ActionForm().validate_on_submit():
        return _back_to(".mine")
    name = membership.organisation.name
    memberships.decline_invitation(membership, current_user)
    db.session.commit()
    flash(f"You have declined the invitation to join {name}.")
    return _back_to(".mine")


# --- managing members --------------------------------------------------------------------


def _members_page(organisation: Organisation, form: InviteForm, status: int = 200):
    return render_template(
        "organisations/members.html",
        organisation=organisation,
        form=form,
        active=services.members(organisation, MembershipStatus.ACTIVE),
        requested=services.members(organisation, MembershipStatus.REQUESTED),
    ), status


@bp.route("/organisations/<slug>/members")
@_by_slug("organisation.manage_members")
def members(organisation: Organisation):
    return _members_page(organisation, InviteForm(formdata=None))


@bp.route("/organisations/<slug>/members/invite", methods=["POST"])
@_by_slug("organisation.manage_members")
@limiter.limit("20 per hour", key_func=per_account("organisation-invite"))
def invite(organisation: Organisation):
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(organisation, form, 400)
    memberships.invite(organisation, current_user, form.email.data)
    db.session.commit()
    flash(
        f"If {form.email.data} has an account, we have emailed them an invitation to join. If "
        "they do not have one yet, ask them to create an account, then invite them again."
    )
    return _back_to(".members", slug=organisation.slug)


@bp.route("/organisations/<slug>/members/<int:membership_id>/approve", methods=["POST"])
@_by_slug("organisation.manage_members")
def approve(organisation: Organisation, membership_id: int):
    return _answer(organisation, membership_id, approve=True)


@bp.route("/organisations/<slug>/members/<int:membership_id>/refuse", methods=["POST"])
@_by_slug("organisation.manage_members")
def refuse(organisation: Organisation, membership_id: int):
    return _answer(organisation, membership_id, approve=False)


def _answer(organisation: Organisation, membership_id: int, approve: bool):
    """Approve or refuse a request to join, then go back to the members page."""
    membership = _membership_in(organisation, membership_id)
    if not ActionForm().validate_on_submit():
        return _back_to(".members", slug=organisation.slug)
    name = membership.user.display_name
    try:
        if approve:
            memberships.approve_request(organisation, membership, current_user)
        else:
            memberships.refuse_request(organisation, membership, current_user)
    except services.OrganisationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back_to(".members", slug=organisation.slug)
    db.session.commit()
    flash(f"{name} is now a member." if approve else f"You have refused {name}'s request.")
    return _back_to(".members", slug=organisation.slug)


# --- staff -------------------------------------------------------------------------------


@bp.route("/admin/organisations")
@policy.requires("organisation.verify")
def staff_list():
    return render_template(
        "organisations/staff_list.html", grouped=services.organisations_for_staff()
    )


@bp.route("/admin/organisations/<slug>", methods=["GET", "POST"])
@_by_slug("organisation.verify")
def decide(organisation: Organisation):
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "verify":
                services.verify(organisation, current_user, form.reason.data or "")
            else:
                services.decline(organisation, current_user, form.reason.data or "")
        except services.OrganisationError as exc:
            db.session.rollback()
            form.decision.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"{organisation.name} is now {organisation.status.label.lower()}.")
            return _back_to(".staff_list")
    return render_template(
        "organisations/decide.html",
        organisation=organisation,
        form=form,
        active=services.members(organisation, MembershipStatus.ACTIVE),
    ), 400 if form.errors else 200
