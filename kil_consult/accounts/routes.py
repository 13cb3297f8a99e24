"""Account pages: create an account, confirm it, sign in and out, reset a password; admins
change people's roles."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, or_, select

from .. import policy
from ..consultations.forms import StageForm
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, neighbourhoods
from ..extensions import db, limiter, per_account
from ..urls import redirect_back
from . import facilitators as assignments
from . import services
from .forms import (
    AssignFacilitatorForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DetailsForm,
    EmailOnlyForm,
    ResetPasswordForm,
    RoleForm,
    SignInForm,
    SignUpForm,
)
from .models import Role, User
from .tokens import TokenError

bp = Blueprint("accounts", __name__)


def _email_key() -> str:
    """Rate-limit key for sign-in attempts against one account, whatever the address."""
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/account/create", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def sign_up():
    form = SignUpForm()
    form.neighbourhood_id.choices = [("", "Choose a neighbourhood")] + [
        (n.id, n.name) for n in neighbourhoods()
    ]
    if form.validate_on_submit():
        services.register(
            form.email.data, form.display_name.data, form.password.data, form.neighbourhood_id.data
        )
        db.session.commit()
        session["kil_check_email"] = services.normalise_email(form.email.data)
        return redirect_back("accounts.check_email")
    return render_template("accounts/sign_up.html", form=form), 400 if form.errors else 200


@bp.route("/account/check-your-email")
def check_email():
    email = session.get("kil_check_email")
    return render_template("accounts/check_email.html", email=email)


@bp.route("/account/confirm/<token>")
def confirm_email(token: str):
    try:
        user = services.confirm_email(token)
    except services.AlreadyConfirmed:
        db.session.rollback()
        return render_template("accounts/already_confirmed.html")
    except TokenError as exc:
        return render_template("accounts/link_problem.html", problem=str(exc), kind="confirm"), 400
    db.session.commit()
    if current_user.is_authenticated and current_user.id == user.id:
        flash("Your email address is confirmed. You can now share ideas, vote and comment.")
        return redirect_back("pages.home")
    flash("Your email address is confirmed. Sign in to take part.")
    return redirect_back("accounts.sign_in")


@bp.route("/account/confirm", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        db.session.commit()
        session["kil_check_email"] = services.normalise_email(form.email.data)
        return redirect_back("accounts.check_email")
    status = 400 if form.errors else 200
    return render_template("accounts/resend_confirmation.html", form=form), status


def _email_and_address_key() -> str:
    """Rate-limit key for sign-in attempts against one account from one address."""
    return f"{_email_key()}|{get_remote_address()}"


def _sign_in_failed(response) -> bool:
    """Only a wrong email or password counts toward the sign-in limits (a successful sign-in,
    or a form sent back for another reason, never does)."""
    return bool(g.get("kil_sign_in_failed"))


# Failed sign-ins are limited per address (someone trying many accounts), per account from one
# address (someone guessing one password), and per account from anywhere with a much higher
# ceiling (a guess spread over many addresses). Failures sent by someone else from another
# address leave a resident's own address free: they are locked out only by the ceiling.
@bp.route("/account/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"], deduct_when=_sign_in_failed)
@limiter.limit(
    "10 per 10 minutes",
    methods=["POST"],
    key_func=_email_and_address_key,
    deduct_when=_sign_in_failed,
)
@limiter.limit("100 per hour", methods=["POST"], key_func=_email_key, deduct_when=_sign_in_failed)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            g.kil_sign_in_failed = True
            form.email.errors.append("Enter the email address and password for your account")
            db.session.rollback()
            return render_template("accounts/sign_in.html", form=form), 400
        db.session.commit()
        session.clear()  # a new session on every sign-in
        login_user(user)
        # An unconfirmed person sees the "confirm your email address" banner on every page,
        # so no message repeats it.
        return redirect_back("pages.home")
    return render_template("accounts/sign_in.html", form=form), 400 if form.errors else 200


@bp.route("/account/sign-out", methods=["POST"])
def sign_out():
    """Sign out for real: the session cookie is signed, not stored, so a copy of it would still
    work; bumping the session generation makes every copy (on every device) worthless."""
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect_back("pages.home")


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        session["kil_check_email"] = services.normalise_email(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data)
    status = 400 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/account/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except TokenError as exc:
        return render_template("accounts/link_problem.html", problem=str(exc), kind="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.")
        return redirect_back("accounts.sign_in")
    status = 400 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form, token=token), status


@bp.route("/account")
@login_required
def account():
    return render_template("accounts/account.html")


@bp.route("/account/details", methods=["GET", "POST"])
@policy.requires("account.change_details")
@limiter.limit("30 per hour", methods=["POST"], key_func=per_account("account"))
def change_details():
    """Change the display name and neighbourhood."""
    user = current_user._get_current_object()
    form = DetailsForm(obj=user if request.method == "GET" else None)
    form.neighbourhood_id.choices = [("", "Prefer not to say")] + [
        (n.id, n.name) for n in neighbourhoods()
    ]
    if form.validate_on_submit():
        try:
            changed = services.change_details(
                user, form.display_name.data, form.neighbourhood_id.data
            )
        except services.AccountError as exc:
            db.session.rollback()
            form.display_name.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Your details are saved." if changed else "Nothing was changed.")
            return redirect(url_for(".account"))
    status = 400 if form.errors else 200
    return render_template("accounts/details.html", form=form), status


@bp.route("/account/email", methods=["GET", "POST"])
@policy.requires("account.change_email")
@limiter.limit("5 per hour", methods=["POST"], key_func=per_account("account"))
def change_email():
    """Ask to move one's account to a new address; a link goes there to confirm it."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(
                current_user._get_current_object(), form.email.data, form.password.data
            )
        except services.AccountError as exc:
            db.session.rollback()
            target = form.password if "password" in str(exc) else form.email
            target.errors = [*target.errors, str(exc)]
        else:
            db.session.commit()
            return render_template(
                "accounts/change_email_sent.html",
                email=services.normalise_email(form.email.data),
            )
    status = 400 if form.errors else 200
    return render_template("accounts/change_email.html", form=form), status


