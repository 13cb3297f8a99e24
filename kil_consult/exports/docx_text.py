"""The council's Markdown in a Word file: rendered and sanitised as for the web page
(``render_markdown``, which also turns the language markers into ``lang`` attributes), then
walked as HTML into Word paragraphs and runs, so a passage marked as Welsh or French carries
``w:lang`` on its runs exactly where the page carries ``lang``."""

from __future__ import annotations

from html.parser import HTMLParser

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..markdown import render_markdown

_HEADINGS = {"h3": 2, "h4": 3, "h5": 3, "h6": 3}
_BLOCKS = {"p", "li", "blockquote", "pre", "div", *_HEADINGS}


def set_language(run, lang: str | None) -> None:
    """Mark a run as written in ``lang`` (a BCP 47 tag), for spelling and screen readers."""
    if not lang:
        return
    rpr = run._r.get_or_add_rPr()
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), lang)


class _Writer(HTMLParser):
    def __init__(self, doc) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.paragraph = None
        self.langs: list[tuple[str, str | None]] = []  # (tag, lang) of each open element
        self.bold = self.italic = 0
        self.lists: list[str] = []

    @property
    def lang(self) -> str | None:
        return next((lang for _tag, lang in reversed(self.langs) if lang), None)

    def _new_paragraph(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.paragraph = self.doc.add_heading(level=_HEADINGS[tag])
        elif tag == "li":
            self.paragraph = self.doc.add_paragraph(style="List Bullet")
        else:
            self.paragraph = self.doc.add_paragraph()
        if self.lang:
            # The paragraph mark too, so an empty line or a list bullet is in the language.
            ppr = self.paragraph._p.get_or_add_pPr()
            rpr = OxmlElement("w:rPr")
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), self.lang)
            rpr.append(lang)
            ppr.append(rpr)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "br":
            if self.paragraph is not None:
                self.paragraph.add_run().add_break(WD_BREAK.LINE)
            return
        if tag == "hr":
            return
        self.langs.append((tag, attributes.get("lang")))
        if tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "p" and self.paragraph is not None and not self.paragraph.runs:
            pass  # a loose list item's paragraph: the item's own paragraph holds it
        elif tag in _BLOCKS and tag != "div":
            self._new_paragraph(tag)

    def handle_endtag(self, tag):
        if tag in ("br", "hr"):
            return
        while self.langs:
            open_tag, _lang = self.langs.pop()
            if open_tag == tag:
                break
        if tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in _BLOCKS and tag != "div":
            self.paragraph = None

    def handle_data(self, data):
        if self.paragraph is None:
            if not data.strip():
                return
            self._new_paragraph("p")
        if not self.paragraph.runs:
            data = data.lstrip("\n")
        if not data:
            return
        run = self.paragraph.add_run(data.replace("\n", " "))
        run.bold, run.italic = bool(self.bold) or None, bool(self.italic) or None
        set_language(run, self.lang)


def add_markdown(doc, text: str) -> None:
    """Paragraphs, lists, headings, bold, italic and language marks from the council's
    Markdown; links keep their text."""
    writer = _Writer(doc)
    writer.feed(str(render_markdown(text)))
    writer.close()
