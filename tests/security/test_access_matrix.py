"""Every route of the app, for every role and owner: allowed, 403, 404 or "sign in first".

The routes come from the app's URL map, so a new route without an expectation here fails
``test_every_route_has_an_expectation``. Each expectation names who is allowed; who is refused
gets what the policy says: a visitor is sent to sign in, a signed-in person gets 403, and
things one may not see answer 404 to everyone (``hidden``).

The people: a visitor, an unconfirmed account, a resident (who owns the ideas, the comment,
the waiting idea and the data-download link of the world), a member of a verified
organisation, a person invited to it, a facilitator and an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from kil_consult import create_app
from kil_consult.accounts import tokens
from kil_consult.accounts.models import Role
from kil_consult.analysis import theme_services
from kil_consult.consultations.models import Stage
from kil_consult.following import services as following
from kil_consult.ideas.models import CommunityEvent, Source, Visibility
from kil_consult.moderation.models import HideReason
from kil_consult.moderation.services import merge
from kil_consult.organisations.models import MembershipStatus, OrganisationStatus
from kil_consult.personal_data import services as personal_data
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow
from tests import factories
from tests.conftest import _empty_tables

ROLES = ("visitor", "unconfirmed", "resident", "member", "invitee", "facilitator", "admin")
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"visitor"}
PARTICIPANTS = SIGNED_IN - {"unconfirmed"}
STAFF = frozenset({"facilitator", "admin"})
ADMIN = frozenset({"admin"})
NOBODY = frozenset()


@dataclass(frozen=True)
class Expect:
    """Who may use one route, reached by ``path`` (and ``data`` for a POST)."""

    path: Callable[[SimpleNamespace], str]
    allowed: frozenset
    hidden: bool = False  # refused people get 404, so nothing confirms the thing exists
    data: Callable[[SimpleNamespace], dict] | None = None
    refused_signed_in: int = 403
    note: str = ""
    variants: tuple = field(default=())


def E(path, allowed, **kwargs) -> Expect:
    return Expect(path if callable(path) else (lambda w, p=path: p), frozenset(allowed), **kwargs)


def build_world() -> SimpleNamespace:
    """People and one of everything the routes act on."""
    people = {
        "unconfirmed": factories.make_user(confirmed=False),
        "resident": factories.make_user(),
        "member": factories.make_user(),
        "invitee": factories.make_user(),
        "facilitator": factories.make_user(Role.FACILITATOR),
        "admin": factories.make_user(Role.ADMIN),
    }
    newcomer = factories.make_user(confirmed=False)
    applicant = factories.make_user()
    factories.make_council()
    process = factories.make_process(Stage.OPEN)
    open_, draft = process.consultations[0], process.consultations[1]
    draft.stage = Stage.DRAFT
    resident = people["resident"]
    idea = factories.make_idea(open_, resident, title="The resident's idea")
    other_idea = factories.make_idea(open_, people["member"], title="Another idea")
    duplicate = factories.make_idea(open_, people["member"], title="A duplicate")
    pending = factories.make_idea(
        open_, resident, title="Waiting idea", visibility=Visibility.PENDING
    )
    draft_idea = factories.make_idea(draft, people["facilitator"], title="Draft idea")
    comment = factories.make_comment(idea, resident, body="The resident's comment")
    organisation = factories.make_organisation(OrganisationStatus.VERIFIED, [people["member"]])
    invitation = factories.make_membership(
        organisation, people["invitee"], MembershipStatus.INVITED
    )
    request = factories.make_membership(organisation, applicant, MembershipStatus.REQUESTED)
    merged = merge(duplicate, other_idea, people["facilitator"])
    event = CommunityEvent(
        consultation=open_, kind=Source.EVENT, name="Workshop", held_on=utcnow().date()
    )
    reason = HideReason(title="Off topic", public_text="This is not about the question.")
    from kil_consult.extensions import db

    pending_org = factories.make_organisation(OrganisationStatus.PENDING)
    db.session.add_all([event, reason])
    from kil_consult.questions import services as questions
    from kil_consult.questions.models import QuestionKind

    question = questions.add_question(
        open_, QuestionKind.RADIOS, "Which?", options=["One", "Two"], required=True
    )
    theme = theme_services.create_theme(open_, "Transport")
    summaries.save_draft(open_, people["facilitator"], "Overview", "", "", "", [])
    # Another consultation of the process has a published summary with a decision, and the
    # statement's draft starts from it (with one commitment).
    done = process.consultations[2]
    summaries.save_draft(done, people["facilitator"], "Overview", "", "We will do it.", "", [])
    done.stage, done.closed_at = Stage.CLOSED, utcnow()  # results are public once closed
    summaries.publish(done, people["facilitator"])
    from kil_consult.statements import services as statements

    statement = statements.start_from_summaries(process, people["facilitator"])
    # Downloads the worker made: open data (public) and a report with draft summaries (staff).
    from kil_consult.exports.models import DownloadState, PreparedDownload

    made = {"state": DownloadState.READY, "content": b"PK", "size": 2, "finished_at": utcnow()}
    public_download = PreparedDownload(
        token="public-download-token",
        what="open-data",
        subject_id=open_.id,
        options={},
        filename="open-data.zip",
        mimetype="application/zip",
        **made,
    )
    staff_download = PreparedDownload(
        token="staff-download-token",
        what="report",
        subject_id=open_.id,
        options={"staff": True},
        filename="report.pdf",
        mimetype="application/pdf",
        **made,
    )
    db.session.add_all([public_download, staff_download])
    db.session.commit()
    commitments = statement.latest.content.get("commitments") or [{"id": 1}]
    rounds = _network_rounds(people["admin"])
    from datetime import date

    from kil_consult.statements import indicators
    from kil_consult.statements.models import Commitment, Frequency

    indicator = indicators.add_indicator(
        db.session.get(Commitment, commitments[0]["id"]),
        people["admin"],
        name="Local spend",
        unit="%",
        baseline_value=10.0,
        baseline_on=date(2026, 1, 1),
        target_value=20.0,
        target_on=date(2028, 1, 1),
        frequency=Frequency.YEARLY,
    )
    reading = indicators.add_reading(indicator, people["admin"], date(2026, 6, 1), 12.0)
    db.session.commit()

    def plain(obj, *names):
        return SimpleNamespace(**{name: getattr(obj, name) for name in names})

    # Plain values only: the test's session is closed between requests.
    return SimpleNamespace(
        people={role: plain(user, "id") for role, user in people.items()},
        sessions={role: user.get_id() for role, user in people.items()},
        open=plain(open_, "slug"),
        done=plain(done, "slug"),
        commitment_id=commitments[0]["id"],
        indicator=plain(indicator, "id"),
        reading=plain(reading, "id"),
        draft=plain(draft, "slug"),
        idea=plain(idea, "id"),
        other_idea=plain(other_idea, "id"),
        pending=plain(pending, "id"),
        draft_idea=plain(draft_idea, "id"),
        comment=plain(comment, "id"),
        organisation=plain(organisation, "id", "slug"),
        pending_org=plain(pending_org, "id", "slug"),
        invitation=plain(invitation, "id"),
        request=plain(request, "id"),
        merge=plain(merged, "id"),
        event=plain(event, "id"),
        question=plain(question, "id"),
        reason=plain(reason, "id"),
        theme=plain(theme, "id"),
        confirm_token=tokens.make_confirm_token(newcomer),
        reset_token=tokens.make_reset_token(applicant),
        data_token=personal_data.make_download_token(resident),
        unsubscribe_token=following.unsubscribe_token(resident),
        rounds=rounds,
    )


def _network_rounds(admin) -> SimpleNamespace:
    """Self-assessment rounds: a draft, one open for views, one signed off (by their ids)."""
    from datetime import date

    from kil_consult.extensions import db
    from kil_consult.network import services as network

    made = {}
    for name in ("signed", "open", "draft"):
        round_ = network.start_round(admin, f"Round {name}", date(2027, 3, 27))
        for number in range(1, 7):
            network.save_assessment(
                round_,
                admin,
                number,
                level=2,
                commitments=[],
                addresses=[],
                next_steps="Next.",
                champion="Ann",
            )
        if name == "signed":
            network.sign_off(round_, admin)
        elif name == "open":
            network.open_for_views(round_)
        made[name] = round_.id
    db.session.commit()
    return SimpleNamespace(**made)


# --- the expectations, one per route and method --------------------------------------------

GET, POST = "GET", "POST"
VOTE = {"value": "agree"}

EXPECTATIONS: dict[tuple[str, str], Expect] = {
    # Public pages and the open data API.
    ("pages.home", GET): E("/", ALL),
    ("pages.accessibility", GET): E("/accessibility", ALL),
    ("pages.cookies", GET): E("/cookies", ALL),
    ("pages.privacy", GET): E("/privacy", ALL),
    ("pages.house_rules", GET): E("/house-rules", ALL),
    ("moderation.edit_house_rules", GET): E("/admin/house-rules", ADMIN),
    ("moderation.edit_house_rules", POST): E(
        "/admin/house-rules", ADMIN, data=lambda w: {"body": "## Be kind"}
    ),
    # Following and notifications.
    ("pages.follow_idea", POST): E(
        lambda w: f"/follow/idea/{w.idea.id}",
        PARTICIPANTS,
        # Waiting or draft ideas: tests/following/test_following.py (404 unless seen, else 403).
    ),
    ("pages.follow_consultation", POST): E(
        lambda w: f"/follow/consultation/{w.open.slug}",
        PARTICIPANTS,
    ),
    ("pages.follow_statement", POST): E("/follow/statement", PARTICIPANTS),
    ("following.notifications", GET): E("/notifications", SIGNED_IN),
    ("following.mark_read", POST): E("/notifications/read", SIGNED_IN),
    ("following.settings", GET): E("/notifications/settings", SIGNED_IN),
    ("following.settings", POST): E(
        "/notifications/settings", SIGNED_IN, data=lambda w: {"frequency": "daily"}
    ),
    ("following.unfollow", POST): E(
        "/notifications/following/stop", SIGNED_IN, data=lambda w: {"target": "statement"}
    ),
    # The one-click unsubscribe link works for anyone holding it (a mail provider, signed out).
    ("following.unsubscribe", GET): E(
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}", ALL
    ),
    ("following.unsubscribe", POST): E(
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}", ALL
    ),
    ("healthz", GET): E("/healthz", ALL),
    ("static", GET): E("/static/css/app.css", ALL),
    ("api.latest", GET): E("/api/", ALL),
    ("api.index", GET): E("/api/v1/", ALL),
    ("api.openapi_json", GET): E("/api/v1/openapi.json", ALL),
    ("api.process", GET): E("/api/v1/process", ALL),
    ("api.neighbourhoods", GET): E("/api/v1/neighbourhoods", ALL),
    ("api.consultations", GET): E("/api/v1/consultations", ALL),
    ("api.consultation", GET): E(lambda w: f"/api/v1/consultations/{w.open.slug}", ALL),
    ("api.consultation_ideas", GET): E(lambda w: f"/api/v1/consultations/{w.open.slug}/ideas", ALL),
    ("api.idea", GET): E(lambda w: f"/api/v1/ideas/{w.idea.id}", ALL),
    # Accounts.
    ("accounts.sign_up", GET): E("/account/create", ALL),
    ("accounts.sign_up", POST): E("/account/create", ALL),
    ("accounts.sign_in", GET): E("/account/sign-in", ALL),
    ("accounts.sign_in", POST): E("/account/sign-in", ALL),
    ("accounts.sign_out", POST): E("/account/sign-out", ALL),
    ("accounts.check_email", GET): E("/account/check-your-email", ALL),
    ("accounts.resend_confirmation", GET): E("/account/confirm", ALL),
    ("accounts.resend_confirmation", POST): E("/account/confirm", ALL),
    ("accounts.confirm_email", GET): E(lambda w: f"/account/confirm/{w.confirm_token}", ALL),
    ("accounts.forgot_password", GET): E("/account/forgot-password", ALL),
    ("accounts.forgot_password", POST): E("/account/forgot-password", ALL),
    ("accounts.reset_password", GET): E(lambda w: f"/account/reset-password/{w.reset_token}", ALL),
    ("accounts.reset_password", POST): E(lambda w: f"/account/reset-password/{w.reset_token}", ALL),
    ("accounts.account", GET): E("/account", SIGNED_IN),
    ("accounts.change_password", GET): E("/account/password", SIGNED_IN),
    ("accounts.change_password", POST): E("/account/password", SIGNED_IN),
    ("personal_data.your_data", GET): E("/account/your-data", SIGNED_IN),
    # The resident's own download link: anyone else signed in finds nothing there.
    ("personal_data.download_data", GET): E(
        lambda w: f"/account/your-data/{w.data_token}.json", {"resident"}, refused_signed_in=404
    ),
    ("personal_data.erase", GET): E(
        "/account/delete", {"unconfirmed", "resident", "member", "invitee"}
    ),
    ("personal_data.erase", POST): E(
        "/account/delete", {"unconfirmed", "resident", "member", "invitee"}
    ),
    ("accounts.erased", GET): E("/account/deleted", ALL),
    ("accounts.people", GET): E("/admin/people", ADMIN),
    ("accounts.change_role", POST): E(
        lambda w: f"/admin/people/{w.people['resident'].id}/role", ADMIN
    ),
    # Consultations.
    ("pages.consultation", GET): E(
        lambda w: f"/consultations/{w.open.slug}",
        ALL,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}", STAFF, hidden=True),),
    ),
    ("pages.staff_home", GET): E("/admin/", STAFF),
    ("consultations.edit", GET): E(lambda w: f"/admin/consultations/{w.open.slug}", ADMIN),
    ("consultations.edit", POST): E(lambda w: f"/admin/consultations/{w.open.slug}", ADMIN),
    ("consultations.confirm_close", GET): E(
        lambda w: f"/admin/consultations/{w.open.slug}/close", ADMIN
    ),
    ("consultations.change_stage", POST): E(
        lambda w: f"/admin/consultations/{w.open.slug}/close", ADMIN
    ),
    # Ideas, votes and comments.
    ("ideas.new", GET): E(
        lambda w: f"/consultations/{w.open.slug}/ideas/new",
        PARTICIPANTS,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/ideas/new", NOBODY),),
    ),
    ("ideas.new", POST): E(lambda w: f"/consultations/{w.open.slug}/ideas/new", PARTICIPANTS),
    ("ideas.similar", GET): E(
        lambda w: f"/consultations/{w.open.slug}/similar-ideas?text=bus",
        ALL,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/similar-ideas", STAFF, hidden=True),),
    ),
    ("ideas.respond", GET): E(
        lambda w: f"/ideas/{w.idea.id}/response",
        STAFF,
        variants=(E(lambda w: f"/ideas/{w.pending.id}/response", NOBODY),),
    ),
    ("ideas.respond", POST): E(lambda w: f"/ideas/{w.idea.id}/response", STAFF),
    ("ideas.staff_notes", GET): E(lambda w: f"/ideas/{w.idea.id}/staff-notes", STAFF),
    ("ideas.staff_notes", POST): E(lambda w: f"/ideas/{w.idea.id}/staff-notes", STAFF),
    ("ideas.show", GET): E(
        lambda w: f"/ideas/{w.idea.id}",
        ALL,
        variants=(
            # A waiting idea: its author and staff only.
            E(lambda w: f"/ideas/{w.pending.id}", {"resident"} | STAFF, hidden=True),
            E(lambda w: f"/ideas/{w.draft_idea.id}", STAFF, hidden=True),
        ),
    ),
    ("ideas.vote", POST): E(
        lambda w: f"/ideas/{w.idea.id}/vote",
        PARTICIPANTS,
        data=lambda w: VOTE,
        variants=(E(lambda w: f"/ideas/{w.pending.id}/vote", NOBODY, data=lambda w: VOTE),),
    ),
    ("pages.search", GET): E("/search?q=bus", ALL),
    ("api.search_ideas", GET): E("/api/v1/search?q=bus", ALL),
    # The Keep it Local Network: self-assessment rounds and the network return.
    ("api.network_returns", GET): E("/api/v1/network/returns", ALL),
    ("api.network_latest_return", GET): E("/api/v1/network/returns/latest", ALL),
    ("api.network_return", GET): E(lambda w: f"/api/v1/network/returns/{w.rounds.signed}", ALL),
    ("api.network_returns_feed", GET): E("/api/v1/network/returns.atom", ALL),
    ("network.return_schema", GET): E("/network/return.schema.json", ALL),
    ("network.index", GET): E("/network", ALL),
    ("network.start", POST): E("/network/rounds", STAFF, data=lambda w: {"title": ""}),
    ("network.show", GET): E(
        lambda w: f"/network/rounds/{w.rounds.draft}",
        STAFF,
        hidden=True,
        variants=(
            E(lambda w: f"/network/rounds/{w.rounds.open}", ALL),
            E(lambda w: f"/network/rounds/{w.rounds.signed}", ALL),
        ),
    ),
    ("network.assess", GET): E(
        lambda w: f"/network/rounds/{w.rounds.draft}/principles/1",
        STAFF,
        variants=(E(lambda w: f"/network/rounds/{w.rounds.signed}/principles/1", NOBODY),),
    ),
    ("network.assess", POST): E(
        lambda w: f"/network/rounds/{w.rounds.draft}/principles/1",
        STAFF,
        data=lambda w: {"level": "3"},
    ),
    ("network.open_for_views", POST): E(
        lambda w: f"/network/rounds/{w.rounds.draft}/open",
        ADMIN,
        variants=(E(lambda w: f"/network/rounds/{w.rounds.signed}/open", NOBODY),),
    ),
    ("network.sign_off", POST): E(
        lambda w: f"/network/rounds/{w.rounds.draft}/sign-off",
        ADMIN,
        variants=(E(lambda w: f"/network/rounds/{w.rounds.signed}/sign-off", NOBODY),),
    ),
    ("network.give_view", POST): E(
        lambda w: f"/network/rounds/{w.rounds.open}/views/1",
        PARTICIPANTS,
        data=lambda w: {"p1-agrees": "yes"},
        variants=(E(lambda w: f"/network/rounds/{w.rounds.signed}/views/1", NOBODY),),
    ),
    ("network.pack", GET): E(
        lambda w: f"/network/rounds/{w.rounds.signed}/pack.docx",
        ALL,
        variants=(E(lambda w: f"/network/rounds/{w.rounds.draft}/pack.docx", STAFF, hidden=True),),
    ),
    ("network.levels", GET): E("/admin/network/levels/1", ADMIN),
    ("network.levels", POST): E("/admin/network/levels/1", ADMIN, data=lambda w: {}),
    ("personal_data.activity", GET): E("/account/activity", SIGNED_IN),
    ("accounts.change_details", GET): E("/account/details", SIGNED_IN),
    ("accounts.change_details", POST): E(
        "/account/details", SIGNED_IN, data=lambda w: {"display_name": "New name"}
    ),
    # Changing what one wrote: the resident owns the idea and the comment.
    ("ideas.edit_idea", GET): E(
        lambda w: f"/ideas/{w.idea.id}/edit",
        {"resident"},
        variants=(E(lambda w: f"/ideas/{w.draft_idea.id}/edit", NOBODY),),
    ),
    ("ideas.edit_idea", POST): E(
        lambda w: f"/ideas/{w.idea.id}/edit",
        {"resident"},
        data=lambda w: {"title": "A changed idea", "body": "Changed words."},
    ),
    ("ideas.withdraw_idea", GET): E(lambda w: f"/ideas/{w.idea.id}/withdraw", {"resident"}),
    ("ideas.withdraw_idea", POST): E(lambda w: f"/ideas/{w.idea.id}/withdraw", {"resident"}),
    ("ideas.idea_history", GET): E(lambda w: f"/ideas/{w.idea.id}/history", STAFF),
    ("ideas.edit_comment", GET): E(lambda w: f"/comments/{w.comment.id}/edit", {"resident"}),
    ("ideas.edit_comment", POST): E(
        lambda w: f"/comments/{w.comment.id}/edit",
        {"resident"},
        data=lambda w: {"body": "Changed comment"},
    ),
    ("ideas.withdraw_comment", GET): E(
        lambda w: f"/comments/{w.comment.id}/withdraw", {"resident"}
    ),
    ("ideas.withdraw_comment", POST): E(
        lambda w: f"/comments/{w.comment.id}/withdraw", {"resident"}
    ),
    ("ideas.comment_history", GET): E(lambda w: f"/comments/{w.comment.id}/history", STAFF),
    ("accounts.change_email", GET): E("/account/email", SIGNED_IN),
    ("accounts.change_email", POST): E("/account/email", SIGNED_IN),
    # A broken link (a good one would move the account): it says so to anyone.
    ("accounts.confirm_email_change", GET): E("/account/email/confirm/not-a-token", ALL),
    # Facilitators assigned to consultations; workshop votes (nobody is assigned here, so
    # every facilitator answers for the consultation: tests/test_facilitators.py).
    ("accounts.facilitators", GET): E(
        lambda w: f"/admin/consultations/{w.open.slug}/facilitators", ADMIN
    ),
    ("accounts.facilitators", POST): E(
        lambda w: f"/admin/consultations/{w.open.slug}/facilitators",
        ADMIN,
        data=lambda w: {"user_id": w.people["facilitator"].id},
    ),
    ("accounts.unassign_facilitator", POST): E(
        lambda w: (
            f"/admin/consultations/{w.open.slug}/facilitators/{w.people['facilitator'].id}/remove"
        ),
        ADMIN,
    ),
    ("ideas.workshop_votes", GET): E(lambda w: f"/admin/offline/{w.event.id}/votes", STAFF),
    ("ideas.workshop_votes", POST): E(
        lambda w: f"/admin/offline/{w.event.id}/votes",
        STAFF,
        data=lambda w: {"idea_id": w.idea.id, "agree": 3, "disagree": 1, "passed": 0},
    ),
    ("ideas.vote_through", GET): E(
        lambda w: f"/consultations/{w.open.slug}/vote-through",
        PARTICIPANTS,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/vote-through", NOBODY),),
    ),
    ("ideas.vote_through", POST): E(
        lambda w: f"/consultations/{w.open.slug}/vote-through",
        PARTICIPANTS,
        data=lambda w: {"idea_id": w.idea.id, "value": "agree"},
    ),
    ("ideas.comment", POST): E(
        lambda w: f"/ideas/{w.idea.id}/comments",
        PARTICIPANTS,
        data=lambda w: {"body": "Hello"},
    ),
    ("ideas.events", GET): E(lambda w: f"/admin/consultations/{w.open.slug}/offline", STAFF),
    ("ideas.events", POST): E(lambda w: f"/admin/consultations/{w.open.slug}/offline", STAFF),
    ("ideas.event", GET): E(lambda w: f"/admin/offline/{w.event.id}", STAFF),
    ("ideas.event", POST): E(lambda w: f"/admin/offline/{w.event.id}", STAFF),
    ("ideas.import_spreadsheet", GET): E(lambda w: f"/admin/offline/{w.event.id}/import", STAFF),
    ("ideas.import_spreadsheet", POST): E(lambda w: f"/admin/offline/{w.event.id}/import", STAFF),
    ("ideas.confirm_import", POST): E(
        lambda w: f"/admin/offline/{w.event.id}/import/confirm", STAFF
    ),
    # Questions beside the ideas.
    ("questions.manage", GET): E(lambda w: f"/admin/consultations/{w.open.slug}/questions", STAFF),
    ("questions.new", GET): E(lambda w: f"/admin/consultations/{w.open.slug}/questions/new", STAFF),
    ("questions.new", POST): E(
        lambda w: f"/admin/consultations/{w.open.slug}/questions/new",
        STAFF,
        data=lambda w: {"text": "How many?", "kind": "number"},
    ),
    ("questions.edit", GET): E(lambda w: f"/admin/questions/{w.question.id}", STAFF),
    ("questions.edit", POST): E(lambda w: f"/admin/questions/{w.question.id}", STAFF),
    ("questions.remove", POST): E(lambda w: f"/admin/questions/{w.question.id}/remove", STAFF),
    ("questions.move", POST): E(lambda w: f"/admin/questions/{w.question.id}/move/up", STAFF),
    ("questions.switch_on_baseline", POST): E(
        lambda w: f"/admin/consultations/{w.open.slug}/questions/baseline", ADMIN
    ),
    ("questions.answer", GET): E(
        lambda w: f"/consultations/{w.open.slug}/questions/before/1", PARTICIPANTS
    ),
    ("questions.answer", POST): E(
        lambda w: f"/consultations/{w.open.slug}/questions/before/1",
        PARTICIPANTS,
        data=lambda w: {"answer": "1"},
    ),
    ("questions.check", GET): E(
        lambda w: f"/consultations/{w.open.slug}/questions/before/check", PARTICIPANTS
    ),
    ("questions.paper", GET): E(lambda w: f"/admin/offline/{w.event.id}/answers", STAFF),
    ("questions.paper", POST): E(
        lambda w: f"/admin/offline/{w.event.id}/answers",
        STAFF,
        data=lambda w: {f"q{w.question.id}": "0"},
    ),
    ("questions.download", GET): E(
        lambda w: f"/consultations/{w.open.slug}/results/questions.csv", STAFF, hidden=True
    ),
    # Moderation.
    ("moderation.report", GET): E(
        lambda w: f"/report/idea/{w.idea.id}",
        PARTICIPANTS,
        variants=(
            # Nobody reports themselves.
            E(lambda w: f"/report/user/{w.people['resident'].id}", PARTICIPANTS - {"resident"}),
        ),
    ),
    ("moderation.report", POST): E(lambda w: f"/report/comment/{w.comment.id}", PARTICIPANTS),
    ("moderation.queue", GET): E("/moderation", STAFF),
    ("moderation.bulk", POST): E("/moderation/bulk", STAFF),
    ("moderation.review", GET): E(lambda w: f"/moderation/idea/{w.idea.id}", STAFF),
    ("moderation.review", POST): E(lambda w: f"/moderation/comment/{w.comment.id}", STAFF),
    ("moderation.hide", GET): E(lambda w: f"/moderation/idea/{w.idea.id}/hide", STAFF),
    ("moderation.hide", POST): E(lambda w: f"/moderation/comment/{w.comment.id}/hide", STAFF),
    ("moderation.merge", GET): E(lambda w: f"/ideas/{w.idea.id}/merge", STAFF),
    ("moderation.merge", POST): E(lambda w: f"/ideas/{w.idea.id}/merge", STAFF),
    ("moderation.undo_merge", POST): E(lambda w: f"/merges/{w.merge.id}/undo", STAFF),
    ("moderation.reasons", GET): E("/moderation/reasons", STAFF),
    ("moderation.edit_reason", GET): E(
        "/moderation/reasons/new",
        STAFF,
        variants=(E(lambda w: f"/moderation/reasons/{w.reason.id}", STAFF),),
    ),
    ("moderation.edit_reason", POST): E(lambda w: f"/moderation/reasons/{w.reason.id}", STAFF),
    ("moderation.audit_log", GET): E("/admin/audit", ADMIN),
    ("moderation.audit_csv", GET): E("/admin/audit.csv", ADMIN),
    # Organisations: the member manages, the invitee answers, others may ask to join.
    ("organisations.index", GET): E("/organisations", ALL),
    ("pages.organisation", GET): E(
        lambda w: f"/organisations/{w.organisation.slug}",
        ALL,
        variants=(E(lambda w: f"/organisations/{w.pending_org.slug}", STAFF, hidden=True),),
    ),
    ("organisations.register", GET): E("/organisations/register", PARTICIPANTS),
    ("organisations.register", POST): E("/organisations/register", PARTICIPANTS),
    ("organisations.mine", GET): E("/account/organisations", SIGNED_IN),
    ("organisations.join", POST): E(
        lambda w: f"/organisations/{w.organisation.slug}/join", {"resident"} | STAFF
    ),
    ("organisations.leave", POST): E(
        lambda w: f"/organisations/{w.organisation.slug}/leave", {"member"}
    ),
    ("organisations.members", GET): E(
        lambda w: f"/organisations/{w.organisation.slug}/members", {"member"}
    ),
    ("organisations.invite", POST): E(
        lambda w: f"/organisations/{w.organisation.slug}/members/invite", {"member"}
    ),
    ("organisations.approve", POST): E(
        lambda w: f"/organisations/{w.organisation.slug}/members/{w.request.id}/approve",
        {"member"},
    ),
    ("organisations.refuse", POST): E(
        lambda w: f"/organisations/{w.organisation.slug}/members/{w.request.id}/refuse",
        {"member"},
    ),
    ("organisations.accept", POST): E(
        lambda w: f"/account/organisations/invitations/{w.invitation.id}/accept", {"invitee"}
    ),
    ("organisations.decline", POST): E(
        lambda w: f"/account/organisations/invitations/{w.invitation.id}/decline", {"invitee"}
    ),
    ("organisations.staff_list", GET): E("/admin/organisations", STAFF),
    ("organisations.decide", GET): E(
        lambda w: f"/admin/organisations/{w.organisation.slug}", STAFF
    ),
    ("organisations.decide", POST): E(
        lambda w: f"/admin/organisations/{w.organisation.slug}", STAFF
    ),
    # Results, themes and summaries: staff until the summary is published (hidden till then).
    # Before it closes, everyone else reads when the results will appear (staff the results).
    ("analysis.results", GET): E(
        lambda w: f"/consultations/{w.open.slug}/results",
        ALL,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/results", STAFF, hidden=True),),
    ),
    # Who took part (issue 18): one's own answers; the pages follow the results
    ("equality.about_you", GET): E("/account/about-you", SIGNED_IN),
    ("equality.about_you", POST): E(
        "/account/about-you", SIGNED_IN, data=lambda w: {"age_band": "25_34"}
    ),
    ("equality.delete_about_you", POST): E("/account/about-you/delete", SIGNED_IN),
    ("equality.consultation_page", GET): E(
        lambda w: f"/consultations/{w.open.slug}/who-took-part",
        ALL,
        note="everyone gets a page; only staff see figures before the results are public",
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/who-took-part", STAFF, hidden=True),),
    ),
    ("equality.process_page", GET): E(
        "/who-took-part", ALL, note="figures for staff until every consultation's are public"
    ),
    ("exports.impact_assessment", GET): E("/who-took-part/impact-assessment.docx", STAFF),
    ("equality.offline_response", GET): E(lambda w: f"/admin/offline/{w.event.id}/response", STAFF),
    ("equality.offline_response", POST): E(
        lambda w: f"/admin/offline/{w.event.id}/response",
        STAFF,
        data=lambda w: {"title": "Benches", "body": "More benches", "age_band": "65_74"},
    ),
    ("equality.population", GET): E("/admin/who-took-part/population", ADMIN),
    ("equality.population", POST): E(
        "/admin/who-took-part/population", ADMIN, data=lambda w: {"which": "census"}
    ),
    ("analysis.download", GET): E(
        lambda w: f"/consultations/{w.open.slug}/results/ranked.csv", STAFF, hidden=True
    ),
    ("analysis.recompute", POST): E(
        lambda w: f"/consultations/{w.open.slug}/results/recompute", STAFF
    ),
    ("analysis.themes", GET): E(lambda w: f"/consultations/{w.open.slug}/themes", STAFF),
    ("analysis.suggest", POST): E(lambda w: f"/consultations/{w.open.slug}/themes/suggest", STAFF),
    ("analysis.create_theme", POST): E(lambda w: f"/consultations/{w.open.slug}/themes/new", STAFF),
    ("analysis.theme_action", POST): E(
        lambda w: f"/consultations/{w.open.slug}/themes/{w.theme.id}/rename", STAFF
    ),
    ("analysis.untag", POST): E(
        lambda w: f"/consultations/{w.open.slug}/themes/{w.theme.id}/untag/{w.idea.id}", STAFF
    ),
    ("analysis.tag", POST): E(lambda w: f"/consultations/{w.open.slug}/themes/tag", STAFF),
    ("statements.edit_summary", GET): E(lambda w: f"/consultations/{w.open.slug}/summary", STAFF),
    ("statements.edit_summary", POST): E(lambda w: f"/consultations/{w.open.slug}/summary", STAFF),
    ("statements.publish_summary", POST): E(
        lambda w: f"/consultations/{w.open.slug}/summary/publish", STAFF
    ),
    ("statements.summary_versions", GET): E(
        lambda w: f"/consultations/{w.open.slug}/summary/versions", STAFF
    ),
    ("statements.summary_version", GET): E(
        lambda w: f"/consultations/{w.open.slug}/summary/versions/1", STAFF
    ),
    ("statements.updates", POST): E(
        lambda w: f"/consultations/{w.open.slug}/updates", PARTICIPANTS
    ),
    # Published results, summaries and themes in the open data API.
    ("api.consultation_results", GET): E(
        lambda w: f"/api/v1/consultations/{w.done.slug}/results", ALL
    ),
    ("api.consultation_summary", GET): E(
        lambda w: f"/api/v1/consultations/{w.done.slug}/summary", ALL
    ),
    ("api.consultation_themes", GET): E(
        lambda w: f"/api/v1/consultations/{w.done.slug}/themes", ALL
    ),
    # The statement in the open data API: a draft is not open data, for anyone.
    ("api.statement", GET): E("/api/v1/statement", NOBODY, hidden=True),
    ("api.statement_versions", GET): E("/api/v1/statement/versions", NOBODY, hidden=True),
    ("api.statement_version", GET): E("/api/v1/statement/versions/1", NOBODY, hidden=True),
    ("api.commitments", GET): E("/api/v1/commitments", NOBODY, hidden=True),
    # The statement: a draft, so staff read it and everyone else reads what the page will hold
    # and when (never "Page not found" from a link on the home page); one version or a diff is
    # hidden until it is public.
    ("statements.show", GET): E("/statement", ALL),
    ("statements.versions", GET): E("/statement/versions", ALL),
    ("statements.version", GET): E("/statement/versions/1", STAFF, hidden=True),
    ("statements.compare", GET): E("/statement/compare?from=1&to=1", STAFF, hidden=True),
    ("statements.progress", GET): E("/statement/progress", ALL),
    ("statements.respond", POST): E("/statement/respond/preamble", NOBODY),
    ("statements.manage", GET): E("/admin/statement", STAFF),
    ("statements.start", POST): E("/admin/statement/start", STAFF),
    ("statements.edit", GET): E("/admin/statement/edit", STAFF),
    ("statements.edit", POST): E("/admin/statement/edit", STAFF),
    # Indicators on commitments: an admin defines them, staff enter readings, anyone reads
    # the starter library.
    ("indicators.library", GET): E("/statement/indicators/library", ALL),
    ("indicators.new", GET): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}/indicators/new", ADMIN
    ),
    ("indicators.new", POST): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}/indicators/new", ADMIN
    ),
    ("indicators.edit", GET): E(lambda w: f"/admin/indicators/{w.indicator.id}", ADMIN),
    ("indicators.edit", POST): E(lambda w: f"/admin/indicators/{w.indicator.id}", ADMIN),
    ("indicators.remove", POST): E(lambda w: f"/admin/indicators/{w.indicator.id}/remove", ADMIN),
    ("indicators.readings", GET): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/readings", STAFF
    ),
    ("indicators.readings", POST): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/readings", STAFF
    ),
    ("indicators.question", GET): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/question", ADMIN
    ),
    ("indicators.question", POST): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/question", ADMIN
    ),
    ("indicators.unlink_question", POST): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/question/remove", ADMIN
    ),
    ("indicators.reading_from_answers", POST): E(
        lambda w: f"/admin/indicators/{w.indicator.id}/readings/from-answers", STAFF
    ),
    ("indicators.remove_reading", POST): E(
        lambda w: f"/admin/indicators/readings/{w.reading.id}/remove", STAFF
    ),
    ("statements.new_commitment", GET): E("/admin/statement/commitments/new", STAFF),
    ("statements.new_commitment", POST): E("/admin/statement/commitments/new", STAFF),
    ("statements.edit_commitment", GET): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}", STAFF
    ),
    ("statements.edit_commitment", POST): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}", STAFF
    ),
    ("statements.remove_commitment", POST): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}/remove", STAFF
    ),
    ("statements.move_commitment", POST): E(
        lambda w: f"/admin/statement/commitments/{w.commitment_id}/move", STAFF
    ),
    ("statements.open_review", POST): E("/admin/statement/review", ADMIN),
    # Closing a review early is for an admin while the draft is open for comment; it is not.
    ("statements.close_review", GET): E("/admin/statement/review/close", NOBODY),
    ("statements.close_review", POST): E("/admin/statement/review/close", NOBODY),
    ("statements.record_decision", POST): E("/admin/statement/decision", ADMIN),
    ("statements.add_signatory", POST): E("/admin/statement/signatories", NOBODY),
    ("statements.publish", POST): E("/admin/statement/publish", NOBODY),
    # Progress is recorded on a published statement's commitments; this draft has none yet.
    ("statements.update_progress", GET): E(
        "/admin/statement/commitments/999999/progress", NOBODY, hidden=True
    ),
    ("statements.update_progress", POST): E(
        "/admin/statement/commitments/999999/progress", NOBODY, hidden=True
    ),
    ("exports.statement_download", GET): E("/statement/download/md", STAFF, hidden=True),
    ("exports.statement_schema", GET): E("/statement/schema.json", ALL),
    ("exports.progress_download", GET): E("/statement/progress/download/pdf", STAFF, hidden=True),
    ("exports.open_data", GET): E(
        lambda w: f"/consultations/{w.open.slug}/open-data.json",
        ALL,
        variants=(E(lambda w: f"/consultations/{w.draft.slug}/open-data.json", STAFF),),
    ),
    # Downloads the worker made: the rule of the download itself (a staff version: staff).
    ("exports.prepared_download", GET): E(
        "/downloads/public-download-token",
        ALL,
        variants=(E("/downloads/staff-download-token", STAFF),),
    ),
    ("exports.prepared_file", GET): E(
        "/downloads/public-download-token/file",
        ALL,
        variants=(E("/downloads/staff-download-token/file", STAFF),),
    ),
    ("exports.report", GET): E(
        lambda w: f"/consultations/{w.open.slug}/report.docx",
        STAFF,
        variants=(E(lambda w: f"/consultations/{w.done.slug}/report.docx", ALL),),
    ),
}


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return found


def _matrix_app():
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})


def test_every_route_has_an_expectation():
    routes = _routes(_matrix_app())
    missing = sorted(routes - set(EXPECTATIONS))
    assert not missing, f"Routes without an access expectation in {__file__}: {missing}"
    stale = sorted(set(EXPECTATIONS) - routes)
    assert not stale, f"Expectations for routes that no longer exist: {stale}"


def test_every_policy_protected_view_is_refused_to_someone():
    """A view that names a rule must refuse at least one role (or it is not guarded)."""
    app = _matrix_app()
    for (endpoint, _method), expect in EXPECTATIONS.items():
        view = app.view_functions.get(endpoint)
        if getattr(view, "kil_action", None) and not any(
            v.allowed != ALL for v in (expect, *expect.variants)
        ):
            raise AssertionError(f"{endpoint} checks {view.kil_action} but everyone may use it")


# --- walking the matrix ----------------------------------------------------------------------


def _client_for(app, world, role):
    client = app.test_client()
    if role != "visitor":
        with client.session_transaction() as session:
            session["_user_id"] = world.sessions[role]
            session["_fresh"] = True
    return client


def _outcome(response) -> str:
    """What a person met: 'allowed', 'signin', '403', '404', or the unexpected status."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (301, 302, 303) and "/account/sign-in?next=" in location:
        return "signin"
    if status in (403, 404):
        return str(status)
    if status >= 500:
        return f"error {status}"
    if status == 405:
        return "405"
    return "allowed"


