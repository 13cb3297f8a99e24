"""The accessibility statement lists exactly what remains: each known failure it names must
still fail (a probe shows it), so a fix that lands without removing its entry fails here; and
the page shows every entry and claims full compliance only when the list is empty. (That the
list is not missing anything is what the browser checks are for: they fail on anything new.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kil_consult.pages.accessibility import KNOWN_FAILURES, KNOWN_SHORTCOMINGS
from tests import factories

ROOT = Path(__file__).resolve().parents[1]


def chart_labels_small_on_narrow_screens(app) -> bool:
    """The chart labels are drawn in the SVG's own units (font-size 11 and 12 in a 600-wide
    viewBox scaled to the page), and no style of ours sets their size."""
    charts = (ROOT / "templates" / "analysis" / "_charts.html").read_text(encoding="utf-8")
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    drawn_small = re.search(r'<text [^>]*font-size="1[12]"', charts) is not None
    return drawn_small and ".app-chart text" not in css


# The probes of entries since fixed became tests of the fix: PDF table header scope, Word
# table descriptions and the language of parts in the exports are in
# tests/statements/test_documents.py.
PROBES = {
    "chart-labels-small-on-narrow-screens": chart_labels_small_on_narrow_screens,
}


def test_every_entry_has_a_probe():
    keys = [f.key for f in KNOWN_FAILURES + KNOWN_SHORTCOMINGS]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(PROBES), "each entry of the statement needs a probe here"


@pytest.mark.parametrize("entry", KNOWN_FAILURES + KNOWN_SHORTCOMINGS, ids=lambda f: f.key)
def test_each_listed_failure_still_fails(app, entry):
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
