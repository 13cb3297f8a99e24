"""The house rules: written by the admin (a default that fits a UK council until then), shown
on a public page linked from the share, comment and report forms, and audited when changed."""

from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow
from .models import HouseRules

MAX_LENGTH = 20_000

DEFAULT_HOUSE_RULES = """\
This is a space for everyone who lives, works or volunteers in the area to share ideas and
talk about them. These rules keep it useful, safe and welcoming. Moderators check what is
reported against them, and may hide anything that breaks them, with the reason shown in its
place.

## Be respectful

- Disagree with ideas, not with people. No insults, threats, harassment or name-calling.
- No discriminatory language: nothing that attacks people for their age, disability, gender
  identity, marriage or civil partnership, pregnancy, race, religion or belief, sex or sexual
  orientation (the characteristics the Equality Act 2010 protects), or for any other reason.
- No swearing or sexual content.

## Keep it on topic

- Share ideas and comments about the consultation's question and your local area.
- One idea per post. If someone has already shared your idea, agree with theirs instead.
- No advertising, fundraising or spam. Community organisations may say who they are and what
  they do where it helps the conversation.
- No campaigning for a political party or candidate.

## Protect people's privacy

- Do not share anyone's personal information: names of private individuals, addresses, phone
  numbers, email addresses, photos, or details of someone's health or circumstances.
- Do not name or criticise individual council staff. Raise complaints about a service through
  the council's complaints procedure.

## Keep it lawful

- Nothing defamatory (untrue statements that could harm someone's reputation), nothing that
  breaks a court order, and nothing that encourages crime or could prejudice a legal case.
- Only share what you have the right to share.

## Moderation

- We read reports as soon as we can, usually within two working days.
- If we hide something, the author is told why and can ask us to look again by replying to
  the email. A hidden idea or comment leaves a note in its place, never a silent gap.
- People who repeatedly break these rules may be stopped from taking part.
- If you see something that breaks these rules, use the "Report" link beside it, or beside the
  name of the person who wrote it.
"""


def current_house_rules() -> HouseRules | None:
    """The admin's house rules, or None while the default stands."""
    return db.session.scalar(select(HouseRules).order_by(HouseRules.id).limit(1))


def house_rules_text() -> str:
    """The house rules in force, in Markdown: the admin's, else the default."""
    row = current_house_rules()
    return row.body if row is not None else DEFAULT_HOUSE_RULES


def save_house_rules(actor: User, body: str) -> HouseRules:
    """Replace the house rules; the audit log records the text before and after."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValueError("Enter the house rules")
    row = current_house_rules()
    before = {"rules": row.body if row is not None else DEFAULT_HOUSE_RULES}
    if row is None:
        row = HouseRules(body=body, updated_by_id=actor.id)
        db.session.add(row)
    else:
        row.body, row.updated_at, row.updated_by_id = body, utcnow(), actor.id
    db.session.flush()
    audit.record(actor, "house_rules.edit", row, before=before, after={"rules": body})
    return row