def _expected(expect: Expect, role: str) -> str:
    if role in expect.allowed:
        return "allowed"
    if expect.hidden:
        return "404"
    if role == "visitor":
        return "signin"
    return str(expect.refused_signed_in)


@pytest.mark.parametrize("route", sorted(EXPECTATIONS), ids=lambda r: f"{r[1]} {r[0]}")
def test_access(app, db, route):
    endpoint, method = route
    top = EXPECTATIONS[route]
    problems = []
    for expect in (top, *top.variants):
        world = None
        for role in ROLES:
            if world is None:
                _empty_tables(app)
                world = build_world()
            client = _client_for(app, world, role)
            path = expect.path(world)
            data = expect.data(world) if expect.data else {}
            response = client.open(path, method=method, data=data if method == POST else None)
            got, wanted = _outcome(response), _expected(expect, role)
            response.close()
            if got != wanted:
                problems.append(
                    f"{role}: {method} {path} -> {got} ({response.status_code}), expected {wanted}"
                )
            if method != GET and got == "allowed":
                world = None  # the world may have changed: build it again for the next role
            db.session.remove()
    assert not problems, "\n".join(problems)


# --- changing an id does not let one person act on another's things -------------------------


def _signed_in_client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return client


def test_nobody_speaks_for_an_organisation_they_do_not_belong_to(app, db):
    from sqlalchemy import func, select

    from kil_consult.ideas.models import Comment, Idea

    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    organisation = factories.make_organisation(members=[factories.make_user()])
    outsider = factories.make_user()
    db.session.commit()
    client = _signed_in_client(app, outsider)
    new_idea = client.post(
        f"/consultations/{consultation.slug}/ideas/new",
        data={
            "title": "On their behalf",
            "body": "Text",
            "speak_as": organisation.id,
            "confirm_new": "y",
        },
    )
    comment = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "On their behalf", "speak_as": organisation.id}
    )
    assert new_idea.status_code in (400, 403) and comment.status_code in (400, 403)
    spoken = select(func.count()).where(Idea.organisation_id == organisation.id)
    assert db.session.scalar(spoken) == 0
    spoken = select(func.count()).where(Comment.organisation_id == organisation.id)
    assert db.session.scalar(spoken) == 0


