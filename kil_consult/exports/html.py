"""Write a ``Document`` as standalone HTML (print stylesheet included) and as a tagged PDF."""

from __future__ import annotations

import logging

from flask import render_template
from markupsafe import Markup

from .blocks import Chart, Document, Heading, Markdown, NumberedItem, Para, Table

KINDS = {
    Heading: "heading",
    Para: "para",
    Markdown: "markdown",
    NumberedItem: "item",
    Table: "table",
    Chart: "chart",
}


def css_string(text: str) -> str:
    """Text as a quoted CSS string (for the running header and footer of printed pages)."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-()" else f"\\{ord(ch):x} " for ch in text)
    # Safe in a style element: only letters, digits, a few punctuation marks and CSS escapes.
    return Markup(f'"{escaped}"')  # nosec B704


def write_html(document: Document) -> str:
    """One HTML file that needs nothing else: its styles are inside it."""
    blocks = [(KINDS[type(block)], block) for block in document.blocks]
    running = {
        "council": css_string(document.council or document.subtitle),
        "title": css_string(document.title),
        "version": css_string(document.version),
    }
    return render_template(
        "exports/document.html", document=document, blocks=blocks, running=running
    )


def write_pdf(document: Document) -> bytes:
    """A PDF/UA (tagged) file with the document's title and British English as its language."""
    from weasyprint import HTML

    from .pdftags import install

    install()
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=write_html(document), base_url=".").write_pdf(pdf_variant="pdf/ua-1")
