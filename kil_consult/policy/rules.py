"""Who may do what: every permission rule of kil-consult, in one place (the guards that apply
them are in ``policy/__init__.py``).

Each rule is a small predicate ``(user, obj) -> bool`` whose docstring reads as the rule.
``RULES`` maps action names to rules; ``can(action, obj)`` checks one for the signed-in person
(also a template global, so a button and its route share one rule); ``requires`` is the view
decorator that loads an object (404) and checks a rule (403, or sign in first).
"""

from __future__ import annotations

from collections.abc import Callable

from ..consultations.models import Consultation, Stage
from ..extensions import db
from ..ideas.models import Comment, Idea, Visibility
from ..statements.models import Statement
from .account_rules import (  # noqa: F401
    _own_account,
    may_change_own_details,
    may_change_own_email,
    may_change_own_password,
    may_download_own_data,
    may_erase_own_account,
    may_view_own_activity,
)

# changing what one wrote, part of the table below
from .contribution_rules import (  # noqa: F401
    has_council_response,
    may_edit_own_contribution,
    may_read_edit_history,
    may_withdraw_own_contribution,
)

# who answers for a consultation, part of the table below
from .facilitation_rules import (  # noqa: F401
    answers_for,
    may_assign_facilitators,
    may_record_workshop_votes,
)

# the network's rules, part of the table below
from .network_rules import (  # noqa: F401
    may_assess,
    may_edit_level_descriptors,
    may_give_view_on_round,
    may_manage_hub,
    may_open_round_for_views,
    may_read_round_views,
    may_sign_off_round,
    may_start_round,
    may_view_round,
)
from .organisation_rules import (  # noqa: F401
    may_act_for_organisation,
    may_ask_to_join,
    may_leave_organisation,
    may_manage_members,
    may_register_organisation,
    may_respond_to_invitation,
    may_verify_organisation,
    may_view_organisation,
)
from .people import _signed_in, is_admin, is_participant, is_staff, page_audience  # noqa: F401

# the questions' rules, part of the table below
from .question_rules import (  # noqa: F401
    may_answer_questions,
    may_enter_paper_answers,
    may_manage_questions,
    may_switch_on_baseline,
)

# the statement's rules, part of the table below
from .statement_rules import (  # noqa: F401
    may_agree_statement,
    may_close_statement_review,
    may_edit_statement,
    may_manage_indicators,
    may_open_statement_review,
    may_publish_statement,
    may_read_statement_feedback,
    may_record_readings,
    may_respond_to_statement,
    may_sign_statement,
    may_start_statement,
    may_update_commitment,
    may_view_progress,
    may_view_statement,
    may_view_statement_drafts,
)

# What each stage of a consultation allows people to do (adhocracy4's "phase features").
STAGE_FEATURES: dict[Stage, frozenset[str]] = {
    Stage.DRAFT: frozenset(),
    Stage.OPEN: frozenset({"post", "vote", "comment"}),
    Stage.CLOSED: frozenset(),
}


def stage_allows(consultation: Consultation, feature: str) -> bool:
    """A consultation allows a feature only in a stage that has it and between its dates."""
    return consultation.is_accepting() and feature in STAGE_FEATURES[consultation.stage]


# --- rules -------------------------------------------------------------------------------


def may_view_consultation(user, consultation: Consultation) -> bool:
    """Anyone may read an open or closed consultation; staff may also read drafts."""
    return consultation.is_public or is_staff(user)


def may_manage_consultation(user, consultation: Consultation | None = None) -> bool:
    """Only an admin may edit a consultation, open it or close it."""
    return is_admin(user)


def may_post_idea(user, consultation: Consultation) -> bool:
    """A confirmed person may share an idea while the consultation is open."""
    return (
        is_participant(user)
        and may_view_consultation(user, consultation)
        and stage_allows(consultation, "post")
    )


def may_vote_through(user, consultation: Consultation) -> bool:
    """A confirmed person may vote through a consultation's ideas one at a time while it
    takes votes."""
    return (
        is_participant(user)
        and may_view_consultation(user, consultation)
        and stage_allows(consultation, "vote")
    )


def may_view_idea(user, idea: Idea) -> bool:
    """An idea's page is public where its consultation is (a hidden or merged idea shows a
    note in its place); one waiting for a moderator is seen only by its author and staff."""
    if not may_view_consultation(user, idea.consultation):
        return False
    if idea.visibility is not Visibility.PENDING:
        return True
    return is_staff(user) or (_signed_in(user) and user.id == idea.author_id)


