"""What a second checker and keyboard testing found (issue 21), each checked in Chromium as a
person meets it: groups with a question, a refused bulk action that keeps what was entered,
error links that move focus, a live region that is announced, passages in another language,
chart bars that can be seen, tab titles, and focus that is not cut off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.helpers import sign_in, tab_to

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def world(db):
    return pages.build_world("full")


def test_checkbox_and_radio_groups_ask_their_question(page, world):
    sign_in(page, world.emails["admin"])
    page.goto("/organisations/register")
    group = page.get_by_role("group", name="Which neighbourhoods does it serve?")
    expect(group.get_by_role("checkbox", name="Northtown")).to_be_visible()
    page.goto(f"/admin/organisations/{world.pending_organisation}")
    group = page.get_by_role("group", name="Is this a genuine voluntary or community organisation?")
    expect(group.get_by_role("radio", name="Yes, verify it")).to_be_visible()
    for legend in page.locator("legend").all():
        assert legend.inner_text().strip(), "a fieldset's legend has no text"


def test_a_refused_bulk_action_keeps_what_was_entered(page, world):
    sign_in(page, world.emails["facilitator"])
    page.goto("/moderation")
    boxes = page.locator("input[name=items]")
    boxes.nth(1).check()
    page.get_by_label("Action for the selected items").select_option("hide")
    page.get_by_label("Note (optional)").fill("Spam wave on Tuesday")
    page.get_by_role("button", name="Apply to selected").click()

    assert page.title().startswith("Error: ")
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(0)).not_to_be_checked()
    expect(page.get_by_label("Action for the selected items")).to_have_value("hide")
    expect(page.get_by_label("Note (optional)")).to_have_value("Spam wave on Tuesday")
    message = "Choose a reason for hiding the selected items"
    reason = page.get_by_label("Reason, when hiding")
    expect(reason).to_have_attribute("aria-describedby", re.compile("reason_id-error"))
    expect(page.locator("#reason_id-error")).to_contain_text(message)
    page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    expect(reason).to_be_focused()

    # Nothing ticked: the error sits by the ticks and its link goes to the first box.
    boxes.nth(1).uncheck()
    page.get_by_label("Action for the selected items").select_option("dismiss")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Action for the selected items")).to_have_value("dismiss")
    group = page.get_by_role("group", name="Select the items to act on")
    expect(group).to_contain_text("Select at least one item")
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Select at least one item").click()
    expect(boxes.first).to_be_focused()

    # And sent properly from the refused page, it works and goes back to the queue.
    boxes.first.check()
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("Done for 1 item.")).to_be_visible()
    assert page.url.endswith("/moderation?") or page.url.endswith("/moderation")


def test_error_links_on_the_statement_dates_move_focus(page, world):
    sign_in(page, world.emails["admin"])
    page.goto("/admin/statement")
    page.get_by_role("button", name="Open for comment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()  # wait for the page the button sent back (.all() does not)
    links = summary.get_by_role("link").all()
    assert links, "no error summary links"
    for link in links:
        link.click()
        target = link.get_attribute("href")[1:]
        focused_id = page.evaluate("() => document.activeElement.id")
        assert focused_id == target and target.endswith("-day"), (target, focused_id)


def test_similar_ideas_fill_a_live_region_that_is_already_shown(page, world):
    """Screen readers announce a change to a live region that was in the page, and not
    hidden, before the change: the suggestions must go into such a region."""
    sign_in(page, world.emails["resident"])
    page.goto(f"/consultations/{world.busy}/ideas/new")
    page.evaluate(
        """() => {
          const shown = (el) => !el.closest('[hidden]') && getComputedStyle(el).display !== 'none'
            && getComputedStyle(el).visibility !== 'hidden';
          document.querySelectorAll('[aria-live]').forEach((el) => {
            el.dataset.kilAtLoad = shown(el) ? 'shown' : 'hidden';
          });
          window.kilAnnounced = [];
          new MutationObserver((records) => records.forEach((record) => {
            record.addedNodes.forEach((node) => {
              const region = record.target.closest('[aria-live]');
              window.kilAnnounced.push({
                text: node.textContent || '',
                region: region ? region.dataset.kilAtLoad || 'new' : 'none',
                shown: region ? shown(region) : false,
              });
            });
          })).observe(document.body, {childList: true, subtree: true});
        }"""
    )
    page.get_by_label("Title of your idea").fill("A Saturday market for local growers every week")
    expect(page.get_by_text("Similar ideas already shared")).to_be_visible()
    added = [a for a in page.evaluate("() => window.kilAnnounced") if "Similar" in a["text"]]
    assert added, "the suggestions were not added to the page"
    assert all(a["region"] == "shown" and a["shown"] for a in added), added


STATEMENT_WITH_WELSH = """Hello everyone.

