"""No payload runs in Chromium on any page that shows it.

People, ideas, comments, organisations, hide reasons, events and a summary are given hostile
text; then every page that shows them is opened (as a visitor and as an admin) in Debian's
Chromium. Each payload calls ``window.__kilXss``: the page defines it first and records any
call; a dialog would be caught too. The DOM is also checked for what could run on a click
(``javascript:`` links, event-handler attributes, injected scripts or frames), so an escaping
bug is found even where the Content-Security-Policy would have stopped it.
"""

from __future__ import annotations

import pytest

from kil_consult.accounts.models import Role
from kil_consult.analysis import theme_services
from kil_consult.ideas.models import CommunityEvent, Source, VoteValue
from kil_consult.moderation.models import HideReason, ReportReason
from kil_consult.moderation.services import hide, report
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow
from tests import factories

pytestmark = pytest.mark.browser

X = "window.__kilXss"
SHORT = [  # fit a 60-character name
    f"<script>{X}(1)</script>",
    f'"><img src=x onerror={X}(2)>',
    f"javascript:{X}(3)",
]
LONG = [
    *SHORT,
    f"<svg/onload={X}(4)>",
    f"[click me](javascript:{X}(5))",
    f'<a href="javascript:{X}(6)">click</a>',
    f'<iframe srcdoc="<script>parent.{X}(7)</script>"></iframe>',
    f"' onmouseover='{X}(8)' x='",
    f"\u202e<b onclick={X}(9)>rtl</b>",
]
TEXT = " ".join(LONG)

INIT = f"""
{X} = (n) => {{ (window.__kilXssRan = window.__kilXssRan || []).push(n); }};
"""
DOM_CHECK = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value || '';
      if (name.startsWith('on') && value.includes('__kilXss')) found.push(el.tagName + ' ' + name);
      const link = ['href', 'src', 'action', 'formaction'].includes(name);
      if (link && value.trim().toLowerCase().startsWith('javascript:')) found.push(name);
      if (name === 'srcdoc') found.push(el.tagName + ' srcdoc');
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__kilXss')) found.push('script');
  }
  return found;
}
"""


def _hostile_world(db):
    admin = factories.make_user(Role.ADMIN, display_name=SHORT[0])
    author = factories.make_user(display_name=SHORT[1])
    commenter = factories.make_user(display_name=SHORT[2])
    factories.make_council(name=SHORT[1][:60])
    place = factories.make_neighbourhood(SHORT[0][:60])
    consultation = factories.make_consultation(question=TEXT[:500])
    idea = factories.make_idea(
        consultation, author, title=SHORT[0][:120], body=TEXT, neighbourhood_id=place.id
    )
    hidden = factories.make_idea(consultation, author, title=SHORT[1][:120], body=TEXT)
    factories.make_vote(idea, commenter, VoteValue.AGREE)
    top = factories.make_comment(idea, commenter, body=TEXT)
    factories.make_comment(idea, author, body=TEXT, parent=top)
    organisation = factories.make_organisation(
        members=[author], name=SHORT[2][:120], description=TEXT
    )
    reason = HideReason(title=SHORT[0][:80], public_text=TEXT[:300])
    event = CommunityEvent(
        consultation=consultation, kind=Source.EVENT, name=SHORT[1], held_on=utcnow().date()
    )
    db.session.add_all([reason, event])
    db.session.flush()
    hide(hidden, admin, TEXT[:300], note=TEXT)
    report(commenter, ReportReason.OTHER, TEXT, idea=idea)
    theme_services.create_theme(consultation, SHORT[0][:120])
    summaries.save_draft(consultation, admin, TEXT, TEXT, TEXT, TEXT, [])
    summaries.publish(consultation, admin, early_reason="Test data")
    db.session.commit()
    return admin, consultation, idea, organisation, event


def _pages(consultation, idea, organisation, event) -> list[str]:
    slug = consultation.slug
    return [
        "/",
        f"/consultations/{slug}",
        f"/consultations/{slug}?sort=agreed",
        f"/ideas/{idea.id}",
        f"/consultations/{slug}/results",
        f"/consultations/{slug}/summary",
        f"/consultations/{slug}/summary/versions/1",
        f"/consultations/{slug}/themes",
        f"/consultations/{slug}/ideas/new",
        "/organisations",
        f"/organisations/{organisation.slug}",
        "/moderation",
        f"/moderation/idea/{idea.id}",
        "/moderation/reasons",
        "/admin/people",
        "/admin/audit",
        "/admin/organisations",
        f"/admin/offline/{event.id}",
        f"/ideas/{idea.id}/merge",
        "/account",
        "/api/v1/",
        f"/account/sign-in?next=javascript:{X}(10)",
    ]


def _session_cookie(app, user) -> str:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client.get_cookie("kil_session").value


def test_no_payload_runs_on_any_page_that_shows_it(app, db, browser, live_server):
    admin, consultation, idea, organisation, event = _hostile_world(db)
    cookie = _session_cookie(app, admin)
    problems = []
    for as_admin in (False, True):
        context = browser.new_context(base_url=live_server, locale="en-GB")
        context.add_init_script(INIT)
        if as_admin:
            context.add_cookies([{"name": "kil_session", "value": cookie, "url": live_server}])
        dialogs: list[str] = []
        page = context.new_page()
        page.on(
            "dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss())
        )
        page.goto("/healthz")
        page.evaluate(f"{X}(0)")  # the trap works: a call is recorded
        assert page.evaluate("window.__kilXssRan") == [0]
        page.evaluate("window.__kilXssRan = []")
        for path in _pages(consultation, idea, organisation, event):
            response = page.goto(path)
            who = "admin" if as_admin else "visitor"
            if response.status >= 500:
                problems.append(f"{who} {path}: {response.status}")
                continue
            ran = page.evaluate("window.__kilXssRan || []")
            injected = page.evaluate(DOM_CHECK)
            if ran or injected or dialogs:
                problems.append(f"{who} {path}: ran {ran}, injected {injected}, dialogs {dialogs}")
            dialogs.clear()
        context.close()
    assert not problems, "\n".join(problems)