def may_vote(user, idea: Idea) -> bool:
    """A confirmed person may vote on a published idea while its consultation is open."""
    return (
        is_participant(user)
        and idea.visibility is Visibility.PUBLISHED
        and stage_allows(idea.consultation, "vote")
    )


def may_comment(user, idea: Idea) -> bool:
    """A confirmed person may comment on a published idea while its consultation is open."""
    return (
        is_participant(user)
        and idea.visibility is Visibility.PUBLISHED
        and stage_allows(idea.consultation, "comment")
    )


def may_reply(user, comment: Comment) -> bool:
    """Replies go one level deep: only to a published top-level comment one may comment on."""
    return (
        comment.parent_id is None
        and comment.visibility is Visibility.PUBLISHED
        and may_comment(user, comment.idea)
    )


def may_report(user, item) -> bool:
    """A confirmed person may report a published idea or comment, or another person."""
    if not is_participant(user):
        return False
    if isinstance(item, Idea | Comment):
        return item.visibility is Visibility.PUBLISHED
    return item is not None and item.id != user.id


def _item_consultation(item) -> Consultation | None:
    if isinstance(item, Idea):
        return item.consultation
    if isinstance(item, Comment):
        return item.idea.consultation
    return item if isinstance(item, Consultation) else None


def may_moderate(user, item=None) -> bool:
    """Facilitators and admins moderate: the queue, publish, hide, restore, merge; an idea or
    comment only in a consultation they answer for (reports about people: any of them)."""
    return is_staff(user) and answers_for(user, _item_consultation(item))


def may_respond_to_idea(user, idea: Idea) -> bool:
    """Facilitators and admins who answer for its consultation give the council's official
    response to a published idea the public can see (while it is open or after it closed)."""
    return (
        is_staff(user)
        and idea.visibility is Visibility.PUBLISHED
        and idea.consultation.stage is not Stage.DRAFT
        and answers_for(user, idea.consultation)
    )


def may_keep_staff_notes(user, idea: Idea | None = None) -> bool:
    """Only facilitators and admins read and add the internal notes on an idea."""
    return is_staff(user)


def may_view_idea_content(user, idea: Idea) -> bool:
    """Where one may see an idea's page, its words show unless it was hidden or withdrawn; then
    they are shown only to facilitators and admins (everyone else reads the note in its place)."""
    if not may_view_idea(user, idea):
        return False
    return idea.visibility not in (Visibility.HIDDEN, Visibility.WITHDRAWN) or is_staff(user)


def may_view_pending_comments(user, idea: Idea) -> bool:
    """Facilitators and admins see every comment on an idea that waits for a moderator (its
    author sees their own; everyone else none)."""
    return is_staff(user)


def may_publish_without_moderation(user, consultation: Consultation) -> bool:
    """Under pre-moderation, a facilitator's or admin's own ideas and comments appear at once;
    everyone else's wait for a moderator."""
    return is_staff(user)


def may_merge(user, idea: Idea) -> bool:
    """Staff who answer for its consultation may merge a published idea into another."""
    return (
        is_staff(user)
        and idea.visibility is Visibility.PUBLISHED
        and answers_for(user, idea.consultation)
    )


def may_record_offline(user, consultation: Consultation) -> bool:
    """Staff who answer for a consultation that has opened enter the ideas gathered offline."""
    return (
        is_staff(user) and consultation.stage is not Stage.DRAFT and answers_for(user, consultation)
    )


def may_read_audit_log(user, obj=None) -> bool:
    """Only admins read the audit log."""
    return is_admin(user)


def may_manage_users(user, obj=None) -> bool:
    """Only an admin may see the list of people and appoint facilitators."""
    return is_admin(user)


def may_see_staff_area(user, obj=None) -> bool:
    """Facilitators and admins see the staff pages."""
    return is_staff(user)


def summary_published(consultation: Consultation) -> bool:
    """A fact on the model: the consultation has a summary and it has been published."""
    summary = getattr(consultation, "summary", None)
    return summary is not None and summary.is_published


