"""The accessibility statement lists exactly what remains: each known failure it names must
still fail (a probe shows it), so a fix that lands without removing its entry fails here; and
the page shows every entry and claims full compliance only when the list is empty. (That the
list is not missing anything is what the browser checks are for: they fail on anything new.)"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from kil_consult.exports.blocks import Document, Markdown, Table
from kil_consult.pages.accessibility import KNOWN_FAILURES, KNOWN_SHORTCOMINGS
from tests import factories

ROOT = Path(__file__).resolve().parents[1]


def _document() -> Document:
    return Document(
        "Probe",
        "",
        [
            Markdown(":::lang cy\nCroeso i bawb.\n:::"),
            Table("Ideas behind commitment 1", ["Idea", "Votes"], [["A market", "3"]]),
        ],
    )


def _pdf_structure(app) -> list:
    """Every structure element of the probe document's PDF, as pypdf dictionaries."""
    from pypdf import PdfReader

    from kil_consult.exports.html import write_pdf

    with app.test_request_context():
        reader = PdfReader(io.BytesIO(write_pdf(_document())))
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        found.append(node)
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return found


def _docx_xml(app) -> str:
    from kil_consult.exports.docx import write_docx

    with app.test_request_context():
        data = write_docx(_document())
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def pdf_table_headers_without_scope(app) -> bool:
    headers = [n for n in _pdf_structure(app) if n.get("/S") == "/TH"]
    assert headers, "the probe PDF has no table header cells"

    def scoped(node) -> bool:
        attributes = node.get("/A")
        attributes = attributes.get_object() if hasattr(attributes, "get_object") else attributes
        items = attributes if isinstance(attributes, list) else [attributes]
        return any(hasattr(a, "get") and a.get_object().get("/Scope") for a in items if a)

    return not all(scoped(node) for node in headers)


def word_table_captions_as_paragraphs(app) -> bool:
    xml = _docx_xml(app)
    return "w:tblCaption" not in xml and 'w:val="Caption"' in xml


def exports_without_language_of_parts(app) -> bool:
    word_marked = re.search(r'w:lang [^>]*w:val="cy', _docx_xml(app)) is not None
    pdf_marked = any(str(n.get("/Lang", "")).startswith("cy") for n in _pdf_structure(app))
    return not (word_marked and pdf_marked)


def chart_labels_small_on_narrow_screens(app) -> bool:
    """The chart labels are drawn in the SVG's own units (font-size 11 and 12 in a 600-wide
    viewBox scaled to the page), and no style of ours sets their size."""
    charts = (ROOT / "templates" / "analysis" / "_charts.html").read_text(encoding="utf-8")
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    drawn_small = re.search(r'<text [^>]*font-size="1[12]"', charts) is not None
    return drawn_small and ".app-chart text" not in css


PROBES = {
    "pdf-table-headers-without-scope": pdf_table_headers_without_scope,
    "word-table-captions-as-paragraphs": word_table_captions_as_paragraphs,
    "exports-without-language-of-parts": exports_without_language_of_parts,
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
    assert listed, "the statement has no list of non-compliances"
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), re.DOTALL)
    assert len(items) == len(KNOWN_FAILURES)
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