@bp.route("/account/email/confirm/<token>")
def confirm_email_change(token: str):
    """Open the link sent to the new address: the account moves to it."""
    try:
        user = services.confirm_email_change(token)
    except TokenError as exc:
        db.session.rollback()
        return render_template(
            "accounts/link_problem.html", problem=str(exc), kind="change_email"
        ), 400
    except services.AccountError as exc:
        db.session.rollback()
        return render_template(
            "accounts/link_problem.html", problem=str(exc), kind="change_email"
        ), 409
    db.session.commit()
    flash(f"Your email address is now {user.email}. We have told your old address.")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for(".account"))
    return redirect(url_for(".sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@policy.requires("account.change_password")
@limiter.limit("10 per hour", methods=["POST"], key_func=per_account("account"))
def change_password():
    """Change one's password; every other session ends, this one stays signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as exc:
            db.session.rollback()
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            session.clear()  # a fresh session, under the new session generation
            login_user(user)
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for(".account"))
    status = 400 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/account/deleted")
def erased():
    """Confirmation that an account has been erased (nothing about the person is shown)."""
    return render_template("accounts/erased.html", kept=request.args.get("kept") == "yes")


@bp.route("/admin/people")
@policy.requires("users.manage")
def people():
    query = request.args.get("q", "").strip()[:100]
    statement = select(User).order_by(User.role.desc(), User.display_name)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(func.lower(User.email).like(like), func.lower(User.display_name).like(like))
        )
    users = list(db.session.scalars(statement.limit(200)))
    return render_template("accounts/people.html", users=users, query=query, form=RoleForm())


@bp.route("/admin/people/<int:user_id>/role", methods=["POST"])
@policy.requires("users.manage")
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose a role from the list.", "error")
        return redirect_back("accounts.people")
    try:
        services.set_role(user, Role(form.role.data), current_user)
    except services.AccountError as exc:
        flash(str(exc), "error")
        return redirect_back("accounts.people")
    db.session.commit()
    flash(f"{user.display_name} is now {Role(form.role.data).label.lower()}.")
    return redirect_back("accounts.people")


# --- facilitators assigned to consultations ---------------------------------------------------


@bp.route("/admin/consultations/<slug>/facilitators", methods=["GET", "POST"])
@policy.requires(
    "consultation.assign_facilitators",
    id_arg="slug",
    lookup=consultation_by_slug,
    name="consultation",
)
def facilitators(consultation: Consultation):
    """Who answers for a consultation: assign a facilitator, or stop one."""
    assigned = assignments.facilitators_of(consultation)
    form = AssignFacilitatorForm()
    taken = {person.id for person in assigned}
    form.user_id.choices = [("", "Choose a facilitator")] + [
        (person.id, f"{person.display_name} ({person.role.label.lower()})")
        for person in db.session.scalars(
            select(User)
            .where(User.role.in_((Role.FACILITATOR, Role.ADMIN)), User.erased_at.is_(None))
            .order_by(User.display_name)
        )
        if person.id not in taken
    ]
    if form.validate_on_submit():
        person = db.session.get(User, form.user_id.data)
        try:
            assignments.assign(consultation, person, current_user)
        except assignments.AssignmentError as exc:
            db.session.rollback()
            form.user_id.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"{person.display_name} now answers for this consultation.")
            return redirect(url_for(".facilitators", slug=consultation.slug))
    return render_template(
        "accounts/facilitators.html", consultation=consultation, assigned=assigned, form=form
    ), 400 if form.errors else 200


@bp.route("/admin/consultations/<slug>/facilitators/<int:user_id>/remove", methods=["POST"])
@policy.requires(
    "consultation.assign_facilitators",
    id_arg="slug",
    lookup=consultation_by_slug,
    name="consultation",
)
def unassign_facilitator(consultation: Consultation, user_id: int):
    """Stop a facilitator answering for a consultation."""
    if not StageForm().validate_on_submit():  # a button: its CSRF token only
        abort(400)
    person = db.get_or_404(User, user_id)
    try:
        assignments.unassign(consultation, person, current_user)
    except assignments.AssignmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{person.display_name} is no longer assigned to this consultation.")
    return redirect(url_for(".facilitators", slug=consultation.slug))
