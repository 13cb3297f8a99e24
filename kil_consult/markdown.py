"""Markdown that facilitators write (summaries, statements), rendered as GOV.UK-styled HTML.

A core module: summaries, statements and exports all render through ``render_markdown``, and
``create_app`` registers it as the ``markdown`` template filter.
"""

from __future__ import annotations

from markupsafe import Markup

_ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "br",
    "hr",
}
_CLASSES = {
    "p": "govuk-body",
    "h2": "govuk-heading-m",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
}


def render_markdown(text: str, shift: int = 2) -> Markup:
    """Render a facilitator's Markdown as GOV.UK-styled HTML, then sanitise it with nh3.

    Raw HTML in the text is not passed through; headings move down ``shift`` levels (two by
    default) so they sit under the page's own headings. A page that is only the text (the
    house rules) passes 0: its ``##`` headings are the page's h2s.
    """
    import nh3
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    tokens = md.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(2, min(6, int(token.tag[1]) + shift))}"
        if token.nesting == 1 and token.tag in _CLASSES:
            token.attrSet("class", _CLASSES[token.tag])
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("class", "govuk-link")
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={tag: {"class"} for tag in _CLASSES} | {"a": {"href", "class", "title"}},
        url_schemes={"http", "https", "mailto"},
    )
    from .markdown_lang import mark_languages

    clean = mark_languages(clean)  # adds only lang="<valid BCP 47 tag>" to the sanitised HTML
    # Safe to mark up: nh3 has just sanitised it (allow-listed tags, http/https/mailto links).
    return Markup(clean)  # nosec B704