def results_public(consultation: Consultation) -> bool:
    """The one rule for when a consultation's results (ranking, opinion groups, what every
    group agrees with, what divides opinion) are public, on the pages, in the API and in the
    open data alike: once the consultation has closed AND its summary is published. A summary
    published early (with an audited reason) does not make them public while people can
    still vote: results shown then would sway the vote."""
    return consultation.current_stage() is Stage.CLOSED and summary_published(consultation)


def may_view_results(user, consultation: Consultation) -> bool:
    """Staff may read a consultation's results at any time; everyone else once they are
    public (``results_public``), and only where they may read the consultation."""
    if not may_view_consultation(user, consultation):
        return False
    if is_staff(user):
        return True
    return results_public(consultation)


def may_manage_results(user, consultation: Consultation) -> bool:
    """Facilitators and admins who answer for the consultation recompute results and suggest,
    accept, merge and tag themes."""
    return is_staff(user) and answers_for(user, consultation)


def may_write_summary(user, consultation: Consultation) -> bool:
    """Facilitators and admins who answer for the consultation write and save drafts of its
    summary."""
    return is_staff(user) and answers_for(user, consultation)


def may_view_summary_drafts(user, consultation: Consultation) -> bool:
    """Facilitators and admins read a summary's unpublished drafts (the "you said, we did"
    report falls back to the latest draft for them until a summary is published)."""
    return is_staff(user)


def may_publish_summary(user, consultation: Consultation) -> bool:
    """Staff who answer for a consultation that has opened publish its summary (never a draft
    consultation's)."""
    return is_staff(user) and consultation.is_public and answers_for(user, consultation)


def may_ask_for_updates(user, consultation: Consultation) -> bool:
    """A confirmed person may ask to be emailed what happened next, on a public consultation."""
    return is_participant(user) and consultation.is_public


def may_download_open_data(user, consultation: Consultation) -> bool:
    """The open data of a consultation is for whoever may read it (everyone, once opened)."""
    return may_view_consultation(user, consultation)


def may_download_report(user, consultation: Consultation) -> bool:
    """The "you said, we did" report follows the results: staff at any time, everyone once
    the summary is published."""
    return may_view_results(user, consultation)


def may_fetch_prepared_download(user, download) -> bool:
    """A download the worker makes (open data, a report, the statement or its progress as Word
    or PDF) is for whoever may have that download itself, checked again on its page and its
    file: the same rule on the same consultation or statement, and staff only for a staff
    version (a report with draft summaries, a draft of the statement)."""
    options = download.options or {}
    if options.get("staff") and not is_staff(user):
        return False
    if download.what in ("open-data", "report"):
        consultation = db.session.get(Consultation, download.subject_id)
        if consultation is None:
            return False
        rule = may_download_open_data if download.what == "open-data" else may_download_report
        return rule(user, consultation)
    if download.what in ("statement", "progress"):
        statement = db.session.get(Statement, download.subject_id)
        if statement is None:
            return False
        rule = may_view_statement if download.what == "statement" else may_view_progress
        return rule(user, statement)
    return False


def may_follow_consultation(user, consultation: Consultation) -> bool:
    """A confirmed person may follow a consultation anyone can read (open or closed)."""
    return is_participant(user) and consultation.is_public


def may_follow_idea(user, idea: Idea) -> bool:
    """A confirmed person may follow a published idea they can read (never one waiting for a
    moderator, hidden or merged)."""
    return (
        is_participant(user)
        and idea.visibility is Visibility.PUBLISHED
        and idea.consultation.is_public
    )


def may_follow_generally(user, obj=None) -> bool:
    """A confirmed person may follow a neighbourhood, or the statement at any stage (to hear
    when it opens for comment)."""
    return is_participant(user)


def may_read_own_notifications(user, account=None) -> bool:
    """A signed-in person reads and sets their own notifications (no one else's)."""
    return _own_account(user, account)


def may_edit_house_rules(user, obj=None) -> bool:
    """Only an admin writes the house rules that contributions are moderated against."""
    return is_admin(user)


def may_answer_about_you(user, account=None) -> bool:
    """A signed-in person may answer, change or delete their own "About you" answers (nobody
    else's, staff included)."""
    return _own_account(user, account)


def may_view_who_took_part(user, consultation: Consultation) -> bool:
    """ "Who took part" in a consultation follows its results: staff at any time, everyone once
    the results are public."""
    return may_view_results(user, consultation)


