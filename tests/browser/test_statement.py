"""The accessibility statement has what UK public sector statements must publish, with its
dates and contact taken from the settings."""

from __future__ import annotations

import pytest

from tests import factories

SECTIONS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "How we tested this website",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]


@pytest.fixture
def settings(app):
    keys = ("KIL_ACCESSIBILITY_PREPARED", "KIL_ACCESSIBILITY_REVIEWED", "KIL_CONTACT_EMAIL")
    saved = {key: app.config[key] for key in keys}
    yield app.config
    app.config.update(saved)


def test_statement_has_every_required_part(client, db, settings):
    factories.make_council()
    db.session.commit()
    settings.update(
        KIL_ACCESSIBILITY_PREPARED="2026-01-15",
        KIL_ACCESSIBILITY_REVIEWED="2026-06-30",
        KIL_CONTACT_EMAIL="access@council.example",
    )
    html = client.get("/accessibility").get_data(as_text=True)
    for section in SECTIONS:
        assert f">{section}</h" in html, section
    assert "This statement was prepared on 15 January 2026" in html
    assert "It was last reviewed on 30 June 2026" in html
    assert "last tested on 30 June 2026" in html
    assert 'href="mailto:access@council.example"' in html
    assert "different format" in html and "braille" in html
    assert "Equality and Human Rights Commission" in html
    assert "Equality Advisory and Support Service" in html
    for tool in ("axe-core", "Nu Html Checker", "320 pixels", "keyboard alone", "JavaScript"):
        assert tool in html, tool
    assert "WCAG" in html or "Web Content Accessibility Guidelines version 2.2" in html


def test_statement_falls_back_to_the_councils_contact(client, db, settings):
    factories.make_council()  # contact_email kil@example.org
    db.session.commit()
    settings["KIL_CONTACT_EMAIL"] = ""
    html = client.get("/accessibility").get_data(as_text=True)
    assert 'href="mailto:kil@example.org"' in html
