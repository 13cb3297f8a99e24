"""Write a ``Document`` as a Word file with python-docx: A4, Arial, British English, real
headings, a numbered list for commitments, and tables whose header rows repeat on each page."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from markdown_it import MarkdownIt

from .blocks import Document, Heading, Markdown, NumberedItem, Para, Table

FONT = "Arial"


def _set_defaults(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = doc.styles
    for name in (
        "Normal",
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Number",
        "List Bullet",
        "Caption",
    ):
        style = styles[name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    styles["Normal"].font.size = Pt(11)
    # British English as the document's language, in the defaults every run inherits.
    rpr_default = (
        styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    lang.set(qn("w:bidi"), "ar-SA")


def _inline(paragraph, children) -> None:
    bold = italic = False
    for child in children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break(WD_BREAK.LINE)


def _markdown(doc, text: str) -> None:
    """Paragraphs, lists, headings, bold and italic from Markdown; links keep their text."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(text or "")
    lists: list[str] = []
    heading = None
    for token in tokens:
        if token.type == "bullet_list_open":
            lists.append("List Bullet")
        elif token.type == "ordered_list_open":
            lists.append("List Bullet")  # the numbered list is kept for commitments
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            heading = min(3, int(token.tag[1]) + 2)
        elif token.type == "heading_close":
            heading = None
        elif token.type == "inline":
            if heading:
                paragraph = doc.add_heading(level=heading)
            elif lists:
                paragraph = doc.add_paragraph(style=lists[-1])
            else:
                paragraph = doc.add_paragraph()
            _inline(paragraph, token.children)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc, block: Table) -> None:
    doc.add_paragraph(block.caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def write_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    doc = new_docx()
    _set_defaults(doc)
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.language = "en-GB"
    props.author = document.subtitle
    if document.draft:
        doc.add_paragraph().add_run("DRAFT: not agreed by the council").bold = True
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=0 if block.level == 1 else block.level - 1)
        elif isinstance(block, Para):
            paragraph = doc.add_paragraph(block.text)
            if block.small:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
        elif isinstance(block, Markdown):
            _markdown(doc, block.text)
        elif isinstance(block, NumberedItem):
            doc.add_paragraph(block.text, style="List Number")
            for detail in block.details:
                doc.add_paragraph(detail).paragraph_format.left_indent = Mm(10)
        elif isinstance(block, Table):
            _table(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