def test_a_member_cannot_answer_requests_to_another_organisation_through_their_own(app, db):
    from kil_consult.organisations.models import Membership

    member = factories.make_user()
    mine = factories.make_organisation(members=[member])
    theirs = factories.make_organisation(members=[factories.make_user()])
    request = factories.make_membership(theirs, factories.make_user(), MembershipStatus.REQUESTED)
    invitation = factories.make_membership(theirs, factories.make_user(), MembershipStatus.INVITED)
    db.session.commit()
    client = _signed_in_client(app, member)
    for action in ("approve", "refuse"):
        response = client.post(f"/organisations/{mine.slug}/members/{request.id}/{action}")
        assert response.status_code == 404
    for action in ("accept", "decline"):
        response = client.post(f"/account/organisations/invitations/{invitation.id}/{action}")
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Membership, request.id).status is MembershipStatus.REQUESTED
    assert db.session.get(Membership, invitation.id).status is MembershipStatus.INVITED


def test_a_vote_is_always_the_signed_in_persons_own(app, db):
    from sqlalchemy import select

    from kil_consult.ideas.models import Vote

    idea = factories.make_idea()
    voter, victim = factories.make_user(), factories.make_user()
    db.session.commit()
    client = _signed_in_client(app, voter)
    client.post(f"/ideas/{idea.id}/vote", data={"value": "agree", "user_id": victim.id})
    voters = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == idea.id)))
    assert voters == {voter.id}
