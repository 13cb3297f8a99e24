"""Write a ``Document`` as standalone HTML (print stylesheet included) and as a tagged PDF."""

from __future__ import annotations

import logging

from flask import render_template

from .blocks import Document, Heading, Markdown, NumberedItem, Para, Table

KINDS = {
    Heading: "heading",
    Para: "para",
    Markdown: "markdown",
    NumberedItem: "item",
    Table: "table",
}


def write_html(document: Document) -> str:
    """One HTML file that needs nothing else: its styles are inside it."""
    blocks = [(KINDS[type(block)], block) for block in document.blocks]
    return render_template("exports/document.html", document=document, blocks=blocks)


def write_pdf(document: Document) -> bytes:
    """A PDF/UA (tagged) file with the document's title and British English as its language."""
    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=write_html(document), base_url=".").write_pdf(pdf_variant="pdf/ua-1")
