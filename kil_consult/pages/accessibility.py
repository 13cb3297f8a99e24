"""What the accessibility statement says is not yet accessible: a list of data, not prose.

``/accessibility`` renders ``KNOWN_FAILURES``; ``tests/pages/test_accessibility_statement.py``
has a probe for each entry that shows the failure is still there (so the statement cannot keep
an entry once it is fixed), and the browser checks (axe, HTML_CodeSniffer, the Nu Html
Checker, reflow, keyboard journeys) fail on anything new, so the list cannot claim less than
the checks show either.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownFailure:
    """One way part of the service fails WCAG 2.2 AA (or PDF/UA), in plain words."""

    key: str  # the probe's name in the test
    criteria: tuple[str, ...]  # WCAG success criteria, e.g. ("1.3.1 Info and Relationships",)
    text: str  # what a person meets, for the statement
    plan: str  # what we will do


KNOWN_FAILURES: tuple[KnownFailure, ...] = (
    KnownFailure(
        key="pdf-table-headers-without-scope",
        criteria=("1.3.1 Info and Relationships",),
        text=(
            "In the PDF versions of the statement and of the consultation reports, table "
            "header cells do not say whether they head a row or a column (PDF/UA, Matterhorn "
            "checkpoint 15-003), so screen readers may not read the headers with each cell."
        ),
        plan="We plan to fix this in the PDF files.",
    ),
    KnownFailure(
        key="word-table-captions-as-paragraphs",
        criteria=("1.3.1 Info and Relationships",),
        text=(
            "In the Word versions of the statement and reports, a table's caption is a "
            "paragraph styled as a caption above it, not the table's own description, so it "
            "is not announced with the table."
        ),
        plan="We plan to fix this in the Word files.",
    ),
    KnownFailure(
        key="exports-without-language-of-parts",
        criteria=("3.1.2 Language of Parts",),
        text=(
            "Passages the council marks as Welsh, French or another language are marked as "
            "such on the web pages, but not yet in the PDF and Word files, where screen "
            "readers read them with English pronunciation."
        ),
        plan="We plan to carry the language marks into the PDF and Word files.",
    ),
)

# Not failures of WCAG 2.2 AA, but short of what we aim for; listed so as not to hide them.
KNOWN_SHORTCOMINGS: tuple[KnownFailure, ...] = (
    KnownFailure(
        key="chart-labels-small-on-narrow-screens",
        criteria=("1.4.4 Resize Text (advice)",),
        text=(
            "The labels inside the charts on the results pages shrink with the chart: on a "
            "screen 320 pixels wide they are smaller than 12 pixels, and they do not grow when "
            "you make only the text bigger (zooming the page does enlarge them). The table "
            "under each chart gives the same figures in text that resizes."
        ),
        plan="We plan to redraw the charts so their labels keep their size.",
    ),
)
