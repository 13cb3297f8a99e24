"""Every action the audit log records, named like policy's actions (``noun.verb``), with the
words the log shows for it. A test fails for an action recorded anywhere without a label."""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    # moderation of ideas and comments (and reports about people)
    "item.publish": "Published",
    "item.hide": "Hidden",
    "item.restore": "Restored",
    "item.dismiss_reports": "Reports dealt with",
    "idea.merge": "Merged",
    "idea.undo_merge": "Merge undone",
    "idea.respond": "Council response given",
    "idea.note": "Staff note added",
    "summary.publish_early": "Summary published before the consultation closed",
    "hide_reason.edit": "Reason template changed",
    "house_rules.edit": "House rules changed",
    # people
    "user.change_role": "Role changed",
    "account.erase": "Account erased",
    "account.purge_unconfirmed": "Unconfirmed account removed",
    # consultations and what happened offline
    "consultation.edit": "Consultation edited",
    "consultation.open": "Consultation opened",
    "consultation.close": "Consultation closed",
    "offline.record_event": "Offline event recorded",
    "offline.enter_idea": "Offline idea entered",
    "offline.import": "Ideas imported from a spreadsheet",
    "offline.enter_about_you": "Offline \u201cAbout you\u201d answers entered",
    # who took part
    "population.upload": "Census population table uploaded",
    "postcodes.upload": "Postcode-to-ward lookup uploaded",
    "boundaries.upload": "Neighbourhood boundaries uploaded",
    "offline.workshop_votes": "Workshop votes recorded",
    "consultation.assign_facilitator": "Facilitator assigned",
    "consultation.unassign_facilitator": "Facilitator no longer assigned",
    # organisations
    "organisation.register": "Organisation registered",
    "organisation.verify": "Organisation verified",
    "organisation.decline": "Organisation declined",
    "membership.invite": "Member invited",
    "membership.request": "Asked to join",
    "membership.accept": "Invitation accepted",
    "membership.decline": "Invitation declined",
    "membership.approve": "Member approved",
    "membership.refuse": "Request refused",
    "membership.leave": "Member left",
    # the statement
    "statement.start": "Statement started",
    # the Keep it Local Network's self-assessment and hub
    "network.start_round": "Self-assessment round started",
    "network.open_for_views": "Self-assessment opened for views",
    "network.sign_off": "Self-assessment signed off",
    "statement.open_review": "Statement opened for comment",
    "statement.close_review": "Statement closed for comment early",
    "statement.agree": "Decision recorded",
    "statement.sign": "Signatory added",
    "statement.publish": "Statement published",
    "statement.publish_override": "Statement published despite warnings",
    "commitment.change_status": "Commitment status changed",
    "indicator.add": "Indicator added to a commitment",
    "indicator.change": "Indicator changed",
    "indicator.remove": "Indicator removed",
}

# Names the log used before they took the noun.verb form (the data migration renames rows).
RENAMED: dict[str, str] = {
    "publish": "item.publish",
    "hide": "item.hide",
    "restore": "item.restore",
    "dismiss_reports": "item.dismiss_reports",
    "merge": "idea.merge",
    "undo_merge": "idea.undo_merge",
    "edit_hide_reason": "hide_reason.edit",
    "change_role": "user.change_role",
    "erase_account": "account.erase",
    "purge_unconfirmed": "account.purge_unconfirmed",
    "edit_consultation": "consultation.edit",
    "open_consultation": "consultation.open",
    "close_consultation": "consultation.close",
    "record_event": "offline.record_event",
    "enter_offline_idea": "offline.enter_idea",
    "statement.review": "statement.open_review",
    "commitment.status": "commitment.change_status",
}


def action_label(action: str) -> str:
    """The words the audit log shows for an action (its name, readably, if it has none)."""
    return ACTIONS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()
