"""The statement, the progress report and the consultation report as files: shared by the
download views and ``flask kil export``."""

from __future__ import annotations

import json

from .statement import statement_data, statement_document, statement_markdown


def write(document, kind: str):
    """A document as Word or PDF bytes."""
    if kind == "docx":
        from .docx import write_docx

        return write_docx(document)
    from .html import write_pdf

    return write_pdf(document)


def statement_file(statement, version, kind: str) -> bytes | str:
    """One version of the statement in one of the formats."""
    data = statement_data(statement, version)
    if kind == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if kind == "md":
        return statement_markdown(data)
    document = statement_document(data)
    if kind == "html":
        from .html import write_html

        return write_html(document)
    return write(document, kind)