def may_view_process_who_took_part(user, process) -> bool:
    """ "Who took part" in the whole process: staff at any time, everyone once the results of
    every one of its consultations are public (the whole would otherwise tell about a part
    not yet published)."""
    consultations = list(getattr(process, "consultations", []) or [])
    if is_staff(user):
        return True
    return bool(consultations) and all(may_view_results(user, c) for c in consultations)


def may_manage_population(user, obj=None) -> bool:
    """Only an admin uploads the Census tables, ward populations and postcode lookup."""
    return is_admin(user)


RULES: dict[str, Callable[..., bool]] = {
    "consultation.view": may_view_consultation,
    "consultation.manage": may_manage_consultation,
    "idea.create": may_post_idea,
    "idea.view": may_view_idea,
    "idea.view_content": may_view_idea_content,
    "idea.vote": may_vote,
    "consultation.vote_through": may_vote_through,
    "idea.comment": may_comment,
    "comment.reply": may_reply,
    "comment.view_pending": may_view_pending_comments,
    "contribution.publish_at_once": may_publish_without_moderation,
    "item.report": may_report,
    "moderation.act": may_moderate,
    "idea.merge": may_merge,
    "idea.respond": may_respond_to_idea,
    "idea.staff_notes": may_keep_staff_notes,
    "offline.record": may_record_offline,
    "audit.read": may_read_audit_log,
    "users.manage": may_manage_users,
    "staff.area": may_see_staff_area,
    "results.view": may_view_results,
    "results.manage": may_manage_results,
    "summary.write": may_write_summary,
    "summary.view_drafts": may_view_summary_drafts,
    "summary.publish": may_publish_summary,
    "updates.subscribe": may_ask_for_updates,
    "organisation.register": may_register_organisation,
    "organisation.view": may_view_organisation,
    "organisation.act": may_act_for_organisation,
    "organisation.manage_members": may_manage_members,
    "organisation.join": may_ask_to_join,
    "organisation.leave": may_leave_organisation,
    "organisation.verify": may_verify_organisation,
    "membership.respond": may_respond_to_invitation,
    "account.change_password": may_change_own_password,
    "account.download_data": may_download_own_data,
    "account.erase": may_erase_own_account,
    "account.change_details": may_change_own_details,
    "account.change_email": may_change_own_email,
    "account.view_activity": may_view_own_activity,
    "statement.view": may_view_statement,
    "statement.view_drafts": may_view_statement_drafts,
    "statement.start": may_start_statement,
    "statement.edit": may_edit_statement,
    "statement.open_review": may_open_statement_review,
    "statement.respond": may_respond_to_statement,
    "statement.read_feedback": may_read_statement_feedback,
    "statement.agree": may_agree_statement,
    "statement.close_review": may_close_statement_review,
    "statement.sign": may_sign_statement,
    "statement.publish": may_publish_statement,
    "progress.view": may_view_progress,
    "commitment.update": may_update_commitment,
    "opendata.download": may_download_open_data,
    "report.download": may_download_report,
    "download.fetch": may_fetch_prepared_download,
    "consultation.follow": may_follow_consultation,
    "idea.follow": may_follow_idea,
    "neighbourhood.follow": may_follow_generally,
    "statement.follow": may_follow_generally,
    "notifications.read": may_read_own_notifications,
    "house_rules.edit": may_edit_house_rules,
    "round.view": may_view_round,
    "network.start_round": may_start_round,
    "network.assess": may_assess,
    "network.open_for_views": may_open_round_for_views,
    "network.sign_off": may_sign_off_round,
    "network.give_view": may_give_view_on_round,
    "network.read_views": may_read_round_views,
    "network.edit_levels": may_edit_level_descriptors,
    "hub.manage": may_manage_hub,
    "about_you.answer": may_answer_about_you,
    "who_took_part.view": may_view_who_took_part,
    "who_took_part.view_process": may_view_process_who_took_part,
    "population.manage": may_manage_population,
    "consultation.assign_facilitators": may_assign_facilitators,
    "workshop.record_votes": may_record_workshop_votes,
    "contribution.edit": may_edit_own_contribution,
    "contribution.withdraw": may_withdraw_own_contribution,
    "contribution.history": may_read_edit_history,
    "questions.manage": may_manage_questions,
    "questions.answer": may_answer_questions,
    "questions.paper": may_enter_paper_answers,
    "questions.baseline": may_switch_on_baseline,
    "indicator.manage": may_manage_indicators,
    "indicator.record": may_record_readings,
}