:::lang cy
Croeso i bawb. Dyma ein datganiad.
:::

We say [diolch]{lang=cy} and [merci]{lang=fr}; [not a tag]{lang=zz}."""


def test_the_statement_editor_can_mark_the_language_of_passages(page, world):
    sign_in(page, world.emails["facilitator"])
    page.goto("/admin/statement/edit")
    expect(page.get_by_text(":::lang cy", exact=False).first).to_be_attached()
    page.get_by_label("The council's endorsement of the six principles").fill(STATEMENT_WITH_WELSH)
    page.get_by_label("What changed and why").fill("Welsh welcome")
    page.get_by_role("button", name="Save a new version").click()
    page.goto("/admin/statement")
    welsh = page.locator('div[lang="cy"]')
    expect(welsh).to_contain_text("Croeso i bawb.")
    expect(page.locator('span[lang="cy"]')).to_have_text("diolch")
    expect(page.locator('span[lang="fr"]')).to_have_text("merci")
    expect(page.get_by_text("[not a tag]{lang=zz}")).to_be_visible()
    assert page.locator('[lang="zz"]').count() == 0


def _population_bar_contrast(page) -> float:
    """The contrast with white of the second bar (population) in the chart of shares."""
    return page.evaluate(
        """() => {
          const channel = (v) => { const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
          const lum = (rgb) => { const [r, g, b] = rgb.map(channel);
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const chart = [...document.querySelectorAll('.app-bars')]
            .find((bars) => /population/i.test(bars.querySelector('[id$="-title"]').textContent));
          const el = chart.querySelectorAll('rect')[1];
          const fill = getComputedStyle(el).fill.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const [a, b] = [lum(fill), lum([255, 255, 255])].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        }"""
    )


def test_population_bars_stand_out_from_the_page(page, world):
    page.goto(f"/consultations/{world.closed}/results")
    assert _population_bar_contrast(page) >= 3


def test_each_moderation_tab_has_its_own_title(page, world):
    sign_in(page, world.emails["facilitator"])
    titles = set()
    for tab in ("reported", "waiting", "recent"):
        page.goto(f"/moderation?tab={tab}")
        titles.add(page.title())
    assert len(titles) == 3, titles
    assert any(title.startswith("Waiting for approval") for title in titles)


def test_focus_in_the_people_table_is_not_cut_off_on_a_phone(new_page, world):
    page = new_page()
    sign_in(page, world.emails["admin"])
    page.set_viewport_size(PHONE)
    page.goto("/admin/people")
    box = page.locator(".app-table-scroll")
    page.locator("#q").focus()
    for _ in range(12):
        tab_to(page, re.compile(r"^Change role"))
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              const box = el.closest('.app-table-scroll');
              const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
              const ring = 3;  // GOV.UK's focus ring reaches 3-4px past the control
              return {inside: r.left - ring >= b.left && r.right + ring <= b.left + box.clientWidth
                              && r.bottom + ring <= b.top + box.clientHeight,
                      r: [r.left, r.right, r.bottom], b: [b.left, b.left + box.clientWidth,
                      b.top + box.clientHeight]};
            }"""
        )
        assert state["inside"], f"focused button cut off by the scroll box: {state}"
        if page.evaluate("() => !document.activeElement.closest('tr').nextElementSibling"):
            break
    assert box.count() == 1
