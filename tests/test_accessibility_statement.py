"""The accessibility statement lists exactly what remains: each known failure it names must
still fail (a probe shows it), so a fix that lands without removing its entry fails here; and
the page shows every entry and claims full compliance only when the list is empty. (That the
list is not missing anything is what the browser checks are for: they fail on anything new.)"""

from __future__ import annotations

import re
from pathlib import Path

from kil_consult.pages.accessibility import KNOWN_FAILURES, KNOWN_SHORTCOMINGS
from tests import factories

ROOT = Path(__file__).resolve().parents[1]


# The probes of entries since fixed became tests of the fix: PDF table header scope, Word
# table descriptions and the language of parts in the exports are in
# tests/statements/test_documents.py; chart labels that keep their size are measured in a
# browser in tests/browser/test_chart_labels.py, and the test below keeps them out of SVG.
PROBES: dict = {}

# The templates of every chart on a web page (the PDF's, exports/_chart.html, is drawn at the
# page's fixed width, so its SVG labels keep their size).
WEB_CHARTS = (
    "analysis/_charts.html",
    "questions/_results.html",
    "equality/who_took_part.html",
    "statements/_indicator.html",
)


def test_web_charts_write_their_labels_in_html_not_in_scaled_svg():
    """A label in SVG shrinks with its chart on a narrow screen and ignores the text size; the
    web charts draw shapes only, with every word and figure in HTML around them."""
    for name in WEB_CHARTS:
        template = (ROOT / "templates" / name).read_text(encoding="utf-8")
        assert not re.search(r"<text[\s>]", template), f"{name} draws SVG text"
        assert "app-chart-scroll" not in template, f"{name}: a chart scrolls sideways"
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert "min-width:600px" not in css


def test_every_entry_has_a_probe():
    keys = [f.key for f in KNOWN_FAILURES + KNOWN_SHORTCOMINGS]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(PROBES), "each entry of the statement needs a probe here"


def test_each_listed_failure_still_fails(app):
    for entry in KNOWN_FAILURES + KNOWN_SHORTCOMINGS:
        assert PROBES[entry.key](app), (
            f"{entry.key} is fixed: take it out of kil_consult/pages/accessibility.py, so the "
            "accessibility statement no longer lists it"
        )


def test_the_statement_lists_exactly_the_known_failures(client, db):
    factories.make_council()
    db.session.commit()
    html = client.get("/accessibility").get_data(as_text=True)
    listed = re.search(r'<ul[^>]*id="known-failures">(.*?)</ul>', html, re.DOTALL)
    assert bool(listed) == bool(KNOWN_FAILURES), "the list of non-compliances is wrong"
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.DOTALL) if listed else []
    assert len(items) == len(KNOWN_FAILURES)
    if not KNOWN_FAILURES:
        assert "We know of no content that fails the accessibility regulations" in html
    for entry, item in zip(KNOWN_FAILURES, items, strict=True):
        assert entry.text.replace("'", "&#39;") in item
        for criterion in entry.criteria:
            assert criterion in item
    limitations = re.search(r'id="known-limitations">(.*?)</ul>', html, re.DOTALL).group(1)
    for entry in KNOWN_SHORTCOMINGS:
        assert entry.text.replace("'", "&#39;") in limitations
    assert ("partially compliant" in html) == bool(KNOWN_FAILURES)
    assert ("fully compliant" in html) == (not KNOWN_FAILURES)
    assert "HTML_CodeSniffer" in html and "axe-core" in html
    assert "Matterhorn" in html, "how the PDF and Word files are checked is not said"
