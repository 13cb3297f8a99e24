"""Tried as a new admin would: start a self-assessment round, assess the six principles, sign
it off and download the network meeting pack, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kil_consult.accounts.models import Role
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_completes_a_round_and_exports_the_pack(db, page, tmp_path):
    factories.make_council("Test County Council")
    admin = factories.make_user(Role.ADMIN, display_name="Ada Admin")
    db.session.commit()
    sign_in(page, admin.email)
    page.goto("/network")
    page.get_by_label("Name of the round").fill("Spring 2027 network meeting")
    meeting = page.get_by_role("group", name="Date of the network meeting")
    meeting.get_by_label("Day").fill("27")
    meeting.get_by_label("Month").fill("3")
    meeting.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_role("heading", name="Spring 2027 network meeting")).to_be_visible()
    for number, level in enumerate(
        (
            "2. Developing",
            "3. Established",
            "1. Starting out",
            "2. Developing",
            "4. Leading",
            "2. Developing",
        ),
        start=1,
    ):
        page.get_by_role("link", name=f"Assess principle {number}").click()
        page.get_by_label(level).check()
        page.get_by_label("Other evidence on this site (optional)").fill("/statement")
        page.get_by_label("What we will do next").fill(f"Next steps on principle {number}.")
        page.get_by_label("Who owns it").fill("Director of Communities")
        page.get_by_role("button", name="Save this principle").click()
        expect(page.get_by_text(f"Saved principle {number}.")).to_be_visible()
    page.get_by_role("button", name="Sign off the round").click()
    expect(page.get_by_text("Signed off. The round is frozen")).to_be_visible()
    expect(page.get_by_role("link", name="Assess principle 1")).to_have_count(0)
    with page.expect_download() as word:
        page.get_by_role("link", name="Meeting pack (Word)").click()
    path = tmp_path / "pack.docx"
    word.value.save_as(path)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Keep it Local network meeting pack: Test County Council" in text
    assert "Signed off by Ada Admin" in text
    page.get_by_role("link", name="Network return (JSON)").click()
    expect(page.locator("body")).to_contain_text('"kind":"keep-it-local-network-return"')
