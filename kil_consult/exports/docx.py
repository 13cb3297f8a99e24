"""Write a ``Document`` as a Word file with python-docx: A4, Arial, British English, real
headings kept with what follows, numbered commitments that keep their own numbers, a header
and footer (council, title, version, page X of Y), and tables sized by their content, with a
description Word and screen readers announce, header rows that repeat and rows that never
split across pages."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .blocks import (
    Chart,
    Document,
    Heading,
    Markdown,
    NumberedItem,
    Para,
    Table,
    column_weights,
)
from .docx_text import add_markdown

FONT = "Arial"
TEXT_WIDTH_MM = 170  # A4 less two 20 mm margins
_STYLES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Number",
    "List Bullet",
    "Header",
    "Footer",
)


def _set_defaults(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header_distance = section.footer_distance = Mm(10)
    styles = doc.styles
    for name in _STYLES:
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
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        tabs = styles[name].paragraph_format.tab_stops
        tabs.clear_all()  # the template's centre and right tabs are for Letter paper
        tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
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


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in on each page."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1")):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            element = OxmlElement("w:instrText" if text == code else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} " if text == code else text
            run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _header_and_footer(doc, document: Document) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run(document.council)
    header.add_run("\t" + document.title)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run(document.version or "")
    footer.add_run("\tPage ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _numbered(doc, number: int) -> str:
    """A numbering instance of the List Number style that starts at ``number``, so commitment
    7 is numbered 7 wherever it stands (the report lists only some commitments)."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in numbering.findall(qn("w:num"))
        if n.get(qn("w:numId")) == str(style_num)
    )
    num_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), str(number))
    override.append(start)
    num.extend([ref, override])
    numbering.append(num)
    return num_id


def _item(doc, block: NumberedItem) -> None:
    paragraph = doc.add_paragraph(block.text, style="List Number")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = int(_numbered(doc, block.number))
    paragraph.paragraph_format.keep_with_next = bool(block.details)
    paragraph.paragraph_format.space_before = Pt(8)
    for index, detail in enumerate(block.details):
        para = doc.add_paragraph(detail)
        para.paragraph_format.left_indent = Mm(10)
        para.paragraph_format.keep_with_next = index < len(block.details) - 1
        for run in para.runs:
            run.font.size = Pt(10)


def _table_properties(table, block: Table) -> None:
    tbl_pr = table._tbl.tblPr
    for name, text in (("w:tblCaption", block.caption), ("w:tblDescription", block.summary)):
        element = OxmlElement(name)
        element.set(qn("w:val"), text)
        tbl_pr.append(element)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    look = tbl_pr.find(qn("w:tblLook"))
    (look.addprevious if look is not None else tbl_pr.append)(layout)


def _row_rules(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)


def _table(doc, block: Table) -> None:
    label = doc.add_paragraph()
    label.add_run(block.caption).bold = True
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_before = Pt(10)
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_properties(table, block)
    widths = [Mm(TEXT_WIDTH_MM * w) for w in column_weights(block)]
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _row_rules(table.rows[0], header=True)
    for values in block.rows:
        row = table.add_row()
        _row_rules(row, header=False)
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = str(text)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(2)
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)


def _chart(doc, block: Chart) -> None:
    """A chart as a picture the width of the text, with its description as alternative text
    (read by screen readers) and its caption as the picture's title."""
    from .chart_png import trend_png

    doc.add_paragraph(block.caption).runs[0].bold = True
    doc.add_picture(io.BytesIO(trend_png(block.chart)), width=Mm(TEXT_WIDTH_MM - 10))
    picture = doc.paragraphs[-1]
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", block.description)
        properties.set("title", block.caption)
    picture.paragraph_format.keep_with_next = True


def write_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    doc = new_docx()
    _set_defaults(doc)
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.language = "en-GB"
    props.author = document.council or document.subtitle
    _header_and_footer(doc, document)
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
            add_markdown(doc, block.text)
        elif isinstance(block, NumberedItem):
            _item(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
