"""The language of passages in the council's own Markdown (WCAG 3.1.2, Language of Parts).

The page is in British English (``<html lang="en-GB">``). A passage in Welsh, French or any
other language is marked in the Markdown like this, and read out by screen readers in that
language:

- a block of paragraphs, lists or quotes: a line ``:::lang cy`` before it and a line ``:::``
  after it (it ends with the text around it if the ``:::`` line is left out);
- a few words inside a sentence: ``[Croeso i bawb]{lang=cy}``.

``mark_languages`` works on HTML that nh3 has already sanitised, so the markers are plain text
by then and the only attribute it adds is a ``lang`` whose value it has checked: a valid BCP 47
tag (RFC 5646, against the IANA subtag registry that ``langcodes`` ships), in its standard
form. A marker with anything else is left as it was written, so the author sees it on the page.
Markers inside ``code`` and ``pre`` are left alone.
"""

from __future__ import annotations

import re

import langcodes

_OPEN_PARAGRAPH = r"<p(?:\s[^>]*)?>"
# ":::lang cy" as the first line of a longer paragraph, and ":::" as the last line of one:
# split them off into paragraphs of their own, which become the block's start and end.
_OPEN_FIRST_LINE = re.compile(rf"({_OPEN_PARAGRAPH}):::lang ([^\s<]+)\n")
_CLOSE_LAST_LINE = re.compile(rf"({_OPEN_PARAGRAPH})((?:(?!</p>).)*?)\n:::</p>", re.DOTALL)
# ":::" straight after a list's last line (no blank line) is read as part of that item.
_CLOSE_AFTER_LIST = re.compile(r"\n:::</li>\n</(ul|ol)>")
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"br", "hr", "img", "wbr"}
_SPAN = re.compile(r"\[((?:(?!\]\{lang=)[^\[\]])+)\]\{lang=([A-Za-z0-9-]+)\}")
_LITERAL = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
_BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "blockquote", "pre", "h3", "h4", "h5", "h6", "hr"}


def language_tag(text: str) -> str | None:
    """``text`` as a standard BCP 47 tag ("CY" -> "cy", "en-gb" -> "en-GB"), or None when it
    is not a valid tag. Private-use (``x-``) and grandfathered (``i-``) tags are refused, as
    is ``und`` (undetermined), which says nothing."""
    if not text or len(text) > 35 or text.lower().startswith(("x-", "i-")):
        return None
    try:
        if not langcodes.tag_is_valid(text):
            return None
        tag = langcodes.standardize_tag(text)
    except (ValueError, langcodes.LanguageTagError):
        return None
    if tag in ("und", "zxx") or not re.fullmatch(r"[A-Za-z0-9-]+", tag):
        return None
    return tag


def mark_languages(html: str) -> str:
    """Sanitised HTML with its language markers turned into ``lang`` attributes: blocks into
    ``<div lang="...">``, words into ``<span lang="...">``."""
    if "]{lang=" in html:
        html = _mark_spans(html)
    if ":::lang " in html:
        html = _mark_blocks(html)
    return html


def _mark_spans(html: str) -> str:
    literal = [match.span() for match in _LITERAL.finditer(html)]

    def replace(match: re.Match) -> str:
        words, tag = match.group(1), language_tag(match.group(2))
        inside_literal = any(start <= match.start() < end for start, end in literal)
        if tag is None or inside_literal or not _balanced_inline(words):
            return match.group(0)
        return f'<span lang="{tag}">{words}</span>'

    return _SPAN.sub(replace, html)


def _balanced_inline(fragment: str) -> bool:
    """True when the fragment's tags (if any) open and close inside it and none is a block."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", fragment):
        closing, name = match.group(1), match.group(2).lower()
        if name in _BLOCK_TAGS:
            return False
        if name in _VOID:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def _marker(tokens: list[str], index: int) -> tuple[str, str | None] | None:
    """("open", tag) or ("close", None) when tokens[index:index + 3] is a marker paragraph."""
    if index + 2 >= len(tokens) or not re.fullmatch(_OPEN_PARAGRAPH, tokens[index]):
        return None
    text, end = tokens[index + 1].strip(), tokens[index + 2]
    if end != "</p>":
        return None
    if text == ":::":
        return ("close", None)
    if text.startswith(":::lang "):
        tag = language_tag(text[len(":::lang ") :].strip())
        if tag:
            return ("open", tag)
    return None


def _mark_blocks(html: str) -> str:
    html = _OPEN_FIRST_LINE.sub(r"\1:::lang \2</p>\n\1", html)
    html = _CLOSE_AFTER_LIST.sub(r"</li>\n</\1>\n<p>:::</p>", html)
    html = _CLOSE_LAST_LINE.sub(r"\1\2</p>\n\1:::</p>", html)
    tokens = _TOKEN.findall(html)
    out: list[str] = []
    depth = 0
    open_at: list[int] = []  # the depth at which each open lang block started
    index = 0
    while index < len(tokens):
        token = tokens[index]
        marker = _marker(tokens, index)
        if marker and marker[0] == "open":
            out.append(f'<div lang="{marker[1]}">')
            open_at.append(depth)
            index += 3
            continue
        if marker and open_at and open_at[-1] == depth:
            out.append("</div>")
            open_at.pop()
            index += 3
            continue
        if token.startswith("</"):
            while open_at and open_at[-1] == depth:  # its element ends: so does the block
                out.append("</div>")
                open_at.pop()
            depth -= 1
        elif token.startswith("<"):
            name = _TAG_NAME.match(token)
            if name and name.group(1).lower() not in _VOID and not token.endswith("/>"):
                depth += 1
        out.append(token)
        index += 1
    out.extend("</div>" for _ in open_at)
    return "".join(out)
